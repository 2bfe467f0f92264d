/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 代办 on screen, end to end, in-process under Xvfb (issue 15): the kiosk
 * window on the simulated devices (the printer is ippeveprinter), the seed
 * catalog and the station's agents in the store, offline. The agent opens
 * 代办服务, places their card, types a wrong PIN then the right one on the
 * on-screen keyboard, reads the resident's card, chooses RS-011, prints the
 * 代办服务委托书 (its PDF read back with pdftotext), has it scanned back,
 * confirms, files 自助申报 for the resident (the missing material listed at
 * once first), then hands the result over: the resident's own card, the
 * rating. Screenshots of every step (Chinese; with the argument "en" in
 * English, "elder" in 长辈模式), touch targets >= 64 px, the wipe ends it. Skips (77)
 * without a display. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "kiosk-agent-auth.h"
#include "kiosk-agent-journey.h"
#include "kiosk-apply-journey.h"
#include "kiosk-osk.h"
#include "kiosk-signature.h"
#include "kiosk-store.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"
#include "print-sim.h"
#include "printer-device.h"

#define SALT "0123456789abcdef"
#define AGENT_ID_NUMBER "440304198805120019"
#define RESIDENT_ID_NUMBER "11010519491231002X"

static struct {
  gboolean elder;
  gboolean en;
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  KioskAgentJourney *agent;
} T;

/* The label in the run's language. */
#define L(english, chinese) (T.en ? (english) : (chinese))

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

static void
shot (const char *what)
{
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_settle (200);
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot (what);
}

static void
place (const char *name, const char *id_number)
{
  KioskDevice *reader = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");
  KioskIdentity *id = kiosk_identity_new ();

  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup (name);
  id->gender_code = '1';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup (id_number);
  id->id_number_valid = TRUE;
  id->address = g_strdup ("某县某镇某村1号");
  id->valid_to = g_strdup ("长期");
  g_signal_emit_by_name (reader, "identity", id);
  kiosk_identity_free (id);
  kiosk_ui_test_wait_frame ();
}

static KioskPrinterSim *
printer_sim (void)
{
  KioskDevice *printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");

  g_assert_true (KIOSK_IS_PRINTER_DEVICE (printer));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (printer) == KIOSK_DEVICE_STATE_READY, 60);
  return kiosk_printer_device_get_sim (KIOSK_PRINTER_DEVICE (printer));
}

static void
type_pin (const char *pin)
{
  KioskOsk *osk = KIOSK_OSK (kiosk_ui_test_find_type (GTK_WIDGET (T.window), KIOSK_TYPE_OSK));

  g_assert_nonnull (osk);
  for (const char *k = pin; *k; k++)
    {
      char key[2] = { *k, 0 };
      GtkWidget *b = kiosk_osk_get_key (osk, key);
      g_assert_nonnull (b);
      g_assert_true (gtk_widget_is_drawable (b));
      g_signal_emit_by_name (b, "clicked");
    }
}

static char *
pdftotext (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_agent_on_screen (void)
{
  KioskApplyJourney *apply;
  guint printed_before;
  g_autofree char *number = NULL;
  g_autofree char *page_path
      = g_build_filename (KIOSK_SOURCE_DIR, "drivers", "camera", "sim-images", "01-page.jpg", NULL);
  g_autofree char *jpeg = NULL;
  gsize jpeg_len = 0;
  GtkWidget *entry;

  g_assert_true (g_file_get_contents (page_path, &jpeg, &jpeg_len, NULL));
  /* From the menu: 代办服务, the agent's card. */
  g_assert_true (kiosk_session_touch (T.session));
  if (T.elder)
    kiosk_session_set_elder_mode (T.session, TRUE);
  kiosk_ui_test_wait_frame ();
  if (T.en)
    {
      g_signal_emit_by_name (kiosk_ui_test_button ("English"), "clicked");
      kiosk_ui_test_wait_frame ();
      g_assert_cmpstr (kiosk_session_get_language (T.session), ==, "en");
    }
  kiosk_ui_test_click (L ("Agent service", "代办服务"));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);
  place ("李建国", AGENT_ID_NUMBER);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_agent_journey_get_login_state (T.agent) == KIOSK_AGENT_LOGIN_PIN, 20);
  kiosk_ui_test_assert_shown (
      L ("Agent 李建国: type your PIN and press Log in.", "代办员李建国：请输入密码并按“登录”。"));
  entry = GTK_WIDGET (kiosk_ui_test_find_type (named ("agent-login"), GTK_TYPE_ENTRY));
  g_assert_false (gtk_entry_get_visibility (GTK_ENTRY (entry)));
  shot ("agent-01-pin");

  /* A wrong PIN: said with the wait and the tries left. */
  type_pin ("111111");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "111111");
  kiosk_ui_test_click (L ("Log in", "登录"));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_agent_journey_get_login_state (T.agent) == KIOSK_AGENT_LOGIN_WRONG, 60);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  shot ("agent-02-wrong-pin");
  g_assert_false (gtk_widget_is_sensitive (kiosk_ui_test_button (L ("Log in", "登录"))));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_agent_journey_get_wait_seconds (T.agent) == 0
                              && gtk_widget_is_sensitive (kiosk_ui_test_button (L ("Log in", "登录"))),
                          15);
  type_pin ("246810");
  kiosk_ui_test_click (L ("Log in", "登录"));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_agent_journey_get_stage (T.agent) == KIOSK_AGENT_STAGE_MENU, 60);
  shot ("agent-03-menu");

  /* The resident's card, the item, the 委托书. */
  kiosk_ui_test_click (L ("Act for a resident", "为居民代办"));
  kiosk_ui_test_wait_frame ();
  shot ("agent-04-resident-card");
  place ("张三", RESIDENT_ID_NUMBER);
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_ITEM);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_agent_journey_get_items (T.agent)->len > 0, 20);
  kiosk_ui_test_wait_frame ();
  shot ("agent-05-items");
  g_assert_true (kiosk_agent_journey_choose_item (T.agent, "RS-011", NULL));
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("社会保障卡注销");
  kiosk_ui_test_assert_shown ("张*  1101**********002X");
  g_assert_false (gtk_widget_is_sensitive (kiosk_ui_test_button (L ("Confirm the authorisation", "确认委托"))));
  shot ("agent-06-authorisation");

  /* Printed for a signature on paper: the PDF on the printer. */
  printed_before = kiosk_printer_sim_list_received (printer_sim ())->len;
  kiosk_ui_test_click (L ("Print for a signature on paper", "打印纸质委托书签名"));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_agent_journey_get_auth_state (T.agent) == KIOSK_AGENT_AUTH_PRINTED, 60);
  {
    g_autoptr (GPtrArray) received = kiosk_printer_sim_list_received (printer_sim ());
    g_autofree char *text = NULL;
    g_autofree char *copy
        = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys", "screenshots-agent", "proxy-authorisation.pdf", NULL);
    g_autofree char *bytes = NULL;
    gsize len = 0;

    g_assert_cmpuint (received->len, ==, printed_before + 1);
    text = pdftotext (received->pdata[received->len - 1]);
    g_test_message ("委托书: %s", text);
    g_assert_nonnull (strstr (text, "代办服务委托书"));
    g_assert_nonnull (strstr (text, "社会保障卡注销"));
    g_assert_nonnull (strstr (text, "李建国"));
    g_assert_nonnull (strstr (text, "张三"));
    if (g_file_get_contents (received->pdata[received->len - 1], &bytes, &len, NULL))
      g_file_set_contents (copy, bytes, (gssize) len, NULL);
  }
  shot ("agent-07-printed");
  /* The signed paper under the camera (the page as the core forwards it). */
  {
    g_autoptr (GBytes) page = g_bytes_new (jpeg, jpeg_len);
    _kiosk_journey_page_captured (KIOSK_JOURNEY (T.agent), page, 1240, 1754, 150, NULL);
  }
  g_assert_cmpint (kiosk_agent_journey_get_auth_state (T.agent), ==, KIOSK_AGENT_AUTH_SCANNED);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_click (L ("Confirm the authorisation", "确认委托"));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_agent_journey_get_stage (T.agent) == KIOSK_AGENT_STAGE_APPLY, 20);
  kiosk_ui_test_wait_frame ();

  /* 自助申报 for the resident, with what is missing listed at once. */
  apply = kiosk_agent_journey_get_apply (T.agent);
  g_assert_cmpint (kiosk_apply_journey_get_current_step (apply), ==, KIOSK_APPLY_STEP_FORM);
  kiosk_ui_test_assert_shown (L ("Print the list of missing materials", "打印缺件清单"));
  shot ("agent-08-apply-form");
  kiosk_apply_journey_set_value (apply, "phone", "13800138000");
  g_assert_true (kiosk_apply_journey_next (apply, NULL));
  kiosk_ui_test_wait_frame ();
  shot ("agent-09-apply-missing");
  {
    int card = kiosk_catalog_item_find_material (kiosk_apply_journey_get_item (apply), "社会保障卡(非必要)");
    g_autoptr (GBytes) page = g_bytes_new (jpeg, jpeg_len);
    g_assert_true (kiosk_apply_journey_set_scan_target (apply, card, NULL));
    _kiosk_journey_page_captured (KIOSK_JOURNEY (T.agent), page, 1240, 1754, 150, NULL);
  }
  while (kiosk_apply_journey_get_current_step (apply) != KIOSK_APPLY_STEP_REVIEW)
    g_assert_true (kiosk_apply_journey_next (apply, NULL));
  g_assert_true (kiosk_apply_journey_submit (apply, NULL));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_submit_state (apply) == KIOSK_APPLY_SUBMIT_ACCEPTED, 30);
  number = g_strdup (kiosk_apply_journey_get_case_number (apply));
  /* The receipt on the printer first (the journey ends by itself after it
   * only with a delay; the test goes on at once). */
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_print_state (apply) == KIOSK_APPLY_PRINT_DONE
                              || kiosk_apply_journey_get_print_state (apply) == KIOSK_APPLY_PRINT_FAILED,
                          60);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_settle (300);
  shot ("agent-10-apply-done");
  g_assert_true (kiosk_apply_journey_finish (apply));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_MENU);

  /* The agent's list, the hand-over and the resident's feedback. */
  kiosk_ui_test_click (L ("My proxy cases", "我的代办件"));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_agent_journey_get_cases (T.agent)->len == 1, 20);
  g_assert_cmpstr (((KioskAgentCase *) kiosk_agent_journey_get_cases (T.agent)->pdata[0])->provisional, ==, number);
  kiosk_ui_test_wait_frame ();
  shot ("agent-11-cases");
  kiosk_ui_test_click (L ("Hand over", "交付结果"));
  kiosk_ui_test_wait_frame ();
  g_assert_false (gtk_widget_is_sensitive (kiosk_ui_test_button (L ("Submit the feedback", "提交反馈"))));
  shot ("agent-12-feedback-card");
  place ("张三", RESIDENT_ID_NUMBER);
  g_assert_true (kiosk_agent_journey_get_resident_confirmed (T.agent));
  kiosk_ui_test_click (L ("Satisfied", "满意"));
  kiosk_ui_test_wait_frame ();
  shot ("agent-13-feedback");
  kiosk_ui_test_click (L ("Submit the feedback", "提交反馈"));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_agent_journey_get_stage (T.agent) == KIOSK_AGENT_STAGE_CASES
                              && kiosk_agent_journey_get_cases (T.agent)->len == 0,
                          20);
  kiosk_ui_test_wait_frame ();
  shot ("agent-14-recorded");

  /* The wipe: the journey back at its login, its page gone. */
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_LOGIN);
}

static void
set_agents (void)
{
  g_autofree char *s = g_strconcat (SALT, ":", AGENT_ID_NUMBER, NULL);
  g_autofree char *h = g_compute_checksum_for_string (G_CHECKSUM_SHA256, s, -1);
  g_autofree char *pin = kiosk_pin_hash ("246810");
  g_autofree char *doc
      = g_strdup_printf ("{\"station\":{\"id\":\"ST-1\",\"name\":\"测试村便民服务站\"},\"id_salt\":\"" SALT
                         "\",\"agents\":[{\"id\":\"A-001\",\"name\":\"李建国\",\"id_number_hash\":"
                         "\"%s\",\"pin_hash\":\"%s\"}]}",
                         h, pin);
  g_assert_true (kiosk_store_set_meta (kiosk_core_get_store (T.core), "agents", doc, NULL));
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
  g_autofree char *images = NULL;
  int ret;

  if (argc > 1 && g_str_equal (argv[argc - 1], "elder"))
    {
      T.elder = TRUE;
      argc--;
    }
  else if (argc > 1 && g_str_equal (argv[argc - 1], "en"))
    {
      T.en = TRUE;
      argc--;
    }
  kiosk_ui_test_init (&argc, &argv);
  g_setenv ("GTK_A11Y", "test", TRUE);
  T.dir = g_dir_make_tmp ("kiosk-agent-page-XXXXXX", &error);
  g_assert_no_error (error);
  {
    /* The simulated camera looks at an empty mat: the test hands it pages. */
    g_autofree char *mat
        = g_build_filename (KIOSK_SOURCE_DIR, "drivers", "camera", "sim-images", "03-empty-mat.jpg", NULL);
    g_autofree char *bytes = NULL;
    g_autofree char *copy = NULL;
    gsize len = 0;

    images = g_build_filename (T.dir, "images", NULL);
    g_mkdir_with_parents (images, 0700);
    copy = g_build_filename (images, "03-empty-mat.jpg", NULL);
    g_assert_true (g_file_get_contents (mat, &bytes, &len, &error));
    g_assert_true (g_file_set_contents (copy, bytes, (gssize) len, &error));
  }
  conf = g_strdup_printf ("[kiosk]\nid=AG-02\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\n"
                          "[idcard]\nbackend=sim\n[camera]\nbackend=sim\nsim-images=%s\n"
                          "[pad]\nbackend=none\n[printer]\nbackend=sim\n",
                          T.dir, free_port (), images);
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 20);
  g_assert_true (g_file_get_contents (catalog_path, &catalog, NULL, &error));
  g_assert_true (kiosk_store_set_catalog (kiosk_core_get_store (T.core), catalog, NULL, &error));
  set_agents ();
  T.agent = KIOSK_AGENT_JOURNEY (kiosk_session_find_journey (T.session, "proxy"));
  g_assert_nonnull (T.agent);

  shots = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys",
                            T.elder ? "screenshots-agent-elder"
                            : T.en  ? "screenshots-agent-en"
                                    : "screenshots-agent",
                            NULL);
  g_mkdir_with_parents (shots, 0755);
  T.window = kiosk_ui_test_open_window (T.core, TRUE, shots);
  g_test_add_func ("/agent-page/on-screen", test_agent_on_screen);
  ret = g_test_run ();

  kiosk_ui_test_close_window ();
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.dir);
  return ret;
}
