/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* The kiosk's one window: fullscreen, undecorated, no way out by keyboard
 * shortcut, closing refused until the application allows it (on a signal
 * from the system). Any press anywhere counts as activity for the session.
 * "first-frame" is emitted once, after the first frame was painted. */

#define KIOSK_TYPE_WINDOW (kiosk_window_get_type ())
G_DECLARE_FINAL_TYPE (KioskWindow, kiosk_window, KIOSK, WINDOW, GtkApplicationWindow)

/* @app may be NULL (tests). */
KioskWindow *kiosk_window_new (GtkApplication *app, KioskCore *core, gboolean fullscreen);

GtkWidget *kiosk_window_get_shell (KioskWindow *self);
void kiosk_window_set_allow_close (KioskWindow *self, gboolean allow);
gboolean kiosk_window_get_first_frame_done (KioskWindow *self);
/* What the capture-phase click gesture ("kiosk-activity") does on every
 * press while the screen is not blanked. */
void kiosk_window_activity (KioskWindow *self);

/* Screen blanking ([ui] blank-after-minutes; 0: never): after that long at
 * the attract screen with nobody there (no session, no card notice, no
 * device busy with a resident's request, telling them so) a black layer
 * covers the window. A press or a key on it only wakes it (swallowed: no
 * session begins); a session beginning (a card read), a card notice or a
 * device going busy for a resident wake it too. The count advances once a second by a timer, or only by
 * kiosk_window_tick() after kiosk_window_set_manual_clock (tests). */
gboolean kiosk_window_get_blanked (KioskWindow *self);
void kiosk_window_set_manual_clock (KioskWindow *self, gboolean manual);
void kiosk_window_tick (KioskWindow *self);
/* Writes what the window shows to a PNG, rendered by GTK itself. */
gboolean kiosk_window_save_screenshot (KioskWindow *self, const char *path, GError **error);

G_END_DECLS
