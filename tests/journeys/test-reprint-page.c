/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 进度查询's 重新打印回执 on screen (issue 14 point 4), in-process under Xvfb:
 * an RS-009 case handed in at this kiosk with its photo owed under 容缺, no
 * platform answering, a real IPP printer (ippeveprinter) behind the kiosk's
 * real backend.
 *  - the applicant's card, 我的办件: the case's 重新打印回执 button; pressed,
 *    the receipt and the 容缺受理通知书 reach the printer (pdftotext: 补打,
 *    the provisional number with its 临时编号 notice), the page says it was
 *    printed again and marked 补打;
 *  - someone else's card, the same number typed: its status, no button;
 *  - the printer gone: the button disabled, the plain message and the
 *    staff's phone.
 * With the argument "small" the same in a 1280x800 window. Screenshots in
 * build/tests/journeys/screenshots-reprint(-1280x800). Skips (77)
 * without a display, ippeveprinter, dbus-daemon or poppler-utils. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "kiosk-domain-codec.h"
#include "kiosk-progress-journey.h"
#include "kiosk-store.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"
#include "print-sim.h"
#include "printer-device.h"

static const char *const APPLICANT = "11010519491231002X";
static const char *const SOMEONE_ELSE = "440524188001010014";

static struct {
  gboolean small;
  char *dir;
  char *number;
  KioskPrinterSim *printer;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  KioskProgressJourney *progress;
} T;

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

static KioskIdentity *
person (const char *id_number, const char *name)
{
  KioskIdentity *id = kiosk_identity_new ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup (name);
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup (id_number);
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市朝阳区某街道1号");
  id->valid_to = g_strdup ("长期");
  return id;
}

static gboolean
is_named (GtkWidget *w, gpointer name)
{
  return gtk_widget_get_mapped (w) && g_strcmp0 (gtk_widget_get_name (w), name) == 0;
}

static GtkWidget *
shown_named (const char *name)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_named, (gpointer) name, found);
  return found->len ? found->pdata[0] : NULL;
}

/* RS-009 for the applicant, the photo owed, as 自助申报 stores it. */
static void
hand_in_case (void)
{
  g_autoptr (GError) error = NULL;
  KioskStore *store = kiosk_core_get_store (T.core);
  g_autofree char *item_json = kiosk_store_get_catalog_item (store, "RS-009", &error);
  g_autoptr (KioskCatalogItem) item = NULL;
  g_autoptr (KioskIdentity) who = person (APPLICANT, "张三");
  g_autoptr (KioskCaseDraft) draft = NULL;
  g_autoptr (GDate) today = g_date_new ();
  char *json;

  g_assert_no_error (error);
  item = kiosk_catalog_item_decode (item_json, strlen (item_json), &error);
  g_assert_no_error (error);
  draft = kiosk_case_draft_new (item, who);
  g_assert_true (kiosk_case_draft_set_value (draft, "phone", "13800001234"));
  g_assert_true (kiosk_case_draft_set_value (draft, "bank", "农业银行"));
  g_date_set_time_t (today, time (NULL));
  g_assert_true (kiosk_case_draft_owe_material (
      draft, (guint) kiosk_catalog_item_find_material (item, "符合制卡要求的电子照片"), today, &error));
  g_assert_no_error (error);
  json = kiosk_case_draft_encode (draft, &error);
  g_assert_no_error (error);
  T.number = kiosk_store_submit_case (store, json, NULL, &error);
  kiosk_secure_free (json);
  g_assert_no_error (error);
}

/* From the attract screen, @who's card, then the 进度查询 tile. */
static void
enter (const char *who)
{
  KioskDevice *reader = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");
  KioskIdentity *id = person (who, "某人");

  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
  g_signal_emit_by_name (reader, "identity", id);
  kiosk_identity_free (id);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_MENU, 20);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_click ("进度查询");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_journey (T.session) == KIOSK_JOURNEY (T.progress), 20);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_progress_journey_get_mine_state (T.progress) != KIOSK_PROGRESS_MINE_LOADING, 30);
  kiosk_ui_test_wait_frame ();
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

/* pdftotext, every white space removed (lines break anywhere). */
static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  g_autofree char *text = run_tool (argv);
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)) && g_utf8_get_char (p) != 0x3000)
      g_string_append_unichar (s, g_utf8_get_char (p));
  return g_string_free (s, FALSE);
}

static guint
n_received (void)
{
  g_autoptr (GPtrArray) received = kiosk_printer_sim_list_received (T.printer);
  return received->len;
}

/* ---- tests ------------------------------------------------------------------- */

static void
test_applicant_reprints (void)
{
  g_autofree char *name = NULL;
  g_autofree char *status_name = NULL;
  g_autoptr (GPtrArray) received = NULL;
  GtkWidget *button, *status;
  guint before = n_received ();
  gboolean saw_receipt = FALSE, saw_notice = FALSE;

  enter (APPLICANT);
  kiosk_ui_test_assert_shown ("我的办件");
  name = g_strdup_printf ("progress-reprint-%s", T.number);
  button = shown_named (name);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "重新打印回执");
  g_assert_true (gtk_widget_is_sensitive (button));
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot ("my-cases-reprint-button");

  g_signal_emit_by_name (button, "clicked");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_progress_journey_get_reprint_state (T.progress) == KIOSK_PROGRESS_REPRINT_PRINTED
                              || kiosk_progress_journey_get_reprint_state (T.progress) == KIOSK_PROGRESS_REPRINT_FAILED,
                          90);
  g_assert_cmpint (kiosk_progress_journey_get_reprint_state (T.progress), ==, KIOSK_PROGRESS_REPRINT_PRINTED);
  g_assert_cmpuint (kiosk_progress_journey_get_reprints_printed (T.progress), ==, 2);
  kiosk_ui_test_wait_frame ();
  status_name = g_strdup_printf ("%s-status", name);
  status = shown_named (status_name);
  g_assert_nonnull (status);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "补打"));
  kiosk_ui_test_screenshot ("reprinted");

  /* What the printer received: both documents, marked 补打, with the
   * provisional number and its notice (the platform gave none). */
  KIOSK_UI_TEST_WAIT_FOR (n_received () >= before + 2, 30);
  received = kiosk_printer_sim_list_received (T.printer);
  g_assert_cmpuint (received->len, ==, before + 2);
  for (guint i = before; i < received->len; i++)
    {
      g_autofree char *text = pdf_text (received->pdata[i]);
      g_autofree char *base = g_path_get_basename (received->pdata[i]);
      g_autofree char *keep = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys", "printed-reprint", base, NULL);
      g_autofree char *bytes = NULL;
      g_autofree char *keep_dir = g_path_get_dirname (keep);
      gsize len = 0;

      g_mkdir_with_parents (keep_dir, 0755);
      g_assert_true (g_file_get_contents (received->pdata[i], &bytes, &len, NULL));
      g_assert_true (g_file_set_contents (keep, bytes, (gssize) len, NULL));
      if (strstr (text, "补打") == NULL || strstr (text, T.number) == NULL || strstr (text, "临时编号") == NULL)
        g_error ("%s lacks 补打, the number or 临时编号:\n%s", (char *) received->pdata[i], text);
      if (strstr (text, "受理回执"))
        saw_receipt = TRUE;
      else if (strstr (text, "容缺受理通知书"))
        saw_notice = TRUE;
    }
  g_assert_true (saw_receipt);
  g_assert_true (saw_notice);
}

/* Someone else typing the applicant's number: the status, no button. */
static void
test_not_applicant (void)
{
  GtkWidget *entry;

  enter (SOMEONE_ELSE);
  entry = kiosk_ui_test_find_type (GTK_WIDGET (T.window), GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), T.number);
  g_signal_emit_by_name (entry, "activate");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_progress_journey_get_state (T.progress) == KIOSK_PROGRESS_FOUND, 30);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown (T.number);
  g_assert_null (shown_named ("progress-reprint"));
  g_assert_null (kiosk_ui_test_find_shown ("重新打印回执"));
  kiosk_ui_test_screenshot ("someone-else-status-only");
}

/* The printer gone: disabled, and why, with the staff's phone. */
static void
test_printer_absent (void)
{
  KioskDevice *printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");
  g_autofree char *name = g_strdup_printf ("progress-reprint-%s", T.number);
  g_autofree char *problem = g_strdup_printf ("%s-problem", name);
  GtkWidget *button;

  kiosk_printer_sim_kill (T.printer);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (printer) == KIOSK_DEVICE_STATE_ABSENT
                              || kiosk_device_get_state (printer) == KIOSK_DEVICE_STATE_ERROR,
                          60);
  enter (APPLICANT);
  button = shown_named (name);
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_nonnull (shown_named (problem));
  kiosk_ui_test_assert_shown ("打印机暂时无法使用，不能重新打印回执。请稍后再来，或联系工作人员。");
  kiosk_ui_test_assert_shown ("工作人员电话：0571-00000000");
  kiosk_ui_test_screenshot ("printer-absent");
  /* The same case typed by its applicant: the same, under the case. */
  {
    GtkWidget *entry = kiosk_ui_test_find_type (GTK_WIDGET (T.window), GTK_TYPE_ENTRY);
    gtk_editable_set_text (GTK_EDITABLE (entry), T.number);
    g_signal_emit_by_name (entry, "activate");
  }
  KIOSK_UI_TEST_WAIT_FOR (kiosk_progress_journey_get_state (T.progress) == KIOSK_PROGRESS_FOUND, 30);
  kiosk_ui_test_wait_frame ();
  button = shown_named ("progress-reprint");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_nonnull (shown_named ("progress-reprint-problem"));
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot ("printer-absent-typed");
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

static gboolean
have_tools (void)
{
  static const char *const tools[] = { "ippeveprinter", "dbus-daemon", "pdftotext", NULL };

  for (guint i = 0; tools[i]; i++)
    {
      g_autofree char *p = g_find_program_in_path (tools[i]);
      if (p == NULL)
        {
          g_printerr ("SKIP: %s is not installed (cups-ipp-utils, dbus, poppler-utils: tools/setup-deps)\n", tools[i]);
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
  KioskPrinterSimOptions popt = { .name = "KioskReprintPage" };
  int ret;

  if (argc > 1 && g_str_equal (argv[argc - 1], "small"))
    {
      T.small = TRUE;
      argc--;
    }
  if (!have_tools ())
    return 77;
  kiosk_ui_test_init (&argc, &argv);
  T.dir = g_dir_make_tmp ("kiosk-reprint-page-XXXXXX", &error);
  g_assert_no_error (error);
  T.printer = kiosk_printer_sim_start (&popt, &error);
  g_assert_no_error (error);
  conf = g_strdup_printf ("[kiosk]\nid=RP-02\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\n"
                          "[idcard]\nbackend=sim\n[camera]\nbackend=real\n[pad]\nbackend=none\n"
                          "[printer]\nbackend=real\nuri=%s\npoll-seconds=1\n%s",
                          T.dir, free_port (), kiosk_printer_sim_get_uri (T.printer),
                          T.small ? "[ui]\nfullscreen=false\nwidth=1280\nheight=800\n" : "");
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL && kiosk_core_get_sync (T.core) != NULL, 30);
  g_assert_true (g_file_get_contents (catalog_path, &catalog, NULL, &error));
  g_assert_true (kiosk_store_set_catalog (kiosk_core_get_store (T.core), catalog, NULL, &error));
  g_assert_no_error (error);
  hand_in_case ();
  T.progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_find_journey (T.session, "progress"));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer"))
                              == KIOSK_DEVICE_STATE_READY,
                          60);

  shots = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys",
                            T.small ? "screenshots-reprint-1280x800" : "screenshots-reprint", NULL);
  T.window = kiosk_ui_test_open_window (T.core, !T.small, shots);

  g_test_add_func ("/reprint-page/applicant", test_applicant_reprints);
  g_test_add_func ("/reprint-page/not-applicant", test_not_applicant);
  g_test_add_func ("/reprint-page/printer-absent", test_printer_absent);
  ret = g_test_run ();

  kiosk_ui_test_close_window ();
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  kiosk_printer_sim_free (T.printer);
  cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.number);
  g_free (T.dir);
  return ret;
}
