/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-progress"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "kiosk-core.h"
#include "kiosk-domain-codec.h"
#include "kiosk-progress-journey.h"
#include "kiosk-receipt-data.h"
#include "kiosk-store.h"
#include "kiosk-sync.h"

struct _KioskProgressJourney {
  KioskJourney parent_instance;
  KioskCore *core; /* weak: the core owns the session that owns us */
  KioskProgressState state;
  KioskProgressCase *found;
  char *item_name;
  KioskProgressOrigin origin;
  char *number;
  char *draft; /* typed, not yet queried */
  KioskProgressScanNotice scan_notice;
  GCancellable *cancellable;
  /* 我的办件 */
  KioskProgressMineState mine_state;
  GPtrArray *mine;        /* KioskProgressCase */
  GHashTable *mine_names; /* item code -> catalog name */
  gboolean mine_offline;  /* the list is this kiosk's own copy */
  GCancellable *mine_cancellable;
  GHashTable *held; /* provisional numbers of the resident's cases held here */
  /* 重新打印回执 */
  KioskProgressReprintState reprint_state;
  char *reprint_number; /* provisional */
  const char *reprint_message;
  char *reprint_printer_message;
  GPtrArray *reprint_docs; /* document ids sent, not yet confirmed */
  guint reprints_printed;
  GCancellable *reprint_cancellable;
};

/* Why the resident asked: in the print record (no personal data). */
#define REPRINT_REASON "补打：申请人在进度查询中重新打印"

G_DEFINE_FINAL_TYPE (KioskProgressJourney, kiosk_progress_journey, KIOSK_TYPE_JOURNEY)

G_DEFINE_QUARK (kiosk - progress - journey - error - quark, kiosk_progress_journey_error)

enum { PROP_0, PROP_STATE, PROP_NUMBER, PROP_SCAN_NOTICE, PROP_MINE_STATE, PROP_REPRINT_STATE, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ---- the page's copies of the store's and the platform's answers -------- */

static void
progress_step_free (KioskProgressStep *st)
{
  g_free (st->status);
  g_free (st->status_text);
  g_free (st);
}

static void
progress_owed_free (KioskProgressOwed *m)
{
  g_free (m->name);
  g_free (m->due);
  g_free (m);
}

static void
progress_case_free (KioskProgressCase *c)
{
  if (c == NULL)
    return;
  g_free (c->provisional_number);
  g_free (c->official_number);
  g_free (c->item_code);
  g_free (c->status);
  g_free (c->status_text);
  g_free (c->due_date);
  g_clear_pointer (&c->steps, g_ptr_array_unref);
  g_clear_pointer (&c->owed, g_ptr_array_unref);
  g_free (c);
}

static KioskProgressCase *
progress_case_new (const KioskCaseInfo *info)
{
  KioskProgressCase *c = g_new0 (KioskProgressCase, 1);

  c->provisional_number = g_strdup (info->provisional_number);
  c->official_number = g_strdup (info->official_number);
  c->item_code = g_strdup (info->item_code);
  switch (info->sync_state)
    {
    case KIOSK_CASE_QUEUED:
      c->sync_state = KIOSK_PROGRESS_CASE_QUEUED;
      break;
    case KIOSK_CASE_REJECTED:
      c->sync_state = KIOSK_PROGRESS_CASE_REJECTED;
      break;
    case KIOSK_CASE_SUBMITTED:
    default:
      c->sync_state = KIOSK_PROGRESS_CASE_SUBMITTED;
      break;
    }
  c->status = g_strdup (info->status);
  c->status_text = g_strdup (info->status_text);
  c->created_at = info->created_at;
  c->due_date = g_strdup (info->due_date);
  c->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) progress_step_free);
  c->owed = g_ptr_array_new_with_free_func ((GDestroyNotify) progress_owed_free);
  return c;
}

static KioskProgressCase *
progress_case_new_from_applicant (const KioskApplicantCase *ac)
{
  KioskProgressCase *c = progress_case_new (ac->info);

  c->late = ac->late;
  for (guint i = 0; ac->steps && i < ac->steps->len; i++)
    {
      const KioskCaseStep *src = ac->steps->pdata[i];
      KioskProgressStep *st = g_new0 (KioskProgressStep, 1);
      st->status = g_strdup (src->status);
      st->status_text = g_strdup (src->status_text);
      st->at = src->at;
      g_ptr_array_add (c->steps, st);
    }
  for (guint i = 0; ac->owed && i < ac->owed->len; i++)
    {
      const KioskOwedMaterial *src = ac->owed->pdata[i];
      KioskProgressOwed *m = g_new0 (KioskProgressOwed, 1);
      m->name = g_strdup (src->name);
      m->due = g_strdup (src->due);
      g_ptr_array_add (c->owed, m);
    }
  return c;
}

static void
origin_from (KioskProgressOrigin *out, const KioskCaseStatusOrigin *in)
{
  out->source
      = in->source == KIOSK_CASE_STATUS_PLATFORM ? KIOSK_PROGRESS_FROM_PLATFORM : KIOSK_PROGRESS_FROM_LOCAL_COPY;
  out->platform_reached = in->platform_reached;
  out->as_of = in->as_of;
  out->retry_seconds = in->retry_seconds;
}

char *
kiosk_progress_normalise_number (const char *text)
{
  g_autofree char *s = NULL;
  const char *p;

  if (text == NULL)
    return NULL;
  s = g_strstrip (g_strdup (text));
  /* A QR code may carry a URL: ...?case=NUMBER&... */
  p = strstr (s, "case=");
  if (p != NULL)
    {
      g_autofree char *v = g_strdup (p + 5);
      char *amp = strchr (v, '&');
      if (amp)
        *amp = '\0';
      g_free (s);
      s = g_uri_unescape_string (v, NULL);
      if (s == NULL)
        return NULL;
      g_strstrip (s);
    }
  if (*s == '\0' || strlen (s) > 50)
    return NULL;
  for (char *c = s; *c; c++)
    {
      if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
        return NULL;
      *c = g_ascii_toupper (*c);
    }
  return g_steal_pointer (&s);
}

static void
set_state (KioskProgressJourney *self, KioskProgressState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
clear_result (KioskProgressJourney *self)
{
  g_clear_pointer (&self->found, progress_case_free);
  g_clear_pointer (&self->item_name, g_free);
  memset (&self->origin, 0, sizeof self->origin);
}

static void
set_scan_notice (KioskProgressJourney *self, KioskProgressScanNotice notice)
{
  if (self->scan_notice == notice)
    return;
  self->scan_notice = notice;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCAN_NOTICE]);
}

typedef struct {
  char *number;
  KioskStore *store;
  KioskSync *sync;
  KioskCaseInfo *info;
  char *item_name;
  KioskCaseStatusOrigin origin;
} Query;

static void
query_free (Query *q)
{
  g_free (q->number);
  g_clear_object (&q->store);
  g_clear_object (&q->sync);
  g_clear_pointer (&q->info, kiosk_case_info_free);
  g_free (q->item_name);
  g_free (q);
}

static char *
item_name_for (KioskStore *store, const char *code)
{
  g_autofree char *json = NULL;
  g_autoptr (JsonNode) node = NULL;

  if (code == NULL)
    return NULL;
  json = kiosk_store_get_catalog_item (store, code, NULL);
  node = json ? json_from_string (json, NULL) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (node), "name", NULL));
}

static void
query_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Query *q = data;
  g_autoptr (GError) error = NULL;

  if (q->sync)
    q->info = kiosk_sync_query_case_status (q->sync, q->number, &q->origin, cancellable, &error);
  else
    {
      /* No platform configured: the kiosk's own copy, said so. */
      q->info = kiosk_store_find_case (q->store, q->number, &error);
      q->origin.source = KIOSK_CASE_STATUS_LOCAL_COPY;
      if (q->info)
        q->origin.as_of = q->info->status_updated_at ? q->info->status_updated_at
                          : q->info->acknowledged_at ? q->info->acknowledged_at
                                                     : q->info->created_at;
    }
  if (q->info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  q->item_name = item_name_for (q->store, q->info->item_code);
  g_task_return_boolean (task, TRUE);
}

static void
query_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskProgressJourney *self = KIOSK_PROGRESS_JOURNEY (source);
  Query *q = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_info ("progress query: %s", error->message);
      origin_from (&self->origin, &q->origin);
      if (g_error_matches (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_NOT_FOUND)
          && (q->sync == NULL || q->origin.platform_reached))
        set_state (self, KIOSK_PROGRESS_NOT_FOUND);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
        set_state (self, KIOSK_PROGRESS_UNREACHABLE);
      else
        set_state (self, KIOSK_PROGRESS_ERROR);
      return;
    }
  clear_result (self);
  self->found = progress_case_new (q->info);
  self->item_name = g_steal_pointer (&q->item_name);
  origin_from (&self->origin, &q->origin);
  set_state (self, KIOSK_PROGRESS_FOUND);
}

void
kiosk_progress_journey_query (KioskProgressJourney *self, const char *text)
{
  g_autofree char *number = kiosk_progress_normalise_number (text);
  KioskStore *store = kiosk_core_get_store (self->core);
  g_autoptr (GTask) task = NULL;
  Query *q;

  g_return_if_fail (KIOSK_IS_PROGRESS_JOURNEY (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_result (self);
  g_clear_pointer (&self->draft, g_free);
  set_scan_notice (self, KIOSK_PROGRESS_SCAN_NONE);
  if (g_strcmp0 (self->number, number) != 0)
    {
      g_free (self->number);
      self->number = g_strdup (number);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
    }
  if (number == NULL)
    {
      set_state (self, KIOSK_PROGRESS_INVALID);
      return;
    }
  if (store == NULL)
    {
      set_state (self, KIOSK_PROGRESS_ERROR);
      return;
    }
  q = g_new0 (Query, 1);
  q->number = g_steal_pointer (&number);
  q->store = g_object_ref (store);
  if (kiosk_core_get_sync (self->core))
    q->sync = g_object_ref (kiosk_core_get_sync (self->core));
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, query_done_cb, NULL);
  g_task_set_task_data (task, q, (GDestroyNotify) query_free);
  set_state (self, KIOSK_PROGRESS_QUERYING);
  g_task_run_in_thread (task, query_thread);
}

void
kiosk_progress_journey_scanned (KioskProgressJourney *self, const char *text)
{
  g_autofree char *number = kiosk_progress_normalise_number (text);

  g_return_if_fail (KIOSK_IS_PROGRESS_JOURNEY (self));
  if (number == NULL)
    {
      /* Said on screen, whatever is shown stays. */
      g_info ("scanned code is not a case number");
      set_scan_notice (self, KIOSK_PROGRESS_SCAN_FOREIGN);
      return;
    }
  /* The camera reads the same code many times a second: once is enough. */
  if (g_strcmp0 (number, self->number) == 0 && self->state != KIOSK_PROGRESS_IDLE)
    return;
  /* A receipt left on the mat never replaces what someone is typing. */
  if (self->draft != NULL)
    {
      set_scan_notice (self, KIOSK_PROGRESS_SCAN_HELD_BACK);
      return;
    }
  kiosk_progress_journey_query (self, number);
}

void
kiosk_progress_journey_set_draft (KioskProgressJourney *self, const char *typed)
{
  g_autofree char *t = g_strstrip (g_strdup (typed ? typed : ""));

  g_return_if_fail (KIOSK_IS_PROGRESS_JOURNEY (self));
  g_clear_pointer (&self->draft, g_free);
  /* The number last queried, shown back in the field, is no draft. */
  if (*t != '\0' && g_ascii_strcasecmp (t, self->number ? self->number : "") != 0)
    self->draft = g_steal_pointer (&t);
  else if (self->scan_notice == KIOSK_PROGRESS_SCAN_HELD_BACK)
    set_scan_notice (self, KIOSK_PROGRESS_SCAN_NONE);
}

KioskProgressScanNotice
kiosk_progress_journey_get_scan_notice (KioskProgressJourney *self)
{
  return self->scan_notice;
}

const KioskProgressOrigin *
kiosk_progress_journey_get_origin (KioskProgressJourney *self)
{
  return &self->origin;
}

const char *
kiosk_progress_journey_get_number (KioskProgressJourney *self)
{
  return self->number;
}

KioskProgressState
kiosk_progress_journey_get_state (KioskProgressJourney *self)
{
  return self->state;
}

const KioskProgressCase *
kiosk_progress_journey_get_case (KioskProgressJourney *self)
{
  return self->state == KIOSK_PROGRESS_FOUND ? self->found : NULL;
}

const char *
kiosk_progress_journey_get_item_name (KioskProgressJourney *self)
{
  return self->item_name;
}

gboolean
kiosk_progress_journey_get_offline (KioskProgressJourney *self)
{
  return self->state == KIOSK_PROGRESS_FOUND && self->origin.source == KIOSK_PROGRESS_FROM_LOCAL_COPY
         && !self->origin.platform_reached;
}

/* ---- 我的办件 ------------------------------------------------------------- */

typedef struct {
  char *id_number; /* personal: overwritten when freed */
  KioskStore *store;
  KioskSync *sync;
  GPtrArray *cases;
  gboolean offline; /* the platform unreachable: the cases held here */
  GHashTable *names;
  GHashTable *held; /* provisional numbers of their cases held here */
} MineQuery;

static void
mine_query_free (MineQuery *q)
{
  if (q->id_number)
    explicit_bzero (q->id_number, strlen (q->id_number));
  g_free (q->id_number);
  g_clear_object (&q->store);
  g_clear_object (&q->sync);
  g_clear_pointer (&q->cases, g_ptr_array_unref);
  g_clear_pointer (&q->names, g_hash_table_unref);
  g_clear_pointer (&q->held, g_hash_table_unref);
  g_free (q);
}

static void
mine_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  MineQuery *q = data;
  GError *error = NULL;
  g_autoptr (GPtrArray) held = kiosk_store_find_cases_of_applicant (q->store, q->id_number, NULL);

  /* Their cases handed in here: those whose receipt this kiosk can print
   * again (the store's own applicant, not what anyone typed). */
  q->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; held && i < held->len; i++)
    {
      const KioskCaseInfo *info = held->pdata[i];
      if (info->provisional_number)
        g_hash_table_add (q->held, g_strdup (info->provisional_number));
    }
  if (q->sync == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "no platform configured");
      return;
    }
  q->cases = kiosk_sync_list_cases_of_applicant (q->sync, q->id_number, &q->offline, cancellable, &error);
  if (q->cases == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  q->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < q->cases->len; i++)
    {
      const char *code = ((KioskApplicantCase *) q->cases->pdata[i])->info->item_code;
      char *name;
      if (code == NULL || g_hash_table_contains (q->names, code))
        continue;
      name = item_name_for (q->store, code);
      if (name)
        g_hash_table_insert (q->names, g_strdup (code), name);
    }
  g_task_return_boolean (task, TRUE);
}

static void
set_mine_state (KioskProgressJourney *self, KioskProgressMineState state)
{
  if (self->mine_state == state)
    return;
  self->mine_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINE_STATE]);
}

static void
mine_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskProgressJourney *self = KIOSK_PROGRESS_JOURNEY (source);
  MineQuery *q = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_pointer (&self->held, g_hash_table_unref);
  self->held = g_steal_pointer (&q->held);
  if (error != NULL)
    {
      g_info ("my cases: %s", error->message);
      set_mine_state (self, KIOSK_PROGRESS_MINE_UNREACHABLE);
      return;
    }
  g_clear_pointer (&self->mine, g_ptr_array_unref);
  g_clear_pointer (&self->mine_names, g_hash_table_unref);
  self->mine = g_ptr_array_new_with_free_func ((GDestroyNotify) progress_case_free);
  for (guint i = 0; i < q->cases->len; i++)
    g_ptr_array_add (self->mine, progress_case_new_from_applicant (q->cases->pdata[i]));
  self->mine_names = g_steal_pointer (&q->names);
  self->mine_offline = q->offline;
  set_mine_state (self, KIOSK_PROGRESS_MINE_READY);
}

static void
mine_reset (KioskProgressJourney *self)
{
  g_cancellable_cancel (self->mine_cancellable);
  g_clear_object (&self->mine_cancellable);
  g_clear_pointer (&self->mine, g_ptr_array_unref);
  g_clear_pointer (&self->mine_names, g_hash_table_unref);
  g_clear_pointer (&self->held, g_hash_table_unref);
  set_mine_state (self, KIOSK_PROGRESS_MINE_NONE);
}

/* Lists the identified resident's cases at once (nothing for anonymous). */
static void
mine_start (KioskProgressJourney *self)
{
  KioskSession *session = self->core ? kiosk_core_get_session (self->core) : NULL;
  const KioskIdentity *who = session ? kiosk_session_get_identity (session) : NULL;
  KioskStore *store = self->core ? kiosk_core_get_store (self->core) : NULL;
  KioskSync *sync = self->core ? kiosk_core_get_sync (self->core) : NULL;
  g_autoptr (GTask) task = NULL;
  MineQuery *q;

  mine_reset (self);
  if (who == NULL || who->id_number == NULL || *who->id_number == '\0')
    return;
  if (store == NULL)
    {
      set_mine_state (self, KIOSK_PROGRESS_MINE_UNREACHABLE);
      return;
    }
  q = g_new0 (MineQuery, 1);
  q->id_number = g_strdup (who->id_number);
  q->store = g_object_ref (store);
  q->sync = sync ? g_object_ref (sync) : NULL;
  self->mine_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->mine_cancellable, mine_done_cb, NULL);
  g_task_set_task_data (task, q, (GDestroyNotify) mine_query_free);
  set_mine_state (self, KIOSK_PROGRESS_MINE_LOADING);
  g_task_run_in_thread (task, mine_thread);
}

KioskProgressMineState
kiosk_progress_journey_get_mine_state (KioskProgressJourney *self)
{
  return self->mine_state;
}

GPtrArray *
kiosk_progress_journey_get_my_cases (KioskProgressJourney *self)
{
  return self->mine_state == KIOSK_PROGRESS_MINE_READY ? self->mine : NULL;
}

/* Whether @number is one of the cases the platform listed as the
 * identified resident's own (我的办件). */
static gboolean
is_my_case (KioskProgressJourney *self, const char *number)
{
  GPtrArray *mine = kiosk_progress_journey_get_my_cases (self);

  for (guint i = 0; mine && number && i < mine->len; i++)
    {
      const KioskProgressCase *c = mine->pdata[i];
      if (g_strcmp0 (c->official_number, number) == 0 || g_strcmp0 (c->provisional_number, number) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
kiosk_progress_journey_get_mine_offline (KioskProgressJourney *self)
{
  return self->mine_state == KIOSK_PROGRESS_MINE_READY && self->mine_offline;
}

KioskServiceEvent *
kiosk_progress_journey_make_event (KioskProgressJourney *self)
{
  KioskSession *session = self->core ? kiosk_core_get_session (self->core) : NULL;
  const KioskIdentity *who = session ? kiosk_session_get_identity (session) : NULL;
  const KioskProgressCase *c = kiosk_progress_journey_get_case (self);
  KioskServiceEvent *event;

  if (c == NULL)
    return NULL;
  event = kiosk_service_event_new (c->official_number ? c->official_number : c->provisional_number, c->item_code,
                                   "progress");
  /* Only the applicant rates a case (issue 13: 9): the kiosk knows the
   * resident is the applicant when the platform listed the case among
   * theirs; otherwise the rating page says who may rate it. */
  if (who && who->id_number && (is_my_case (self, c->official_number) || is_my_case (self, c->provisional_number)))
    event->applicant_id_number = g_strdup (who->id_number);
  return event;
}

const char *
kiosk_progress_journey_get_mine_item_name (KioskProgressJourney *self, const char *code)
{
  return self->mine_names && code ? g_hash_table_lookup (self->mine_names, code) : NULL;
}

/* ---- 重新打印回执 (补打) ------------------------------------------------------ */

static void
set_reprint_state (KioskProgressJourney *self, KioskProgressReprintState state)
{
  if (self->reprint_state == state)
    return;
  self->reprint_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPRINT_STATE]);
}

static void
reprint_reset (KioskProgressJourney *self)
{
  g_cancellable_cancel (self->reprint_cancellable);
  g_clear_object (&self->reprint_cancellable);
  g_clear_pointer (&self->reprint_number, g_free);
  g_clear_pointer (&self->reprint_printer_message, g_free);
  g_clear_pointer (&self->reprint_docs, g_ptr_array_unref);
  self->reprint_message = NULL;
  set_reprint_state (self, KIOSK_PROGRESS_REPRINT_IDLE);
}

/* The identified resident's own case, handed in here: its provisional
 * number is among those the store holds under their ID number. */
static const char *
held_number (KioskProgressJourney *self, const KioskProgressCase *c)
{
  KioskSession *session = self->core ? kiosk_core_get_session (self->core) : NULL;
  const KioskIdentity *who = session ? kiosk_session_get_identity (session) : NULL;

  if (c == NULL || who == NULL || who->id_number == NULL || self->held == NULL || c->provisional_number == NULL)
    return NULL;
  return g_hash_table_contains (self->held, c->provisional_number) ? c->provisional_number : NULL;
}

gboolean
kiosk_progress_journey_can_reprint (KioskProgressJourney *self, const KioskProgressCase *c)
{
  g_return_val_if_fail (KIOSK_IS_PROGRESS_JOURNEY (self), FALSE);
  return held_number (self, c) != NULL;
}

/* The case @number among those shown (the one found, 我的办件). */
static const KioskProgressCase *
shown_case (KioskProgressJourney *self, const char *number)
{
  const KioskProgressCase *found = kiosk_progress_journey_get_case (self);
  GPtrArray *mine = kiosk_progress_journey_get_my_cases (self);

  if (found && (g_strcmp0 (found->provisional_number, number) == 0 || g_strcmp0 (found->official_number, number) == 0))
    return found;
  for (guint i = 0; mine && i < mine->len; i++)
    {
      const KioskProgressCase *c = mine->pdata[i];
      if (g_strcmp0 (c->provisional_number, number) == 0 || g_strcmp0 (c->official_number, number) == 0)
        return c;
    }
  return NULL;
}

typedef struct {
  KioskStore *store;
  char *number;          /* provisional */
  char *official_number; /* the platform's, as shown (the store's wins) */
  char *id_number;       /* personal: overwritten when freed */
  char *station;
  char *office_phone;
  JsonObject *receipt;
  JsonObject *notice; /* NULL: nothing owed */
  char *case_number;  /* what is printed */
} Reprint;

static void
reprint_free (Reprint *r)
{
  g_clear_object (&r->store);
  g_free (r->number);
  g_free (r->official_number);
  kiosk_secure_free (r->id_number);
  g_free (r->station);
  g_free (r->office_phone);
  g_clear_pointer (&r->receipt, json_object_unref);
  g_clear_pointer (&r->notice, json_object_unref);
  g_free (r->case_number);
  g_free (r);
}

/* The case as handed in, read back from the store with its catalog item:
 * the receipt's data as 自助申报 printed it, the number updated. */
static void
reprint_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Reprint *r = data;
  GError *error = NULL;
  g_autoptr (KioskCaseInfo) info = kiosk_store_find_case (r->store, r->number, &error);
  g_autofree char *json = NULL;
  g_autofree char *item_json = NULL;
  g_autoptr (KioskCatalogItem) item = NULL;
  g_autoptr (KioskCaseDraft) draft = NULL;
  g_autoptr (GDateTime) accepted_at = NULL;
  const KioskIdentity *applicant;
  KioskReceiptContext ctx = { 0 };

  if (info == NULL || (json = kiosk_store_get_case_json (r->store, info->id, &error)) == NULL)
    {
      g_task_return_new_error (task, KIOSK_PROGRESS_JOURNEY_ERROR, KIOSK_PROGRESS_JOURNEY_ERROR_NOT_HELD,
                               "case not readable: %s", error ? error->message : "purged");
      g_clear_error (&error);
      return;
    }
  item_json = kiosk_store_get_catalog_item (r->store, info->item_code, &error);
  item = item_json ? kiosk_catalog_item_decode (item_json, strlen (item_json), &error) : NULL;
  draft = item ? kiosk_case_draft_decode (item, json, strlen (json), &error) : NULL;
  explicit_bzero (json, strlen (json));
  if (draft == NULL)
    {
      g_task_return_new_error (task, KIOSK_PROGRESS_JOURNEY_ERROR, KIOSK_PROGRESS_JOURNEY_ERROR_NOT_HELD,
                               "the case's item or data cannot be read: %s", error ? error->message : "?");
      g_clear_error (&error);
      return;
    }
  /* Checked again on the case itself: only its applicant gets its receipt. */
  applicant = kiosk_case_draft_get_applicant (draft);
  if (applicant == NULL || applicant->id_number == NULL || g_ascii_strcasecmp (applicant->id_number, r->id_number) != 0)
    {
      g_task_return_new_error (task, KIOSK_PROGRESS_JOURNEY_ERROR, KIOSK_PROGRESS_JOURNEY_ERROR_NOT_APPLICANT,
                               "not the applicant of this case");
      return;
    }
  accepted_at = g_date_time_new_from_unix_local (info->created_at / G_USEC_PER_SEC);
  if (info->official_number == NULL && r->official_number != NULL)
    info->official_number = g_strdup (r->official_number);
  ctx.case_number = info->official_number ? info->official_number : info->provisional_number;
  ctx.provisional = info->official_number == NULL;
  ctx.station = r->station;
  ctx.office_phone = r->office_phone;
  ctx.accepted_at = accepted_at;
  r->case_number = g_strdup (ctx.case_number);
  r->receipt = kiosk_receipt_data_new (draft, &ctx);
  r->notice = kiosk_deferral_notice_data_new (draft, &ctx);
  g_task_return_boolean (task, TRUE);
}

static void
reprint_prepared_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskProgressJourney *self = KIOSK_PROGRESS_JOURNEY (source);
  Reprint *r = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  static const char *const templates[] = { "receipt", "deferral-notice" };

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_info ("reprint: %s", error->message);
      self->reprint_message = N_ ("The receipt of this case cannot be printed here. Please ask the staff.");
      set_reprint_state (self, KIOSK_PROGRESS_REPRINT_FAILED);
      return;
    }
  self->reprint_docs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    if ((i == 0 ? r->receipt : r->notice) != NULL)
      /* The document ids 自助申报 printed them under: the ledger links the
       * reprint to the first print. */
      g_ptr_array_add (self->reprint_docs, g_strdup_printf ("%s:%s", templates[i], r->number));
  set_reprint_state (self, KIOSK_PROGRESS_REPRINT_PRINTING);
  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      JsonObject *doc = i == 0 ? r->receipt : r->notice;
      g_autofree char *id = g_strdup_printf ("%s:%s", templates[i], r->number);
      if (doc == NULL)
        continue;
      /* Not cancelled by the wipe: a job on the printer finishes. */
      kiosk_core_journey_reprint (self->core, KIOSK_JOURNEY (self), templates[i], doc, id, REPRINT_REASON, NULL);
      /* A failure reported at once (no printer) may have ended it. */
      if (self->reprint_state != KIOSK_PROGRESS_REPRINT_PRINTING)
        break;
    }
}

gboolean
kiosk_progress_journey_reprint (KioskProgressJourney *self, const char *number, GError **error)
{
  KioskSession *session;
  const KioskIdentity *who;
  const KioskProgressCase *c;
  const char *held;
  KioskConfig *config;
  g_autoptr (GTask) task = NULL;
  Reprint *r;

  g_return_val_if_fail (KIOSK_IS_PROGRESS_JOURNEY (self), FALSE);
  session = self->core ? kiosk_core_get_session (self->core) : NULL;
  who = session ? kiosk_session_get_identity (session) : NULL;
  c = number ? shown_case (self, number) : NULL;
  held = held_number (self, c);
  if (self->reprint_state == KIOSK_PROGRESS_REPRINT_PREPARING || self->reprint_state == KIOSK_PROGRESS_REPRINT_PRINTING)
    {
      g_set_error_literal (error, KIOSK_PROGRESS_JOURNEY_ERROR, KIOSK_PROGRESS_JOURNEY_ERROR_BUSY,
                           "a reprint is under way");
      return FALSE;
    }
  if (held == NULL || c == NULL || who == NULL || kiosk_core_get_store (self->core) == NULL)
    {
      /* Someone else's case, or nobody identified: status only. */
      g_set_error_literal (error, KIOSK_PROGRESS_JOURNEY_ERROR, KIOSK_PROGRESS_JOURNEY_ERROR_NOT_APPLICANT,
                           "not a case of the identified resident handed in here");
      return FALSE;
    }
  reprint_reset (self);
  config = kiosk_core_get_config (self->core);
  r = g_new0 (Reprint, 1);
  r->store = g_object_ref (kiosk_core_get_store (self->core));
  r->number = g_strdup (held);
  r->official_number = g_strdup (c->official_number);
  r->id_number = g_strdup (who->id_number);
  r->station = kiosk_config_get_string (config, "kiosk", "station");
  r->office_phone = kiosk_config_get_string (config, "kiosk", "phone");
  self->reprint_number = g_strdup (held);
  self->reprint_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->reprint_cancellable, reprint_prepared_cb, NULL);
  g_task_set_task_data (task, r, (GDestroyNotify) reprint_free);
  set_reprint_state (self, KIOSK_PROGRESS_REPRINT_PREPARING);
  g_task_run_in_thread (task, reprint_thread);
  return TRUE;
}

static void
progress_print_progress (KioskJourney *journey, const char *document, KioskJourneyPrintState state, const char *message)
{
  KioskProgressJourney *self = KIOSK_PROGRESS_JOURNEY (journey);
  guint index;

  if (self->reprint_state != KIOSK_PROGRESS_REPRINT_PRINTING || self->reprint_docs == NULL || document == NULL
      || !g_ptr_array_find_with_equal_func (self->reprint_docs, document, g_str_equal, &index))
    return; /* a wiped session's */
  switch (state)
    {
    case KIOSK_JOURNEY_PRINT_SENT:
      break;
    case KIOSK_JOURNEY_PRINT_DONE:
      /* Only the printer's confirmation counts. */
      self->reprints_printed++;
      g_ptr_array_remove_index (self->reprint_docs, index);
      if (self->reprint_docs->len == 0)
        set_reprint_state (self, KIOSK_PROGRESS_REPRINT_PRINTED);
      break;
    case KIOSK_JOURNEY_PRINT_FAILED:
    default:
      g_free (self->reprint_printer_message);
      self->reprint_printer_message = g_strdup (message && *message ? message : NULL);
      self->reprint_message
          = self->reprint_printer_message ? self->reprint_printer_message : N_ ("The printer could not print.");
      g_ptr_array_remove_index (self->reprint_docs, index);
      set_reprint_state (self, KIOSK_PROGRESS_REPRINT_FAILED);
      break;
    }
}

KioskProgressReprintState
kiosk_progress_journey_get_reprint_state (KioskProgressJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_PROGRESS_JOURNEY (self), KIOSK_PROGRESS_REPRINT_IDLE);
  return self->reprint_state;
}

const char *
kiosk_progress_journey_get_reprint_number (KioskProgressJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_PROGRESS_JOURNEY (self), NULL);
  return self->reprint_number;
}

const char *
kiosk_progress_journey_get_reprint_message (KioskProgressJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_PROGRESS_JOURNEY (self), NULL);
  return self->reprint_state == KIOSK_PROGRESS_REPRINT_FAILED ? self->reprint_message : NULL;
}

guint
kiosk_progress_journey_get_reprints_printed (KioskProgressJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_PROGRESS_JOURNEY (self), 0);
  return self->reprints_printed;
}

/* Back to an empty query: a query still running is dropped, and so is what
 * the last resident looked up. Entering the journey and the wipe do this. */
static void
reset (KioskProgressJourney *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_result (self);
  g_clear_pointer (&self->draft, g_free);
  set_scan_notice (self, KIOSK_PROGRESS_SCAN_NONE);
  if (self->number)
    {
      g_clear_pointer (&self->number, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
    }
  set_state (self, KIOSK_PROGRESS_IDLE);
}

static void
progress_begin (KioskJourney *journey)
{
  reset (KIOSK_PROGRESS_JOURNEY (journey));
  reprint_reset (KIOSK_PROGRESS_JOURNEY (journey));
  KIOSK_PROGRESS_JOURNEY (journey)->reprints_printed = 0;
  mine_start (KIOSK_PROGRESS_JOURNEY (journey));
}

static void
progress_wipe (KioskJourney *journey)
{
  reset (KIOSK_PROGRESS_JOURNEY (journey));
  mine_reset (KIOSK_PROGRESS_JOURNEY (journey));
  reprint_reset (KIOSK_PROGRESS_JOURNEY (journey));
  KIOSK_PROGRESS_JOURNEY (journey)->reprints_printed = 0;
}

/* The receipt's QR code under the camera (registry camera mode BARCODE). */
static void
progress_barcode (KioskJourney *journey, const char *format, const char *text)
{
  kiosk_progress_journey_scanned (KIOSK_PROGRESS_JOURNEY (journey), text);
}

static void
kiosk_progress_journey_finalize (GObject *object)
{
  KioskProgressJourney *self = KIOSK_PROGRESS_JOURNEY (object);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_result (self);
  g_free (self->number);
  g_free (self->draft);
  g_cancellable_cancel (self->mine_cancellable);
  g_clear_object (&self->mine_cancellable);
  g_clear_pointer (&self->mine, g_ptr_array_unref);
  g_clear_pointer (&self->mine_names, g_hash_table_unref);
  g_clear_pointer (&self->held, g_hash_table_unref);
  g_cancellable_cancel (self->reprint_cancellable);
  g_clear_object (&self->reprint_cancellable);
  g_free (self->reprint_number);
  g_free (self->reprint_printer_message);
  g_clear_pointer (&self->reprint_docs, g_ptr_array_unref);
  G_OBJECT_CLASS (kiosk_progress_journey_parent_class)->finalize (object);
}

static void
kiosk_progress_journey_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, KIOSK_PROGRESS_JOURNEY (object)->state);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, KIOSK_PROGRESS_JOURNEY (object)->number);
      break;
    case PROP_SCAN_NOTICE:
      g_value_set_int (value, KIOSK_PROGRESS_JOURNEY (object)->scan_notice);
      break;
    case PROP_MINE_STATE:
      g_value_set_int (value, KIOSK_PROGRESS_JOURNEY (object)->mine_state);
      break;
    case PROP_REPRINT_STATE:
      g_value_set_int (value, KIOSK_PROGRESS_JOURNEY (object)->reprint_state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_progress_journey_class_init (KioskProgressJourneyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_progress_journey_finalize;
  object_class->get_property = kiosk_progress_journey_get_property;
  KIOSK_JOURNEY_CLASS (klass)->begin = progress_begin;
  KIOSK_JOURNEY_CLASS (klass)->wipe = progress_wipe;
  KIOSK_JOURNEY_CLASS (klass)->barcode = progress_barcode;
  KIOSK_JOURNEY_CLASS (klass)->print_progress = progress_print_progress;
  properties[PROP_STATE]
      = g_param_spec_int ("state", NULL, NULL, KIOSK_PROGRESS_IDLE, KIOSK_PROGRESS_UNREACHABLE, KIOSK_PROGRESS_IDLE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCAN_NOTICE] = g_param_spec_int ("scan-notice", NULL, NULL, KIOSK_PROGRESS_SCAN_NONE,
                                                   KIOSK_PROGRESS_SCAN_HELD_BACK, KIOSK_PROGRESS_SCAN_NONE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MINE_STATE] = g_param_spec_int ("mine-state", NULL, NULL, KIOSK_PROGRESS_MINE_NONE,
                                                  KIOSK_PROGRESS_MINE_UNREACHABLE, KIOSK_PROGRESS_MINE_NONE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPRINT_STATE] = g_param_spec_int (
      "reprint-state", NULL, NULL, KIOSK_PROGRESS_REPRINT_IDLE, KIOSK_PROGRESS_REPRINT_FAILED,
      KIOSK_PROGRESS_REPRINT_IDLE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_progress_journey_init (KioskProgressJourney *self)
{
}

KioskJourney *
kiosk_progress_journey_new (KioskCore *core)
{
  KioskProgressJourney *self
      = g_object_new (KIOSK_TYPE_PROGRESS_JOURNEY, "id", "progress", "title", N_ ("Check progress"),
                      "requires-identity", FALSE, "available", TRUE, NULL);
  self->core = core;
  return KIOSK_JOURNEY (self);
}
