/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer-test"

#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "printer-device.h"
#include "printer-test-util.h"

/* Printing to a real IPP printer: ippeveprinter on a free loopback port
 * (with its private dbus-daemon), through the same libcups path as a real
 * kiosk. What the printer received is checked with pdftotext and zbarimg;
 * the faults (media-empty, jam, cover open, printer gone, printer killed
 * mid-job) check the device state, the print records, that nothing is
 * counted twice and nothing is printed again unasked. */

#define STATE_WAIT_US (8 * G_USEC_PER_SEC)

typedef struct {
  GPtrArray *sunk; /* JSON strings the record sink received */
  GMutex lock;
} Sink;

static gboolean
sink_cb (const char *json, gpointer user_data, GError **error)
{
  Sink *s = user_data;
  g_mutex_lock (&s->lock);
  g_ptr_array_add (s->sunk, g_strdup (json));
  g_mutex_unlock (&s->lock);
  return TRUE;
}

static KioskConfig *
make_config (const char *backend, const char *uri)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("[kiosk]\nid=TEST-01\nstation=测试便民服务站\n"
                                           "[store]\npath=/nonexistent/kiosk.db\n"
                                           "[platform]\nurl=https://127.0.0.1:9/\n"
                                           "[printer]\nbackend=%s\nuri=%s\npoll-seconds=1\nlost-seconds=1\n"
                                           "job-timeout-seconds=20\n",
                                           backend, uri ? uri : "");
  KioskConfig *config = kiosk_config_new_from_data (text, "/tmp", &error);
  g_assert_no_error (error);
  return config;
}

static KioskPrinterDevice *
make_device (KioskConfig *config, Sink *sink)
{
  g_autoptr (GError) error = NULL;
  KioskDevice *dev = kiosk_printer_device_new (config, &error);

  g_assert_no_error (error);
  g_assert_true (KIOSK_IS_PRINTER_DEVICE (dev));
  if (sink)
    {
      g_mutex_init (&sink->lock);
      sink->sunk = g_ptr_array_new_with_free_func (g_free);
      kiosk_printer_device_set_record_sink (KIOSK_PRINTER_DEVICE (dev), sink_cb, sink, NULL);
    }
  kiosk_device_start (dev);
  return KIOSK_PRINTER_DEVICE (dev);
}

static void
sink_clear (Sink *sink)
{
  g_ptr_array_unref (sink->sunk);
  g_mutex_clear (&sink->lock);
}

/* Runs the main context until the device reaches @state (and @message when
 * not NULL), or fails. */
static void
wait_state (KioskPrinterDevice *dev, KioskDeviceState state, const char *message)
{
  gint64 until = g_get_monotonic_time () + STATE_WAIT_US;

  kiosk_printer_device_refresh (dev);
  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (kiosk_device_get_state (KIOSK_DEVICE (dev)) == state
          && (message == NULL || g_strcmp0 (kiosk_device_get_message (KIOSK_DEVICE (dev)), message) == 0))
        return;
      g_usleep (20 * 1000);
    }
  g_error ("device state %s (%s, message '%s'), expected %s '%s'",
           kiosk_device_state_to_string (kiosk_device_get_state (KIOSK_DEVICE (dev))),
           kiosk_device_get_reason (KIOSK_DEVICE (dev)), kiosk_device_get_message (KIOSK_DEVICE (dev)),
           kiosk_device_state_to_string (state), message ? message : "");
}

static guint
count_received (KioskPrinterSim *sim)
{
  g_autoptr (GPtrArray) files = kiosk_printer_sim_list_received (sim);
  return files->len;
}

/* The PDF the printer kept for job @job_id. */
static char *
received_file (KioskPrinterSim *sim, int job_id)
{
  g_autoptr (GPtrArray) files = kiosk_printer_sim_list_received (sim);
  g_autofree char *prefix = g_strdup_printf ("%d-", job_id);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *base = g_path_get_basename (files->pdata[i]);
      if (g_str_has_prefix (base, prefix))
        return g_strdup (files->pdata[i]);
    }
  g_error ("the printer kept no file for job %d", job_id);
  return NULL;
}

/* Statuses the sink saw for @record_id, in order, joined by ",". */
static char *
sunk_statuses (Sink *sink, const char *record_id)
{
  GString *s = g_string_new (NULL);

  g_mutex_lock (&sink->lock);
  for (guint i = 0; i < sink->sunk->len; i++)
    {
      g_autoptr (JsonNode) node = json_from_string (sink->sunk->pdata[i], NULL);
      JsonObject *o = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member (o, "record_id"), record_id) == 0)
        g_string_append_printf (s, "%s%s", s->len ? "," : "", json_object_get_string_member (o, "status"));
    }
  g_mutex_unlock (&sink->lock);
  return g_string_free (s, FALSE);
}

/* ---- every template, printed and read back ------------------------------- */

static const struct {
  const char *template_name;
  const char *document_id;
  const char *expect[4];
} jobs[] = {
  { "receipt",
    "receipt:LQ20261122-000123",
    { "政务服务受理回执单", "LQ20261122-000123", "城乡居民养老保险参保登记", NULL } },
  { "deferral-notice",
    "deferral-notice:LQ-XLG-01-20261122-000124K",
    { "容缺受理通知书", "符合制卡要求的电子照片", "2026年11月27日前", NULL } },
  { "certificate", "certificate:YLZM-2026-8F3K-7Q2M", { "养老待遇证明", "特此证明", "YLZM-2026-8F3K-7Q2M", NULL } },
  { "proxy-authorisation", "proxy:LQ20261122-000124", { "代办服务委托书", "李秀英", "高龄津贴申领", NULL } },
  { "guide", NULL, { "办事指南", "城乡居民基本养老保险参保登记表", "一次性告知", NULL } },
  { "test-page", NULL, { "打印机测试页", "LQ-XLG-01", "灰度测试", NULL } },
};

static void
test_print_all_templates (void)
{
  g_autoptr (KioskConfig) config = make_config ("sim", NULL);
  g_autoptr (KioskPrinterDevice) dev = NULL;
  KioskPrinterSim *sim;
  Sink sink;

  if (!ptu_have_tools ())
    return;
  dev = make_device (config, &sink);
  sim = kiosk_printer_device_get_sim (dev);
  g_assert_nonnull (sim);
  wait_state (dev, KIOSK_DEVICE_STATE_READY, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_autoptr (JsonObject) data = ptu_load_data (jobs[i].template_name);
      g_autoptr (KioskPrintRecord) record = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *file = NULL;
      g_autofree char *text = NULL;
      g_autofree char *qr = NULL;
      g_autofree char *expected_qr = kiosk_print_qr_payload (jobs[i].template_name, data);
      g_autofree char *statuses = NULL;
      gboolean ok;

      /* proxy-authorisation's signature_file is relative to the data folder. */
      if (json_object_has_member (data, "signature_file"))
        {
          g_autofree char *sig = ptu_data_path ("signature.png");
          json_object_set_string_member (data, "signature_file", sig);
        }
      ok = kiosk_printer_device_print_sync (dev, jobs[i].template_name, data, jobs[i].document_id, NULL, NULL, &record,
                                            &error);
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_nonnull (record);
      g_assert_cmpint (record->status, ==, KIOSK_PRINT_RECORD_PRINTED);
      g_assert_cmpint (record->job_id, >, 0);
      g_assert_cmpstr (record->job_state, ==, "completed");
      g_assert_cmpstr (record->kiosk_id, ==, "TEST-01");
      g_assert_cmpstr (record->printer, ==, kiosk_printer_sim_get_uri (sim));
      statuses = sunk_statuses (&sink, record->record_id);
      g_assert_cmpstr (statuses, ==, "pending,submitted,printed");

      file = received_file (sim, record->job_id);
      ptu_assert_fonts_embedded (file);
      text = ptu_pdf_text (file);
      ptu_assert_text_contains (text, jobs[i].expect);
      qr = ptu_decode_pdf_qr (file);
      g_assert_cmpstr (qr, ==, expected_qr);
    }
  g_assert_cmpuint (count_received (sim), ==, G_N_ELEMENTS (jobs));
  wait_state (dev, KIOSK_DEVICE_STATE_READY, NULL);
  kiosk_device_stop (KIOSK_DEVICE (dev));
  sink_clear (&sink);
}

/* ---- duplicates and audited reprints ------------------------------------- */

static void
test_reprint_is_explicit (void)
{
  g_autoptr (KioskConfig) config = make_config ("sim", NULL);
  g_autoptr (KioskPrinterDevice) dev = NULL;
  g_autoptr (JsonObject) data = ptu_load_data ("certificate");
  g_autoptr (KioskPrintRecord) first = NULL;
  g_autoptr (KioskPrintRecord) again = NULL;
  g_autoptr (KioskPrintRecord) reprint = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  const char *doc = "certificate:YLZM-2026-8F3K-7Q2M";
  KioskReprint no_reason = { "staff-07", "" };
  KioskReprint ok_reprint = { "staff-07", "resident lost the first copy" };
  const char *const mark[] = { "补打件", "第 1 次补打", NULL };
  KioskPrinterSim *sim;
  KioskPrintLedger *ledger;
  Sink sink;

  if (!ptu_have_tools ())
    return;
  dev = make_device (config, &sink);
  sim = kiosk_printer_device_get_sim (dev);
  ledger = kiosk_printer_device_get_ledger (dev);

  g_assert_true (kiosk_printer_device_print_sync (dev, "certificate", data, doc, NULL, NULL, &first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_received (sim), ==, 1);

  /* The same document again, not asked as a reprint: refused, nothing sent. */
  g_assert_false (kiosk_printer_device_print_sync (dev, "certificate", data, doc, NULL, NULL, &again, &error));
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_ALREADY_PRINTED);
  g_assert_null (again);
  g_clear_error (&error);
  g_assert_cmpuint (count_received (sim), ==, 1);

  /* A reprint needs who and why. */
  g_assert_false (kiosk_printer_device_print_sync (dev, "certificate", data, doc, &no_reason, NULL, NULL, &error));
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA);
  g_clear_error (&error);

  g_assert_true (kiosk_printer_device_print_sync (dev, "certificate", data, doc, &ok_reprint, NULL, &reprint, &error));
  g_assert_no_error (error);
  g_assert_cmpint (reprint->status, ==, KIOSK_PRINT_RECORD_PRINTED);
  g_assert_cmpint (reprint->reprint_count, ==, 1);
  g_assert_cmpstr (reprint->reprint_of, ==, first->record_id);
  g_assert_cmpstr (reprint->reprint_by, ==, "staff-07");
  g_assert_cmpstr (reprint->reprint_reason, ==, "resident lost the first copy");
  g_assert_cmpstr (reprint->document_id, ==, doc);
  g_assert_cmpuint (count_received (sim), ==, 2);

  /* The reprinted certificate carries the mark; the first did not. */
  file = received_file (sim, reprint->job_id);
  text = ptu_pdf_text (file);
  ptu_assert_text_contains (text, mark);
  g_free (text);
  g_free (file);
  file = received_file (sim, first->job_id);
  text = ptu_pdf_text (file);
  g_assert_null (strstr (text, "补打"));

  g_assert_cmpuint (kiosk_print_ledger_count_printed (ledger, doc), ==, 2);
  {
    g_autoptr (GPtrArray) all = kiosk_print_ledger_list (ledger, doc);
    g_assert_cmpuint (all->len, ==, 2);
  }
  kiosk_device_stop (KIOSK_DEVICE (dev));
  sink_clear (&sink);
}

/* After a restart the kiosk still knows what it printed (the journal). */
static void
test_journal_survives_restart (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-journal-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "print-journal", NULL);
  g_autoptr (JsonObject) data = ptu_load_data ("certificate");
  const char *doc = "certificate:YLZM-2026-8F3K-7Q2M";
  g_autoptr (GError) error = NULL;

  for (int run = 0; run < 2; run++)
    {
      g_autoptr (KioskConfig) config = make_config ("sim", NULL);
      g_autoptr (KioskPrinterDevice) dev = NULL;
      g_autoptr (KioskPrintRecord) record = NULL;
      gboolean ok;

      g_assert_true (kiosk_config_set (config, "printer", "journal", journal, &error));
      dev = make_device (config, NULL);
      ok = kiosk_printer_device_print_sync (dev, "certificate", data, doc, NULL, NULL, &record, &error);
      if (run == 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (record->status, ==, KIOSK_PRINT_RECORD_PRINTED);
        }
      else
        {
          /* A new process, a new printer: still refused without a reprint. */
          g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_ALREADY_PRINTED);
          g_assert_false (ok);
          g_assert_cmpuint (count_received (kiosk_printer_device_get_sim (dev)), ==, 0);
          g_assert_cmpuint (kiosk_print_ledger_count_printed (kiosk_printer_device_get_ledger (dev), doc), ==, 1);
        }
      kiosk_device_stop (KIOSK_DEVICE (dev));
    }
  g_unlink (journal);
  g_rmdir (dir);
}

/* ---- faults --------------------------------------------------------------- */

typedef struct {
  char *control;
  char *command;
  KioskPrinterSim *sim;
} FaultPrinter;

static void
fault_printer_start (FaultPrinter *fp, const char *fault)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *env = NULL;
  const char *envv[2];
  KioskPrinterSimOptions opt = { 0 };

  fp->control = g_dir_make_tmp ("kiosk-fault-XXXXXX", &error);
  g_assert_no_error (error);
  if (fault)
    {
      g_autofree char *path = g_build_filename (fp->control, "fault", NULL);
      g_assert_true (g_file_set_contents (path, fault, -1, NULL));
    }
  fp->command = g_build_filename (KIOSK_SOURCE_DIR, "tests", "printer", "sim-fault-command.sh", NULL);
  env = g_strdup_printf ("KIOSK_SIM_CONTROL=%s", fp->control);
  envv[0] = env;
  envv[1] = NULL;
  opt.name = "FaultSim";
  opt.command = fp->command;
  opt.env = envv;
  fp->sim = kiosk_printer_sim_start (&opt, &error);
  g_assert_no_error (error);
}

static void
fault_printer_stop (FaultPrinter *fp)
{
  g_autofree char *fault = g_build_filename (fp->control, "fault", NULL);
  g_autofree char *started = g_build_filename (fp->control, "started", NULL);

  kiosk_printer_sim_free (fp->sim);
  g_unlink (fault);
  g_unlink (started);
  g_rmdir (fp->control);
  g_free (fp->control);
  g_free (fp->command);
}

typedef struct {
  const char *fault;
  const char *keyword;
  const char *message;
} Fault;

static const Fault faults[] = {
  { "media-empty", "media-empty", "打印机缺纸，请联系工作人员" },
  { "media-jam", "media-jam", "打印机卡纸，请联系工作人员" },
  { "cover-open", "cover-open", "打印机盖板未关闭，请联系工作人员" },
};

static void
test_fault_condition (gconstpointer user_data)
{
  const Fault *f = user_data;
  FaultPrinter fp = { 0 };
  g_autoptr (KioskConfig) config = NULL;
  g_autoptr (KioskPrinterDevice) dev = NULL;
  g_autoptr (JsonObject) data = ptu_load_data ("receipt");
  g_autoptr (JsonObject) other = ptu_load_data ("guide");
  g_autoptr (KioskPrintRecord) record = NULL;
  g_autoptr (KioskPrintRecord) second = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *statuses = NULL;
  KioskPrintLedger *ledger;
  const char *doc = "receipt:LQ20261122-000123";
  guint received;
  Sink sink;

  fault_printer_start (&fp, f->fault);
  config = make_config ("real", kiosk_printer_sim_get_uri (fp.sim));
  dev = make_device (config, &sink);
  ledger = kiosk_printer_device_get_ledger (dev);
  wait_state (dev, KIOSK_DEVICE_STATE_READY, NULL);

  /* The printer takes the job, raises the condition and aborts it. */
  g_assert_false (kiosk_printer_device_print_sync (dev, "receipt", data, doc, NULL, NULL, &record, &error));
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_ABORTED);
  g_clear_error (&error);
  g_assert_nonnull (record);
  g_assert_cmpint (record->status, ==, KIOSK_PRINT_RECORD_FAILED);
  g_assert_cmpstr (record->job_state, ==, "aborted");
  statuses = sunk_statuses (&sink, record->record_id);
  g_assert_cmpstr (statuses, ==, "pending,submitted,failed");
  g_assert_cmpuint (kiosk_print_ledger_count_printed (ledger, doc), ==, 0);

  /* The device says why, in plain Chinese. */
  wait_state (dev, KIOSK_DEVICE_STATE_ERROR, f->message);
  g_assert_nonnull (strstr (kiosk_device_get_reason (KIOSK_DEVICE (dev)), f->keyword));
  received = count_received (fp.sim);

  /* Nothing is printed again unasked... */
  g_assert_false (kiosk_printer_device_print_sync (dev, "receipt", data, doc, NULL, NULL, NULL, &error));
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_ALREADY_PRINTED);
  g_clear_error (&error);
  /* ...and a new document is not sent to a printer in that state. */
  g_assert_false (kiosk_printer_device_print_sync (dev, "guide", other, NULL, NULL, NULL, &second, &error));
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_NOT_READY);
  g_assert_cmpint (second->status, ==, KIOSK_PRINT_RECORD_NOT_SUBMITTED);
  g_assert_cmpint (second->job_id, ==, 0);
  g_assert_cmpuint (count_received (fp.sim), ==, received);
  g_assert_cmpstr (kiosk_print_error_message (error), ==, "打印机未就绪，请联系工作人员");

  kiosk_device_stop (KIOSK_DEVICE (dev));
  fault_printer_stop (&fp);
  sink_clear (&sink);
}

/* The printer is not there at all (switched off, cable out). */
static void
test_fault_offline (void)
{
  FaultPrinter fp = { 0 };
  g_autoptr (KioskConfig) config = NULL;
  g_autoptr (KioskPrinterDevice) dev = NULL;
  g_autoptr (JsonObject) data = ptu_load_data ("receipt");
  g_autoptr (KioskPrintRecord) record = NULL;
  g_autoptr (GError) error = NULL;
  const char *doc = "receipt:LQ20261122-000123";
  Sink sink;

  fault_printer_start (&fp, NULL);
  config = make_config ("real", kiosk_printer_sim_get_uri (fp.sim));
  dev = make_device (config, &sink);
  wait_state (dev, KIOSK_DEVICE_STATE_READY, NULL);

  kiosk_printer_sim_kill (fp.sim);
  wait_state (dev, KIOSK_DEVICE_STATE_ABSENT, "打印机未连接，请联系工作人员");

  g_assert_false (kiosk_printer_device_print_sync (dev, "receipt", data, doc, NULL, NULL, &record, &error));
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE);
  g_assert_cmpint (record->status, ==, KIOSK_PRINT_RECORD_NOT_SUBMITTED);
  g_assert_cmpint (record->job_id, ==, 0);
  g_assert_cmpuint (kiosk_print_ledger_count_printed (kiosk_printer_device_get_ledger (dev), doc), ==, 0);
  g_assert_cmpuint (count_received (fp.sim), ==, 0);
  /* Nothing reached the printer: trying again later is a first print. */
  g_assert_null (kiosk_print_ledger_find_sent (kiosk_printer_device_get_ledger (dev), doc));

  kiosk_device_stop (KIOSK_DEVICE (dev));
  fault_printer_stop (&fp);
  sink_clear (&sink);
}

/* Issue #12.9 and .11 inside the kiosk: a document over its caps (a station
 * of 200,000 newlines dereferenced a NULL GError in the print job; a guide
 * of 200,000 steps took minutes) is refused before the printer is asked,
 * recorded not submitted, and the resident is told plainly. */
static void
test_too_long_refused (void)
{
  FaultPrinter fp = { 0 };
  g_autoptr (KioskConfig) config = NULL;
  g_autoptr (KioskPrinterDevice) dev = NULL;
  g_autoptr (JsonObject) page = json_object_new ();
  g_autoptr (JsonObject) guide = ptu_load_data ("guide");
  JsonArray *steps = json_array_new ();
  char *newlines = g_strnfill (200000, '\n');
  Sink sink;

  json_object_set_string_member (page, "station", newlines);
  g_free (newlines);
  for (int i = 0; i < 200000; i++)
    json_array_add_string_element (steps, "核验身份证件");
  json_object_set_array_member (guide, "steps", steps);

  fault_printer_start (&fp, NULL);
  config = make_config ("real", kiosk_printer_sim_get_uri (fp.sim));
  dev = make_device (config, &sink);
  wait_state (dev, KIOSK_DEVICE_STATE_READY, NULL);
  for (int k = 0; k < 2; k++)
    {
      g_autoptr (KioskPrintRecord) record = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *statuses = NULL;

      g_assert_false (kiosk_printer_device_print_sync (dev, k ? "guide" : "test-page", k ? guide : page, NULL, NULL,
                                                       NULL, &record, &error));
      g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG);
      g_assert_cmpstr (kiosk_print_error_message (error), ==, "单据内容过长，无法打印，请联系工作人员");
      g_assert_nonnull (record);
      g_assert_cmpint (record->status, ==, KIOSK_PRINT_RECORD_NOT_SUBMITTED);
      g_assert_cmpint (record->job_id, ==, 0);
      statuses = sunk_statuses (&sink, record->record_id);
      g_assert_cmpstr (statuses, ==, "pending,not_submitted");
    }
  g_assert_cmpuint (count_received (fp.sim), ==, 0);

  kiosk_device_stop (KIOSK_DEVICE (dev));
  fault_printer_stop (&fp);
  sink_clear (&sink);
}

/* The printer dies while the job is printing: the outcome is unknown, so
 * the record says interrupted, it is not counted, and it is not resent. */
static void
test_fault_killed_mid_job (void)
{
  FaultPrinter fp = { 0 };
  g_autoptr (KioskConfig) config = NULL;
  g_autoptr (KioskPrinterDevice) dev = NULL;
  g_autoptr (JsonObject) data = ptu_load_data ("certificate");
  g_autoptr (KioskPrintRecord) record = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *started = NULL;
  g_autofree char *statuses = NULL;
  const char *doc = "certificate:YLZM-2026-8F3K-7Q2M";
  gint64 until;
  Sink sink;

  fault_printer_start (&fp, "hang");
  started = g_build_filename (fp.control, "started", NULL);
  config = make_config ("real", kiosk_printer_sim_get_uri (fp.sim));
  dev = make_device (config, &sink);
  wait_state (dev, KIOSK_DEVICE_STATE_READY, NULL);

  kiosk_printer_device_print_async (dev, "certificate", data, doc, NULL, NULL, NULL, NULL);
  /* (The result is read from the ledger below; the task reports to no one.) */
  until = g_get_monotonic_time () + STATE_WAIT_US;
  while (!g_file_test (started, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
  g_assert_true (g_file_test (started, G_FILE_TEST_EXISTS));
  wait_state (dev, KIOSK_DEVICE_STATE_BUSY, NULL);
  kiosk_printer_sim_kill (fp.sim);

  /* Wait for the job's accounting to end. */
  until = g_get_monotonic_time () + STATE_WAIT_US;
  for (;;)
    {
      g_autoptr (GPtrArray) recs = kiosk_print_ledger_list (kiosk_printer_device_get_ledger (dev), doc);
      g_main_context_iteration (NULL, FALSE);
      if (recs->len == 1 && ((KioskPrintRecord *) recs->pdata[0])->status == KIOSK_PRINT_RECORD_INTERRUPTED)
        {
          record = kiosk_print_record_copy (recs->pdata[0]);
          break;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_usleep (20 * 1000);
    }
  g_assert_cmpint (record->job_id, >, 0);
  g_assert_nonnull (strstr (record->detail, "lost contact"));
  statuses = sunk_statuses (&sink, record->record_id);
  g_assert_cmpstr (statuses, ==, "pending,submitted,interrupted");
  wait_state (dev, KIOSK_DEVICE_STATE_ABSENT, "打印机未连接，请联系工作人员");

  /* Not counted, and not printed again without an explicit reprint. */
  g_assert_cmpuint (kiosk_print_ledger_count_printed (kiosk_printer_device_get_ledger (dev), doc), ==, 0);
  g_assert_false (kiosk_printer_device_print_sync (dev, "certificate", data, doc, NULL, NULL, NULL, &error));
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_ALREADY_PRINTED);
  {
    g_autoptr (GPtrArray) recs = kiosk_print_ledger_list (kiosk_printer_device_get_ledger (dev), doc);
    g_assert_cmpuint (recs->len, ==, 1);
  }

  kiosk_device_stop (KIOSK_DEVICE (dev));
  fault_printer_stop (&fp);
  sink_clear (&sink);
}

/* A device going to error or absent logs a warning: expected here. */
static gboolean
fatal_handler (const char *log_domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  return !((level & G_LOG_LEVEL_WARNING)
           && (g_strcmp0 (log_domain, "kiosk-device") == 0 || g_strcmp0 (log_domain, "kiosk-printer") == 0));
}

int
main (int argc, char **argv)
{
  g_autofree char *ipp = g_find_program_in_path ("ippeveprinter");
  g_autofree char *dbus = g_find_program_in_path ("dbus-daemon");

  /* The resident's messages in Chinese, from the catalogue in the build tree. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, KIOSK_BUILD_DIR "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (fatal_handler, NULL);
  /* kiosk-device logs error/absent transitions with g_log_structured at
   * warning level, which the handler above does not see. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  if (ipp == NULL || dbus == NULL)
    {
      g_test_message ("ippeveprinter (cups-ipp-utils) or dbus-daemon (dbus) not installed");
      return 77;
    }

  g_test_add_func ("/printer/print/all-templates", test_print_all_templates);
  g_test_add_func ("/printer/print/reprint-is-explicit", test_reprint_is_explicit);
  g_test_add_func ("/printer/print/journal-survives-restart", test_journal_survives_restart);
  for (gsize i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/printer/fault/%s", faults[i].fault);
      g_test_add_data_func (path, &faults[i], test_fault_condition);
    }
  g_test_add_func ("/printer/print/too-long-refused", test_too_long_refused);
  g_test_add_func ("/printer/fault/offline", test_fault_offline);
  g_test_add_func ("/printer/fault/killed-mid-job", test_fault_killed_mid_job);
  return g_test_run ();
}
