/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* The page of a journey. A journey module that has screens registers a
 * factory for its journey id; the shell calls it each time the session
 * enters that journey and drops the page when the journey is left (the
 * page must also clear its personal data on the session's "wipe"). A
 * journey whose "available" is FALSE, or that has no page registered,
 * gets KioskJourneyPage: an honest "not available yet" screen. */

typedef GtkWidget *(*KioskJourneyPageFactory) (KioskCore *core, KioskJourney *journey);

void kiosk_journey_page_register (const char *journey_id, KioskJourneyPageFactory factory);
KioskJourneyPageFactory kiosk_journey_page_lookup (const char *journey_id);

#define KIOSK_TYPE_JOURNEY_PAGE (kiosk_journey_page_get_type ())
G_DECLARE_FINAL_TYPE (KioskJourneyPage, kiosk_journey_page, KIOSK, JOURNEY_PAGE, GtkWidget)

GtkWidget *kiosk_journey_page_new (KioskCore *core);
/* Shows @journey (NULL: nothing). */
void kiosk_journey_page_set_journey (KioskJourneyPage *self, KioskJourney *journey);

/* The step indicator of a journey with steps (ui/widgets' KioskSteps over
 * the journey's "steps", translated, following its "step"; screen readers
 * hear "Step 2 of 5: Materials"); invisible for a journey with one screen.
 * A journey page with steps puts one under its header. */
GtkWidget *kiosk_journey_steps_new (KioskJourney *journey);

G_END_DECLS
