/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-cert"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "kiosk-cert-journey.h"
#include "kiosk-core.h"
#include "kiosk-platform-adapter.h"
#include "kiosk-store.h"
#include "printer-device.h"

/* The preview's resolution: pixels per point of the A4 page (about
 * 1.6 px per 0.35 mm: sharp on a 1080-line screen, a few hundred KB). */
#define PREVIEW_SCALE 1.6

struct _KioskCertJourney {
  KioskJourney parent_instance;
  KioskCore *core; /* weak: the core owns the session that owns us */
  KioskCertState state;
  GPtrArray *documents; /* KioskCertificate */
  guint skipped;
  char *not_offered;         /* the catalog's not_offered object (JSON), or NULL */
  GCancellable *cancellable; /* the list, the preview, the queueing */
  int selected;              /* index into documents, -1 */
  GBytes *preview;
  char *preview_error;
  KioskCertPrintState print_state;
  char *print_message;
  int last_reprint_count;
  gboolean printed_any;
  GCancellable *print_cancellable;
  KioskCertQueueState queue_state;
};

G_DEFINE_FINAL_TYPE (KioskCertJourney, kiosk_cert_journey, KIOSK_TYPE_JOURNEY)

enum { PROP_0, PROP_STATE, PROP_SELECTED, PROP_PREVIEW, PROP_PRINT_STATE, PROP_QUEUE_STATE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static const struct {
  const char *msgid;
  const char *text;
} reprint_reasons[KIOSK_CERT_N_REPRINT_REASONS] = {
  [KIOSK_CERT_REPRINT_LOST] = { N_ ("The copy I had is lost"), "原件遗失" },
  [KIOSK_CERT_REPRINT_DAMAGED] = { N_ ("The copy I had is damaged"), "原件污损" },
  [KIOSK_CERT_REPRINT_MORE] = { N_ ("I need another copy"), "需要多份" },
  [KIOSK_CERT_REPRINT_PRINT_FAULT] = { N_ ("The last print was unclear or incomplete"), "上次打印不清晰或未完成" },
};

const char *
kiosk_cert_reprint_reason_msgid (KioskCertReprintReason reason)
{
  return reason < KIOSK_CERT_N_REPRINT_REASONS ? reprint_reasons[reason].msgid : NULL;
}

const char *
kiosk_cert_reprint_reason_text (KioskCertReprintReason reason)
{
  return reason < KIOSK_CERT_N_REPRINT_REASONS ? reprint_reasons[reason].text : NULL;
}

static void
notify (KioskCertJourney *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_state (KioskCertJourney *self, KioskCertState state)
{
  if (self->state == state)
    return;
  self->state = state;
  notify (self, PROP_STATE);
}

static void
set_print_state (KioskCertJourney *self, KioskCertPrintState state, const char *message)
{
  g_free (self->print_message);
  self->print_message = g_strdup (message);
  self->print_state = state;
  notify (self, PROP_PRINT_STATE);
}

static void
set_queue_state (KioskCertJourney *self, KioskCertQueueState state)
{
  if (self->queue_state == state)
    return;
  self->queue_state = state;
  notify (self, PROP_QUEUE_STATE);
}

static const KioskIdentity *
resident (KioskCertJourney *self)
{
  KioskSession *session = self->core ? kiosk_core_get_session (self->core) : NULL;
  const KioskIdentity *who = session ? kiosk_session_get_identity (session) : NULL;

  return who && who->id_number && *who->id_number ? who : NULL;
}

static KioskPrinterDevice *
printer (KioskCertJourney *self)
{
  KioskDevice *dev = self->core ? kiosk_device_manager_get (kiosk_core_get_devices (self->core), "printer") : NULL;

  return KIOSK_IS_PRINTER_DEVICE (dev) ? KIOSK_PRINTER_DEVICE (dev) : NULL;
}

static char *
document_id (const KioskCertificate *c)
{
  return g_strconcat ("certificate:", c->code, NULL);
}

/* ---- the list ------------------------------------------------------------ */

typedef struct {
  char *id_number; /* personal: overwritten when freed */
  KioskConfig *config;
  KioskStore *store;
  GPtrArray *documents;
  guint skipped;
  char *not_offered;
  gboolean offline;
} Load;

static void
load_free (Load *l)
{
  if (l->id_number)
    explicit_bzero (l->id_number, strlen (l->id_number));
  g_free (l->id_number);
  g_clear_pointer (&l->config, kiosk_config_unref);
  g_clear_object (&l->store);
  g_clear_pointer (&l->documents, g_ptr_array_unref);
  g_free (l->not_offered);
  g_free (l);
}

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Load *l = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskPlatformAdapter) ad = NULL;
  KioskPlatformResult res = { .retry_after_ms = -1 };

  if (l->store)
    l->not_offered = kiosk_store_get_catalog_not_offered (l->store, NULL);
  /* An adapter of this thread's own (an adapter is thread-bound). */
  ad = kiosk_http_adapter_new_from_config (l->config, &error);
  if (ad == NULL || ad->klass->documents_of_person == NULL)
    {
      l->offline = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }
  ad->klass->documents_of_person (ad, l->id_number, cancellable, &res);
  if (g_cancellable_is_cancelled (cancellable))
    {
      kiosk_platform_result_clear (&res);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return;
    }
  if (res.outcome != KIOSK_PLATFORM_OK)
    {
      /* Never the person: the technician's reason only. */
      g_info ("documents of a person: %s", res.message ? res.message : "no answer");
      l->offline = res.outcome == KIOSK_PLATFORM_TRANSIENT;
      kiosk_platform_result_clear (&res);
      if (l->offline)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "the platform refused the request");
      return;
    }
  l->documents = kiosk_certificate_list_decode (res.body, &l->skipped, &error);
  kiosk_platform_result_clear (&res);
  if (l->documents == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (l->skipped)
    g_info ("documents of a person: %u left out (not fit to print)", l->skipped);
  g_task_return_boolean (task, TRUE);
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskCertJourney *self = KIOSK_CERT_JOURNEY (source);
  Load *l = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_info ("documents: %s", error->message);
      set_state (self, KIOSK_CERT_ERROR);
      return;
    }
  g_free (self->not_offered);
  self->not_offered = g_steal_pointer (&l->not_offered);
  if (l->offline)
    {
      set_state (self, KIOSK_CERT_OFFLINE);
      return;
    }
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  self->documents = g_steal_pointer (&l->documents);
  self->skipped = l->skipped;
  set_state (self, KIOSK_CERT_READY);
}

static void
clear_selection (KioskCertJourney *self)
{
  self->selected = -1;
  g_clear_pointer (&self->preview, g_bytes_unref);
  g_clear_pointer (&self->preview_error, g_free);
  g_clear_pointer (&self->print_message, g_free);
  self->print_state = KIOSK_CERT_PRINT_NONE;
  self->last_reprint_count = 0;
}

/* Drops every document and request of the last resident. */
static void
reset (KioskCertJourney *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* A print already sent goes on (the printer has it; its record is
   * kept), but its answer no longer reaches this resident's screen. */
  g_cancellable_cancel (self->print_cancellable);
  g_clear_object (&self->print_cancellable);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->not_offered, g_free);
  self->skipped = 0;
  self->printed_any = FALSE;
  clear_selection (self);
  self->queue_state = KIOSK_CERT_QUEUE_NONE;
  set_state (self, KIOSK_CERT_IDLE);
  notify (self, PROP_SELECTED);
  notify (self, PROP_PRINT_STATE);
  notify (self, PROP_QUEUE_STATE);
}

void
kiosk_cert_journey_reload (KioskCertJourney *self)
{
  const KioskIdentity *who = resident (self);
  KioskStore *store = self->core ? kiosk_core_get_store (self->core) : NULL;
  g_autoptr (GTask) task = NULL;
  Load *l;

  g_return_if_fail (KIOSK_IS_CERT_JOURNEY (self));
  reset (self);
  if (who == NULL)
    {
      set_state (self, KIOSK_CERT_ERROR);
      return;
    }
  l = g_new0 (Load, 1);
  l->id_number = g_strdup (who->id_number);
  l->config = kiosk_config_ref (kiosk_core_get_config (self->core));
  l->store = store ? g_object_ref (store) : NULL;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, load_done_cb, NULL);
  g_task_set_task_data (task, l, (GDestroyNotify) load_free);
  set_state (self, KIOSK_CERT_LOADING);
  g_task_run_in_thread (task, load_thread);
}

KioskCertState
kiosk_cert_journey_get_state (KioskCertJourney *self)
{
  return self->state;
}

GPtrArray *
kiosk_cert_journey_get_documents (KioskCertJourney *self)
{
  return self->state == KIOSK_CERT_READY ? self->documents : NULL;
}

guint
kiosk_cert_journey_get_skipped (KioskCertJourney *self)
{
  return self->skipped;
}

/* ---- preview ------------------------------------------------------------- */

static void
preview_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *png = kiosk_print_render_preview_png ("certificate", data, KIOSK_PAPER_A4, PREVIEW_SCALE, &error);

  if (png == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, png, (GDestroyNotify) g_bytes_unref);
}

static void
preview_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskCertJourney *self = KIOSK_CERT_JOURNEY (source);
  g_autoptr (GError) error = NULL;
  GBytes *png = g_task_propagate_pointer (G_TASK (result), &error);

  /* Another document was chosen meanwhile. */
  if (self->selected != GPOINTER_TO_INT (data))
    {
      g_clear_pointer (&png, g_bytes_unref);
      return;
    }
  if (png == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_info ("certificate preview: %s", error->message);
      g_free (self->preview_error);
      self->preview_error = g_strdup (_ ("This certificate cannot be shown or printed here. Please ask the staff."));
    }
  g_clear_pointer (&self->preview, g_bytes_unref);
  self->preview = png;
  notify (self, PROP_PREVIEW);
}

void
kiosk_cert_journey_select (KioskCertJourney *self, guint index)
{
  g_autoptr (GTask) task = NULL;
  const KioskCertificate *c;

  g_return_if_fail (KIOSK_IS_CERT_JOURNEY (self));
  if (self->state != KIOSK_CERT_READY || index >= self->documents->len)
    return;
  clear_selection (self);
  self->selected = (int) index;
  c = self->documents->pdata[index];
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, preview_done_cb, GINT_TO_POINTER ((int) index));
  /* What the page shows is what a first print or a 补打 would print. */
  g_task_set_task_data (task, kiosk_certificate_to_print_data (c, NULL), (GDestroyNotify) json_object_unref);
  g_task_run_in_thread (task, preview_thread);
  kiosk_journey_set_step (KIOSK_JOURNEY (self), 1);
  notify (self, PROP_SELECTED);
  notify (self, PROP_PREVIEW);
  notify (self, PROP_PRINT_STATE);
}

const KioskCertificate *
kiosk_cert_journey_get_selected (KioskCertJourney *self)
{
  return self->selected >= 0 && self->documents && (guint) self->selected < self->documents->len
             ? self->documents->pdata[self->selected]
             : NULL;
}

GBytes *
kiosk_cert_journey_get_preview (KioskCertJourney *self)
{
  return self->preview;
}

const char *
kiosk_cert_journey_get_preview_error (KioskCertJourney *self)
{
  return self->preview_error;
}

/* ---- printing ------------------------------------------------------------ */

gboolean
kiosk_cert_journey_is_reprint (KioskCertJourney *self)
{
  const KioskCertificate *c = kiosk_cert_journey_get_selected (self);
  KioskPrinterDevice *p = printer (self);
  g_autofree char *doc = NULL;
  g_autoptr (KioskPrintRecord) sent = NULL;

  if (c == NULL || p == NULL)
    return FALSE;
  /* Printed before here, or (the platform says) at any kiosk. */
  if (c->prints > 0)
    return TRUE;
  doc = document_id (c);
  sent = kiosk_print_ledger_find_sent (kiosk_printer_device_get_ledger (p), doc);
  return sent != NULL;
}

guint
kiosk_cert_journey_get_daily_limit (KioskCertJourney *self)
{
  int n = self->core ? kiosk_config_get_int (kiosk_core_get_config (self->core), "printer", "certificate-daily-limit")
                     : 0;
  return n > 0 ? (guint) n : 3;
}

guint
kiosk_cert_journey_get_printed_today (KioskCertJourney *self)
{
  const KioskCertificate *c = kiosk_cert_journey_get_selected (self);
  KioskPrinterDevice *p = printer (self);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *doc = NULL;
  g_autoptr (GPtrArray) records = NULL;
  guint n = 0;

  if (c == NULL || p == NULL)
    return 0;
  /* As far as this kiosk knows: its own confirmed prints today, or the
   * platform's count when the list came, whichever is more (this kiosk's
   * prints reach the platform too, so they are not added up). */
  doc = document_id (c);
  records = kiosk_print_ledger_list (kiosk_printer_device_get_ledger (p), doc);
  for (guint i = 0; records && i < records->len; i++)
    {
      const KioskPrintRecord *r = records->pdata[i];
      g_autoptr (GDateTime) t = NULL;
      g_autofree char *day = NULL;
      if (r->status != KIOSK_PRINT_RECORD_PRINTED)
        continue;
      t = g_date_time_new_from_unix_local ((r->finished_at ? r->finished_at : r->created_at) / G_USEC_PER_SEC);
      day = t ? g_date_time_format (t, "%Y-%m-%d") : NULL;
      n += g_strcmp0 (day, today) == 0;
    }
  return MAX (n, c->printed_today);
}

typedef struct {
  KioskCertJourney *self; /* NULL once the resident left (wipe) */
} PrintJob;

static void
printed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GCancellable) cancellable = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskPrintRecord) record = NULL;
  gboolean ok = kiosk_printer_device_print_finish (KIOSK_PRINTER_DEVICE (source), result, &record, &error);
  KioskCertJourney *self = g_object_get_data (G_OBJECT (cancellable), "journey");

  /* The journey was wiped or left meanwhile: the record is the ledger's. */
  if (self == NULL || g_cancellable_is_cancelled (cancellable))
    return;
  if (ok)
    {
      self->printed_any = TRUE;
      self->last_reprint_count = record ? record->reprint_count : 0;
      set_print_state (self, KIOSK_CERT_PRINT_DONE, NULL);
    }
  else
    {
      g_info ("certificate not printed: %s", error->message);
      set_print_state (self, KIOSK_CERT_PRINT_FAILED, kiosk_print_error_message (error));
    }
}

void
kiosk_cert_journey_print (KioskCertJourney *self, int reason)
{
  const KioskCertificate *c = kiosk_cert_journey_get_selected (self);
  KioskPrinterDevice *p = printer (self);
  g_autofree char *doc = NULL;
  g_autoptr (JsonObject) data = NULL;
  KioskReprint reprint = { .by = "resident" };
  gboolean again;

  g_return_if_fail (KIOSK_IS_CERT_JOURNEY (self));
  if (c == NULL || self->print_state == KIOSK_CERT_PRINT_PRINTING)
    return;
  if (p == NULL)
    {
      set_print_state (self, KIOSK_CERT_PRINT_FAILED,
                       _ ("The printer is not available. Please ask the staff for help."));
      return;
    }
  if (kiosk_cert_journey_get_printed_today (self) >= kiosk_cert_journey_get_daily_limit (self))
    {
      set_print_state (self, KIOSK_CERT_PRINT_LIMIT, NULL);
      return;
    }
  again = kiosk_cert_journey_is_reprint (self);
  if (again && (reason < 0 || reason >= KIOSK_CERT_N_REPRINT_REASONS))
    {
      set_print_state (self, KIOSK_CERT_PRINT_NEEDS_REASON, NULL);
      return;
    }
  reprint.reason = again ? reprint_reasons[reason].text : NULL;
  doc = document_id (c);
  data = kiosk_certificate_to_print_data (c, reprint.reason);
  g_cancellable_cancel (self->print_cancellable);
  g_clear_object (&self->print_cancellable);
  self->print_cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->print_cancellable), "journey", self);
  set_print_state (self, KIOSK_CERT_PRINT_PRINTING, NULL);
  /* The printer's own cancellable is not this one: a job sent is followed
   * to its end (and recorded) even when the resident leaves. */
  kiosk_printer_device_print_async (p, "certificate", data, doc, again ? &reprint : NULL, NULL, printed_cb,
                                    g_object_ref (self->print_cancellable));
}

KioskCertPrintState
kiosk_cert_journey_get_print_state (KioskCertJourney *self)
{
  return self->print_state;
}

const char *
kiosk_cert_journey_get_print_message (KioskCertJourney *self)
{
  return self->print_message;
}

int
kiosk_cert_journey_get_last_reprint_count (KioskCertJourney *self)
{
  return self->last_reprint_count;
}

/* ---- offline: a request queued ------------------------------------------ */

static char *
request_json (KioskCertJourney *self, const KioskIdentity *who, KioskCertDelivery delivery)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *kiosk_id = kiosk_config_get_string (kiosk_core_get_config (self->core), "kiosk", "id");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "request_id");
  json_builder_add_string_value (b, uuid);
  json_builder_set_member_name (b, "kiosk_id");
  json_builder_add_string_value (b, kiosk_id);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "applicant");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, who->name);
  json_builder_set_member_name (b, "id_number");
  json_builder_add_string_value (b, who->id_number);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "kinds");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "delivery");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, delivery == KIOSK_CERT_DELIVERY_POST ? "post" : "next_visit");
  if (delivery == KIOSK_CERT_DELIVERY_POST)
    {
      json_builder_set_member_name (b, "address");
      json_builder_add_string_value (b, who->address);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
queued_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GCancellable) cancellable = data;
  g_autoptr (GError) error = NULL;
  gint64 id = kiosk_store_enqueue_finish (KIOSK_STORE (source), result, &error);
  KioskCertJourney *self = g_object_get_data (G_OBJECT (cancellable), "journey");

  if (self == NULL || g_cancellable_is_cancelled (cancellable))
    return;
  if (id <= 0)
    {
      g_info ("certificate request not stored: %s", error ? error->message : "?");
      set_queue_state (self, KIOSK_CERT_QUEUE_FAILED);
      return;
    }
  if (kiosk_core_get_sync (self->core))
    kiosk_sync_wake (kiosk_core_get_sync (self->core));
  set_queue_state (self, KIOSK_CERT_QUEUE_DONE);
}

void
kiosk_cert_journey_queue_request (KioskCertJourney *self, KioskCertDelivery delivery)
{
  const KioskIdentity *who = resident (self);
  KioskStore *store = self->core ? kiosk_core_get_store (self->core) : NULL;
  g_autofree char *json = NULL;

  g_return_if_fail (KIOSK_IS_CERT_JOURNEY (self));
  if (self->queue_state == KIOSK_CERT_QUEUE_SAVING || self->queue_state == KIOSK_CERT_QUEUE_DONE)
    return;
  if (who == NULL || store == NULL
      || (delivery == KIOSK_CERT_DELIVERY_POST && (who->address == NULL || *who->address == '\0')))
    {
      set_queue_state (self, KIOSK_CERT_QUEUE_FAILED);
      return;
    }
  json = request_json (self, who, delivery);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->cancellable), "journey", self);
  set_queue_state (self, KIOSK_CERT_QUEUE_SAVING);
  kiosk_store_enqueue_async (store, "certificate_request", json, NULL, queued_cb, g_object_ref (self->cancellable));
  explicit_bzero (json, strlen (json));
}

KioskCertQueueState
kiosk_cert_journey_get_queue_state (KioskCertJourney *self)
{
  return self->queue_state;
}

gboolean
kiosk_cert_journey_search_not_offered (KioskCertJourney *self, const char *text, char **name, char **where)
{
  g_return_val_if_fail (KIOSK_IS_CERT_JOURNEY (self), FALSE);
  return kiosk_certificate_not_offered (self->not_offered, text, name, where);
}

void
kiosk_cert_journey_finish (KioskCertJourney *self)
{
  KioskSession *session = self->core ? kiosk_core_get_session (self->core) : NULL;

  if (session == NULL)
    return;
  if (self->printed_any)
    {
      g_autoptr (KioskServiceEvent) event = kiosk_service_event_new (NULL, NULL, "certificate");
      kiosk_session_journey_done_with_event (session, event);
    }
  else
    kiosk_session_journey_done (session, FALSE);
}

/* ---- the journey --------------------------------------------------------- */

static void
cert_begin (KioskJourney *journey)
{
  kiosk_cert_journey_reload (KIOSK_CERT_JOURNEY (journey));
}

static void
cert_wipe (KioskJourney *journey)
{
  reset (KIOSK_CERT_JOURNEY (journey));
}

static gboolean
cert_back (KioskJourney *journey)
{
  KioskCertJourney *self = KIOSK_CERT_JOURNEY (journey);

  if (kiosk_journey_get_step (journey) == 0)
    return FALSE;
  /* A print on its way is followed by the ledger; the screen goes back. */
  g_cancellable_cancel (self->print_cancellable);
  g_clear_object (&self->print_cancellable);
  clear_selection (self);
  kiosk_journey_set_step (journey, 0);
  notify (self, PROP_SELECTED);
  notify (self, PROP_PREVIEW);
  notify (self, PROP_PRINT_STATE);
  return TRUE;
}

static void
kiosk_cert_journey_finalize (GObject *object)
{
  KioskCertJourney *self = KIOSK_CERT_JOURNEY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->print_cancellable);
  g_clear_object (&self->print_cancellable);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_free (self->not_offered);
  g_clear_pointer (&self->preview, g_bytes_unref);
  g_free (self->preview_error);
  g_free (self->print_message);
  G_OBJECT_CLASS (kiosk_cert_journey_parent_class)->finalize (object);
}

static void
kiosk_cert_journey_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskCertJourney *self = KIOSK_CERT_JOURNEY (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    case PROP_PREVIEW:
      g_value_set_boxed (value, self->preview);
      break;
    case PROP_PRINT_STATE:
      g_value_set_int (value, self->print_state);
      break;
    case PROP_QUEUE_STATE:
      g_value_set_int (value, self->queue_state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_cert_journey_class_init (KioskCertJourneyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kiosk_cert_journey_finalize;
  object_class->get_property = kiosk_cert_journey_get_property;
  KIOSK_JOURNEY_CLASS (klass)->begin = cert_begin;
  KIOSK_JOURNEY_CLASS (klass)->wipe = cert_wipe;
  KIOSK_JOURNEY_CLASS (klass)->back = cert_back;
  properties[PROP_STATE]
      = g_param_spec_int ("state", NULL, NULL, KIOSK_CERT_IDLE, KIOSK_CERT_ERROR, KIOSK_CERT_IDLE, flags);
  properties[PROP_SELECTED] = g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_PREVIEW] = g_param_spec_boxed ("preview", NULL, NULL, G_TYPE_BYTES, flags);
  properties[PROP_PRINT_STATE] = g_param_spec_int ("print-state", NULL, NULL, KIOSK_CERT_PRINT_NONE,
                                                   KIOSK_CERT_PRINT_NEEDS_REASON, KIOSK_CERT_PRINT_NONE, flags);
  properties[PROP_QUEUE_STATE] = g_param_spec_int ("queue-state", NULL, NULL, KIOSK_CERT_QUEUE_NONE,
                                                   KIOSK_CERT_QUEUE_FAILED, KIOSK_CERT_QUEUE_NONE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_cert_journey_init (KioskCertJourney *self)
{
  self->selected = -1;
}

KioskJourney *
kiosk_cert_journey_new (KioskCore *core)
{
  static const char *const steps[]
      = { "documents", N_ ("Choose a certificate"), "preview", N_ ("Check and print"), NULL };
  KioskCertJourney *self = g_object_new (KIOSK_TYPE_CERT_JOURNEY, "id", "certificate", "title",
                                         N_ ("Print certificates"), "requires-identity", TRUE, "available", TRUE, NULL);
  self->core = core;
  kiosk_journey_set_steps (KIOSK_JOURNEY (self), steps);
  return KIOSK_JOURNEY (self);
}
