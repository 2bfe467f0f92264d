/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* Registers the pages of the journeys that have screens (办事指南, 进度查询)
 * with the shell (kiosk_journey_page_register). Call once at start. */
void kiosk_journey_pages_register_all (void);

GtkWidget *kiosk_guide_page_new (KioskCore *core, KioskJourney *journey);
GtkWidget *kiosk_progress_page_new (KioskCore *core, KioskJourney *journey);

/* Shared by the journey pages: a page header with the title, a back button
 * (kiosk_session_back: a step back inside a journey with steps, else the
 * menu) and a finish button. A page with steps puts the step indicator
 * (kiosk_journey_steps_new) under it. */
GtkWidget *_kiosk_journey_header_new (KioskCore *core, const char *title);
/* A "label: value" row for detail cards; returns the value label. */
GtkWidget *_kiosk_detail_row (GtkBox *box, const char *label, const char *value);

G_END_DECLS
