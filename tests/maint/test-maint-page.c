/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The maintenance screen under Xvfb (issue #16 point 4), in Chinese: from
 * the menu, the gesture on the header (a long press on the station's name,
 * three taps on the clock), a wrong PIN typed on the on-screen keys (the
 * wait said and the keys off), the right one; the devices with their
 * states; 打印测试页 printed on a real IPP printer (ippeveprinter) through
 * the kiosk's real backend; 读卡测试 with a card placed on the simulated
 * reader (idcard-sim, read by the real device) showing the masked name and
 * number only; 评价器测试, 摄像头测试 (live picture), 日志摘录; 退出维护
 * back to the attract screen. Every screen at least 64 px per control,
 * fitting the window (1920x1080, or 1280x800 with "small"), screenshotted; the audit records in the outbox, nothing personal in them.
 * Skips (77) without a display, ippeveprinter or dbus-daemon. */
#include "config.h"

#include <string.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <sqlite3.h>

#include "kiosk-maint-page.h"
#include "kiosk-maint.h"
#include "kiosk-pin.h"
#include "kiosk-shell.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"
#include "pad-device.h"
#include "print-sim.h"

#define PIN "246810"

static struct {
  char *dir;
  char *control;
  KioskPrinterSim *printer;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskMaint *maint;
  KioskWindow *window;
  gint64 now;
  gboolean small;
} T;

static KioskShell *
shell (void)
{
  return KIOSK_SHELL (kiosk_window_get_shell (T.window));
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

/* One line to the simulated reader ("place resident"). */
static void
sim (const char *command)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketAddress) addr = g_unix_socket_address_new (T.control);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  g_autofree char *answer = NULL;

  conn = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (addr), NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), line, strlen (line), NULL, NULL,
                             &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  answer = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  if (answer == NULL || !g_str_has_prefix (answer, "ok"))
    g_error ("idcard-sim: %s -> %s", command, answer ? answer : "(nothing)");
}

static gboolean
has_controller (GtkWidget *w, gpointer name)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (w);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      if (g_strcmp0 (gtk_event_controller_get_name (c), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The drawn widget carrying the controller @name. */
static GtkWidget *
controlled (const char *name)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), has_controller, (gpointer) name, found);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (gtk_widget_is_drawable (found->pdata[0]));
  return found->pdata[0];
}

/* Its controller @name. */
static GtkEventController *
controller (const char *name)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (controlled (name));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      if (g_strcmp0 (gtk_event_controller_get_name (c), name) == 0)
        return c; /* the widget keeps it */
    }
  g_assert_not_reached ();
}

/* A real press in the middle of @w through the X server, held @hold_ms. */
static gboolean
x_press_on (GtkWidget *w, guint hold_ms)
{
  graphene_point_t p;

  g_assert_true (gtk_widget_compute_point (
      w, GTK_WIDGET (T.window), &GRAPHENE_POINT_INIT (gtk_widget_get_width (w) / 2.0, gtk_widget_get_height (w) / 2.0),
      &p));
  return kiosk_ui_test_x_press ((int) p.x, (int) p.y, hold_ms);
}

static void
check_screen (const char *what)
{
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot (what);
  /* A window (not fullscreen) grows to what its screen needs: it must not. */
  if (T.small
      && (gtk_widget_get_width (GTK_WIDGET (T.window)) > 1280 || gtk_widget_get_height (GTK_WIDGET (T.window)) > 800))
    g_error ("the %s screen needs %dx%d, more than 1280x800", what, gtk_widget_get_width (GTK_WIDGET (T.window)),
             gtk_widget_get_height (GTK_WIDGET (T.window)));
}

static void
type_pin (const char *pin)
{
  for (const char *p = pin; *p; p++)
    {
      char key[2] = { *p, 0 };
      kiosk_ui_test_click (key);
    }
  kiosk_ui_test_click (_ ("Confirm"));
}

static void
advance (int seconds)
{
  T.now += (gint64) seconds * G_USEC_PER_SEC;
  _kiosk_maint_set_now (T.maint, T.now);
  kiosk_maint_tick (T.maint);
}

/* The gesture on the header: real presses through the X server (XTest),
 * a long press on the station's name and taps on the clock; where XTest
 * cannot be used, the same as GTK delivers it to the labels' controllers. */
static void
gesture (void)
{
  GtkWidget *station = controlled ("maint-long-press");
  GtkWidget *clock = controlled ("maint-tap");

  /* Taps alone open nothing. */
  for (int i = 0; i < KIOSK_MAINT_CLOCK_TAPS; i++)
    if (!x_press_on (clock, 0))
      g_signal_emit_by_name (controller ("maint-tap"), "released", 1, 10.0, 10.0);
  kiosk_ui_test_settle (300);
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_OFF);
  /* A short touch on the name is no long press. */
  if (x_press_on (station, 300))
    {
      for (int i = 0; i < KIOSK_MAINT_CLOCK_TAPS; i++)
        {
          g_assert_true (x_press_on (clock, 0));
          kiosk_ui_test_settle (100);
        }
      kiosk_ui_test_settle (300);
      g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_OFF);
    }
  if (x_press_on (station, 1500))
    {
      g_test_message ("the gesture through XTest");
      for (int i = 0; i < KIOSK_MAINT_CLOCK_TAPS; i++)
        {
          g_assert_true (x_press_on (clock, 0));
          kiosk_ui_test_settle (100);
        }
      KIOSK_UI_TEST_WAIT_FOR (kiosk_maint_get_state (T.maint) == KIOSK_MAINT_PIN, 5);
      return;
    }
  g_signal_emit_by_name (controller ("maint-long-press"), "pressed", 10.0, 10.0);
  for (int i = 0; i < KIOSK_MAINT_CLOCK_TAPS; i++)
    g_signal_emit_by_name (controller ("maint-tap"), "released", 1, 10.0, 10.0);
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_PIN);
}

static void
assert_label_has (KioskMaintAction action, const char *text)
{
  const char *result = kiosk_maint_get_test_result (T.maint, action);

  g_assert_nonnull (strstr (result, text));
  kiosk_ui_test_assert_shown (result);
}

static void
test_maintenance (void)
{
  KioskPadDevice *pad = kiosk_pad_device_from_device (kiosk_core_get_pad (T.core));
  g_autofree char *printer_line = NULL;

  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "menu");
  gesture ();
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "maintenance");
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  kiosk_ui_test_assert_shown (_ ("Enter the technician's PIN on the on-screen keys."));
  check_screen ("maint-pin");

  /* A wrong PIN: said, and no key works until the wait is over. */
  type_pin ("135790");
  KIOSK_UI_TEST_WAIT_FOR (!kiosk_maint_get_pin_busy (T.maint) && kiosk_maint_get_pin_wait (T.maint) == 5, 30);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("密码错误，请 5 秒后再试。");
  g_assert_false (gtk_widget_get_sensitive (kiosk_ui_test_button (_ ("Confirm"))));
  check_screen ("maint-pin-wrong");
  advance (5);
  kiosk_ui_test_wait_frame ();
  g_assert_true (gtk_widget_get_sensitive (kiosk_ui_test_button (_ ("Confirm"))));

  type_pin (PIN);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_maint_get_state (T.maint) == KIOSK_MAINT_OPEN, 30);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_maint_get_status (T.maint)->valid, 20);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("维护");
  {
    g_autofree char *id = g_strdup_printf (_ ("Kiosk %s · version %s"), "MT-02", PACKAGE_VERSION);
    kiosk_ui_test_assert_shown (id);
  }
  printer_line = g_strdup_printf (_ ("%s: %s"), _ ("Printer"), _ ("ready"));
  kiosk_ui_test_assert_shown (printer_line);
  check_screen ("maint-open");

  /* 打印测试页 on the IPP printer. */
  kiosk_ui_test_click (_ ("Print a test page"));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_maint_get_test_state (T.maint, KIOSK_MAINT_ACTION_PRINT) != KIOSK_MAINT_TEST_RUNNING,
                          60);
  g_assert_cmpint (kiosk_maint_get_test_state (T.maint, KIOSK_MAINT_ACTION_PRINT), ==, KIOSK_MAINT_TEST_DONE);
  {
    g_autoptr (GPtrArray) received = kiosk_printer_sim_list_received (T.printer);
    g_assert_cmpuint (received->len, ==, 1);
  }
  kiosk_ui_test_wait_frame ();
  assert_label_has (KIOSK_MAINT_ACTION_PRINT, "测试页已打印");

  /* 读卡测试: a card on the simulated reader, masked on the screen. */
  kiosk_ui_test_click (_ ("Card read test"));
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("请在读卡器上放置身份证。");
  sim ("place resident");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_maint_get_test_state (T.maint, KIOSK_MAINT_ACTION_CARD) == KIOSK_MAINT_TEST_DONE, 20);
  kiosk_ui_test_wait_frame ();
  assert_label_has (KIOSK_MAINT_ACTION_CARD, "张*");
  assert_label_has (KIOSK_MAINT_ACTION_CARD, "4403**********1233");
  g_assert_null (kiosk_ui_test_find_shown ("440304199001011233"));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  check_screen ("maint-card");
  sim ("remove");
  kiosk_ui_test_click (_ ("Stop the card test"));

  /* 评价器测试 */
  kiosk_ui_test_click (_ ("Pad test"));
  g_assert_true (kiosk_pad_device_sim_press (pad, KIOSK_PAD_KEY_SATISFIED));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_maint_get_test_state (T.maint, KIOSK_MAINT_ACTION_PAD) == KIOSK_MAINT_TEST_DONE, 10);
  kiosk_ui_test_wait_frame ();
  assert_label_has (KIOSK_MAINT_ACTION_PAD, "satisfied");
  kiosk_ui_test_click (_ ("Stop the pad test"));

  /* 摄像头测试: the live picture. */
  kiosk_ui_test_click (_ ("Camera test"));
  KIOSK_UI_TEST_WAIT_FOR (
      kiosk_maint_page_get_camera_picture (KIOSK_MAINT_PAGE (kiosk_shell_get_page (shell (), "maintenance"))) != NULL,
      30);
  check_screen ("maint-camera");
  kiosk_ui_test_click (_ ("Stop the camera test"));
  kiosk_ui_test_wait_frame ();
  g_assert_null (
      kiosk_maint_page_get_camera_picture (KIOSK_MAINT_PAGE (kiosk_shell_get_page (shell (), "maintenance"))));

  /* 日志摘录 */
  kiosk_ui_test_click (_ ("Log excerpt"));
  check_screen ("maint-log");

  /* 退出维护: the attract screen, and nothing a test showed stays. */
  kiosk_ui_test_click (_ ("Leave maintenance"));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_OFF);
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "attract");
  g_assert_null (kiosk_ui_test_find_shown ("4403**********1233"));
  check_screen ("maint-left");

  /* The audit records, in the order they happened, nothing personal. */
  {
    g_autofree char *db = g_build_filename (T.dir, "kiosk.db", NULL);
    g_autoptr (GString) all = g_string_new (NULL);
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    const char *const expected[] = { "pin_wrong", "open",     "test_print",  "card_test",   "card_test",   "card_test",
                                     "pad_test",  "pad_test", "camera_test", "camera_test", "log_excerpt", "close" };
    guint n = 0;

    KIOSK_UI_TEST_WAIT_FOR (kiosk_maint_get_audits (T.maint) >= G_N_ELEMENTS (expected), 10);
    g_assert_cmpint (sqlite3_open_v2 (db, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    sqlite3_busy_timeout (h, 5000);
    g_assert_cmpint (sqlite3_prepare_v2 (h,
                                         "SELECT json_extract(payload, '$.action'), payload FROM outbox"
                                         " WHERE kind = 'audit' ORDER BY id",
                                         -1, &st, NULL),
                     ==, SQLITE_OK);
    while (sqlite3_step (st) == SQLITE_ROW)
      {
        g_test_message ("audit: %s", sqlite3_column_text (st, 1));
        g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
        g_assert_cmpstr ((const char *) sqlite3_column_text (st, 0), ==, expected[n]);
        g_string_append ((GString *) all, (const char *) sqlite3_column_text (st, 1));
        n++;
      }
    sqlite3_finalize (st);
    sqlite3_close (h);
    g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
    g_assert_null (strstr (all->str, "张"));
    g_assert_null (strstr (all->str, "4403"));
  }

  /* Five wrong PINs in a row: locked, said in Chinese with how long. */
  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  gesture ();
  kiosk_ui_test_wait_frame ();
  for (int i = 0; i < 5; i++)
    {
      KIOSK_UI_TEST_WAIT_FOR (!kiosk_maint_get_pin_busy (T.maint), 30);
      advance (kiosk_maint_get_pin_wait (T.maint));
      kiosk_ui_test_wait_frame ();
      type_pin (i == 0 ? "246811" : "000000");
    }
  KIOSK_UI_TEST_WAIT_FOR (kiosk_maint_get_pin_locked (T.maint), 30);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("密码连续输错 5 次，维护功能已锁定。请 30 分钟后再试，或联系县级技术支持。");
  g_assert_false (gtk_widget_get_sensitive (kiosk_ui_test_button (_ ("Confirm"))));
  check_screen ("maint-locked");
  kiosk_ui_test_click (_ ("Leave maintenance"));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "attract");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *images = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *shots = NULL;
  int status;

  if (argc > 1 && g_str_equal (argv[argc - 1], "small"))
    {
      T.small = TRUE;
      argc--;
    }
  kiosk_ui_test_init (&argc, &argv);
  {
    g_autofree char *ipp = g_find_program_in_path ("ippeveprinter");
    g_autofree char *bus = g_find_program_in_path ("dbus-daemon");
    if (ipp == NULL || bus == NULL)
      {
        g_print ("no ippeveprinter or dbus-daemon: skipped\n");
        return 77;
      }
  }
  T.dir = g_dir_make_tmp ("maint-page-XXXXXX", &error);
  g_assert_no_error (error);
  T.control = g_build_filename (T.dir, "ctl", NULL);
  T.printer = kiosk_printer_sim_start (NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *mat
        = g_build_filename (KIOSK_SOURCE_DIR, "drivers", "camera", "sim-images", "03-empty-mat.jpg", NULL);
    g_autofree char *copy = NULL;
    g_autofree char *bytes = NULL;
    gsize len = 0;

    images = g_build_filename (T.dir, "images", NULL);
    g_mkdir_with_parents (images, 0700);
    copy = g_build_filename (images, "03-empty-mat.jpg", NULL);
    g_assert_true (g_file_get_contents (mat, &bytes, &len, &error));
    g_assert_true (g_file_set_contents (copy, bytes, (gssize) len, &error));
  }
  hash = kiosk_pin_hash (PIN);
  conf = g_strdup_printf ("[kiosk]\nid=MT-02\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\n"
                          "[idcard]\nbackend=sim\nsim-control=%s\npoll-ms=50\n"
                          "[camera]\nbackend=sim\nsim-images=%s\n"
                          "[pad]\nbackend=sim\n[printer]\nbackend=real\nuri=%s\n"
                          "[maintenance]\npin-hash=%s\n%s",
                          T.dir, free_port (), T.control, images, kiosk_printer_sim_get_uri (T.printer), hash,
                          T.small ? "[ui]\nfullscreen=false\nwidth=1280\nheight=800\n" : "");
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  T.maint = kiosk_core_get_maint (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_maint_set_manual_clock (T.maint, TRUE);
  T.now = g_get_real_time ();
  _kiosk_maint_set_now (T.maint, T.now);

  shots = g_build_filename (KIOSK_BUILD_DIR, "tests", "maint", T.small ? "screenshots-1280x800" : "screenshots", NULL);
  T.window = kiosk_ui_test_open_window (T.core, !T.small, shots);
  kiosk_core_start (T.core);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 20);
  KIOSK_UI_TEST_WAIT_FOR (g_file_test (T.control, G_FILE_TEST_EXISTS), 10);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer"))
                              == KIOSK_DEVICE_STATE_READY,
                          60);

  g_test_add_func ("/maint/page", test_maintenance);
  status = g_test_run ();

  kiosk_ui_test_close_window ();
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  kiosk_printer_sim_free (T.printer);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  }
  g_free (T.control);
  g_free (T.dir);
  return status;
}
