/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-rating"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-rating.h"

static const char *const level_names[] = {
  "not-rated", "very-satisfied", "satisfied", "basic", "dissatisfied", "very-dissatisfied",
};

static const char *const level_labels[] = {
  N_ ("Not rated"),           N_ ("Very satisfied"), N_ ("Satisfied"),
  N_ ("Basically satisfied"), N_ ("Dissatisfied"),   N_ ("Very dissatisfied"),
};

static const char *const channel_names[] = {
  "pc", "mobile", "qr", "hall-tablet", "hall-terminal", "phone", "sms",
};

const char *
kiosk_rating_level_to_string (KioskRatingLevel level)
{
  if ((guint) level < G_N_ELEMENTS (level_names))
    return level_names[level];
  return "not-rated";
}

int
kiosk_rating_level_from_string (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (level_names); i++)
    if (g_str_equal (name, level_names[i]))
      return (int) i;
  return -1;
}

const char *
kiosk_rating_level_label (KioskRatingLevel level)
{
  if ((guint) level < G_N_ELEMENTS (level_labels))
    return level_labels[level];
  return level_labels[0];
}

gboolean
kiosk_rating_level_is_bad (KioskRatingLevel level)
{
  return level == KIOSK_RATING_DISSATISFIED || level == KIOSK_RATING_VERY_DISSATISFIED;
}

const char *
kiosk_rating_channel_to_string (KioskRatingChannel channel)
{
  if ((guint) channel < G_N_ELEMENTS (channel_names))
    return channel_names[channel];
  return "hall-terminal";
}

int
kiosk_rating_channel_from_string (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (channel_names); i++)
    if (g_str_equal (name, channel_names[i]))
      return (int) i;
  return -1;
}

const char *
kiosk_rating_source_to_string (KioskRatingSource source)
{
  switch (source)
    {
    case KIOSK_RATING_SOURCE_SCREEN:
      return "screen";
    case KIOSK_RATING_SOURCE_PAD:
      return "pad";
    case KIOSK_RATING_SOURCE_NONE:
    default:
      return "none";
    }
}

KioskServiceEvent *
kiosk_service_event_new (const char *case_number, const char *item_code, const char *kind)
{
  KioskServiceEvent *e = g_new0 (KioskServiceEvent, 1);
  e->case_number = g_strdup (case_number);
  e->item_code = g_strdup (item_code);
  e->kind = g_strdup (kind);
  e->channel = -1;
  return e;
}

KioskServiceEvent *
kiosk_service_event_copy (const KioskServiceEvent *event)
{
  KioskServiceEvent *e;

  if (event == NULL)
    return NULL;
  e = g_memdup2 (event, sizeof *event);
  e->case_number = g_strdup (event->case_number);
  e->item_code = g_strdup (event->item_code);
  e->kind = g_strdup (event->kind);
  e->agent_id = g_strdup (event->agent_id);
  e->rater_id_number = g_strdup (event->rater_id_number);
  e->applicant_id_number = g_strdup (event->applicant_id_number);
  return e;
}

void
kiosk_service_event_free (KioskServiceEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->case_number);
  g_free (event->item_code);
  g_free (event->kind);
  g_free (event->agent_id);
  if (event->rater_id_number)
    memset (event->rater_id_number, 0, strlen (event->rater_id_number));
  g_free (event->rater_id_number);
  if (event->applicant_id_number)
    memset (event->applicant_id_number, 0, strlen (event->applicant_id_number));
  g_free (event->applicant_id_number);
  g_free (event);
}

gboolean
kiosk_rating_same_person (const char *a, const char *b)
{
  gsize la, lb;

  if (a == NULL || b == NULL)
    return FALSE;
  while (*a == ' ')
    a++;
  while (*b == ' ')
    b++;
  la = strlen (a);
  lb = strlen (b);
  while (la > 0 && a[la - 1] == ' ')
    la--;
  while (lb > 0 && b[lb - 1] == ' ')
    lb--;
  return la > 0 && la == lb && g_ascii_strncasecmp (a, b, la) == 0;
}

G_DEFINE_BOXED_TYPE (KioskServiceEvent, kiosk_service_event, kiosk_service_event_copy, kiosk_service_event_free)

KioskRatingRecord *
kiosk_rating_record_copy (const KioskRatingRecord *r)
{
  KioskRatingRecord *c;

  if (r == NULL)
    return NULL;
  c = g_memdup2 (r, sizeof *r);
  c->case_number = g_strdup (r->case_number);
  c->item_code = g_strdup (r->item_code);
  c->kind = g_strdup (r->kind);
  c->time = g_strdup (r->time);
  c->reason_codes = g_strdupv (r->reason_codes);
  c->reasons = g_strdupv (r->reasons);
  c->text = g_strdup (r->text);
  c->phone = g_strdup (r->phone);
  c->region_code = g_strdup (r->region_code);
  c->agent_id = g_strdup (r->agent_id);
  c->rater_id_number = g_strdup (r->rater_id_number);
  return c;
}

void
kiosk_rating_record_free (KioskRatingRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->case_number);
  g_free (r->item_code);
  g_free (r->kind);
  g_free (r->time);
  g_strfreev (r->reason_codes);
  g_strfreev (r->reasons);
  g_free (r->text);
  g_free (r->phone);
  g_free (r->region_code);
  g_free (r->agent_id);
  g_free (r->rater_id_number);
  g_free (r);
}

G_DEFINE_BOXED_TYPE (KioskRatingRecord, kiosk_rating_record, kiosk_rating_record_copy, kiosk_rating_record_free)

char *
kiosk_rating_format_time (GDateTime *when)
{
  return g_date_time_format (when, "%Y%m%dT%H%M%S");
}
