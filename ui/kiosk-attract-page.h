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

/* "Wednesday, 1 January 2025" / "2025年1月1日 星期三" in the current language. */
char *_kiosk_format_date (GDateTime *now);

G_END_DECLS
