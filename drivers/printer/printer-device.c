/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer"

#include "config.h"

#include <glib/gi18n.h>

#include "printer-device.h"

/* The printer device. A monitor thread (started by start()) brings up the
 * simulator for backend=sim, then reads printer-state and
 * printer-state-reasons every [printer] poll-seconds (or at once when asked)
 * and turns them into the device state. Print jobs run one at a time in
 * GTask worker threads. Nothing here blocks the main thread. */

struct _KioskPrinterDevice {
  KioskDevice parent_instance;

  KioskConfig *config;
  KioskPaper paper;
  char *configured_target; /* uri or queue from the configuration ("" for sim) */
  char *kiosk_id;
  int poll_seconds;
  int job_timeout_seconds;
  int lost_seconds;
  char *sim_spool;

  KioskPrintLedger *ledger;

  GMutex lock; /* guards everything below */
  GCond cond;
  GThread *monitor;
  gboolean stopping;
  gboolean poke;
  gboolean initialised; /* the monitor has set up the printer (or failed to) */
  char *init_error;     /* why the printer could not be set up */
  KioskPrinterSim *sim;
  KioskIppPrinter *ipp;
  gboolean printing;

  GMutex print_lock; /* one job at a time */
};

G_DEFINE_FINAL_TYPE (KioskPrinterDevice, kiosk_printer_device, KIOSK_TYPE_DEVICE)

const char *
kiosk_print_error_message (const GError *error)
{
  if (error == NULL || error->domain != KIOSK_PRINT_ERROR)
    return _ ("Printing failed. Please contact the staff.");
  switch ((KioskPrintError) error->code)
    {
    case KIOSK_PRINT_ERROR_UNREACHABLE:
      return kiosk_printer_unreachable_message ();
    case KIOSK_PRINT_ERROR_NOT_READY:
      return _ ("The printer is not ready. Please contact the staff.");
    case KIOSK_PRINT_ERROR_ALREADY_PRINTED:
      return _ ("This document has already been printed. Please ask the staff for a reprint.");
    case KIOSK_PRINT_ERROR_INTERRUPTED:
      return _ ("The printer stopped answering while printing. Please contact the staff; do not print again.");
    case KIOSK_PRINT_ERROR_TOO_LONG:
      return _ ("This document has more text than a page can hold and was not printed. Please contact the staff.");
    case KIOSK_PRINT_ERROR_ABORTED:
    case KIOSK_PRINT_ERROR_CANCELED:
    case KIOSK_PRINT_ERROR_TIMEOUT:
      return _ ("The document was not printed. Please contact the staff.");
    default:
      return _ ("Printing failed. Please contact the staff.");
    }
}

/* The message of @error, or @fallback when a callee failed without one:
 * never dereference an error that may be NULL. */
static const char *
error_text (const GError *error, const char *fallback)
{
  return error && error->message ? error->message : fallback;
}

/* Makes sure a failure has an error to return and record. */
static void
ensure_error (GError **error, KioskPrintError code, const char *what)
{
  if (*error == NULL)
    g_set_error (error, KIOSK_PRINT_ERROR, code, "%s failed (no reason given)", what);
}

/* ---- state ------------------------------------------------------------------ */

static void
apply_status (KioskPrinterDevice *self, const KioskPrinterStatus *st, const GError *error)
{
  KioskDevice *dev = KIOSK_DEVICE (self);
  g_autofree char *reason = NULL;
  const char *message = NULL;
  KioskDeviceState state;
  gboolean printing;

  if (!st->reachable)
    {
      kiosk_device_set_state (dev, KIOSK_DEVICE_STATE_ABSENT, error ? error->message : "printer not answering",
                              kiosk_printer_unreachable_msgid ());
      return;
    }
  state = kiosk_printer_classify_msgid (st->printer_state, (const char *const *) st->reasons, &reason, &message);
  g_mutex_lock (&self->lock);
  printing = self->printing;
  g_mutex_unlock (&self->lock);
  if (printing && state == KIOSK_DEVICE_STATE_READY)
    state = KIOSK_DEVICE_STATE_BUSY;
  if (state == KIOSK_DEVICE_STATE_BUSY && message == NULL && printing)
    message = N_ ("Printing, please wait.");
  kiosk_device_set_state (dev, state, reason, message);
}

/* Waits until the monitor has set the printer up; returns it or NULL. */
static KioskIppPrinter *
wait_printer (KioskPrinterDevice *self, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  KioskIppPrinter *ipp = NULL;

  g_mutex_lock (&self->lock);
  while (!self->initialised && self->monitor && !self->stopping)
    if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
      break;
  if (self->monitor == NULL)
    g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE, "the printer device is not started");
  else if (self->ipp)
    ipp = self->ipp;
  else
    g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE, "%s",
                 self->init_error ? self->init_error : "the printer is still starting");
  g_mutex_unlock (&self->lock);
  return ipp;
}

static gpointer
monitor_thread (gpointer data)
{
  KioskPrinterDevice *self = data;
  g_autoptr (GError) error = NULL;
  KioskPrinterSim *sim = NULL;
  KioskIppPrinter *ipp = NULL;
  g_autofree char *target = g_strdup (self->configured_target);

  if (g_str_equal (kiosk_device_get_backend (KIOSK_DEVICE (self)), "sim"))
    {
      KioskPrinterSimOptions opt = { .name = "KioskSim", .spool_dir = self->sim_spool };
      sim = kiosk_printer_sim_start (&opt, &error);
      if (sim)
        {
          g_free (target);
          target = g_strdup (kiosk_printer_sim_get_uri (sim));
        }
    }
  if (error == NULL)
    ipp = kiosk_ipp_printer_new (target, 3000, &error);

  g_mutex_lock (&self->lock);
  self->sim = sim;
  self->ipp = ipp;
  self->initialised = TRUE;
  if (error)
    self->init_error = g_strdup (error_text (error, "printer not set up"));
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (ipp == NULL)
    {
      const char *why = error_text (error, "printer not set up");
      g_warning ("printer not usable: %s", why);
      kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_ABSENT, why, kiosk_printer_unreachable_msgid ());
    }

  for (gboolean first = TRUE;; first = FALSE)
    {
      gint64 until;

      /* A queue that did not exist at start (added by the technician, or by
       * CUPS when a USB printer is plugged in later) is looked for again at
       * every poll, so the kiosk never needs a restart to find it. */
      if (ipp == NULL && sim == NULL && !first && target && *target)
        {
          g_autoptr (GError) again = NULL;
          ipp = kiosk_ipp_printer_new (target, 3000, &again);
          if (ipp)
            {
              g_message ("printer found: %s", target);
              g_mutex_lock (&self->lock);
              self->ipp = ipp;
              g_clear_pointer (&self->init_error, g_free);
              g_mutex_unlock (&self->lock);
            }
        }
      if (ipp)
        {
          KioskPrinterStatus st = { 0 };
          g_autoptr (GError) local = NULL;
          kiosk_ipp_printer_get_status (ipp, &st, &local);
          apply_status (self, &st, local);
          kiosk_printer_status_clear (&st);
        }
      g_mutex_lock (&self->lock);
      until = g_get_monotonic_time () + (gint64) self->poll_seconds * G_USEC_PER_SEC;
      while (!self->stopping && !self->poke)
        if (!g_cond_wait_until (&self->cond, &self->lock, until))
          break;
      self->poke = FALSE;
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      g_mutex_unlock (&self->lock);
    }

  /* The simulator dies with this thread: stop it here, cleanly. */
  g_mutex_lock (&self->lock);
  self->ipp = NULL;
  self->sim = NULL;
  self->initialised = FALSE;
  g_mutex_unlock (&self->lock);
  kiosk_ipp_printer_free (ipp);
  kiosk_printer_sim_free (sim);
  return NULL;
}

static void
printer_start (KioskDevice *dev)
{
  KioskPrinterDevice *self = KIOSK_PRINTER_DEVICE (dev);

  g_mutex_lock (&self->lock);
  self->stopping = FALSE;
  self->initialised = FALSE;
  g_clear_pointer (&self->init_error, g_free);
  self->monitor = g_thread_new ("printer-monitor", monitor_thread, self);
  g_mutex_unlock (&self->lock);
}

static void
printer_stop (KioskDevice *dev)
{
  KioskPrinterDevice *self = KIOSK_PRINTER_DEVICE (dev);
  GThread *thread;

  /* Let a job in progress finish its accounting first. */
  g_mutex_lock (&self->print_lock);
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  thread = self->monitor;
  self->monitor = NULL;
  g_mutex_unlock (&self->lock);
  if (thread)
    g_thread_join (thread);
  g_mutex_unlock (&self->print_lock);
}

static char *
printer_probe (KioskDevice *dev, GCancellable *cancellable, GError **error)
{
  KioskPrinterDevice *self = KIOSK_PRINTER_DEVICE (dev);
  KioskPrinterStatus st = { 0 };
  g_autofree char *reason = NULL;
  char *out;

  gboolean started;

  g_mutex_lock (&self->lock);
  started = self->monitor != NULL;
  g_mutex_unlock (&self->lock);
  if (!started && g_str_equal (kiosk_device_get_backend (dev), "sim"))
    {
      /* Not running (kioskctl doctor): try a simulator for the probe. */
      g_autoptr (KioskPrinterSim) sim = kiosk_printer_sim_start (NULL, error);
      g_autoptr (KioskIppPrinter) ipp
          = sim ? kiosk_ipp_printer_new (kiosk_printer_sim_get_uri (sim), 3000, error) : NULL;
      if (ipp == NULL || !kiosk_ipp_printer_get_status (ipp, &st, error))
        return NULL;
    }
  else if (!kiosk_printer_device_get_status_sync (self, &st, error))
    return NULL;
  kiosk_printer_classify (st.printer_state, (const char *const *) st.reasons, &reason, NULL);
  out = g_strdup_printf ("%s: %s", st.make_and_model ? st.make_and_model : "IPP printer", reason);
  kiosk_printer_status_clear (&st);
  return out;
}

gboolean
kiosk_printer_device_get_status_sync (KioskPrinterDevice *self, KioskPrinterStatus *status, GError **error)
{
  KioskIppPrinter *ipp;
  g_autoptr (KioskIppPrinter) own = NULL;
  gboolean started;

  g_mutex_lock (&self->lock);
  started = self->monitor != NULL;
  g_mutex_unlock (&self->lock);
  if (started)
    ipp = wait_printer (self, error);
  else if (g_str_equal (kiosk_device_get_backend (KIOSK_DEVICE (self)), "sim"))
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE,
                   "the simulated printer runs only while the device is started");
      return FALSE;
    }
  else
    {
      own = kiosk_ipp_printer_new (self->configured_target, 3000, error);
      ipp = own;
    }
  if (ipp == NULL)
    return FALSE;
  return kiosk_ipp_printer_get_status (ipp, status, error);
}

/* ---- printing ---------------------------------------------------------------- */

typedef struct {
  char *template_name;
  JsonObject *data;
  char *document_id;
  char *reprint_by;
  char *reprint_reason;
  gboolean reprint;
  KioskPrintRecord *record; /* final record, for finish() */
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_free (job->template_name);
  if (job->data)
    json_object_unref (job->data);
  g_free (job->document_id);
  g_free (job->reprint_by);
  g_free (job->reprint_reason);
  kiosk_print_record_free (job->record);
  g_free (job);
}

static gboolean
put (KioskPrinterDevice *self, KioskPrintRecord *r, KioskPrintRecordStatus status, const char *detail)
{
  g_autoptr (GError) error = NULL;

  r->status = status;
  g_free (r->detail);
  r->detail = g_strdup (detail);
  if (status == KIOSK_PRINT_RECORD_SUBMITTED)
    r->submitted_at = g_get_real_time ();
  else if (status != KIOSK_PRINT_RECORD_PENDING)
    r->finished_at = g_get_real_time ();
  if (!kiosk_print_ledger_put (self->ledger, r, &error))
    {
      /* Logged by the ledger; the record stays in memory with the job. */
      return FALSE;
    }
  return TRUE;
}

static void
set_printing (KioskPrinterDevice *self, gboolean on)
{
  g_mutex_lock (&self->lock);
  self->printing = on;
  g_mutex_unlock (&self->lock);
}

/* Follows job @job_id until it ends; returns the final record status. */
static KioskPrintRecordStatus
follow_job (KioskPrinterDevice *self, KioskIppPrinter *ipp, KioskPrintRecord *r, GCancellable *cancellable,
            GError **error)
{
  gint64 start = g_get_monotonic_time ();
  gint64 lost_since = 0;
  gulong delay = 50 * 1000;
  int last = 0;

  for (;;)
    {
      g_autoptr (GError) local = NULL;
      g_autofree char *reasons = NULL;
      int state = kiosk_ipp_printer_get_job_state (ipp, r->job_id, &reasons, &local);
      gint64 now = g_get_monotonic_time ();

      if (state == 0)
        {
          if (lost_since == 0)
            {
              lost_since = now;
              kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_ABSENT,
                                      error_text (local, "no answer from the printer"),
                                      kiosk_printer_unreachable_msgid ());
            }
          if (now - lost_since >= (gint64) self->lost_seconds * G_USEC_PER_SEC)
            {
              g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_INTERRUPTED,
                           "lost contact with the printer during job %d (last state %s): %s", r->job_id,
                           kiosk_job_state_to_string (last), error_text (local, "no answer"));
              return KIOSK_PRINT_RECORD_INTERRUPTED;
            }
        }
      else
        {
          lost_since = 0;
          if (state != last)
            {
              g_free (r->job_state);
              r->job_state = g_strdup (kiosk_job_state_to_string (state));
              g_debug ("job %d: %s (%s)", r->job_id, r->job_state, reasons);
              last = state;
            }
          if (state == KIOSK_JOB_COMPLETED)
            return KIOSK_PRINT_RECORD_PRINTED;
          if (state == KIOSK_JOB_ABORTED || state == KIOSK_JOB_CANCELED)
            {
              g_set_error (error, KIOSK_PRINT_ERROR,
                           state == KIOSK_JOB_ABORTED ? KIOSK_PRINT_ERROR_ABORTED : KIOSK_PRINT_ERROR_CANCELED,
                           "job %d %s by the printer (%s)", r->job_id, kiosk_job_state_to_string (state), reasons);
              return KIOSK_PRINT_RECORD_FAILED;
            }
        }
      if (g_cancellable_is_cancelled (cancellable)
          || now - start >= (gint64) self->job_timeout_seconds * G_USEC_PER_SEC)
        {
          gboolean cancelled = g_cancellable_is_cancelled (cancellable);
          g_autoptr (GError) cerr = NULL;
          /* Make the outcome certain: a cancelled job does not print later. */
          if (kiosk_ipp_printer_cancel_job (ipp, r->job_id, &cerr))
            {
              g_set_error (error, KIOSK_PRINT_ERROR, cancelled ? KIOSK_PRINT_ERROR_CANCELED : KIOSK_PRINT_ERROR_TIMEOUT,
                           "job %d %s; cancelled on the printer", r->job_id,
                           cancelled ? "cancelled by the kiosk" : "did not finish in time");
              return KIOSK_PRINT_RECORD_FAILED;
            }
          g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_INTERRUPTED,
                       "job %d did not finish and could not be cancelled: %s", r->job_id,
                       error_text (cerr, "no reason given"));
          return KIOSK_PRINT_RECORD_INTERRUPTED;
        }
      g_usleep (delay);
      delay = MIN (delay * 2, 500 * 1000);
    }
}

static void
print_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  KioskPrinterDevice *self = source;
  PrintJob *job = task_data;
  g_autoptr (KioskPrintRecord) sent = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (JsonObject) data = NULL;
  KioskPrintRecord *r;
  KioskIppPrinter *ipp;
  KioskPrinterStatus st = { 0 };
  KioskPrintRecordStatus final;
  g_autofree char *job_name = NULL;
  int job_id;

  g_mutex_lock (&self->print_lock);

  sent = kiosk_print_ledger_find_sent (self->ledger, job->document_id);
  if (sent && !job->reprint)
    {
      g_mutex_unlock (&self->print_lock);
      g_task_return_new_error (task, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_ALREADY_PRINTED,
                               "%s was already sent to the printer (record %s, %s); a reprint must be explicit",
                               job->document_id, sent->record_id, kiosk_print_record_status_to_string (sent->status));
      return;
    }

  /* 1. The record exists before anything goes to the printer. */
  r = job->record = g_new0 (KioskPrintRecord, 1);
  r->record_id = g_uuid_string_random ();
  r->document_id = g_strdup (job->document_id);
  r->template_name = g_strdup (job->template_name);
  r->kiosk_id = g_strdup (self->kiosk_id);
  r->created_at = g_get_real_time ();
  if (job->reprint)
    {
      g_autoptr (GPtrArray) earlier = kiosk_print_ledger_list (self->ledger, job->document_id);
      int count = 0;
      for (guint i = 0; i < earlier->len; i++)
        {
          KioskPrintRecord *e = g_ptr_array_index (earlier, i);
          count += e->status != KIOSK_PRINT_RECORD_PENDING && e->status != KIOSK_PRINT_RECORD_NOT_SUBMITTED;
        }
      r->reprint_count = MAX (count, 1);
      r->reprint_of = sent ? g_strdup (sent->record_id) : NULL;
      r->reprint_by = g_strdup (job->reprint_by);
      r->reprint_reason = g_strdup (job->reprint_reason);
    }
  if (!put (self, r, KIOSK_PRINT_RECORD_PENDING, "created"))
    {
      g_mutex_unlock (&self->print_lock);
      g_task_return_new_error (task, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_NOT_READY,
                               "the print record could not be stored; not printing");
      return;
    }

  /* 2. Render (with the reprint mark when it is one). */
  data = job->data ? json_object_ref (job->data) : json_object_new ();
  if (job->reprint)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M");
      JsonObject *copy = json_object_new ();
      JsonObject *mark = json_object_new ();
      GList *members = json_object_get_members (data);
      for (GList *l = members; l; l = l->next)
        json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (data, l->data)));
      g_list_free (members);
      json_object_set_int_member (mark, "count", r->reprint_count);
      json_object_set_string_member (mark, "at", at);
      json_object_set_object_member (copy, "reprint", mark);
      json_object_unref (data);
      data = copy;
    }
  pdf = kiosk_print_render (job->template_name, data, self->paper, NULL, &error);
  if (pdf == NULL)
    {
      ensure_error (&error, KIOSK_PRINT_ERROR_RENDER, "rendering");
      put (self, r, KIOSK_PRINT_RECORD_NOT_SUBMITTED, error->message);
      goto out;
    }

  /* 3. Is the printer there and ready? */
  ipp = wait_printer (self, &error);
  if (ipp == NULL)
    {
      ensure_error (&error, KIOSK_PRINT_ERROR_UNREACHABLE, "opening the printer");
      kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_ABSENT, error->message,
                              kiosk_printer_unreachable_msgid ());
      put (self, r, KIOSK_PRINT_RECORD_NOT_SUBMITTED, error->message);
      goto out;
    }
  g_free (r->printer);
  r->printer = g_strdup (kiosk_ipp_printer_get_uri (ipp));
  if (!kiosk_ipp_printer_get_status (ipp, &st, &error))
    {
      ensure_error (&error, KIOSK_PRINT_ERROR_UNREACHABLE, "reading the printer state");
      apply_status (self, &st, error);
      put (self, r, KIOSK_PRINT_RECORD_NOT_SUBMITTED, error->message);
      goto out;
    }
  {
    g_autofree char *reason = NULL;
    KioskDeviceState ds = kiosk_printer_classify (st.printer_state, (const char *const *) st.reasons, &reason, NULL);
    apply_status (self, &st, NULL);
    if (ds == KIOSK_DEVICE_STATE_ERROR || ds == KIOSK_DEVICE_STATE_ABSENT)
      {
        g_set_error (&error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_NOT_READY, "printer not ready: %s", reason);
        put (self, r, KIOSK_PRINT_RECORD_NOT_SUBMITTED, error->message);
        goto out;
      }
  }

  /* 4. Submit. No personal data in the job name: printers log it. */
  set_printing (self, TRUE);
  kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_BUSY, "printing", N_ ("Printing, please wait."));
  job_name = g_strdup_printf ("kiosk-%s-%.8s", job->template_name, r->record_id);
  job_id = kiosk_ipp_printer_submit (ipp, pdf, job_name, &error);
  if (job_id == 0)
    {
      ensure_error (&error, KIOSK_PRINT_ERROR_REFUSED, "submitting the job");
      put (self, r, KIOSK_PRINT_RECORD_NOT_SUBMITTED, error->message);
      goto out;
    }
  r->job_id = ABS (job_id);
  put (self, r, KIOSK_PRINT_RECORD_SUBMITTED,
       job_id > 0 ? "accepted by the printer" : error_text (error, "submitted; no confirmation from the printer"));
  g_clear_error (&error);

  /* 5. Follow it: only the printer's "completed" counts. */
  final = follow_job (self, ipp, r, cancellable, &error);
  if (final != KIOSK_PRINT_RECORD_PRINTED)
    ensure_error (&error, KIOSK_PRINT_ERROR_INTERRUPTED, "following the job");
  put (self, r, final, error_text (error, "completed"));

out:
  set_printing (self, FALSE);
  kiosk_printer_status_clear (&st);
  kiosk_printer_device_refresh (self);
  g_mutex_unlock (&self->print_lock);
  if (error)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
kiosk_printer_device_print_async (KioskPrinterDevice *self, const char *template_name, JsonObject *data,
                                  const char *document_id, const KioskReprint *reprint, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  PrintJob *job;

  g_return_if_fail (KIOSK_IS_PRINTER_DEVICE (self));
  g_task_set_source_tag (task, kiosk_printer_device_print_async);
  if (!kiosk_print_template_exists (template_name))
    {
      g_task_return_new_error (task, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNKNOWN_TEMPLATE, "unknown template '%s'",
                               template_name ? template_name : "(null)");
      return;
    }
  if (reprint && (reprint->by == NULL || *reprint->by == '\0' || reprint->reason == NULL || *reprint->reason == '\0'))
    {
      g_task_return_new_error (task, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                               "a reprint needs who asked for it and why");
      return;
    }
  job = g_new0 (PrintJob, 1);
  job->template_name = g_strdup (template_name);
  if (data)
    {
      /* A deep copy the worker owns alone: JsonObject reference counts are
       * not atomic, and the caller may change or drop its object. */
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), data);
      g_autofree char *text = json_to_string (node, FALSE);
      g_autoptr (JsonNode) copy = json_from_string (text, NULL);
      job->data = copy && JSON_NODE_HOLDS_OBJECT (copy) ? json_object_ref (json_node_get_object (copy)) : NULL;
    }
  if (document_id)
    job->document_id = g_strdup (document_id);
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();
      job->document_id = g_strdup_printf ("%s:%s", template_name, uuid);
    }
  if (reprint)
    {
      job->reprint = TRUE;
      job->reprint_by = g_strdup (reprint->by);
      job->reprint_reason = g_strdup (reprint->reason);
    }
  g_task_set_task_data (task, job, (GDestroyNotify) print_job_free);
  g_task_run_in_thread (task, print_thread);
}

gboolean
kiosk_printer_device_print_finish (KioskPrinterDevice *self, GAsyncResult *result, KioskPrintRecord **record,
                                   GError **error)
{
  PrintJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  job = g_task_get_task_data (G_TASK (result));
  if (record)
    *record = job && job->record ? kiosk_print_record_copy (job->record) : NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sync_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

gboolean
kiosk_printer_device_print_sync (KioskPrinterDevice *self, const char *template_name, JsonObject *data,
                                 const char *document_id, const KioskReprint *reprint, GCancellable *cancellable,
                                 KioskPrintRecord **record, GError **error)
{
  GMainContext *ctx = g_main_context_new ();
  GAsyncResult *result = NULL;
  gboolean ok;

  g_main_context_push_thread_default (ctx);
  kiosk_printer_device_print_async (self, template_name, data, document_id, reprint, cancellable, sync_done_cb,
                                    &result);
  while (result == NULL)
    g_main_context_iteration (ctx, TRUE);
  ok = kiosk_printer_device_print_finish (self, result, record, error);
  g_object_unref (result);
  g_main_context_pop_thread_default (ctx);
  g_main_context_unref (ctx);
  return ok;
}

/* ---- object ------------------------------------------------------------------ */

KioskPrintLedger *
kiosk_printer_device_get_ledger (KioskPrinterDevice *self)
{
  return self->ledger;
}

void
kiosk_printer_device_set_record_sink (KioskPrinterDevice *self, KioskPrintRecordSink sink, gpointer user_data,
                                      GDestroyNotify destroy)
{
  kiosk_print_ledger_set_sink (self->ledger, sink, user_data, destroy);
}

char *
kiosk_printer_device_dup_target (KioskPrinterDevice *self)
{
  char *out;

  g_mutex_lock (&self->lock);
  out = g_strdup (self->ipp ? kiosk_ipp_printer_get_uri (self->ipp) : self->configured_target);
  g_mutex_unlock (&self->lock);
  return out;
}

KioskPaper
kiosk_printer_device_get_paper (KioskPrinterDevice *self)
{
  return self->paper;
}

KioskPrinterSim *
kiosk_printer_device_get_sim (KioskPrinterDevice *self)
{
  KioskPrinterSim *sim;

  g_mutex_lock (&self->lock);
  while (self->monitor && !self->initialised)
    g_cond_wait (&self->cond, &self->lock);
  sim = self->sim;
  g_mutex_unlock (&self->lock);
  return sim;
}

void
kiosk_printer_device_refresh (KioskPrinterDevice *self)
{
  g_mutex_lock (&self->lock);
  self->poke = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
kiosk_printer_device_finalize (GObject *object)
{
  KioskPrinterDevice *self = KIOSK_PRINTER_DEVICE (object);

  kiosk_print_ledger_free (self->ledger);
  g_clear_pointer (&self->config, kiosk_config_unref);
  g_free (self->configured_target);
  g_free (self->kiosk_id);
  g_free (self->sim_spool);
  g_free (self->init_error);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->print_lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (kiosk_printer_device_parent_class)->finalize (object);
}

static void
kiosk_printer_device_class_init (KioskPrinterDeviceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_printer_device_finalize;
  KIOSK_DEVICE_CLASS (klass)->start = printer_start;
  KIOSK_DEVICE_CLASS (klass)->stop = printer_stop;
  KIOSK_DEVICE_CLASS (klass)->probe = printer_probe;
}

static void
kiosk_printer_device_init (KioskPrinterDevice *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->print_lock);
  g_cond_init (&self->cond);
  self->ledger = kiosk_print_ledger_new ();
}

KioskDevice *
kiosk_printer_device_new (KioskConfig *config, GError **error)
{
  g_autofree char *backend = kiosk_config_get_backend (config, "printer");
  g_autofree char *uri = kiosk_config_get_string (config, "printer", "uri");
  g_autofree char *queue = kiosk_config_get_string (config, "printer", "queue");
  g_autofree char *paper = kiosk_config_get_string (config, "printer", "paper");
  KioskPrinterDevice *self;

  self = g_object_new (KIOSK_TYPE_PRINTER_DEVICE, "kind", "printer", "backend", backend, NULL);
  self->config = kiosk_config_ref (config);
  if (!kiosk_paper_from_string (paper, &self->paper))
    self->paper = KIOSK_PAPER_A4;
  /* Driverless IPP first: a URI wins over a CUPS queue. */
  self->configured_target = g_strdup (uri && *uri ? uri : queue ? queue : "");
  self->kiosk_id = kiosk_config_get_string (config, "kiosk", "id");
  self->poll_seconds = kiosk_config_get_int (config, "printer", "poll-seconds");
  self->job_timeout_seconds = kiosk_config_get_int (config, "printer", "job-timeout-seconds");
  self->lost_seconds = kiosk_config_get_int (config, "printer", "lost-seconds");
  self->sim_spool = kiosk_config_get_path_value (config, "printer", "sim-spool");
  if (self->poll_seconds <= 0)
    self->poll_seconds = 5;
  if (self->job_timeout_seconds <= 0)
    self->job_timeout_seconds = 120;
  if (self->lost_seconds <= 0)
    self->lost_seconds = 10;
  {
    g_autofree char *journal = kiosk_config_get_path_value (config, "printer", "journal");
    guint recovered = 0;
    if (journal && !kiosk_print_ledger_open_journal (self->ledger, journal, &recovered, error))
      {
        g_prefix_error (error, "print records journal: ");
        g_object_unref (self);
        return NULL;
      }
  }
  if (g_str_equal (backend, "real") && *self->configured_target == '\0')
    kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_ABSENT, "no [printer] uri or queue configured",
                            kiosk_printer_unreachable_msgid ());
  return KIOSK_DEVICE (self);
}
