/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for the kiosk's UI tests under Xvfb: set-up of GTK the way the
 * kiosk does it, frames, screenshots, finding and pressing widgets by their
 * visible text. One window at a time (kiosk_ui_test_set_window). */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-window.h"

G_BEGIN_DECLS

/* Skips (exit 77) without a DISPLAY; otherwise the kiosk's gettext, GTK set
 * up as the kiosk does (no GL, its theme, no animations), g_test_init, and
 * warnings of the toolkit and of the shell made fatal. */
void kiosk_ui_test_init (int *argc, char ***argv);

/* The window the helpers look in, and the folder screenshots go to
 * (created). */
void kiosk_ui_test_set_window (KioskWindow *window, const char *shots_dir);

/* A kiosk window on @core (fullscreen or windowed), shown, its first frame
 * painted, and made the helpers' window (screenshots to @shots_dir). */
KioskWindow *kiosk_ui_test_open_window (KioskCore *core, gboolean fullscreen, const char *shots_dir);
/* Closes and destroys the helpers' window and runs what its destruction
 * left pending. */
void kiosk_ui_test_close_window (void);

/* Runs the main loop until a new frame of the window was painted. */
void kiosk_ui_test_wait_frame (void);
/* Runs the main loop for @ms milliseconds. */
void kiosk_ui_test_settle (guint ms);
/* Paints a frame and saves it as "NN-@what.png" in the screenshot folder;
 * fails when the screen needs more room than the window has. */
void kiosk_ui_test_screenshot (const char *what);

/* Iterates the main loop until @cond holds, or fails after @secs. */
#define KIOSK_UI_TEST_WAIT_FOR(cond, secs)                                        \
  G_STMT_START                                                                    \
  {                                                                               \
    gint64 _deadline = g_get_monotonic_time () + (gint64) (secs) *G_USEC_PER_SEC; \
    while (!(cond) && g_get_monotonic_time () < _deadline)                        \
      kiosk_ui_test_settle (20);                                                  \
    if (!(cond))                                                                  \
      g_error ("timed out waiting for: %s", #cond);                               \
  }                                                                               \
  G_STMT_END

/* The text a label or an editable shows, or NULL. */
const char *kiosk_ui_test_widget_text (GtkWidget *w);
/* Every widget below @root for which @func returns TRUE, in tree order. */
void kiosk_ui_test_collect (GtkWidget *root, gboolean (*func) (GtkWidget *, gpointer), gpointer data, GPtrArray *out);
/* The first drawn label or editable of the window showing @text, or NULL. */
GtkWidget *kiosk_ui_test_find_shown (const char *text);
/* The drawn button showing @text (in itself or a child label), or NULL. */
GtkWidget *kiosk_ui_test_button (const char *text);
/* Clicks the drawn button showing @text ("clicked"), failing if none. */
void kiosk_ui_test_click (const char *text);
/* The first drawn widget of @type below @root (the window when NULL). */
GtkWidget *kiosk_ui_test_find_type (GtkWidget *root, GType type);
/* Fails when @text is not drawn on the screen. */
void kiosk_ui_test_assert_shown (const char *text);
/* Fails when a drawn button or switch is smaller than @min px either way. */
void kiosk_ui_test_assert_touch_targets (int min);

/* A real press and release at (@x, @y) of the screen through the X server
 * (XTest), delivered by GTK as a finger's: picked, captured, propagated.
 * FALSE when that cannot be done here. The test must run alone on its
 * display (meson: is_parallel: false). */
gboolean kiosk_ui_test_x_click (int x, int y);
/* The same, the button held down for @hold_ms (a long press) while the
 * main loop runs. */
gboolean kiosk_ui_test_x_press (int x, int y, guint hold_ms);

G_END_DECLS
