/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Screen blanking under Xvfb (issue 17: 4): the attract screen left alone
 * for [ui] blank-after-minutes goes black (the pixels of a screenshot);
 * the first press or key on it only wakes it, the session does not begin
 * (the next press begins it); never during a session, however long it
 * idles, until its own idle wipe has ended it; a card placed on a black
 * screen wakes it and is read as usual; a card notice or a busy device
 * wakes it; with 0 it never blanks. The window's and the session's clocks
 * are driven by hand. Screenshots in KIOSK_SCREENSHOT_DIR. Skips (77)
 * without a display. */
#include "config.h"

#include <gtk/gtk.h>

#include "kiosk-shell.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"

#define CONF_BASE                                                                         \
  "[kiosk]\nid=kiosk-test\nstation=测试村便民服务站\n"                            \
  "[store]\npath=test.db\n[platform]\nurl=https://platform.example/\n"                    \
  "[session]\nidle-warning-seconds=60\nidle-countdown-seconds=10\nend-screen-seconds=2\n" \
  "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n[printer]\nbackend=sim\n"

/* One minute: 60 ticks of the window's clock. */
#define BLANK_AFTER 60

static struct {
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  int shots;
} T;

static void
open_kiosk (const char *ui)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = g_strconcat (CONF_BASE, ui, NULL);

  T.config = kiosk_config_new_from_data (conf, NULL, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  T.window = kiosk_ui_test_open_window (T.core, TRUE, KIOSK_SCREENSHOT_DIR);
  kiosk_window_set_manual_clock (T.window, TRUE);
  T.shots = 0;
}

static void
close_kiosk (void)
{
  if (T.window != NULL)
    kiosk_ui_test_close_window ();
  T.window = NULL;
  T.session = NULL;
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
}

static KioskShell *
shell (void)
{
  return KIOSK_SHELL (kiosk_window_get_shell (T.window));
}

static const char *
page (void)
{
  return kiosk_shell_get_page_name (shell ());
}

static KioskDevice *
reader (void)
{
  return kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");
}

static void
tick_window (int n)
{
  for (int i = 0; i < n; i++)
    kiosk_window_tick (T.window);
}

static GtkEventController *
window_controller (const char *name)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (T.window));
  GtkEventController *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && found == NULL; i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      if (g_strcmp0 (gtk_event_controller_get_name (c), name) == 0)
        found = c;
    }
  g_assert_nonnull (found);
  return found;
}

/* The press GTK delivers first, in the capture phase, wherever the finger
 * lands: the window's own click gesture. */
static void
press (void)
{
  GtkEventController *click = window_controller ("kiosk-activity");

  g_assert_cmpint (gtk_event_controller_get_propagation_phase (click), ==, GTK_PHASE_CAPTURE);
  g_signal_emit_by_name (click, "pressed", 1, 960.0, 540.0);
  kiosk_ui_test_wait_frame ();
}

static void
key (guint keyval)
{
  GtkEventController *keys = window_controller ("kiosk-no-exit");
  gboolean handled = FALSE;

  g_signal_emit_by_name (keys, "key-pressed", keyval, 0u, (GdkModifierType) 0, &handled);
  kiosk_ui_test_wait_frame ();
}

/* The widget a finger in the middle of the screen lands on is the blank
 * layer itself, not a control of the page beneath. */
static gboolean
blank_under_finger (void)
{
  int w = gtk_widget_get_width (GTK_WIDGET (T.window));
  int h = gtk_widget_get_height (GTK_WIDGET (T.window));

  for (GtkWidget *p = gtk_widget_pick (GTK_WIDGET (T.window), w / 2.0, h / 2.0, GTK_PICK_DEFAULT); p != NULL;
       p = gtk_widget_get_parent (p))
    if (g_strcmp0 (G_OBJECT_TYPE_NAME (p), "KioskBlankLayer") == 0)
      return TRUE;
  return FALSE;
}

/* A screenshot, and the share of its pixels that are not black. */
static double
shot_lit (const char *what)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree guchar *data = NULL;
  int width, height;
  gsize lit = 0;

  kiosk_ui_test_screenshot (what);
  name = g_strdup_printf ("%02d-%s.png", ++T.shots, what);
  path = g_build_filename (KIOSK_SCREENSHOT_DIR, name, NULL);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, >=, 640);
  data = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, data, (gsize) width * 4);
  /* CAIRO_FORMAT_ARGB32 in native order: B, G, R, A on little-endian;
   * black is zero in all three colours whatever the order. */
  for (gsize i = 0; i < (gsize) width * height; i++)
    if (data[i * 4] > 8 || data[i * 4 + 1] > 8 || data[i * 4 + 2] > 8)
      lit++;
  return (double) lit / ((double) width * height);
}

static void
blank_now (void)
{
  g_assert_cmpstr (page (), ==, "attract");
  tick_window (BLANK_AFTER - 1);
  g_assert_false (kiosk_window_get_blanked (T.window));
  tick_window (1);
  g_assert_true (kiosk_window_get_blanked (T.window));
  kiosk_ui_test_wait_frame ();
}

/* Left alone → black; the first press only wakes it; the next begins. */
static void
test_blank_and_wake (void)
{
  g_assert_cmpstr (page (), ==, "attract");
  tick_window (BLANK_AFTER - 1);
  g_assert_false (kiosk_window_get_blanked (T.window));
  g_assert_cmpfloat (shot_lit ("attract-before-blank"), >, 0.2);
  g_assert_false (blank_under_finger ());

  tick_window (1);
  g_assert_true (kiosk_window_get_blanked (T.window));
  g_assert_cmpfloat (shot_lit ("blanked"), ==, 0.0);
  g_assert_true (blank_under_finger ());
  /* Black stays black, however long. */
  tick_window (3600);
  g_assert_true (kiosk_window_get_blanked (T.window));

  /* The first touch: awake, still the attract screen, no session. */
  press ();
  g_assert_false (kiosk_window_get_blanked (T.window));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  g_assert_cmpstr (page (), ==, "attract");
  g_assert_cmpfloat (shot_lit ("woken"), >, 0.2);
  g_assert_false (blank_under_finger ());

  /* The count starts again from the wake. */
  tick_window (BLANK_AFTER - 1);
  g_assert_false (kiosk_window_get_blanked (T.window));

  /* The next touch begins the session, as on any attract screen. */
  press ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);
  g_assert_cmpstr (page (), ==, "menu");
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();

  /* A key on a black screen only wakes it too. */
  blank_now ();
  key (GDK_KEY_Return);
  g_assert_false (kiosk_window_get_blanked (T.window));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
}

/* A resident's session never blanks, however long it idles: its own idle
 * wipe ends it, and only then the attract screen counts again. */
static void
test_never_in_session (void)
{
  int ticks = 0;

  g_assert_cmpstr (page (), ==, "attract");
  tick_window (BLANK_AFTER - 1);
  press ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);
  while (kiosk_session_get_state (T.session) != KIOSK_SESSION_ATTRACT)
    {
      kiosk_session_tick (T.session);
      kiosk_window_tick (T.window);
      g_assert_false (kiosk_window_get_blanked (T.window));
      ticks++;
      g_assert_cmpint (ticks, <=, 60 + 10);
    }
  /* Wiped by its idle timer after the warning and countdown, 70 s, past
   * the minute of blanking. */
  g_assert_cmpint (ticks, ==, 70);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (page (), ==, "attract");
  /* The tick of the wipe counted once, at attract. */
  tick_window (BLANK_AFTER - 2);
  g_assert_false (kiosk_window_get_blanked (T.window));
  tick_window (1);
  g_assert_true (kiosk_window_get_blanked (T.window));
  press ();
  g_assert_false (kiosk_window_get_blanked (T.window));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
}

/* A card on a black screen wakes it and is read: the resident does not
 * place it twice. A card notice or a busy device wakes it too, and neither
 * counts towards blanking while it lasts. */
static void
test_card_wakes (void)
{
  g_autoptr (KioskIdentity) id = kiosk_identity_new ();

  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("王五");
  id->id_number = g_strdup ("440304199001011233");
  id->id_number_valid = TRUE;

  blank_now ();
  g_signal_emit_by_name (reader (), "identity", id);
  kiosk_ui_test_wait_frame ();
  g_assert_false (kiosk_window_get_blanked (T.window));
  g_assert_nonnull (kiosk_session_get_identity (T.session));
  g_assert_cmpint (kiosk_session_get_state (T.session), !=, KIOSK_SESSION_ATTRACT);
  g_assert_cmpfloat (shot_lit ("card-woke"), >, 0.2);
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();

  /* A card notice (an unreadable card) wakes it, and holds it awake while
   * it shows. */
  blank_now ();
  kiosk_session_card_notice (T.session, KIOSK_CARD_NOTICE_UNREADABLE);
  kiosk_ui_test_wait_frame ();
  g_assert_false (kiosk_window_get_blanked (T.window));
  g_assert_nonnull (kiosk_shell_get_card_notice (shell ()));
  tick_window (BLANK_AFTER * 2);
  g_assert_false (kiosk_window_get_blanked (T.window));
  kiosk_ui_test_click ("知道了");
  kiosk_ui_test_wait_frame ();
  g_assert_null (kiosk_shell_get_card_notice (shell ()));

  /* A device busy without a word for the resident (a shared printer's
   * other job) neither wakes it nor holds it awake. */
  blank_now ();
  kiosk_device_set_state (reader (), KIOSK_DEVICE_STATE_BUSY, "test: busy", NULL);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (reader ()) == KIOSK_DEVICE_STATE_BUSY, 5);
  g_assert_true (kiosk_window_get_blanked (T.window));
  press ();
  tick_window (BLANK_AFTER);
  g_assert_true (kiosk_window_get_blanked (T.window));

  /* The reader reading a card wakes it, and holds it awake. */
  kiosk_device_set_state (reader (), KIOSK_DEVICE_STATE_BUSY, "test: reading",
                          "Reading the card, please do not move it");
  /* Reported from the device's thread, delivered on the main loop. */
  KIOSK_UI_TEST_WAIT_FOR (!kiosk_window_get_blanked (T.window), 5);
  tick_window (BLANK_AFTER * 2);
  g_assert_false (kiosk_window_get_blanked (T.window));
  kiosk_device_set_state (reader (), KIOSK_DEVICE_STATE_READY, "test: waiting", NULL);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (reader ()) == KIOSK_DEVICE_STATE_READY, 5);
  blank_now ();
  press ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
}

/* The same with real clicks from the X server, on the 长辈模式 pill (a
 * control that acts on the press itself): the first one only wakes, and
 * nothing under it (the pill, the window's own press) does anything; the
 * second one presses the pill and begins the session. */
static void
test_real_click (void)
{
  GtkWidget *pill;
  graphene_rect_t r;
  int x, y;

  pill = kiosk_ui_test_button ("长辈模式");
  g_assert_nonnull (pill);
  g_assert_true (gtk_widget_compute_bounds (pill, GTK_WIDGET (T.window), &r));
  x = (int) (r.origin.x + r.size.width / 2);
  y = (int) (r.origin.y + r.size.height / 2);

  blank_now ();
  if (!kiosk_ui_test_x_click (x, y))
    {
      g_test_skip ("no XTest on this display");
      return;
    }
  KIOSK_UI_TEST_WAIT_FOR (!kiosk_window_get_blanked (T.window), 5);
  kiosk_ui_test_settle (300);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  g_assert_false (kiosk_session_get_elder_mode (T.session));
  g_assert_cmpstr (page (), ==, "attract");

  g_assert_true (kiosk_ui_test_x_click (x, y));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_MENU, 5);
  g_assert_true (kiosk_session_get_elder_mode (T.session));
  kiosk_session_set_elder_mode (T.session, FALSE);
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

/* 0: never, not even after a day. */
static void
test_zero_never (void)
{
  close_kiosk ();
  open_kiosk ("[ui]\nblank-after-minutes=0\n");
  tick_window (24 * 3600);
  g_assert_false (kiosk_window_get_blanked (T.window));
  g_assert_cmpfloat (shot_lit ("never"), >, 0.2);
}

int
main (int argc, char **argv)
{
  int status;

  kiosk_ui_test_init (&argc, &argv);
  open_kiosk ("[ui]\nblank-after-minutes=1\n");

  g_test_add_func ("/ui/blank/blank-and-wake", test_blank_and_wake);
  g_test_add_func ("/ui/blank/never-in-session", test_never_in_session);
  g_test_add_func ("/ui/blank/card-wakes", test_card_wakes);
  g_test_add_func ("/ui/blank/real-click", test_real_click);
  g_test_add_func ("/ui/blank/zero-never", test_zero_never);
  status = g_test_run ();

  close_kiosk ();
  return status;
}
