/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* Nobody at the kiosk: time, date, the station's name, the notices, and a
 * big "touch to start / place your ID card". */

#define KIOSK_TYPE_ATTRACT_PAGE (kiosk_attract_page_get_type ())
G_DECLARE_FINAL_TYPE (KioskAttractPage, kiosk_attract_page, KIOSK, ATTRACT_PAGE, GtkWidget)

GtkWidget *kiosk_attract_page_new (KioskCore *core);
void kiosk_attract_page_set_time (KioskAttractPage *self, GDateTime *now);

/* The notices (issue #16, point 5): pages of whole notices, turned every
 * 8 s while the page is on screen, a dot per page, and when they were
 * fetched ("更新于 09:30") or that they are the station's own. The page
 * shown now and how many there are (as last laid out). */
guint kiosk_attract_page_get_notice_page (KioskAttractPage *self, guint *n_pages);
/* The next page now (tests), and the time between pages (default 8000). */
void kiosk_attract_page_turn_notices (KioskAttractPage *self);
void kiosk_attract_page_set_notice_interval (KioskAttractPage *self, guint ms);
/* A press on @target (what is under the finger) on the attract screen: in
 * 长辈模式, with the voice heard, a notice touched is read aloud and stays
 * on screen while it is; returns TRUE then, and the touch begins no
 * session (the window asks before it does). FALSE otherwise. */
gboolean kiosk_attract_page_touch (KioskAttractPage *self, GtkWidget *target);

/* "Wednesday, 1 January 2025" / "2025年1月1日 星期三" in the current language. */
char *_kiosk_format_date (GDateTime *now);

G_END_DECLS
