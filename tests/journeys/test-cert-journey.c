/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 证明打印's core without GTK (issue 15): the kiosk core with its store,
 * the reference platform (seed-documents.json) and a real IPP printer
 * (ippeveprinter) reached through the kiosk's IPP backend. Covers the list
 * of a resident's documents, the preview rendered by the print renderer,
 * a print counted only once the printer confirmed it (and not when the
 * printer is gone), a 补打 that needs its reason and carries it on the page
 * and in the record, the daily limit, GET /v1/verify/{code} after the
 * records synced, the not_offered proofs, the wipe, and offline: the
 * request queued in the store and synced once the platform is back. */
#include "config.h"

#include <string.h>

#include "kiosk-cert-journey.h"
#include "kiosk-core.h"
#include "kiosk-domain-codec.h"
#include "kiosk-store.h"
#include "print-document.h"
#include "print-sim.h"
#include "printer-device.h"
#include "store-test-util.h"

static struct {
  char *dir;
  int platform_port;
  TestPlatform *platform;
  KioskPrinterSim *printer;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskCertJourney *cert;
} T;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_FOR(cond, secs)                                            \
  G_STMT_START                                                          \
  {                                                                     \
    gboolean _timed_out = FALSE;                                        \
    guint _t = g_timeout_add_seconds ((secs), timeout_cb, &_timed_out); \
    while (!(cond) && !_timed_out)                                      \
      g_main_context_iteration (NULL, TRUE);                            \
    if (!_timed_out)                                                    \
      g_source_remove (_t);                                             \
    if (!(cond))                                                        \
      g_error ("timed out waiting for: %s", #cond);                     \
  }                                                                     \
  G_STMT_END

static int
free_port (void)
{
  g_autoptr (GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) a = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (s, a, TRUE, NULL));
  bound = g_socket_get_local_address (s, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The demo's elder card (drivers/idcard/fixtures/resident-elder.json). */
static KioskIdentity *
elder (void)
{
  KioskIdentity *id = kiosk_identity_new ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("欧阳秀兰");
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市朝阳区演示街道示例小区3号楼2单元101室");
  id->valid_to = g_strdup ("长期");
  return id;
}

static void
start_platform (void)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%d", T.platform_port);
  const char *args[] = { "--listen", listen, NULL };

  T.platform = test_platform_start (T.dir, args);
}

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *catalog_path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *catalog = NULL;
  KioskPrinterSimOptions popt = { .name = "KioskCert" };

  T.dir = g_dir_make_tmp ("kiosk-cert-XXXXXX", &error);
  g_assert_no_error (error);
  T.platform_port = free_port ();
  start_platform ();
  T.printer = kiosk_printer_sim_start (&popt, &error);
  g_assert_no_error (error);
  conf = g_strdup_printf ("[kiosk]\nid=CT-01\nstation=测试村便民服务站\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\ntimeout-seconds=5\n"
                          "[idcard]\nbackend=real\nports=%s/no-such-tty\ntransport=serial\n"
                          "[camera]\nbackend=real\n[pad]\nbackend=none\n"
                          "[printer]\nbackend=real\nuri=%s\ncertificate-daily-limit=2\n",
                          T.dir, T.platform_port, T.dir, kiosk_printer_sim_get_uri (T.printer));
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  WAIT_FOR (kiosk_core_get_store (T.core) != NULL && kiosk_core_get_sync (T.core) != NULL, 20);
  kiosk_sync_set_backoff (kiosk_core_get_sync (T.core), 50, 500);
  g_assert_true (g_file_get_contents (catalog_path, &catalog, NULL, &error));
  g_assert_true (kiosk_store_set_catalog (kiosk_core_get_store (T.core), catalog, NULL, &error));
  g_assert_no_error (error);
  T.cert = KIOSK_CERT_JOURNEY (kiosk_session_find_journey (T.session, "certificate"));
  g_assert_nonnull (T.cert);
  g_assert_true (kiosk_journey_get_available (KIOSK_JOURNEY (T.cert)));
}

static void
teardown (void)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", T.dir);

  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  test_platform_stop (T.platform);
  kiosk_printer_sim_free (T.printer);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.dir);
  memset (&T, 0, sizeof T);
}

/* The elder's card read, 证明打印 chosen, the list loaded. */
static void
enter (void)
{
  g_autoptr (KioskIdentity) who = elder ();

  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_touch (T.session));
  g_assert_true (kiosk_session_select_journey (T.session, "certificate"));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);
  g_assert_true (kiosk_session_identity_read (T.session, who));
  g_assert_true (kiosk_session_get_journey (T.session) == KIOSK_JOURNEY (T.cert));
  WAIT_FOR (kiosk_cert_journey_get_state (T.cert) != KIOSK_CERT_LOADING, 20);
}

static guint
printed (const char *code)
{
  KioskDevice *dev = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");
  g_autofree char *doc = g_strconcat ("certificate:", code, NULL);

  return kiosk_print_ledger_count_printed (kiosk_printer_device_get_ledger (KIOSK_PRINTER_DEVICE (dev)), doc);
}

static char *
run_tool (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* The newest PDF the printer received, as text without white space. */
static char *
last_pdf_text (guint expect_count)
{
  g_autoptr (GPtrArray) received = kiosk_printer_sim_list_received (T.printer);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", NULL, "-", NULL };
  g_autofree char *text = NULL;
  GString *s = g_string_new (NULL);

  g_assert_cmpuint (received->len, ==, expect_count);
  argv[3] = received->pdata[received->len - 1];
  text = run_tool (argv);
  /* Kept next to the journeys' screenshots for a look. */
  if (g_getenv ("KIOSK_BUILD_DIR"))
    {
      g_autofree char *dir = g_build_filename (g_getenv ("KIOSK_BUILD_DIR"), "tests", "journeys", "screenshots", NULL);
      g_autofree char *name = g_strdup_printf ("cert-journey-%u.pdf", expect_count);
      g_autofree char *to = g_build_filename (dir, name, NULL);
      g_autofree char *bytes = NULL;
      gsize len;
      g_mkdir_with_parents (dir, 0755);
      if (g_file_get_contents (argv[3], &bytes, &len, NULL))
        g_file_set_contents (to, bytes, (gssize) len, NULL);
    }
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)) && g_utf8_get_char (p) != 0x3000)
      g_string_append_unichar (s, g_utf8_get_char (p));
  return g_string_free (s, FALSE);
}

static gboolean
have (const char *tool)
{
  g_autofree char *p = g_find_program_in_path (tool);
  return p != NULL;
}

/* The QR code on the newest PDF the printer received (zbarimg on a 200 dpi
 * rendering). */
static char *
last_pdf_qr (void)
{
  g_autoptr (GPtrArray) received = kiosk_printer_sim_list_received (T.printer);
  g_autofree char *root = g_build_filename (T.dir, "qr", NULL);
  g_autofree char *png = g_strdup_printf ("%s.png", root);
  const char *render[] = { "pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile", NULL, root, NULL };
  const char *decode[] = { "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png, NULL };
  char *out;

  render[9] = received->pdata[received->len - 1];
  g_free (run_tool (render));
  out = run_tool (decode);
  g_strchomp (out);
  return out;
}

static void
test_list_print_reprint_limit (void)
{
  GPtrArray *docs;
  const KioskCertificate *c;
  GBytes *png;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;

  setup ();
  enter ();
  g_assert_cmpint (kiosk_cert_journey_get_state (T.cert), ==, KIOSK_CERT_READY);
  docs = kiosk_cert_journey_get_documents (T.cert);
  g_assert_nonnull (docs);
  /* The elder's three documents, newest first, with department and date. */
  g_assert_cmpuint (docs->len, ==, 3);
  c = docs->pdata[0];
  g_assert_cmpstr (c->title, ==, "养老保险待遇领取证明");
  g_assert_cmpstr (c->department, ==, "北京市朝阳区社会保险事业管理中心");
  g_assert_cmpstr (c->issued_date, ==, "2026-11-15");
  g_assert_cmpuint (c->fields->len, ==, 4);
  g_assert_cmpstr (((KioskCertificate *) docs->pdata[1])->title, ==, "特困人员救助供养证明");
  g_assert_cmpstr (((KioskCertificate *) docs->pdata[2])->title, ==, "退役军人优待证信息记录");
  g_assert_cmpuint (kiosk_cert_journey_get_skipped (T.cert), ==, 0);

  /* Proofs village committees no longer issue: where to go instead. */
  g_assert_true (kiosk_cert_journey_search_not_offered (T.cert, "无犯罪记录证明", &name, &where));
  g_assert_cmpstr (name, ==, "无犯罪记录");
  g_assert_null (where);
  g_clear_pointer (&name, g_free);
  g_assert_true (kiosk_cert_journey_search_not_offered (T.cert, "婚姻登记记录证明", &name, &where));
  g_assert_cmpstr (name, ==, "婚姻登记记录证明");
  g_assert_nonnull (strstr (where, "婚姻登记机关"));
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&where, g_free);
  g_assert_false (kiosk_cert_journey_search_not_offered (T.cert, "养老保险", &name, &where));

  /* The preview: the page as the renderer draws it, PNG. */
  kiosk_cert_journey_select (T.cert, 0);
  g_assert_cmpuint (kiosk_journey_get_step (KIOSK_JOURNEY (T.cert)), ==, 1);
  code = g_strdup (kiosk_cert_journey_get_selected (T.cert)->code);
  WAIT_FOR (kiosk_cert_journey_get_preview (T.cert) != NULL || kiosk_cert_journey_get_preview_error (T.cert), 20);
  png = kiosk_cert_journey_get_preview (T.cert);
  g_assert_nonnull (png);
  g_assert_cmpuint (g_bytes_get_size (png), >, 20000);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 4, "\x89PNG", 4);
  g_assert_false (kiosk_cert_journey_is_reprint (T.cert));
  g_assert_cmpuint (kiosk_cert_journey_get_daily_limit (T.cert), ==, 2);

  /* The first print: counted once the printer confirmed it. */
  g_assert_cmpuint (printed (code), ==, 0);
  kiosk_cert_journey_print (T.cert, -1);
  g_assert_cmpint (kiosk_cert_journey_get_print_state (T.cert), ==, KIOSK_CERT_PRINT_PRINTING);
  g_assert_cmpuint (printed (code), ==, 0);
  WAIT_FOR (kiosk_cert_journey_get_print_state (T.cert) != KIOSK_CERT_PRINT_PRINTING, 60);
  g_assert_cmpint (kiosk_cert_journey_get_print_state (T.cert), ==, KIOSK_CERT_PRINT_DONE);
  g_assert_cmpint (kiosk_cert_journey_get_last_reprint_count (T.cert), ==, 0);
  g_assert_cmpuint (printed (code), ==, 1);
  g_assert_cmpuint (kiosk_cert_journey_get_printed_today (T.cert), ==, 1);
  if (have ("pdftotext"))
    {
      text = last_pdf_text (1);
      g_assert_nonnull (strstr (text, "养老保险待遇领取证明"));
      g_assert_nonnull (strstr (text, "仅供办理政务服务事项时使用"));
      g_assert_nonnull (strstr (text, code));
      g_assert_nonnull (strstr (text, "待遇状态：正常发放"));
      g_assert_null (strstr (text, "补打"));
      g_clear_pointer (&text, g_free);
    }
  if (have ("pdftoppm") && have ("zbarimg"))
    {
      g_autofree char *qr = last_pdf_qr ();
      g_assert_cmpstr (qr, ==, code);
    }

  /* Again: a 补打, which needs its reason first. */
  g_assert_true (kiosk_cert_journey_is_reprint (T.cert));
  kiosk_cert_journey_print (T.cert, -1);
  g_assert_cmpint (kiosk_cert_journey_get_print_state (T.cert), ==, KIOSK_CERT_PRINT_NEEDS_REASON);
  g_assert_cmpuint (printed (code), ==, 1);
  kiosk_cert_journey_print (T.cert, KIOSK_CERT_REPRINT_LOST);
  WAIT_FOR (kiosk_cert_journey_get_print_state (T.cert) != KIOSK_CERT_PRINT_PRINTING, 60);
  g_assert_cmpint (kiosk_cert_journey_get_print_state (T.cert), ==, KIOSK_CERT_PRINT_DONE);
  g_assert_cmpint (kiosk_cert_journey_get_last_reprint_count (T.cert), ==, 1);
  g_assert_cmpuint (printed (code), ==, 2);
  {
    KioskDevice *dev = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");
    g_autofree char *doc = g_strconcat ("certificate:", code, NULL);
    g_autoptr (KioskPrintRecord) r
        = kiosk_print_ledger_find_sent (kiosk_printer_device_get_ledger (KIOSK_PRINTER_DEVICE (dev)), doc);
    g_assert_nonnull (r);
    g_assert_cmpint (r->status, ==, KIOSK_PRINT_RECORD_PRINTED);
    g_assert_cmpint (r->reprint_count, ==, 1);
    g_assert_cmpstr (r->reprint_by, ==, "resident");
    g_assert_cmpstr (r->reprint_reason, ==, "原件遗失");
  }
  if (have ("pdftotext"))
    {
      text = last_pdf_text (2);
      g_assert_nonnull (strstr (text, "补打件（第1次补打）"));
      g_assert_nonnull (strstr (text, "补打原因：原件遗失"));
      g_assert_nonnull (strstr (text, code));
      g_clear_pointer (&text, g_free);
    }

  /* The daily limit (2 here): nothing more is sent today. */
  kiosk_cert_journey_print (T.cert, KIOSK_CERT_REPRINT_MORE);
  g_assert_cmpint (kiosk_cert_journey_get_print_state (T.cert), ==, KIOSK_CERT_PRINT_LIMIT);
  g_assert_cmpuint (printed (code), ==, 2);

  /* The records reach the platform: GET /v1/verify/{code}. */
  g_assert_true (kiosk_sync_run_until_empty (kiosk_core_get_sync (T.core), 60, NULL, NULL));
  {
    g_autofree char *path = g_strconcat ("/v1/verify/", code, NULL);
    int status = 0;
    g_autoptr (GBytes) body = test_platform_get (T.platform, path, &status);
    g_autoptr (JsonNode) node = NULL;
    JsonObject *o, *holder;
    g_assert_cmpint (status, ==, 200);
    node = json_from_string (g_bytes_get_data (body, NULL), NULL);
    g_assert_nonnull (node);
    o = json_node_get_object (node);
    g_assert_true (json_object_get_boolean_member (o, "valid"));
    g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, "养老保险待遇领取证明");
    g_assert_cmpstr (json_object_get_string_member (o, "issued_date"), ==, "2026-11-15");
    g_assert_cmpint (json_object_get_int_member (o, "prints"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (o, "reprints"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o, "last_printed_at"), >, 0);
    holder = json_object_get_object_member (o, "holder");
    g_assert_cmpstr (json_object_get_string_member (holder, "name"), ==, "欧***");
    g_assert_cmpstr (json_object_get_string_member (holder, "id_number"), ==, "1101**********002X");
    g_bytes_unref (test_platform_get (T.platform, "/v1/verify/NO-SUCH-CODE", &status));
    g_assert_cmpint (status, ==, 404);
  }

  /* The printer gone: a print fails with a message and is not counted. */
  g_assert_true (kiosk_session_back (T.session));
  g_assert_cmpuint (kiosk_journey_get_step (KIOSK_JOURNEY (T.cert)), ==, 0);
  kiosk_cert_journey_select (T.cert, 1);
  g_clear_pointer (&code, g_free);
  code = g_strdup (kiosk_cert_journey_get_selected (T.cert)->code);
  kiosk_printer_sim_kill (T.printer);
  kiosk_cert_journey_print (T.cert, -1);
  WAIT_FOR (kiosk_cert_journey_get_print_state (T.cert) != KIOSK_CERT_PRINT_PRINTING, 120);
  g_assert_cmpint (kiosk_cert_journey_get_print_state (T.cert), ==, KIOSK_CERT_PRINT_FAILED);
  g_assert_nonnull (kiosk_cert_journey_get_print_message (T.cert));
  g_assert_cmpuint (printed (code), ==, 0);

  /* The wipe drops the resident's documents. */
  kiosk_session_wipe (T.session);
  g_assert_null (kiosk_cert_journey_get_documents (T.cert));
  g_assert_null (kiosk_cert_journey_get_selected (T.cert));
  g_assert_null (kiosk_cert_journey_get_preview (T.cert));
  teardown ();
}

static void
test_offline_queue (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskOutboxItem) item = NULL;
  g_autoptr (JsonNode) node = NULL;
  JsonObject *o;
  KioskStore *store;

  setup ();
  test_platform_stop (T.platform);
  T.platform = NULL;
  enter ();
  /* Certificates need the network: said, nothing listed. */
  g_assert_cmpint (kiosk_cert_journey_get_state (T.cert), ==, KIOSK_CERT_OFFLINE);
  g_assert_null (kiosk_cert_journey_get_documents (T.cert));
  /* The not_offered list still answers (the stored catalog). */
  g_assert_true (kiosk_cert_journey_search_not_offered (T.cert, "开具亲属关系证明", NULL, NULL));

  kiosk_cert_journey_queue_request (T.cert, KIOSK_CERT_DELIVERY_POST);
  WAIT_FOR (kiosk_cert_journey_get_queue_state (T.cert) != KIOSK_CERT_QUEUE_SAVING, 20);
  g_assert_cmpint (kiosk_cert_journey_get_queue_state (T.cert), ==, KIOSK_CERT_QUEUE_DONE);
  /* Once is enough: a second touch queues nothing more. */
  kiosk_cert_journey_queue_request (T.cert, KIOSK_CERT_DELIVERY_POST);
  g_assert_cmpint (kiosk_cert_journey_get_queue_state (T.cert), ==, KIOSK_CERT_QUEUE_DONE);

  store = kiosk_core_get_store (T.core);
  item = kiosk_store_outbox_head (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);
  g_assert_cmpstr (item->kind, ==, "certificate_request");
  node = json_from_string (item->payload, NULL);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "kiosk_id"), ==, "CT-01");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "applicant"), "id_number"), ==,
                   "11010519491231002X");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "delivery"), "method"), ==, "post");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "delivery"), "address"), ==,
                   "北京市朝阳区演示街道示例小区3号楼2单元101室");

  /* The platform is back: the request is delivered exactly once. */
  start_platform ();
  g_assert_true (kiosk_sync_run_until_empty (kiosk_core_get_sync (T.core), 60, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_platform_stat (T.platform, "other_records"), ==, 1);
  /* A confirmed print the platform holds but this kiosk's ledger does not
   * (another kiosk, or this one before a restart without a journal). */
  {
    KioskPrintRecord r = { 0 };
    g_autofree char *json = NULL;
    r.record_id = (char *) "0b7c9d3e-elsewhere";
    r.document_id = (char *) "certificate:ZM9T-R5LC-2026-C3";
    r.template_name = (char *) "certificate";
    r.printer = (char *) "ipp://elsewhere/ipp/print";
    r.kiosk_id = (char *) "CT-02";
    r.status = KIOSK_PRINT_RECORD_PRINTED;
    r.created_at = r.submitted_at = r.finished_at = g_get_real_time ();
    json = kiosk_print_record_to_json (&r);
    g_assert_cmpint (kiosk_store_enqueue_print_record (store, json, &error), >, 0);
    g_assert_no_error (error);
    g_assert_true (kiosk_sync_run_until_empty (kiosk_core_get_sync (T.core), 60, NULL, &error));
    g_assert_no_error (error);
  }
  /* And now the list comes, with what the platform knows of prints. */
  kiosk_cert_journey_reload (T.cert);
  WAIT_FOR (kiosk_cert_journey_get_state (T.cert) != KIOSK_CERT_LOADING, 20);
  g_assert_cmpint (kiosk_cert_journey_get_state (T.cert), ==, KIOSK_CERT_READY);
  g_assert_cmpuint (kiosk_cert_journey_get_documents (T.cert)->len, ==, 3);
  {
    const KioskCertificate *c = kiosk_cert_journey_get_documents (T.cert)->pdata[0];
    g_assert_cmpstr (c->code, ==, "ZM9T-R5LC-2026-C3");
    g_assert_cmpuint (c->prints, ==, 1);
    g_assert_cmpuint (c->printed_today, ==, 1);
    g_assert_cmpuint (((KioskCertificate *) kiosk_cert_journey_get_documents (T.cert)->pdata[1])->prints, ==, 0);
  }
  kiosk_cert_journey_select (T.cert, 0);
  /* Printed elsewhere: a copy here is a 补打, and today's count holds. */
  g_assert_true (kiosk_cert_journey_is_reprint (T.cert));
  g_assert_cmpuint (kiosk_cert_journey_get_printed_today (T.cert), ==, 1);
  kiosk_cert_journey_print (T.cert, -1);
  g_assert_cmpint (kiosk_cert_journey_get_print_state (T.cert), ==, KIOSK_CERT_PRINT_NEEDS_REASON);
  kiosk_cert_journey_select (T.cert, 1);
  g_assert_false (kiosk_cert_journey_is_reprint (T.cert));
  teardown ();
}

static void
test_codec (void)
{
  g_autoptr (GError) error = NULL;
  guint skipped = 0;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (JsonObject) data = NULL;
  const char *json
      = "{\"documents\": ["
        "{\"code\":\"AB12-CD34\",\"kind\":\"pension_receipt\",\"title\":\"T\",\"department\":\"D\","
        "\"issued_date\":\"2026-01-02\",\"body\":\"B\",\"fields\":[{\"label\":\"L\",\"value\":\"V\"}]},"
        "{\"code\":\"bad code\",\"kind\":\"k\",\"title\":\"T\",\"department\":\"D\",\"issued_date\":\"2026-01-02\","
        "\"body\":\"B\"},"
        "{\"code\":\"AB12-CD35\",\"kind\":\"k\",\"title\":\"T\",\"department\":\"D\",\"issued_date\":\"2026-02-30\","
        "\"body\":\"B\"},"
        "{\"code\":\"AB12-CD36\",\"kind\":\"k\",\"title\":\"T\\u202e\",\"department\":\"D\","
        "\"issued_date\":\"2026-01-02\",\"body\":\"B\"},"
        "{\"code\":\"AB12-CD12\",\"kind\":\"k\",\"title\":\"T\",\"department\":\"D\",\"issued_date\":\"2026-01-02\"},"
        "{\"code\":\"AB12-CD13\",\"kind\":\"k\",\"title\":\"T\",\"department\":\"D\",\"issued_date\":\"2026-01-02\","
        "\"body\":\"B\",\"prints\":1,\"printed_today\":2}"
        "]}";

  list = kiosk_certificate_list_decode (json, &skipped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpuint (skipped, ==, 5);
  g_assert_cmpuint (((KioskCertificate *) list->pdata[0])->prints, ==, 0);
  data = kiosk_certificate_to_print_data (list->pdata[0], "原件遗失");
  g_assert_cmpstr (json_object_get_string_member (data, "body"), ==, "B\nL：V");
  g_assert_cmpstr (json_object_get_string_member (data, "verification_ref"), ==, "AB12-CD34");
  g_assert_cmpstr (json_object_get_string_member (data, "watermark"), ==, "仅供办理政务服务事项时使用");
  g_assert_cmpstr (json_object_get_string_member (data, "reprint_reason"), ==, "原件遗失");
  g_assert_null (kiosk_certificate_list_decode ("[]", NULL, &error));
  g_assert_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_SYNTAX);
}

/* The codec on mangled answers (bytes flipped, cut, duplicated): never a
 * crash, and whatever it lets through prints (the certificate template's
 * caps hold for it). */
static void
test_codec_mutations (void)
{
  g_autofree char *path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-documents.json", NULL);
  g_autofree char *seed = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (15);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree char *answer = NULL;
  guint decoded = 0;

  g_assert_true (g_file_get_contents (path, &seed, NULL, &error));
  /* As the platform answers: {"documents": [...]}, without the holders. */
  g_assert_true (json_parser_load_from_data (parser, seed, -1, &error));
  {
    JsonArray *docs = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "documents");
    for (guint i = 0; i < json_array_get_length (docs); i++)
      json_object_remove_member (json_array_get_object_element (docs, i), "holder");
  }
  json_generator_set_root (gen, json_parser_get_root (parser));
  answer = json_generator_to_data (gen, NULL);
  for (guint round = 0; round < 3000; round++)
    {
      GString *m = g_string_new (answer);
      guint edits = 1 + g_rand_int_range (rand, 0, 4);
      g_autoptr (GPtrArray) list = NULL;
      for (guint e = 0; e < edits && m->len > 1; e++)
        {
          guint at = g_rand_int_range (rand, 0, (gint32) m->len);
          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              m->str[at] = (char) g_rand_int_range (rand, 1, 256);
              break;
            case 1:
              g_string_truncate (m, at);
              break;
            case 2:
              g_string_insert (m, at, "\\u202e\\u0000\\n\\\"[{");
              break;
            default:
              {
                guint len = MIN (m->len - at, 200);
                g_autofree char *copy = g_strndup (m->str + at, len);
                g_string_insert (m, at, copy);
              }
            }
        }
      list = kiosk_certificate_list_decode (m->str, NULL, NULL);
      for (guint i = 0; list && i < list->len; i++)
        {
          g_autoptr (JsonObject) data = kiosk_certificate_to_print_data (list->pdata[i], "原件遗失");
          g_autoptr (GError) check = NULL;
          g_assert_true (kiosk_print_check_data ("certificate", data, &check));
          g_assert_no_error (check);
          decoded++;
        }
      g_string_free (m, TRUE);
    }
  /* The mutations leave many documents intact: the property was tested. */
  g_assert_cmpuint (decoded, >, 500);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Warnings (plain HTTP in a test, a printer gone) are expected here;
   * criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/cert/codec", test_codec);
  g_test_add_func ("/cert/codec-mutations", test_codec_mutations);
  if (!have ("ippeveprinter") || !have ("dbus-daemon"))
    {
      g_printerr ("SKIP the printing tests: ippeveprinter or dbus-daemon is not installed (tools/setup-deps)\n");
      return g_test_run ();
    }
  g_test_add_func ("/cert/list-print-reprint-limit", test_list_print_reprint_limit);
  g_test_add_func ("/cert/offline-queue", test_offline_queue);
  return g_test_run ();
}
