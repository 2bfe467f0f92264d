/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* Everything inside the kiosk window: the header, one page per session
 * state, the status strip, the idle-warning overlay and the card notice
 * (what a resident's card did, large, with a sound, over any page). It observes the
 * session and shows the page of its state. The window builds a new shell
 * when the language changes, so every string is translated again. */

#define KIOSK_TYPE_SHELL (kiosk_shell_get_type ())
G_DECLARE_FINAL_TYPE (KioskShell, kiosk_shell, KIOSK, SHELL, GtkWidget)

GtkWidget *kiosk_shell_new (KioskCore *core);

/* "attract", "identify", "menu", "journey", "rate", "end" */
const char *kiosk_shell_get_page_name (KioskShell *self);
GtkWidget *kiosk_shell_get_page (KioskShell *self, const char *name);
/* The countdown text while the idle warning shows, else NULL. */
const char *kiosk_shell_get_idle_text (KioskShell *self);
GtkWidget *kiosk_shell_get_status_strip (KioskShell *self);
/* The title of the card notice on screen (expired, unreadable ...), else
 * NULL; how many times the shell has sounded the bell for one. */
const char *kiosk_shell_get_card_notice (KioskShell *self);
guint kiosk_shell_get_beep_count (KioskShell *self);

G_END_DECLS
