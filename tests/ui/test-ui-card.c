/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card reader as residents meet it, in-process under Xvfb (issue 13:
 * 1, 2, 13): every card event a resident causes is a large notice over the
 * current screen, with the bell, for several seconds or until touched; a
 * card placed during someone else's session is answered and asked for again
 * when that session ends; the status strip shows device messages of a ready
 * reader and how old the platform's last answer is. Events come from the
 * reader device's own signals, so the core's forwarding is tested too; the
 * foreign cards are placed on the simulated reader (idcard-sim, through its
 * control socket) and read by the real device.
 * Screenshots in KIOSK_SCREENSHOT_DIR. Skips (77) without a display. */
#include "config.h"

#include <string.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "idcard-device.h"
#include "kiosk-progress-journey.h"
#include "kiosk-shell.h"
#include "kiosk-status-strip.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"

#define PHONE "0571-88886666"
/* %s: the simulated reader's control socket. */
#define CONF                                                                                        \
  "[kiosk]\nid=kiosk-test\nstation=测试村便民服务站\nphone=" PHONE "\n"                             \
  "[store]\npath=test.db\n[platform]\nurl=https://platform.example/\n"                              \
  "[session]\nidle-warning-seconds=60\nidle-countdown-seconds=10\nend-screen-seconds=2\n"           \
  "[idcard]\nbackend=sim\nsim-control=%s\npoll-ms=50\n[camera]\nbackend=sim\n[pad]\nbackend=none\n" \
  "[printer]\nbackend=sim\n"

static struct {
  char *dir;
  char *control; /* idcard-sim's control socket */
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
} T;

static KioskShell *
shell (void)
{
  return KIOSK_SHELL (kiosk_window_get_shell (T.window));
}

static KioskStatusStrip *
strip (void)
{
  return KIOSK_STATUS_STRIP (kiosk_shell_get_status_strip (shell ()));
}

static KioskDevice *
reader (void)
{
  return kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");
}

static KioskIdentity *
make_identity (const char *name, const char *number)
{
  KioskIdentity *id = kiosk_identity_new ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup (name);
  id->id_number = g_strdup (number);
  id->id_number_valid = TRUE;
  return id;
}

/* As the reader announces a placed card: its "identity" signal. */
static void
place (KioskIdentity *id)
{
  g_signal_emit_by_name (reader (), "identity", id);
}

/* One line to the simulated reader ("place foreign-2017", "remove"). */
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

static void
card_event (IdcardEvent event)
{
  g_signal_emit_by_name (reader (), "card-event", (int) event);
}

static void
assert_notice (const char *title)
{
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_shell_get_card_notice (shell ()), ==, title);
  kiosk_ui_test_assert_shown (title);
}

static void
dismiss (void)
{
  kiosk_ui_test_click ("知道了");
  kiosk_ui_test_wait_frame ();
  g_assert_null (kiosk_shell_get_card_notice (shell ()));
}

/* An expired card at the attract screen, then at the menu: refused, and
 * said large, with the bell (it used to change nothing on screen). */
static void
test_expired (void)
{
  g_autoptr (KioskIdentity) id = make_identity ("王五", "440304199001011233");
  guint beeps = kiosk_shell_get_beep_count (shell ());

  id->expired = TRUE;
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  place (id);
  assert_notice ("此身份证已过期");
  kiosk_ui_test_assert_shown ("过期证件不能在本机使用。请取走证件，到派出所办理换领。");
  g_assert_cmpuint (kiosk_shell_get_beep_count (shell ()), ==, beeps + 1);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  kiosk_ui_test_screenshot ("expired-attract");
  dismiss ();

  kiosk_session_touch (T.session);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "menu");
  place (id);
  assert_notice ("此身份证已过期");
  g_assert_cmpuint (kiosk_shell_get_beep_count (shell ()), ==, beeps + 2);
  g_assert_null (kiosk_session_get_identity (T.session));
  kiosk_ui_test_screenshot ("expired-menu");
  dismiss ();

  /* The reader's own message of a ready reader reaches the strip too (it
   * was dropped while the reader was ready). */
  kiosk_device_set_state (reader (), KIOSK_DEVICE_STATE_READY, "test", N_ ("The card has expired"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_nonnull (strstr (kiosk_status_strip_get_device_text (strip (), "idcard"), "证件已过期"));
  kiosk_session_wipe (T.session);
}

/* The demo's simulated reader places cards by itself only while the attract
 * screen shows (it switched the menu to a stranger mid-session). */
static void
test_auto_place (void)
{
  KioskIdcardDevice *idcard = KIOSK_IDCARD_DEVICE (reader ());

  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  g_assert_true (kiosk_idcard_device_get_auto_place (idcard));
  kiosk_session_touch (T.session);
  g_assert_false (kiosk_idcard_device_get_auto_place (idcard));
  g_assert_true (kiosk_session_select_journey (T.session, "guide"));
  g_assert_false (kiosk_idcard_device_get_auto_place (idcard));
  g_assert_true (kiosk_session_finish (T.session));
  g_assert_false (kiosk_idcard_device_get_auto_place (idcard));
  kiosk_session_tick (T.session);
  kiosk_session_tick (T.session);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  g_assert_true (kiosk_idcard_device_get_auto_place (idcard));
}

/* The reader's events: unreadable, failed, taken away mid-read; each on
 * the screen where it happens, several seconds long, gone by itself. */
static void
test_reader_events (void)
{
  card_event (IDCARD_EVENT_UNREADABLE);
  assert_notice ("无法识别此证件");
  kiosk_ui_test_screenshot ("unreadable-attract");
  dismiss ();

  kiosk_session_touch (T.session);
  kiosk_ui_test_wait_frame ();
  card_event (IDCARD_EVENT_READ_FAILED);
  assert_notice ("读卡失败");
  dismiss ();

  g_assert_true (kiosk_session_select_journey (T.session, "guide"));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "journey");
  card_event (IDCARD_EVENT_REMOVED);
  assert_notice ("证件移开过早，未能读取");
  kiosk_ui_test_screenshot ("removed-journey");
  /* Long enough to read; then it goes by itself. */
  kiosk_ui_test_settle (3000);
  g_assert_nonnull (kiosk_shell_get_card_notice (shell ()));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_shell_get_card_notice (shell ()) == NULL, 15);
  kiosk_session_wipe (T.session);
}

/* A second card during someone's session: answered at once, and asked for
 * again when that session ends (it was swallowed). */
static void
test_second_card (void)
{
  g_autoptr (KioskIdentity) first = make_identity ("张三", "11010519491231002X");
  g_autoptr (KioskIdentity) second = make_identity ("李四", "440304199001011233");

  place (first);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "menu");
  g_assert_true (kiosk_session_select_journey (T.session, "guide"));
  kiosk_ui_test_wait_frame ();

  /* The session's own card put back: nothing. */
  place (first);
  kiosk_ui_test_wait_frame ();
  g_assert_null (kiosk_shell_get_card_notice (shell ()));

  place (second);
  assert_notice ("他人正在办理");
  g_assert_cmpstr (kiosk_session_get_identity (T.session)->name, ==, "张三");
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "journey");
  kiosk_ui_test_screenshot ("second-card-busy");

  /* The session ends (thank-you screen, then the wipe): the next resident
   * is asked for the card. */
  g_assert_true (kiosk_session_finish (T.session));
  kiosk_session_tick (T.session);
  kiosk_session_tick (T.session);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  assert_notice ("请下一位办理");
  kiosk_ui_test_assert_shown ("上一位已办理结束。如您的身份证仍在读卡区，请取走后重新放置。");
  kiosk_ui_test_screenshot ("second-card-next");

  /* The card is read (placed again, or read again by the reader): its
   * session starts and the notice goes. */
  place (second);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_session_get_identity (T.session)->name, ==, "李四");
  g_assert_null (kiosk_shell_get_card_notice (shell ()));
  kiosk_session_wipe (T.session);
}

#define WRONG_CARD "本业务需使用居民身份证办理"

/* A foreign card, read by the real device from the simulated reader, where
 * 自助申报 needs a resident card (the registry's "cards"): said large, with
 * the bell and the station's phone, and nobody is identified for it; at
 * the identify screen, at the menu when 自助申报 is chosen after such a card,
 * and inside 自助申报. The journeys that take every card still do. */
static void
test_foreign_card (void)
{
  g_autoptr (KioskIdentity) resident = make_identity ("张三", "11010519491231002X");
  guint beeps = kiosk_shell_get_beep_count (shell ());

  kiosk_session_touch (T.session);
  g_assert_true (kiosk_session_select_journey (T.session, "apply"));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "identify");

  sim ("place foreign-2017");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_shell_get_card_notice (shell ()) != NULL, 10);
  assert_notice (WRONG_CARD);
  kiosk_ui_test_assert_shown ("请使用居民身份证，或联系工作人员。");
  kiosk_ui_test_assert_shown ("工作人员电话：" PHONE);
  g_assert_cmpuint (kiosk_shell_get_beep_count (shell ()), ==, beeps + 1);
  g_assert_null (kiosk_session_get_identity (T.session));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "identify");
  kiosk_ui_test_screenshot ("foreign-2017-identify");
  dismiss ();
  sim ("remove");

  /* The 港澳台居民居住证 does not do for it either. */
  sim ("place hmt-permit");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_shell_get_card_notice (shell ()) != NULL, 10);
  assert_notice (WRONG_CARD);
  g_assert_null (kiosk_session_get_identity (T.session));
  dismiss ();
  sim ("remove");

  /* Identified at the menu with a foreign card (办事指南 and 进度查询 take
   * it), then 自助申报 is chosen: refused at once, the menu stays. */
  kiosk_session_back (T.session);
  kiosk_ui_test_wait_frame ();
  sim ("place foreign-2023");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_identity (T.session) != NULL, 10);
  g_assert_cmpint (kiosk_session_get_identity (T.session)->card_type, ==, KIOSK_CARD_FOREIGN_2023);
  kiosk_ui_test_wait_frame ();
  g_assert_null (kiosk_shell_get_card_notice (shell ()));
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "menu");
  g_assert_false (kiosk_session_select_journey (T.session, "apply"));
  assert_notice (WRONG_CARD);
  kiosk_ui_test_assert_shown ("工作人员电话：" PHONE);
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "menu");
  kiosk_ui_test_screenshot ("foreign-2023-menu-apply");
  dismiss ();
  g_assert_true (kiosk_session_select_journey (T.session, "progress"));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "journey");
  sim ("remove");
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();

  /* Inside 自助申报 with a resident card, a foreign card placed: the same
   * notice (it could never be used here), the session stays its holder's. */
  kiosk_session_touch (T.session);
  g_assert_true (kiosk_session_select_journey (T.session, "apply"));
  place (resident);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_JOURNEY);
  sim ("place foreign-2017");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_shell_get_card_notice (shell ()) != NULL, 10);
  assert_notice (WRONG_CARD);
  g_assert_cmpstr (kiosk_session_get_identity (T.session)->name, ==, "张三");
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_JOURNEY);
  kiosk_ui_test_screenshot ("foreign-2017-in-apply");
  dismiss ();
  sim ("remove");
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
  /* Nothing about those cards is owed a read at the next session. */
  g_assert_null (kiosk_shell_get_card_notice (shell ()));
}

#define STAFF_PHONE "工作人员电话：" PHONE

/* Every "请联系工作人员" gives the station's phone ([kiosk] phone), large
 * (issue 13, point 14): a device message in the status strip, the identify
 * screen under a broken reader, the 暂未开通 page, 进度查询's message; the
 * card notices are checked in /ui/card/foreign-card. */
static gboolean
is_staff_phone (GtkWidget *w, gpointer data)
{
  return GTK_IS_LABEL (w) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), STAFF_PHONE) == 0;
}

static void
test_staff_phone (void)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  GtkWidget *phone;

  /* The status strip: only while a device message sends to the staff. */
  g_assert_null (kiosk_status_strip_get_phone_text (strip ()));
  kiosk_device_set_state (reader (), KIOSK_DEVICE_STATE_ERROR, "test",
                          N_ ("The ID card reader is out of order, please ask the staff"));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_status_strip_get_phone_text (strip ()), ==, STAFF_PHONE);
  kiosk_ui_test_assert_shown (STAFF_PHONE);
  kiosk_ui_test_screenshot ("staff-phone-strip");

  /* The identify screen says the reader is broken, and whom to call. */
  kiosk_session_touch (T.session);
  g_assert_true (kiosk_session_select_journey (T.session, "apply"));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, "identify");
  kiosk_ui_test_assert_shown ("读卡器暂时无法使用（读卡器故障，请联系工作人员），请联系工作人员。");
  phone = kiosk_ui_test_find_shown (STAFF_PHONE);
  g_assert_nonnull (phone);
  /* Large, under the message (not only the strip's). */
  g_assert_true (gtk_widget_has_css_class (phone, "staff-phone"));
  g_assert_false (gtk_widget_has_css_class (phone, "status-phone"));
  kiosk_ui_test_screenshot ("staff-phone-identify");
  kiosk_device_set_state (reader (), KIOSK_DEVICE_STATE_READY, NULL, NULL);
  kiosk_ui_test_wait_frame ();
  g_assert_null (kiosk_status_strip_get_phone_text (strip ()));
  g_assert_null (kiosk_ui_test_find_shown (STAFF_PHONE));
  kiosk_session_back (T.session);
  kiosk_ui_test_wait_frame ();

  /* 进度查询 cannot answer (the store is not open here): it says so, with
   * the phone. */
  g_assert_true (kiosk_session_select_journey (T.session, "progress"));
  kiosk_ui_test_wait_frame ();
  g_assert_null (kiosk_ui_test_find_shown (STAFF_PHONE));
  kiosk_progress_journey_query (KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session)),
                                "KIOSK-20261203-000001");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_ui_test_find_shown (STAFF_PHONE) != NULL, 10);
  kiosk_ui_test_assert_shown ("咨询工作人员");
  kiosk_ui_test_screenshot ("staff-phone-progress");
  kiosk_session_back (T.session);
  kiosk_ui_test_wait_frame ();

  /* The 暂未开通 page (shown for a journey not built yet; every journey may
   * be built, so it is looked at as the shell holds it). */
  phone = NULL;
  kiosk_ui_test_collect (kiosk_shell_get_page (shell (), "journey"), is_staff_phone, NULL, found);
  g_assert_cmpuint (found->len, ==, 1);
  phone = found->pdata[0];
  g_assert_true (gtk_widget_get_visible (phone));
  kiosk_session_wipe (T.session);
}

/* 平台：已连接 was shown for as long as no request had failed: now the age
 * of the platform's last answer, updated without the platform answering. */
static void
test_platform_age (void)
{
  gint64 now = g_get_real_time ();

  _kiosk_core_set_platform_contact (T.core, TRUE, now - (gint64) 5 * G_USEC_PER_SEC);
  g_assert_cmpstr (kiosk_status_strip_get_platform_text (strip ()), ==, "平台：已连接");

  _kiosk_core_set_platform_contact (T.core, TRUE, now - (gint64) 180 * G_USEC_PER_SEC);
  g_assert_cmpstr (kiosk_status_strip_get_platform_text (strip ()), ==, "平台：3 分钟前连接正常");
  kiosk_ui_test_screenshot ("platform-3-minutes");

  _kiosk_core_set_platform_contact (T.core, FALSE, now - (gint64) 2 * 3600 * G_USEC_PER_SEC);
  g_assert_cmpstr (kiosk_status_strip_get_platform_text (strip ()), ==, "平台：离线，上次连接正常在2 小时前");

  _kiosk_core_set_platform_contact (T.core, FALSE, 0);
  g_assert_cmpstr (kiosk_status_strip_get_platform_text (strip ()), ==, "平台：离线");

  /* Nothing more is heard from the platform: the strip ages by itself. */
  _kiosk_core_set_platform_contact (T.core, TRUE, g_get_real_time () - (gint64) 57 * G_USEC_PER_SEC);
  g_assert_cmpstr (kiosk_status_strip_get_platform_text (strip ()), ==, "平台：已连接");
  KIOSK_UI_TEST_WAIT_FOR (g_strcmp0 (kiosk_status_strip_get_platform_text (strip ()), "平台：1 分钟前连接正常") == 0,
                          20);
  _kiosk_core_set_platform_contact (T.core, FALSE, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  kiosk_ui_test_init (&argc, &argv);
  T.dir = g_dir_make_tmp ("ui-card-XXXXXX", &error);
  g_assert_no_error (error);
  T.control = g_build_filename (T.dir, "ctl", NULL);
  {
    g_autofree char *conf = g_strdup_printf (CONF, T.control);
    T.config = kiosk_config_new_from_data (conf, NULL, &error);
  }
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  g_assert_true (KIOSK_IS_IDCARD_DEVICE (reader ()));

  T.window = kiosk_ui_test_open_window (T.core, TRUE, KIOSK_SCREENSHOT_DIR);
  /* The reader alone (the simulator behind it); nothing else starts. */
  kiosk_device_start (reader ());
  KIOSK_UI_TEST_WAIT_FOR (g_file_test (T.control, G_FILE_TEST_EXISTS), 10);

  g_test_add_func ("/ui/card/expired", test_expired);
  g_test_add_func ("/ui/card/reader-events", test_reader_events);
  g_test_add_func ("/ui/card/second-card", test_second_card);
  g_test_add_func ("/ui/card/foreign-card", test_foreign_card);
  g_test_add_func ("/ui/card/staff-phone", test_staff_phone);
  g_test_add_func ("/ui/card/platform-age", test_platform_age);
  g_test_add_func ("/ui/card/auto-place", test_auto_place);
  status = g_test_run ();

  kiosk_ui_test_close_window ();
  kiosk_device_stop (reader ());
  g_clear_object (&T.core);
  kiosk_config_unref (T.config);
  g_unlink (T.control);
  g_rmdir (T.dir);
  g_free (T.control);
  g_free (T.dir);
  return status;
}
