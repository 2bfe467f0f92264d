/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <dlfcn.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "kiosk-i18n.h"
#include "kiosk-maint.h"
#include "kiosk-ui-test.h"
#include "kiosk-ui.h"

static struct {
  KioskWindow *window;
  char *shots;
  int shot_no;
} U;

/* Warnings of the toolkit and of the shell fail the test (a template or
 * style sheet error shows up as one). Devices may warn about what a test
 * leaves out on purpose (no store, no hardware): those are logged, and the
 * test goes on. Criticals always fail. */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  static const char *const fatal_domains[]
      = { "Gtk", "Gdk", "Gsk", "GLib", "GLib-GObject", "GLib-GIO", "Pango", "kiosk-ui", "kiosk-session", "kiosk-core" };
  const char *domain = NULL, *message = NULL;
  GLogWriterOutput out = g_log_writer_default (level, fields, n_fields, data);

  /* Kept for the maintenance screen's log excerpt, as the kiosk does. */
  kiosk_maint_log_record (level, fields, n_fields);

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if (!(level & G_LOG_LEVEL_WARNING))
    return out;
  for (gsize i = 0; i < G_N_ELEMENTS (fatal_domains); i++)
    if (domain == NULL || g_str_equal (domain, fatal_domains[i]))
      g_error ("unexpected warning: %s: %s", domain ? domain : "(no domain)", message);
  return out;
}

void
kiosk_ui_test_init (int *argc, char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
    {
      g_print ("no DISPLAY: skipped (run under xvfb-run, as tools/run-tests does)\n");
      exit (77);
    }
  /* No accessibility bus in the test machine (it would warn, fatally);
   * GTK's test AT context when a test asks for it (test-ui-a11y). */
  if (g_strcmp0 (g_getenv ("GTK_A11Y"), "test") != 0)
    g_setenv ("GTK_A11Y", "none", TRUE);
  g_unsetenv ("LANGUAGE");
  kiosk_i18n_init ();
  g_test_init (argc, argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  kiosk_ui_preinit ();
  gtk_init ();
  kiosk_ui_init ();
  /* No animations: the screenshots show the finished screens. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

void
kiosk_ui_test_set_window (KioskWindow *window, const char *shots_dir)
{
  U.window = window;
  g_free (U.shots);
  U.shots = g_strdup (shots_dir);
  U.shot_no = 0;
  if (shots_dir)
    g_mkdir_with_parents (shots_dir, 0755);
}

KioskWindow *
kiosk_ui_test_open_window (KioskCore *core, gboolean fullscreen, const char *shots_dir)
{
  KioskWindow *window = kiosk_window_new (NULL, core, fullscreen);

  gtk_window_present (GTK_WINDOW (window));
  while (!kiosk_window_get_first_frame_done (window))
    g_main_context_iteration (NULL, TRUE);
  kiosk_ui_test_set_window (window, shots_dir);
  return window;
}

void
kiosk_ui_test_close_window (void)
{
  kiosk_window_set_allow_close (U.window, TRUE);
  gtk_window_destroy (GTK_WINDOW (U.window));
  U.window = NULL;
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

typedef struct {
  gboolean painted;
  const char *path; /* screenshot to take right after the paint, or NULL */
  GError *error;
} Frame;

static void
after_paint_cb (GdkFrameClock *clock, Frame *frame)
{
  if (frame->painted)
    return;
  frame->painted = TRUE;
  /* GTK keeps the window's render nodes from this paint until the next
   * change: render them now. */
  if (frame->path != NULL)
    kiosk_window_save_screenshot (U.window, frame->path, &frame->error);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
paint_frame (const char *path)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (U.window)));
  Frame frame = { FALSE, path, NULL };
  gboolean timed_out = FALSE;
  gulong id;
  guint timer;

  /* Let pending idles (the shell rebuild on a language change) run first. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &frame);
  timer = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  gtk_widget_queue_draw (GTK_WIDGET (U.window));
  while (!frame.painted && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  if (!timed_out)
    g_source_remove (timer);
  g_assert_false (timed_out);
  g_assert_no_error (frame.error);
}

void
kiosk_ui_test_wait_frame (void)
{
  paint_frame (NULL);
}

void
kiosk_ui_test_settle (guint ms)
{
  gboolean done = FALSE;
  guint timer = g_timeout_add (ms, timeout_cb, &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  (void) timer;
}

void
kiosk_ui_test_screenshot (const char *what)
{
  g_autofree char *name = g_strdup_printf ("%02d-%s.png", ++U.shot_no, what);
  g_autofree char *path = g_build_filename (U.shots, name, NULL);
  int width, height, min_height;

  paint_frame (path);
  g_test_message ("screenshot: %s", path);
  /* Everything fits on the screen: nothing is cut off at the bottom. */
  width = gtk_widget_get_width (GTK_WIDGET (U.window));
  height = gtk_widget_get_height (GTK_WIDGET (U.window));
  gtk_widget_measure (kiosk_window_get_shell (U.window), GTK_ORIENTATION_VERTICAL, width, &min_height, NULL, NULL,
                      NULL);
  if (min_height > height)
    g_error ("the %s screen needs %d px, the window has %d", what, min_height, height);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

const char *
kiosk_ui_test_widget_text (GtkWidget *w)
{
  if (GTK_IS_LABEL (w))
    return gtk_label_get_text (GTK_LABEL (w));
  if (GTK_IS_EDITABLE (w) && !GTK_IS_TEXT (w))
    return gtk_editable_get_text (GTK_EDITABLE (w));
  return NULL;
}

void
kiosk_ui_test_collect (GtkWidget *root, gboolean (*func) (GtkWidget *, gpointer), gpointer data, GPtrArray *out)
{
  if (func (root, data))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    kiosk_ui_test_collect (c, func, data, out);
}

static gboolean
shows_text (GtkWidget *w, gpointer text)
{
  const char *t = kiosk_ui_test_widget_text (w);
  return t != NULL && strstr (t, text) != NULL && gtk_widget_is_drawable (w);
}

GtkWidget *
kiosk_ui_test_find_shown (const char *text)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  kiosk_ui_test_collect (GTK_WIDGET (U.window), shows_text, (gpointer) text, found);
  return found->len ? found->pdata[0] : NULL;
}

GtkWidget *
kiosk_ui_test_button (const char *text)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (U.window), shows_text, (gpointer) text, found);
  for (guint i = 0; i < found->len; i++)
    for (GtkWidget *w = found->pdata[i]; w != NULL; w = gtk_widget_get_parent (w))
      if (GTK_IS_BUTTON (w))
        return w;
  return NULL;
}

void
kiosk_ui_test_click (const char *text)
{
  GtkWidget *b = kiosk_ui_test_button (text);

  if (b == NULL)
    g_error ("no button \"%s\" on the screen", text);
  if (!gtk_widget_is_sensitive (b))
    g_error ("the button \"%s\" is disabled", text);
  g_signal_emit_by_name (b, "clicked");
}

static gboolean
is_type (GtkWidget *w, gpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (w, (GType) GPOINTER_TO_SIZE (type)) && gtk_widget_is_drawable (w);
}

GtkWidget *
kiosk_ui_test_find_type (GtkWidget *root, GType type)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  kiosk_ui_test_collect (root ? root : GTK_WIDGET (U.window), is_type, GSIZE_TO_POINTER (type), found);
  return found->len ? found->pdata[0] : NULL;
}

void
kiosk_ui_test_assert_shown (const char *text)
{
  if (kiosk_ui_test_find_shown (text) == NULL)
    g_error ("\"%s\" is not on the screen", text);
}

static gboolean
is_touch_target (GtkWidget *w, gpointer data)
{
  return (GTK_IS_BUTTON (w) || GTK_IS_SWITCH (w)) && gtk_widget_is_drawable (w);
}

void
kiosk_ui_test_assert_touch_targets (int min)
{
  g_autoptr (GPtrArray) targets = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (U.window), is_touch_target, NULL, targets);
  g_assert_cmpuint (targets->len, >, 0);
  for (guint i = 0; i < targets->len; i++)
    {
      GtkWidget *w = targets->pdata[i];
      if (gtk_widget_get_width (w) < min || gtk_widget_get_height (w) < min)
        g_error ("%s %s is %d×%d px, smaller than %d", G_OBJECT_TYPE_NAME (w), gtk_widget_get_name (w),
                 gtk_widget_get_width (w), gtk_widget_get_height (w), min);
    }
}

/* A real press and release at (@x, @y) of the screen, through the X
 * server (XTest, loaded at run time: no build dependency), so GTK delivers
 * it as it delivers a finger: picked, captured, propagated. FALSE when
 * that cannot be done here (not X11, no libXtst). */
gboolean
kiosk_ui_test_x_click (int x, int y)
{
  return kiosk_ui_test_x_press (x, y, 0);
}

gboolean
kiosk_ui_test_x_press (int x, int y, guint hold_ms)
{
#ifdef GDK_WINDOWING_X11
  typedef int (*FakeMotion) (Display *, int, int, int, unsigned long);
  typedef int (*FakeButton) (Display *, unsigned int, int, unsigned long);
  typedef int (*Flush) (Display *);
  typedef int (*QueryPointer) (Display *, Window, Window *, Window *, int *, int *, int *, int *, unsigned int *);
  static void *xtst;
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (U.window));
  Display *xdisplay;
  FakeMotion motion;
  FakeButton button;
  Flush flush;
  QueryPointer query;
  Window root, child = 0;
  int rx, ry, wx, wy;
  unsigned int mask;

  if (!GDK_IS_X11_DISPLAY (display))
    return FALSE;
  if (xtst == NULL)
    xtst = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_LOCAL);
  if (xtst == NULL)
    return FALSE;
  motion = (FakeMotion) dlsym (xtst, "XTestFakeMotionEvent");
  button = (FakeButton) dlsym (xtst, "XTestFakeButtonEvent");
  /* From libX11, which libXtst needs. */
  flush = (Flush) dlsym (xtst, "XFlush");
  query = (QueryPointer) dlsym (xtst, "XQueryPointer");
  if (motion == NULL || button == NULL || flush == NULL || query == NULL)
    return FALSE;
  xdisplay = gdk_x11_display_get_xdisplay (display);
  motion (xdisplay, -1, x, y, 0);
  /* The click goes to the topmost window there: it must be this one (the
   * test runs alone on its display). */
  query (xdisplay, gdk_x11_display_get_xrootwindow (display), &root, &child, &rx, &ry, &wx, &wy, &mask);
  if (child != gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (U.window))))
    g_error ("another window covers the kiosk's at (%d, %d): run this test alone on its display", x, y);
  button (xdisplay, 1, True, 0);
  if (hold_ms > 0)
    {
      /* The finger stays down: GTK sees the press and its timers run. */
      flush (xdisplay);
      kiosk_ui_test_settle (hold_ms);
    }
  button (xdisplay, 1, False, 0);
  flush (xdisplay);
  return TRUE;
#else
  return FALSE;
#endif
}
