/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* The home menu: one tile per journey of the session, the 长辈模式 pill
 * (the whole pill toggles it), the 中文/English toggle and the finish
 * button. Shows the identified resident, masked, and clears it on the
 * session's "wipe". A card holder aged 60 or more is offered 长辈模式 once
 * per session (one touch to accept, one to decline; never forced). */

#define KIOSK_TYPE_MENU_PAGE (kiosk_menu_page_get_type ())
G_DECLARE_FINAL_TYPE (KioskMenuPage, kiosk_menu_page, KIOSK, MENU_PAGE, GtkWidget)

GtkWidget *kiosk_menu_page_new (KioskCore *core);

/* Age from which 长辈模式 is offered. */
#define KIOSK_ELDER_OFFER_AGE 60

/* Whole years on @today's date of someone born on @birth_date ("YYYY-MM-DD"
 * or "YYYYMMDD"); -1 when the date cannot be read or lies after @today.
 * Born on 29 February: a year older on 1 March of other years. */
int kiosk_age_on (const char *birth_date, GDateTime *today);
/* The card holder's age on @today: from the birth date, else from the
 * 18-digit number (居民身份证, 港澳台居民居住证); -1 when unknown. */
int kiosk_identity_age_on (const KioskIdentity *identity, GDateTime *today);

G_END_DECLS
