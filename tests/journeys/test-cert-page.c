/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 证明打印 on screen (issue 15), one run per argument: "zh", "en" (English
 * switched on the menu) or "elder" (长辈模式, Chinese). The reference
 * platform lists the demo elder's documents; the page shows them with
 * department and date, explains a proof village committees no longer
 * issue, previews the chosen one (the renderer's page as a picture) and
 * prints it through the kiosk's real IPP backend on ippeveprinter. The PDF
 * the printer received is read back: pdftotext (title, watermark line,
 * verification code; 补打 and its reason on the reprint) and zbarimg (the
 * QR code carries the verification code). The print records sync and
 * GET /v1/verify/{code} counts them. Then offline: the plain message and
 * a request queued. Every step is screenshotted
 * (build/tests/journeys/screenshots-cert-<run>/), touch targets measured. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kiosk-cert-journey.h"
#include "kiosk-core.h"
#include "kiosk-store.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"
#include "print-sim.h"
#include "printer-device.h"
#include "store-test-util.h"

static struct {
  char *dir;
  gboolean en, elder;
  int platform_port;
  TestPlatform *platform;
  KioskPrinterSim *printer;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  KioskCertJourney *cert;
} T;

static const char *
L (const char *en, const char *zh)
{
  return T.en ? en : zh;
}

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

static gboolean
is_named (GtkWidget *w, gpointer name)
{
  return gtk_widget_get_mapped (w) && g_strcmp0 (gtk_widget_get_name (w), name) == 0;
}

static GtkWidget *
named (const char *name)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_named, (gpointer) name, found);
  if (found->len == 0)
    g_error ("no widget named %s on screen", name);
  return found->pdata[0];
}

static gboolean
has_named (const char *name)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_named, (gpointer) name, found);
  return found->len > 0;
}

static void
press_named (const char *name)
{
  GtkWidget *b = named (name);

  g_assert_true (gtk_widget_is_sensitive (b));
  kiosk_window_activity (T.window);
  g_signal_emit_by_name (b, "clicked");
  kiosk_ui_test_wait_frame ();
}

static void
assert_label_has (const char *name, const char *needle)
{
  const char *text = kiosk_ui_test_widget_text (named (name));

  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("%s shows \"%s\", not \"%s\"", name, text ? text : "(nothing)", needle);
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

/* The newest PDF the printer received (@count in all), kept with the
 * screenshots, as text without white space. */
static char *
printed_text (guint count, char **pdf_out)
{
  g_autoptr (GPtrArray) received = kiosk_printer_sim_list_received (T.printer);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", NULL, "-", NULL };
  g_autofree char *text = NULL;
  GString *s = g_string_new (NULL);

  g_assert_cmpuint (received->len, ==, count);
  argv[3] = received->pdata[received->len - 1];
  *pdf_out = g_strdup (argv[3]);
  text = run_tool (argv);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)) && g_utf8_get_char (p) != 0x3000)
      g_string_append_unichar (s, g_utf8_get_char (p));
  return g_string_free (s, FALSE);
}

static char *
pdf_qr (const char *pdf, const char *keep_as)
{
  g_autofree char *root = g_build_filename (T.dir, "qr", NULL);
  g_autofree char *png = g_strdup_printf ("%s.png", root);
  const char *render[] = { "pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile", pdf, root, NULL };
  const char *decode[] = { "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png, NULL };
  g_autofree char *ignored = run_tool (render);
  g_autofree char *bytes = NULL;
  gsize len;
  char *out;

  /* The PDF next to the screenshots, for a look. */
  if (g_file_get_contents (pdf, &bytes, &len, NULL))
    g_file_set_contents (keep_as, bytes, (gssize) len, NULL);
  out = run_tool (decode);
  g_strchomp (out);
  return out;
}

static void
enter (void)
{
  KioskDevice *reader = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");
  KioskIdentity *id = kiosk_identity_new ();

  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);
  if (T.en)
    {
      g_signal_emit_by_name (kiosk_ui_test_button ("English"), "clicked");
      kiosk_ui_test_wait_frame ();
    }
  if (T.elder)
    {
      kiosk_session_set_elder_mode (T.session, TRUE);
      kiosk_ui_test_wait_frame ();
    }
  kiosk_ui_test_click (L ("Print certificates", "证明打印"));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);
  /* The demo's elder card (drivers/idcard/fixtures/resident-elder.json). */
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("欧阳秀兰");
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市朝阳区演示街道示例小区3号楼2单元101室");
  id->valid_to = g_strdup ("长期");
  g_signal_emit_by_name (reader, "identity", id);
  kiosk_identity_free (id);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_JOURNEY, 20);
  g_assert_true (kiosk_session_get_journey (T.session) == KIOSK_JOURNEY (T.cert));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_cert_journey_get_state (T.cert) != KIOSK_CERT_LOADING, 30);
  kiosk_ui_test_wait_frame ();
  if (T.elder)
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (T.window), "elder"));
}

/* On the list: on screen, or in 长辈模式 on a later page of it (第 2/2 页:
 * 下一页 until it is shown, then back to the first page). */
static void
assert_listed (const char *title)
{
  guint turned = 0;

  if (!T.elder)
    {
      kiosk_ui_test_assert_shown (title);
      return;
    }
  kiosk_ui_test_assert_shown ("第 1/");
  while (kiosk_ui_test_find_shown (title) == NULL)
    {
      kiosk_ui_test_click ("下一页"); /* fails once there is no next page */
      kiosk_ui_test_wait_frame ();
      turned++;
    }
  if (turned > 0)
    kiosk_ui_test_screenshot ("list-next-page");
  while (turned-- > 0)
    {
      kiosk_ui_test_click ("上一页");
      kiosk_ui_test_wait_frame ();
    }
  kiosk_ui_test_assert_shown ("第 1/");
}

static void
test_list_preview_print (void)
{
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *keep = NULL;

  enter ();
  g_assert_cmpint (kiosk_cert_journey_get_state (T.cert), ==, KIOSK_CERT_READY);
  KIOSK_UI_TEST_WAIT_FOR (has_named ("cert-doc-0"), 10);
  kiosk_ui_test_assert_shown (L ("Certificates you can print", "您可以打印的证明"));
  kiosk_ui_test_assert_shown ("养老保险待遇领取证明");
  assert_listed ("特困人员救助供养证明");
  assert_listed ("退役军人优待证信息记录");
  kiosk_ui_test_assert_shown (L ("北京市朝阳区社会保险事业管理中心 · issued 2026-11-15",
                                 "北京市朝阳区社会保险事业管理中心 · 出具日期 2026-11-15"));
  kiosk_ui_test_assert_touch_targets (T.elder ? 80 : 64);
  kiosk_ui_test_screenshot ("list");

  /* A proof village committees no longer issue: where to go instead. */
  gtk_editable_set_text (GTK_EDITABLE (named ("cert-search")), "无犯罪记录证明");
  kiosk_ui_test_wait_frame ();
  assert_label_has ("cert-search-answer", L ("no longer issue", "不再出具"));
  assert_label_has ("cert-search-answer", "无犯罪记录");
  kiosk_ui_test_screenshot ("not-offered");
  gtk_editable_set_text (GTK_EDITABLE (named ("cert-search")), "婚姻登记记录证明");
  kiosk_ui_test_wait_frame ();
  assert_label_has ("cert-search-answer", "婚姻登记机关");
  kiosk_ui_test_screenshot ("in-person-only");
  gtk_editable_set_text (GTK_EDITABLE (named ("cert-search")), "");

  /* The preview: the renderer's page. */
  press_named ("cert-doc-0");
  code = g_strdup (kiosk_cert_journey_get_selected (T.cert)->code);
  KIOSK_UI_TEST_WAIT_FOR (gtk_picture_get_paintable (GTK_PICTURE (named ("cert-preview"))) != NULL, 30);
  kiosk_ui_test_wait_frame ();
  assert_label_has ("cert-code", code);
  assert_label_has ("cert-department", "北京市朝阳区社会保险事业管理中心");
  g_assert_cmpint (
      gdk_paintable_get_intrinsic_height (gtk_picture_get_paintable (GTK_PICTURE (named ("cert-preview")))), >, 1000);
  kiosk_ui_test_assert_shown (L ("Check the certificate, then touch Print.", "请核对证明内容，然后点击“打印”。"));
  kiosk_ui_test_assert_touch_targets (T.elder ? 80 : 64);
  kiosk_ui_test_screenshot ("preview");

  /* 打印: counted when the printer confirmed it. */
  press_named ("cert-print");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_cert_journey_get_print_state (T.cert) != KIOSK_CERT_PRINT_PRINTING, 60);
  g_assert_cmpint (kiosk_cert_journey_get_print_state (T.cert), ==, KIOSK_CERT_PRINT_DONE);
  kiosk_ui_test_wait_frame ();
  assert_label_has ("cert-print-status", L ("Printed. Please take your certificate.", "已打印，请取走您的证明。"));
  kiosk_ui_test_screenshot ("printed");
  text = printed_text (1, &pdf);
  g_assert_nonnull (strstr (text, "养老保险待遇领取证明"));
  g_assert_nonnull (strstr (text, "仅供办理政务服务事项时使用"));
  g_assert_nonnull (strstr (text, code));
  g_assert_null (strstr (text, "补打"));
  keep = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys",
                           T.en      ? "screenshots-cert-en"
                           : T.elder ? "screenshots-cert-elder"
                                     : "screenshots-cert-zh",
                           "certificate.pdf", NULL);
  qr = pdf_qr (pdf, keep);
  g_assert_cmpstr (qr, ==, code);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&pdf, g_free);
  g_clear_pointer (&qr, g_free);
  g_clear_pointer (&keep, g_free);

  /* Again: 补打, with its reason. */
  kiosk_ui_test_assert_shown (L ("Print again (补打)", "补打"));
  press_named ("cert-print");
  g_assert_cmpint (kiosk_cert_journey_get_print_state (T.cert), ==, KIOSK_CERT_PRINT_NEEDS_REASON);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown (L ("The copy I had is lost", "原件遗失"));
  kiosk_ui_test_assert_touch_targets (T.elder ? 80 : 64);
  kiosk_ui_test_screenshot ("reprint-reason");
  press_named ("cert-reason-0");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_cert_journey_get_print_state (T.cert) != KIOSK_CERT_PRINT_PRINTING, 60);
  g_assert_cmpint (kiosk_cert_journey_get_print_state (T.cert), ==, KIOSK_CERT_PRINT_DONE);
  kiosk_ui_test_wait_frame ();
  assert_label_has ("cert-print-status", L ("Printed again", "已补打"));
  kiosk_ui_test_screenshot ("reprinted");
  text = printed_text (2, &pdf);
  g_assert_nonnull (strstr (text, "补打件（第1次补打）"));
  g_assert_nonnull (strstr (text, "补打原因：原件遗失"));
  keep = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys",
                           T.en      ? "screenshots-cert-en"
                           : T.elder ? "screenshots-cert-elder"
                                     : "screenshots-cert-zh",
                           "certificate-reprint.pdf", NULL);
  qr = pdf_qr (pdf, keep);
  g_assert_cmpstr (qr, ==, code);

  /* The platform verifies the code and counts the confirmed prints. */
  g_assert_true (kiosk_sync_run_until_empty (kiosk_core_get_sync (T.core), 60, NULL, NULL));
  {
    g_autofree char *path = g_strconcat ("/v1/verify/", code, NULL);
    int status = 0;
    g_autoptr (GBytes) body = test_platform_get (T.platform, path, &status);
    g_autoptr (JsonNode) node = NULL;
    JsonObject *o;
    g_assert_cmpint (status, ==, 200);
    node = json_from_string (g_bytes_get_data (body, NULL), NULL);
    o = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, "养老保险待遇领取证明");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "holder"), "name"), ==, "欧***");
    g_assert_cmpint (json_object_get_int_member (o, "prints"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (o, "reprints"), ==, 1);
  }

  /* The printer gone: 打印 disabled, and the page says why with the
   * staff's phone. */
  g_assert_true (kiosk_session_back (T.session));
  kiosk_ui_test_wait_frame ();
  press_named ("cert-doc-1");
  KIOSK_UI_TEST_WAIT_FOR (gtk_picture_get_paintable (GTK_PICTURE (named ("cert-preview"))) != NULL, 30);
  kiosk_printer_sim_kill (T.printer);
  {
    KioskDevice *printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");
    kiosk_printer_device_refresh (KIOSK_PRINTER_DEVICE (printer));
    KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (printer) != KIOSK_DEVICE_STATE_READY, 60);
  }
  kiosk_ui_test_wait_frame ();
  g_assert_false (gtk_widget_is_sensitive (named ("cert-print")));
  assert_label_has ("cert-problem", L ("The printer cannot be used at the moment", "打印机暂时无法使用"));
  kiosk_ui_test_assert_shown (L ("Staff phone: 0571-00000000", "工作人员电话：0571-00000000"));
  kiosk_ui_test_screenshot ("printer-gone");

  /* Done: on to the rating (something was printed). */
  press_named ("cert-done");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) != KIOSK_SESSION_JOURNEY, 10);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_RATE);
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

static void
test_offline (void)
{
  test_platform_stop (T.platform);
  T.platform = NULL;
  enter ();
  g_assert_cmpint (kiosk_cert_journey_get_state (T.cert), ==, KIOSK_CERT_OFFLINE);
  kiosk_ui_test_assert_shown (L ("Certificates need the network, and the government service platform cannot be "
                                 "reached right now, so nothing can be printed.",
                                 "打印证明需要联网，目前无法连接政务服务平台，暂时不能打印。"));
  kiosk_ui_test_assert_touch_targets (T.elder ? 80 : 64);
  kiosk_ui_test_screenshot ("offline");
  press_named ("cert-queue-next");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_cert_journey_get_queue_state (T.cert) == KIOSK_CERT_QUEUE_DONE, 20);
  kiosk_ui_test_wait_frame ();
  assert_label_has ("cert-queue-status", L ("Your request is saved on this kiosk", "您的申请已保存在本终端"));
  g_assert_false (gtk_widget_is_sensitive (named ("cert-queue-post")));
  kiosk_ui_test_screenshot ("offline-queued");
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

static gboolean
have_tools (void)
{
  static const char *const tools[] = { "ippeveprinter", "dbus-daemon", "pdftotext", "pdftoppm", "zbarimg", NULL };

  for (guint i = 0; tools[i]; i++)
    {
      g_autofree char *p = g_find_program_in_path (tools[i]);
      if (p == NULL)
        {
          g_printerr ("SKIP: %s is not installed (tools/setup-deps)\n", tools[i]);
          return FALSE;
        }
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *catalog_path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *shots = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *listen = NULL;
  KioskPrinterSimOptions popt = { .name = "KioskCertPage" };
  const char *run = argc > 1 ? argv[argc - 1] : "zh";
  int ret;

  T.en = g_str_equal (run, "en");
  T.elder = g_str_equal (run, "elder");
  if (argc > 1)
    argc--;
  if (!have_tools ())
    return 77;
  kiosk_ui_test_init (&argc, &argv);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  T.dir = g_dir_make_tmp ("kiosk-cert-page-XXXXXX", &error);
  g_assert_no_error (error);
  T.printer = kiosk_printer_sim_start (&popt, &error);
  g_assert_no_error (error);
  T.platform_port = free_port ();
  listen = g_strdup_printf ("127.0.0.1:%d", T.platform_port);
  {
    const char *args[] = { "--listen", listen, NULL };
    T.platform = test_platform_start (T.dir, args);
  }
  conf = g_strdup_printf ("[kiosk]\nid=CP-01\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\ntimeout-seconds=5\n"
                          "[idcard]\nbackend=sim\n[camera]\nbackend=real\n[pad]\nbackend=none\n"
                          "[printer]\nbackend=real\nuri=%s\n",
                          T.dir, T.platform_port, kiosk_printer_sim_get_uri (T.printer));
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL && kiosk_core_get_sync (T.core) != NULL, 30);
  kiosk_sync_set_backoff (kiosk_core_get_sync (T.core), 50, 500);
  g_assert_true (g_file_get_contents (catalog_path, &catalog, NULL, &error));
  g_assert_true (kiosk_store_set_catalog (kiosk_core_get_store (T.core), catalog, NULL, &error));
  g_assert_no_error (error);
  T.cert = KIOSK_CERT_JOURNEY (kiosk_session_find_journey (T.session, "certificate"));
  g_assert_nonnull (T.cert);
  {
    KioskDevice *printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");
    KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (printer) == KIOSK_DEVICE_STATE_READY, 60);
  }
  shots = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys",
                            T.en      ? "screenshots-cert-en"
                            : T.elder ? "screenshots-cert-elder"
                                      : "screenshots-cert-zh",
                            NULL);
  {
    g_autoptr (GDir) d = g_dir_open (shots, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      if (g_str_has_suffix (name, ".png") || g_str_has_suffix (name, ".pdf"))
        {
          g_autofree char *path = g_build_filename (shots, name, NULL);
          g_remove (path);
        }
  }
  T.window = kiosk_ui_test_open_window (T.core, TRUE, shots);

  g_test_add_func ("/cert-page/list-preview-print", test_list_preview_print);
  g_test_add_func ("/cert-page/offline", test_offline);
  ret = g_test_run ();

  kiosk_ui_test_close_window ();
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  if (T.platform)
    test_platform_stop (T.platform);
  kiosk_printer_sim_free (T.printer);
  cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.dir);
  return ret;
}
