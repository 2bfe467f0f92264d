/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-rating"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-rating-flow.h"
#include "pad-device.h"

#define RETRY_SECONDS 15

struct _KioskRatingFlow {
  GObject parent_instance;

  /* configuration */
  KioskRatingProfile *profile;
  GPtrArray *reason_codes;
  GPtrArray *reason_texts;
  gboolean anonymous_allowed;
  int timeout_seconds;
  int text_max;
  KioskRatingChannel channel;
  KioskRatingChannel pad_channel;
  char *region_code;

  KioskRatingSink *sink;
  KioskPadDevice *pad;
  gulong pad_key_id;

  /* the open question */
  KioskRatingFlowState state;
  KioskServiceEvent *event;
  KioskRatingLevel level;
  KioskRatingSource source;
  gboolean *selected;
  char *text;
  char *phone;
  gboolean anonymous;
  int remaining;
  gboolean manual_clock;
  guint tick_id;
  KioskRatingRecord *record;

  GHashTable *case_counts; /* case number → ratings recorded here */

  /* payloads not yet accepted by the sink, oldest first */
  GQueue unsent;
  gboolean sending;
  guint retry_id;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (KioskRatingFlow, kiosk_rating_flow, G_TYPE_OBJECT)
G_DEFINE_QUARK (kiosk - rating - flow - error - quark, kiosk_rating_flow_error)

enum { PROP_0, PROP_STATE, PROP_REMAINING, PROP_LEVEL, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_RECORDED, N_SIGNALS };
static guint signals[N_SIGNALS];

const char *
kiosk_rating_flow_state_to_string (KioskRatingFlowState state)
{
  static const char *const names[] = { "idle", "asking", "reasons", "done", "not-allowed" };
  if ((guint) state < G_N_ELEMENTS (names))
    return names[state];
  return "unknown";
}

gboolean
kiosk_rating_phone_is_valid (const char *phone)
{
  int digits = 0;

  if (phone == NULL)
    return FALSE;
  for (const char *p = phone; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p == '+' && p == phone)
        ;
      else if (*p != '-' && *p != ' ')
        return FALSE;
    }
  return digits >= 5 && digits <= 20;
}

/* ---- pad feedback -------------------------------------------------------- */

static void
feedback (KioskRatingFlow *self, const char *event)
{
  if (self->pad)
    kiosk_pad_device_feedback (self->pad, event);
}

/* ---- state and clock ------------------------------------------------------ */

static gboolean tick_cb (gpointer data);

static void
update_timer (KioskRatingFlow *self)
{
  /* Only the level question times out: once a level is chosen, the answer
   * is the resident's and is kept (the session's idle countdown ends it). */
  gboolean want = !self->manual_clock && self->state == KIOSK_RATING_FLOW_ASKING;
  if (want && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (!want && self->tick_id != 0)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
set_remaining (KioskRatingFlow *self, int remaining)
{
  if (self->remaining == remaining)
    return;
  self->remaining = remaining;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMAINING]);
}

static void
set_state (KioskRatingFlow *self, KioskRatingFlowState state)
{
  if (self->state == state)
    return;
  g_debug ("rating: %s -> %s", kiosk_rating_flow_state_to_string (self->state),
           kiosk_rating_flow_state_to_string (state));
  self->state = state;
  update_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
clear_answer (KioskRatingFlow *self)
{
  self->level = KIOSK_RATING_NOT_RATED;
  self->source = KIOSK_RATING_SOURCE_NONE;
  if (self->selected)
    memset (self->selected, 0, sizeof (gboolean) * self->reason_texts->len);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->phone, g_free);
  self->anonymous = FALSE;
}

/* ---- delivery to the sink -------------------------------------------------- */

static void flush (KioskRatingFlow *self);

static gboolean
retry_cb (gpointer data)
{
  KioskRatingFlow *self = data;
  self->retry_id = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

static void
enqueued_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KioskRatingFlow *self = user_data;
  g_autoptr (GError) error = NULL;

  if (!kiosk_rating_sink_enqueue_finish (KIOSK_RATING_SINK (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_object_unref (self);
          return;
        }
      self->sending = FALSE;
      g_warning ("rating not stored yet (%u waiting, retry in %d s): %s", g_queue_get_length (&self->unsent),
                 RETRY_SECONDS, error->message);
      if (self->retry_id == 0)
        self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);
      g_object_unref (self);
      return;
    }
  g_free (g_queue_pop_head (&self->unsent));
  self->sending = FALSE;
  g_info ("rating stored in the outbox (%u waiting)", g_queue_get_length (&self->unsent));
  flush (self);
  g_object_unref (self);
}

static void
flush (KioskRatingFlow *self)
{
  KioskRatingSink *sink = self->sink ? self->sink : kiosk_rating_sink_get_default ();

  if (self->sending || g_queue_is_empty (&self->unsent))
    return;
  if (sink == NULL)
    {
      g_warning ("no rating sink (store) is set up: %u rating(s) kept in memory, retry in %d s",
                 g_queue_get_length (&self->unsent), RETRY_SECONDS);
      if (self->retry_id == 0)
        self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);
      return;
    }
  self->sending = TRUE;
  kiosk_rating_sink_enqueue_async (sink, g_queue_peek_head (&self->unsent), self->cancellable, enqueued_cb,
                                   g_object_ref (self));
}

/* ---- recording ------------------------------------------------------------ */

static int
next_sequence (KioskRatingFlow *self)
{
  const char *key = self->event && self->event->case_number ? self->event->case_number : "";
  int count = GPOINTER_TO_INT (g_hash_table_lookup (self->case_counts, key));
  int seq = self->event && self->event->sequence > 0 ? self->event->sequence : count + 1;

  g_hash_table_replace (self->case_counts, g_strdup (key), GINT_TO_POINTER (MAX (seq, count)));
  return seq;
}

static void
record (KioskRatingFlow *self, KioskRatingLevel level, KioskRatingSource source)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GPtrArray) codes = g_ptr_array_new ();
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  KioskRatingRecord *r = g_new0 (KioskRatingRecord, 1);
  const KioskServiceEvent *e = self->event;

  r->case_number = g_strdup (e ? e->case_number : NULL);
  r->item_code = g_strdup (e ? e->item_code : NULL);
  r->kind = g_strdup (e ? e->kind : NULL);
  if (e && e->channel >= 0)
    r->channel = e->channel;
  else
    r->channel = source == KIOSK_RATING_SOURCE_PAD ? self->pad_channel : self->channel;
  r->time = kiosk_rating_format_time (now);
  r->sequence = next_sequence (self);
  r->level = level;
  r->source = source;
  if (kiosk_rating_level_is_bad (level))
    for (guint i = 0; i < self->reason_texts->len; i++)
      if (self->selected[i])
        {
          g_ptr_array_add (codes, self->reason_codes->pdata[i]);
          g_ptr_array_add (texts, self->reason_texts->pdata[i]);
        }
  g_ptr_array_add (codes, NULL);
  g_ptr_array_add (texts, NULL);
  r->reason_codes = g_strdupv ((char **) codes->pdata);
  r->reasons = g_strdupv ((char **) texts->pdata);
  if (kiosk_rating_level_is_bad (level))
    {
      r->text = g_strdup (self->text);
      r->phone = self->anonymous ? NULL : g_strdup (self->phone);
    }
  r->anonymous = self->anonymous;
  r->region_code = g_strdup (self->region_code);
  r->proxy = e ? e->proxy : FALSE;
  r->agent_id = g_strdup (e ? e->agent_id : NULL);
  r->rater_id_number = self->anonymous || e == NULL ? NULL : g_strdup (e->rater_id_number);

  g_clear_pointer (&self->record, kiosk_rating_record_free);
  self->record = r;

  /* The technician's line: no rater, phone or text (personal). */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "RATING_LEVEL", kiosk_rating_level_to_string (level), "MESSAGE",
                    "rating recorded: case %s item %s #%d %s via %s (%s)%s, %u reason(s)",
                    r->case_number ? r->case_number : "-", r->item_code ? r->item_code : "-", r->sequence,
                    kiosk_rating_level_to_string (level), kiosk_rating_source_to_string (source),
                    kiosk_rating_channel_to_string (r->channel), r->proxy ? ", proxy case" : "",
                    g_strv_length (r->reasons));

  json = kiosk_rating_profile_to_json (self->profile, r, &error);
  if (json == NULL)
    {
      /* Keep the rating: report it with the kiosk's own channel code. */
      g_warning ("rating: %s; reporting it on the hall-terminal channel", error->message);
      r->channel = KIOSK_RATING_CHANNEL_HALL_TERMINAL;
      json = kiosk_rating_profile_to_json (self->profile, r, NULL);
    }
  g_queue_push_tail (&self->unsent, g_steal_pointer (&json));

  feedback (self, level == KIOSK_RATING_NOT_RATED ? "off" : "thanks");
  set_state (self, KIOSK_RATING_FLOW_DONE);
  g_signal_emit (self, signals[SIGNAL_RECORDED], 0, r);
  flush (self);
}

static gboolean
any_reason (KioskRatingFlow *self)
{
  for (guint i = 0; i < self->reason_texts->len; i++)
    if (self->selected[i])
      return TRUE;
  return FALSE;
}

/* Closes an open question without an explicit answer (wipe, a new event,
 * the level question's timeout): a chosen level is the resident's answer
 * and is recorded with the reasons, text and (valid) phone given so far;
 * no level is "not rated". */
static void
close_unanswered (KioskRatingFlow *self, const char *why)
{
  if (self->state == KIOSK_RATING_FLOW_REASONS)
    {
      g_info ("rating: %s with a bad level chosen (%s reason): recorded as given", why,
              any_reason (self) ? "with a" : "without a");
      if (self->phone && !kiosk_rating_phone_is_valid (self->phone))
        g_clear_pointer (&self->phone, g_free);
      record (self, self->level, self->source);
    }
  else if (self->state == KIOSK_RATING_FLOW_ASKING)
    {
      g_info ("rating: %s: not rated", why);
      record (self, KIOSK_RATING_NOT_RATED, KIOSK_RATING_SOURCE_NONE);
    }
}

void
kiosk_rating_flow_tick (KioskRatingFlow *self)
{
  g_return_if_fail (KIOSK_IS_RATING_FLOW (self));
  if (self->state != KIOSK_RATING_FLOW_ASKING)
    return;
  set_remaining (self, MAX (self->remaining - 1, 0));
  if (self->remaining == 0)
    close_unanswered (self, "no answer within the timeout");
}

static gboolean
tick_cb (gpointer data)
{
  kiosk_rating_flow_tick (data);
  return G_SOURCE_CONTINUE;
}

static void
activity (KioskRatingFlow *self)
{
  set_remaining (self, self->timeout_seconds);
}

/* ---- intents -------------------------------------------------------------- */

gboolean
kiosk_rating_event_rater_allowed (const KioskServiceEvent *event)
{
  if (event == NULL || event->case_number == NULL)
    return TRUE;
  return kiosk_rating_same_person (event->rater_id_number, event->applicant_id_number);
}

void
kiosk_rating_flow_begin (KioskRatingFlow *self, const KioskServiceEvent *event)
{
  g_return_if_fail (KIOSK_IS_RATING_FLOW (self));

  close_unanswered (self, "a new service event before an answer");
  g_clear_pointer (&self->event, kiosk_service_event_free);
  g_clear_pointer (&self->record, kiosk_rating_record_free);
  clear_answer (self);
  self->event = event ? kiosk_service_event_copy (event) : kiosk_service_event_new (NULL, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
  if (!kiosk_rating_event_rater_allowed (self->event))
    {
      /* Only the case's applicant rates it (issue 13: 9). */
      g_info ("rating: case %s: the rater is not known to be its applicant: not asked", self->event->case_number);
      set_remaining (self, 0);
      set_state (self, KIOSK_RATING_FLOW_NOT_ALLOWED);
      feedback (self, "off");
      return;
    }
  activity (self);
  set_state (self, KIOSK_RATING_FLOW_ASKING);
  feedback (self, "prompt");
}

gboolean
kiosk_rating_flow_choose (KioskRatingFlow *self, KioskRatingLevel level, KioskRatingSource source)
{
  g_return_val_if_fail (KIOSK_IS_RATING_FLOW (self), FALSE);
  g_return_val_if_fail (level >= KIOSK_RATING_VERY_SATISFIED && level <= KIOSK_RATING_VERY_DISSATISFIED, FALSE);

  if (self->state != KIOSK_RATING_FLOW_ASKING)
    {
      g_debug ("rating: %s from %s ignored in state %s", kiosk_rating_level_to_string (level),
               kiosk_rating_source_to_string (source), kiosk_rating_flow_state_to_string (self->state));
      return FALSE;
    }
  self->level = level;
  self->source = source;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
  if (kiosk_rating_level_is_bad (level))
    {
      activity (self);
      set_state (self, KIOSK_RATING_FLOW_REASONS);
      feedback (self, "reason");
      return TRUE;
    }
  record (self, level, source);
  return TRUE;
}

gboolean
kiosk_rating_flow_set_reason_selected (KioskRatingFlow *self, guint index, gboolean selected)
{
  g_return_val_if_fail (KIOSK_IS_RATING_FLOW (self), FALSE);
  if (self->state != KIOSK_RATING_FLOW_REASONS || index >= self->reason_texts->len)
    return FALSE;
  self->selected[index] = !!selected;
  activity (self);
  return TRUE;
}

gboolean
kiosk_rating_flow_set_text (KioskRatingFlow *self, const char *text)
{
  g_return_val_if_fail (KIOSK_IS_RATING_FLOW (self), FALSE);
  if (self->state != KIOSK_RATING_FLOW_REASONS)
    return FALSE;
  g_clear_pointer (&self->text, g_free);
  if (text && *text)
    {
      g_autofree char *copy = g_strstrip (g_strdup (text));
      if (g_utf8_validate (copy, -1, NULL) && *copy)
        self->text = g_utf8_substring (copy, 0, MIN (g_utf8_strlen (copy, -1), self->text_max));
    }
  activity (self);
  return TRUE;
}

gboolean
kiosk_rating_flow_set_phone (KioskRatingFlow *self, const char *phone)
{
  g_return_val_if_fail (KIOSK_IS_RATING_FLOW (self), FALSE);
  if (self->state != KIOSK_RATING_FLOW_REASONS)
    return FALSE;
  g_clear_pointer (&self->phone, g_free);
  if (phone && *phone)
    self->phone = g_strstrip (g_strdup (phone));
  activity (self);
  return TRUE;
}

gboolean
kiosk_rating_flow_set_anonymous (KioskRatingFlow *self, gboolean anonymous, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_RATING_FLOW (self), FALSE);
  if (anonymous && !self->anonymous_allowed)
    {
      g_set_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_NOT_ALLOWED,
                   "anonymous ratings are not allowed here ([rating] anonymous-allowed)");
      return FALSE;
    }
  if (self->state != KIOSK_RATING_FLOW_ASKING && self->state != KIOSK_RATING_FLOW_REASONS)
    {
      g_set_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_STATE, "no rating is open");
      return FALSE;
    }
  if (anonymous && self->event && self->event->case_number)
    {
      /* The platform checks that a case's applicant rated it: a rating of
       * a case names its rater. */
      g_set_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_NOT_ALLOWED,
                   "a rating of a case is not anonymous (only its applicant may rate it)");
      return FALSE;
    }
  self->anonymous = !!anonymous;
  activity (self);
  return TRUE;
}

gboolean
kiosk_rating_flow_submit (KioskRatingFlow *self, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_RATING_FLOW (self), FALSE);
  if (self->state != KIOSK_RATING_FLOW_REASONS)
    {
      g_set_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_STATE, "no bad rating waiting for reasons");
      return FALSE;
    }
  if (!any_reason (self))
    {
      g_set_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_REASON_REQUIRED,
                   "a bad rating needs at least one reason");
      activity (self);
      feedback (self, "reason");
      return FALSE;
    }
  if (self->phone && !self->anonymous && !kiosk_rating_phone_is_valid (self->phone))
    {
      g_set_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_BAD_PHONE,
                   "the contact phone is not a phone number");
      activity (self);
      return FALSE;
    }
  record (self, self->level, self->source);
  return TRUE;
}

gboolean
kiosk_rating_flow_back (KioskRatingFlow *self)
{
  g_return_val_if_fail (KIOSK_IS_RATING_FLOW (self), FALSE);
  if (self->state != KIOSK_RATING_FLOW_REASONS)
    return FALSE;
  clear_answer (self);
  activity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
  set_state (self, KIOSK_RATING_FLOW_ASKING);
  feedback (self, "prompt");
  return TRUE;
}

void
kiosk_rating_flow_abandon (KioskRatingFlow *self)
{
  g_return_if_fail (KIOSK_IS_RATING_FLOW (self));
  close_unanswered (self, "session ended before an answer");
  g_clear_pointer (&self->event, kiosk_service_event_free);
  g_clear_pointer (&self->record, kiosk_rating_record_free);
  clear_answer (self);
  set_remaining (self, 0);
  set_state (self, KIOSK_RATING_FLOW_IDLE);
}

static void
pad_key_cb (KioskPadDevice *pad, guint key, KioskRatingFlow *self)
{
  if (kiosk_pad_key_is_level (key))
    kiosk_rating_flow_choose (self, (KioskRatingLevel) key, KIOSK_RATING_SOURCE_PAD);
  else if (key == KIOSK_PAD_KEY_CONFIRM && self->state == KIOSK_RATING_FLOW_REASONS)
    kiosk_rating_flow_submit (self, NULL);
  else if (key == KIOSK_PAD_KEY_CANCEL)
    kiosk_rating_flow_back (self);
}

void
kiosk_rating_flow_attach_pad (KioskRatingFlow *self, KioskDevice *device)
{
  KioskPadDevice *pad = device ? kiosk_pad_device_from_device (device) : NULL;

  g_return_if_fail (KIOSK_IS_RATING_FLOW (self));
  if (self->pad)
    {
      g_clear_signal_handler (&self->pad_key_id, self->pad);
      g_clear_object (&self->pad);
    }
  if (pad == NULL)
    return;
  self->pad = g_object_ref (pad);
  self->pad_key_id = g_signal_connect (pad, "key", G_CALLBACK (pad_key_cb), self);
}

void
kiosk_rating_flow_set_sink (KioskRatingFlow *self, KioskRatingSink *sink)
{
  g_return_if_fail (KIOSK_IS_RATING_FLOW (self));
  g_set_object (&self->sink, sink);
  flush (self);
}

void
kiosk_rating_flow_set_manual_clock (KioskRatingFlow *self, gboolean manual)
{
  self->manual_clock = manual;
  update_timer (self);
}

/* ---- accessors ------------------------------------------------------------ */

KioskRatingProfile *
kiosk_rating_flow_get_profile (KioskRatingFlow *self)
{
  return self->profile;
}

KioskRatingFlowState
kiosk_rating_flow_get_state (KioskRatingFlow *self)
{
  return self->state;
}

KioskRatingLevel
kiosk_rating_flow_get_level (KioskRatingFlow *self)
{
  return self->level;
}

const KioskServiceEvent *
kiosk_rating_flow_get_event (KioskRatingFlow *self)
{
  return self->event;
}

int
kiosk_rating_flow_get_remaining (KioskRatingFlow *self)
{
  return self->remaining;
}

gboolean
kiosk_rating_flow_get_anonymous_allowed (KioskRatingFlow *self)
{
  return self->anonymous_allowed && !(self->event && self->event->case_number);
}

guint
kiosk_rating_flow_get_n_reasons (KioskRatingFlow *self)
{
  return self->reason_texts->len;
}

const char *
kiosk_rating_flow_get_reason (KioskRatingFlow *self, guint index)
{
  g_return_val_if_fail (index < self->reason_texts->len, NULL);
  return self->reason_texts->pdata[index];
}

gboolean
kiosk_rating_flow_get_reason_selected (KioskRatingFlow *self, guint index)
{
  g_return_val_if_fail (index < self->reason_texts->len, FALSE);
  return self->selected[index];
}

const KioskRatingRecord *
kiosk_rating_flow_get_record (KioskRatingFlow *self)
{
  return self->record;
}

guint
kiosk_rating_flow_get_unsent (KioskRatingFlow *self)
{
  return g_queue_get_length (&self->unsent);
}

/* ---- GObject -------------------------------------------------------------- */

static void
kiosk_rating_flow_dispose (GObject *object)
{
  KioskRatingFlow *self = KIOSK_RATING_FLOW (object);

  if (!g_queue_is_empty (&self->unsent))
    g_warning ("rating flow going away with %u rating(s) not stored", g_queue_get_length (&self->unsent));
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  kiosk_rating_flow_attach_pad (self, NULL);
  g_clear_object (&self->sink);
  G_OBJECT_CLASS (kiosk_rating_flow_parent_class)->dispose (object);
}

static void
kiosk_rating_flow_finalize (GObject *object)
{
  KioskRatingFlow *self = KIOSK_RATING_FLOW (object);

  g_clear_pointer (&self->profile, kiosk_rating_profile_free);
  g_ptr_array_unref (self->reason_codes);
  g_ptr_array_unref (self->reason_texts);
  g_free (self->selected);
  g_free (self->region_code);
  g_clear_pointer (&self->event, kiosk_service_event_free);
  g_clear_pointer (&self->record, kiosk_rating_record_free);
  g_free (self->text);
  g_free (self->phone);
  g_hash_table_unref (self->case_counts);
  g_queue_clear_full (&self->unsent, g_free);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (kiosk_rating_flow_parent_class)->finalize (object);
}

static void
kiosk_rating_flow_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskRatingFlow *self = KIOSK_RATING_FLOW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_REMAINING:
      g_value_set_int (value, self->remaining);
      break;
    case PROP_LEVEL:
      g_value_set_int (value, self->level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_rating_flow_class_init (KioskRatingFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_rating_flow_dispose;
  object_class->finalize = kiosk_rating_flow_finalize;
  object_class->get_property = kiosk_rating_flow_get_property;

  properties[PROP_STATE]
      = g_param_spec_int ("state", NULL, NULL, KIOSK_RATING_FLOW_IDLE, KIOSK_RATING_FLOW_NOT_ALLOWED,
                          KIOSK_RATING_FLOW_IDLE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMAINING] = g_param_spec_int ("remaining", NULL, NULL, 0, G_MAXINT, 0,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEVEL]
      = g_param_spec_int ("level", NULL, NULL, KIOSK_RATING_NOT_RATED, KIOSK_RATING_VERY_DISSATISFIED,
                          KIOSK_RATING_NOT_RATED, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* One per service event, after the record is made (also "not rated"). */
  signals[SIGNAL_RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 1, KIOSK_TYPE_RATING_RECORD | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
kiosk_rating_flow_init (KioskRatingFlow *self)
{
  self->reason_codes = g_ptr_array_new_with_free_func (g_free);
  self->reason_texts = g_ptr_array_new_with_free_func (g_free);
  self->case_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->unsent);
}

KioskRatingFlow *
kiosk_rating_flow_new (KioskConfig *config, GError **error)
{
  g_autoptr (KioskRatingFlow) self = g_object_new (KIOSK_TYPE_RATING_FLOW, NULL);
  g_autofree char *profile = kiosk_config_get_path_value (config, "rating", "profile");
  g_autofree char *channel = kiosk_config_get_string (config, "rating", "channel");
  g_autofree char *pad_channel = kiosk_config_get_string (config, "rating", "pad-channel");
  g_auto (GStrv) reasons = kiosk_config_get_list (config, "rating", "reasons");

  if (profile && *profile)
    {
      self->profile = kiosk_rating_profile_load (profile, error);
      if (self->profile == NULL)
        return NULL;
    }
  else
    self->profile = kiosk_rating_profile_new_default ();

  self->timeout_seconds = kiosk_config_get_int (config, "rating", "timeout-seconds");
  self->anonymous_allowed = kiosk_config_get_bool (config, "rating", "anonymous-allowed");
  self->text_max = kiosk_config_get_int (config, "rating", "text-max-chars");
  self->channel = (KioskRatingChannel) MAX (kiosk_rating_channel_from_string (channel), 0);
  self->pad_channel = (KioskRatingChannel) MAX (kiosk_rating_channel_from_string (pad_channel), 0);
  self->region_code = kiosk_config_get_string (config, "kiosk", "region-code");

  for (char **r = reasons; r && *r; r++)
    {
      g_autofree char *entry = g_strstrip (g_strdup (*r));
      char *colon = strchr (entry, ':');
      char *code, *text;

      if (*entry == '\0')
        continue;
      if (colon)
        {
          *colon = '\0';
          code = g_strstrip (entry);
          text = g_strstrip (colon + 1);
        }
      else
        {
          code = NULL;
          text = entry;
        }
      if (*text == '\0' || (code && *code == '\0'))
        {
          g_set_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_CONFIG,
                       "[rating] reasons: entry '%s' is not CODE:TEXT or TEXT", *r);
          return NULL;
        }
      g_ptr_array_add (self->reason_codes,
                       code ? g_strdup (code) : g_strdup_printf ("%u", self->reason_codes->len + 1));
      g_ptr_array_add (self->reason_texts, g_strdup (text));
    }
  if (self->reason_texts->len == 0)
    {
      g_set_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_CONFIG,
                   "[rating] reasons is empty: a bad rating needs reasons to choose from");
      return NULL;
    }
  self->selected = g_new0 (gboolean, self->reason_texts->len);
  return g_steal_pointer (&self);
}
