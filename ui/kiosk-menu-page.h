/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* The home menu: one tile per journey of the session, the 长辈模式 switch,
 * the 中文/English toggle and the finish button. Shows the identified
 * resident, masked, and clears it on the session's "wipe". */

#define KIOSK_TYPE_MENU_PAGE (kiosk_menu_page_get_type ())
G_DECLARE_FINAL_TYPE (KioskMenuPage, kiosk_menu_page, KIOSK, MENU_PAGE, GtkWidget)

GtkWidget *kiosk_menu_page_new (KioskCore *core);

G_END_DECLS
