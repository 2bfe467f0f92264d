/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk shell in-process under Xvfb: attract → touch → menu → a journey
 * that is not available yet → language and elder mode → idle warning and
 * wipe (personal data cleared in the widgets themselves) → rate → end, with
 * a screenshot of each screen. Skips (77) without a display. With the
 * argument "small", the same in a 1280x800 window (compact layout). */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "kiosk-i18n.h"
#include "kiosk-journey-registry.h"
#include "kiosk-shell.h"
#include "kiosk-status-strip.h"
#include "kiosk-ui-test.h"
#include "kiosk-ui.h"
#include "kiosk-window.h"

#define STATION "测试村便民服务站"
#define NAME "欧阳娜娜"
#define ID_NUMBER "11010519491231002X"

#define CONF                                                                            \
  "[kiosk]\nid=kiosk-test\nstation=" STATION "\n"                                       \
  "notices=工作日 8:30-17:30 有代办员值守;自助服务 24 小时开放\n"      \
  "[store]\npath=test.db\n[platform]\nurl=https://platform.example/\n"                  \
  "[session]\nidle-warning-seconds=5\nidle-countdown-seconds=3\nend-screen-seconds=2\n" \
  "elder-idle-warning-seconds=5\nelder-idle-countdown-seconds=3\n"                      \
  "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n[printer]\nbackend=sim\n"

/* "small": a 1280x800 window (--windowed), the compact layout. */
#define SMALL_UI "[ui]\nfullscreen=false\nwidth=1280\nheight=800\n"

static struct {
  gboolean small;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  char *shots;
} T;

/* ---- helpers ----------------------------------------------------------- */

static KioskShell *
shell (void)
{
  return KIOSK_SHELL (kiosk_window_get_shell (T.window));
}

static gboolean
holds_text (GtkWidget *w, gpointer text)
{
  const char *t = kiosk_ui_test_widget_text (w);
  return t != NULL && *(const char *) text != '\0' && strstr (t, text) != NULL;
}

static gboolean
is_personal (GtkWidget *w, gpointer data)
{
  return gtk_widget_has_css_class (w, "personal");
}

static void
assert_page (const char *name)
{
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, name);
}

static KioskIdentity *
make_identity (void)
{
  KioskIdentity *id = kiosk_identity_new ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup (NAME);
  id->id_number = g_strdup (ID_NUMBER);
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市东城区测试路1号");
  return id;
}

/* ---- tests --------------------------------------------------------------- */

/* The kiosk draws with cairo and never needs GL: with GL left on, GTK 4.8
 * opens EGL at display open and Mesa's driver (libegl-mesa0, present on a
 * machine with the project's packages) leaks under LeakSanitizer. After
 * kiosk_ui_preinit() and a first frame, no GL library is mapped. */
static void
test_no_gl (void)
{
  g_autofree char *maps = NULL;
  const char *gl_libs[] = { "libEGL", "libGLX", "libGL.so", "_dri.so", "libgbm" };

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (gl_libs); i++)
    if (strstr (maps, gl_libs[i]) != NULL)
      g_error ("%s is mapped: GL was opened (GDK_DEBUG=%s)", gl_libs[i], g_getenv ("GDK_DEBUG"));
}

static void
test_attract (void)
{
  GdkMonitor *monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (T.window)),
                                                            gtk_native_get_surface (GTK_NATIVE (T.window)));
  GdkRectangle geometry;
  g_autoptr (GBytes) theme = g_resources_lookup_data ("/org/gtk/libgtk/theme/Kiosk/gtk.css", 0, NULL);

  /* The kiosk's base theme, not Adwaita (ui/theme/gtk.css). */
  g_assert_nonnull (theme);
  g_assert_cmpstr (g_getenv ("GTK_THEME"), ==, "Kiosk");

  /* No window manager under Xvfb: the window still covers the screen. */
  gdk_monitor_get_geometry (monitor, &geometry);
  if (T.small)
    {
      geometry.width = 1280;
      geometry.height = 800;
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (T.window), "compact"));
    }
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (T.window)), ==, geometry.width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (T.window)), ==, geometry.height);
  g_assert_false (gtk_window_get_decorated (GTK_WINDOW (T.window)));

  assert_page ("attract");
  kiosk_ui_test_assert_shown (STATION);
  kiosk_ui_test_assert_shown ("请触摸屏幕开始");
  kiosk_ui_test_assert_shown ("请放置身份证");
  kiosk_ui_test_assert_shown ("自助服务 24 小时开放");
  kiosk_ui_test_screenshot ("attract");
}

static void
test_close_refused (void)
{
  gtk_window_close (GTK_WINDOW (T.window));
  kiosk_ui_test_wait_frame ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (T.window)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (T.window)));
}

/* The window's capture-phase key controller swallows every way out. */
static void
test_no_keyboard_exit (void)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (T.window));
  GtkEventController *keys = NULL;
  static const struct {
    guint keyval;
    GdkModifierType mods;
    gboolean stopped;
  } cases[] = {
    { GDK_KEY_F4, GDK_ALT_MASK, TRUE },
    { GDK_KEY_Escape, 0, TRUE },
    { GDK_KEY_q, GDK_CONTROL_MASK, TRUE },
    { GDK_KEY_w, GDK_CONTROL_MASK, TRUE },
    { GDK_KEY_I, GDK_CONTROL_MASK | GDK_SHIFT_MASK, TRUE },
    { GDK_KEY_F10, 0, TRUE },
    { GDK_KEY_Tab, GDK_SUPER_MASK, TRUE },
    { GDK_KEY_a, 0, FALSE },
    { GDK_KEY_5, 0, FALSE },
  };

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      if (g_strcmp0 (gtk_event_controller_get_name (c), "kiosk-no-exit") == 0)
        keys = c;
    }
  g_assert_nonnull (keys);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean stopped = FALSE;
      g_signal_emit_by_name (keys, "key-pressed", cases[i].keyval, 0, cases[i].mods, &stopped);
      if (stopped != cases[i].stopped)
        g_error ("key %s with modifiers 0x%x: %s", gdk_keyval_name (cases[i].keyval), cases[i].mods,
                 stopped ? "swallowed" : "let through");
    }
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (T.window)));
}

static void
test_touch_menu (void)
{
  static const char *const titles[] = { "办事指南", "自助申报", "证明打印", "进度查询", "代办服务" };

  /* What the window's capture-phase click gesture calls on every press. */
  kiosk_window_activity (T.window);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);
  kiosk_ui_test_wait_frame ();
  assert_page ("menu");
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      kiosk_ui_test_assert_shown (titles[i]);
      g_assert_nonnull (kiosk_ui_test_button (titles[i]));
    }
  kiosk_ui_test_assert_shown ("长辈模式");
  kiosk_ui_test_assert_shown ("English");
  g_assert_nonnull (kiosk_ui_test_button ("结束办理"));
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot ("menu");
}

static void
test_identity_masked (void)
{
  g_autoptr (KioskIdentity) id = make_identity ();
  g_autoptr (GPtrArray) raw = g_ptr_array_new ();

  g_assert_true (kiosk_session_identity_read (T.session, id));
  kiosk_ui_test_wait_frame ();
  assert_page ("menu");
  kiosk_ui_test_assert_shown ("欧***");
  kiosk_ui_test_assert_shown ("1101**********002X");
  /* The full name and number are nowhere in the widget tree. */
  kiosk_ui_test_collect (GTK_WIDGET (T.window), holds_text, (gpointer) NAME, raw);
  kiosk_ui_test_collect (GTK_WIDGET (T.window), holds_text, (gpointer) ID_NUMBER, raw);
  g_assert_cmpuint (raw->len, ==, 0);
  kiosk_ui_test_screenshot ("menu-identified");
}

static void
test_journey_unavailable (void)
{
  const KioskJourneyInfo *rows;
  const char *title = NULL;
  guint n;
  GtkWidget *tile;

  /* A journey not built yet (a registry row without a constructor). */
  rows = kiosk_journey_registry (&n);
  for (guint i = 0; i < n && title == NULL; i++)
    if (rows[i].create == NULL)
      title = g_dgettext (GETTEXT_PACKAGE, rows[i].title);
  if (title == NULL)
    {
      g_test_skip ("every journey of the registry is built");
      return;
    }
  tile = kiosk_ui_test_button (title);
  g_assert_nonnull (tile);
  g_signal_emit_by_name (tile, "clicked");
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_JOURNEY);
  assert_page ("journey");
  kiosk_ui_test_assert_shown (title);
  kiosk_ui_test_assert_shown ("暂未开通");
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot ("journey-unavailable");

  g_signal_emit_by_name (kiosk_ui_test_button ("返回首页"), "clicked");
  kiosk_ui_test_wait_frame ();
  assert_page ("menu");
}

static void
test_language (void)
{
  GtkWidget *old_shell = kiosk_window_get_shell (T.window);
  KioskDevice *printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");

  /* A device's message follows the language too (kept untranslated). */
  kiosk_device_set_state (printer, KIOSK_DEVICE_STATE_ABSENT, "test",
                          N_ ("The printer is offline. Please contact the staff."));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (kiosk_device_get_message (printer), ==, "打印机未连接，请联系工作人员");
  g_assert_nonnull (strstr (
      kiosk_status_strip_get_device_text (KIOSK_STATUS_STRIP (kiosk_shell_get_status_strip (shell ())), "printer"),
      "打印机未连接"));

  g_signal_emit_by_name (kiosk_ui_test_button ("English"), "clicked");
  g_assert_cmpstr (kiosk_session_get_language (T.session), ==, "en");
  kiosk_ui_test_wait_frame ();
  g_assert_true (kiosk_window_get_shell (T.window) != old_shell);
  g_assert_nonnull (strstr (
      kiosk_status_strip_get_device_text (KIOSK_STATUS_STRIP (kiosk_shell_get_status_strip (shell ())), "printer"),
      "The printer is offline"));
  g_assert_cmpstr (kiosk_device_get_message (printer), ==, "The printer is offline. Please contact the staff.");
  assert_page ("menu");
  kiosk_ui_test_assert_shown ("Service guide");
  kiosk_ui_test_assert_shown ("Print certificates");
  kiosk_ui_test_assert_shown ("Elder mode");
  kiosk_ui_test_assert_shown ("中文");
  g_assert_null (kiosk_ui_test_find_shown ("办事指南"));
  /* The identity is still shown, masked, after the rebuild. */
  kiosk_ui_test_assert_shown ("欧***");
  kiosk_ui_test_screenshot ("menu-english");

  /* And back. */
  g_signal_emit_by_name (kiosk_ui_test_button ("中文"), "clicked");
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("办事指南");
  g_assert_null (kiosk_ui_test_find_shown ("Service guide"));
  /* English again for the next screens. */
  g_signal_emit_by_name (kiosk_ui_test_button ("English"), "clicked");
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("Service guide");
}

static void
test_elder (void)
{
  GtkWidget *title = kiosk_ui_test_find_shown ("Service guide");
  int before = gtk_widget_get_height (title);
  GtkWidget *pill = kiosk_ui_test_button ("Elder mode");

  /* The whole pill is the button (its switch only shows the state). */
  g_assert_nonnull (pill);
  g_assert_true (GTK_IS_TOGGLE_BUTTON (pill));
  g_signal_emit_by_name (pill, "clicked");
  g_assert_true (kiosk_session_get_elder_mode (T.session));
  kiosk_ui_test_wait_frame ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (T.window), "elder"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (kiosk_ui_test_find_type (pill, GTK_TYPE_SWITCH))));
  title = kiosk_ui_test_find_shown ("Service guide");
  g_assert_cmpint (gtk_widget_get_height (title), >, before);
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot ("menu-elder");
}

static void
test_idle_and_wipe (void)
{
  g_autoptr (GPtrArray) personal = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) left = g_ptr_array_new ();

  /* Five idle seconds: the warning with its countdown. */
  for (int i = 0; i < 5; i++)
    kiosk_session_tick (T.session);
  g_assert_true (kiosk_session_get_idle_warning (T.session));
  g_assert_cmpstr (kiosk_shell_get_idle_text (shell ()), ==, "3 seconds");
  kiosk_session_tick (T.session);
  g_assert_cmpstr (kiosk_shell_get_idle_text (shell ()), ==, "2 seconds");
  kiosk_ui_test_screenshot ("idle-warning");

  /* Any touch cancels it. */
  kiosk_window_activity (T.window);
  g_assert_null (kiosk_shell_get_idle_text (shell ()));
  kiosk_ui_test_wait_frame ();
  assert_page ("menu");

  /* Now let it run out. Keep the widgets that hold personal data to check
   * that they are emptied, not just hidden or replaced. */
  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_personal, NULL, personal);
  g_assert_cmpuint (personal->len, >=, 3);
  g_ptr_array_foreach (personal, (GFunc) (void (*) (void)) g_object_ref, NULL);
  for (guint i = 0; i < personal->len; i++)
    g_assert_cmpstr (kiosk_ui_test_widget_text (personal->pdata[i]), !=, "");

  for (int i = 0; i < 5 + 3; i++)
    kiosk_session_tick (T.session);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  g_assert_null (kiosk_session_get_identity (T.session));
  for (guint i = 0; i < personal->len; i++)
    g_assert_cmpstr (kiosk_ui_test_widget_text (personal->pdata[i]), ==, "");

  kiosk_ui_test_wait_frame ();
  assert_page ("attract");
  /* The session's defaults are back: Chinese, normal mode. */
  g_assert_cmpstr (kiosk_session_get_language (T.session), ==, "zh_CN");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (T.window), "elder"));
  kiosk_ui_test_assert_shown ("请触摸屏幕开始");
  kiosk_ui_test_collect (GTK_WIDGET (T.window), holds_text, (gpointer) "欧***", left);
  kiosk_ui_test_collect (GTK_WIDGET (T.window), holds_text, (gpointer) "002X", left);
  g_assert_cmpuint (left->len, ==, 0);
  kiosk_ui_test_screenshot ("attract-after-wipe");
}

static void
test_identify (void)
{
  g_autoptr (KioskJourney) j = g_object_new (KIOSK_TYPE_JOURNEY, "id", "test-apply", "title", "Apply",
                                             "requires-identity", TRUE, "available", TRUE, NULL);

  kiosk_session_register_journey (T.session, j);
  kiosk_window_activity (T.window);
  g_assert_true (kiosk_session_select_journey (T.session, "test-apply"));
  kiosk_ui_test_wait_frame ();
  assert_page ("identify");
  kiosk_ui_test_assert_shown ("请将身份证放在读卡区");
  kiosk_ui_test_assert_shown ("自助申报");
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot ("identify");
  g_signal_emit_by_name (kiosk_ui_test_button ("返回"), "clicked");
  kiosk_ui_test_wait_frame ();
  assert_page ("menu");
}

static void
test_rate_and_end (void)
{
  g_assert_true (kiosk_session_select_journey (T.session, "guide"));
  kiosk_ui_test_wait_frame ();
  assert_page ("journey");
  g_assert_true (kiosk_session_journey_done (T.session, TRUE));
  kiosk_ui_test_wait_frame ();
  assert_page ("rate");
  kiosk_ui_test_screenshot ("rate");
  /* A low rating asks for reasons: toggles, a check button and entries,
   * styled by the kiosk's base theme. */
  g_signal_emit_by_name (kiosk_ui_test_button ("不满意"), "clicked");
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_screenshot ("rate-reasons");
  g_assert_true (kiosk_session_rating_done (T.session));
  kiosk_ui_test_wait_frame ();
  assert_page ("end");
  kiosk_ui_test_assert_shown ("感谢");
  kiosk_ui_test_screenshot ("end");
  kiosk_session_tick (T.session);
  kiosk_session_tick (T.session);
  kiosk_ui_test_wait_frame ();
  assert_page ("attract");
}

static void
test_status_strip (void)
{
  KioskStatusStrip *strip = KIOSK_STATUS_STRIP (kiosk_shell_get_status_strip (shell ()));
  const char *kinds[] = { "idcard", "camera", "pad", "printer" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char *text = kiosk_status_strip_get_device_text (strip, kinds[i]);
      KioskDevice *dev = kiosk_device_manager_get (kiosk_core_get_devices (T.core), kinds[i]);
      const char *expect = kiosk_device_get_state (dev) == KIOSK_DEVICE_STATE_READY ? "正常" : NULL;

      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "");
      if (expect != NULL)
        g_assert_nonnull (strstr (text, expect));
    }
  g_assert_cmpstr (kiosk_status_strip_get_backlog_text (strip), ==, "待同步：—");
  kiosk_core_set_backlog (T.core, 3);
  g_assert_cmpstr (kiosk_status_strip_get_backlog_text (strip), ==, "待同步：3 条");
  kiosk_core_set_backlog (T.core, 0);
  g_assert_cmpstr (kiosk_status_strip_get_backlog_text (strip), ==, "已全部同步");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  if (argc > 1 && g_str_equal (argv[argc - 1], "small"))
    {
      T.small = TRUE;
      argv[--argc] = NULL;
    }
  kiosk_ui_test_init (&argc, &argv);
  T.shots = g_strdup (T.small ? KIOSK_SCREENSHOT_DIR "-1280x800" : KIOSK_SCREENSHOT_DIR);
  T.config = kiosk_config_new_from_data (T.small ? CONF SMALL_UI : CONF, NULL, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);

  T.window = kiosk_ui_test_open_window (T.core, !T.small, T.shots);

  g_test_add_func ("/ui/no-gl", test_no_gl);
  g_test_add_func ("/ui/attract", test_attract);
  g_test_add_func ("/ui/close-refused", test_close_refused);
  g_test_add_func ("/ui/no-keyboard-exit", test_no_keyboard_exit);
  g_test_add_func ("/ui/touch-menu", test_touch_menu);
  g_test_add_func ("/ui/identity-masked", test_identity_masked);
  g_test_add_func ("/ui/journey-unavailable", test_journey_unavailable);
  g_test_add_func ("/ui/language", test_language);
  g_test_add_func ("/ui/elder", test_elder);
  g_test_add_func ("/ui/idle-and-wipe", test_idle_and_wipe);
  g_test_add_func ("/ui/identify", test_identify);
  g_test_add_func ("/ui/rate-and-end", test_rate_and_end);
  g_test_add_func ("/ui/status-strip", test_status_strip);
  status = g_test_run ();

  kiosk_ui_test_close_window ();
  g_clear_object (&T.core);
  kiosk_config_unref (T.config);
  g_free (T.shots);
  return status;
}
