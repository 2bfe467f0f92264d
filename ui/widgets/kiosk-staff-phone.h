/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-config.h"

G_BEGIN_DECLS

/* The station's phone ([kiosk] phone), large, under every message that sends
 * a resident to the staff (issue 13, point 14: a 24-hour station may have
 * nobody at the desk). One helper for every screen.
 *
 * kiosk_staff_phone_text: "工作人员电话：…" in the current language, or NULL
 * when no phone is configured. */
char *kiosk_staff_phone_text (KioskConfig *config);

/* A label with that text (CSS class and widget name "staff-phone"),
 * hidden until kiosk_staff_phone_follow() or the caller shows it; hidden
 * for good when no phone is configured. */
GtkWidget *kiosk_staff_phone_new (KioskConfig *config);

/* Whether @message sends the resident to the staff (it names them: "staff"
 * in English, "工作人员" in Chinese). */
gboolean kiosk_staff_phone_wanted (const char *message);

/* @phone (from kiosk_staff_phone_new) shows while @message is visible
 * (with its ancestors) and its text sends the resident to the staff; it
 * follows the label's text and visibility from now on. */
void kiosk_staff_phone_follow (GtkWidget *phone, GtkLabel *message);

/* A new phone label placed right after @message in its parent box and
 * following it; NULL when no phone is configured or @message is not in a
 * GtkBox. */
GtkWidget *kiosk_staff_phone_attach (GtkLabel *message, KioskConfig *config);

G_END_DECLS
