/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* "Please place your ID card on the reader", shown while the chosen
 * journey waits for an identity. */

#define KIOSK_TYPE_IDENTIFY_PAGE (kiosk_identify_page_get_type ())
G_DECLARE_FINAL_TYPE (KioskIdentifyPage, kiosk_identify_page, KIOSK, IDENTIFY_PAGE, GtkWidget)

GtkWidget *kiosk_identify_page_new (KioskCore *core);

G_END_DECLS
