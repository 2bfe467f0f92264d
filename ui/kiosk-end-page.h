/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The thank-you screen; the session wipes and returns to attract after
 * [session] end-screen-seconds. */

#define KIOSK_TYPE_END_PAGE (kiosk_end_page_get_type ())
G_DECLARE_FINAL_TYPE (KioskEndPage, kiosk_end_page, KIOSK, END_PAGE, GtkWidget)

GtkWidget *kiosk_end_page_new (void);

G_END_DECLS
