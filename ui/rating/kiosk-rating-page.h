/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"
#include "kiosk-rating-flow.h"

G_BEGIN_DECLS

/* The page shown in the session's RATE state (好差评). The window creates one
 * and shows it whenever the session enters RATE; the page shows the core's rating flow (kiosk_core_get_rating_flow), which the core
 * begins, closes and ends; the page only sends the resident's answers.
 *
 * It asks once per service event: five large level buttons (the pad's keys
 * answer the same question through the same KioskRatingFlow, first answer
 * wins); a bad level then asks for at least one reason, offers free text,
 * a contact phone and, where allowed, anonymity. On the session's "wipe"
 * an open question is recorded "not rated" and every field is cleared. */

#define KIOSK_TYPE_RATING_PAGE (kiosk_rating_page_get_type ())
G_DECLARE_FINAL_TYPE (KioskRatingPage, kiosk_rating_page, KIOSK, RATING_PAGE, GtkBox)

GtkWidget *kiosk_rating_page_new (KioskCore *core);

/* The flow behind the page: the core's, so a page rebuilt mid-question
 * (language switch) continues the same question. NULL when the [rating] configuration is
 * broken (the page then says so). */
KioskRatingFlow *kiosk_rating_page_get_flow (KioskRatingPage *self);

G_END_DECLS
