/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-journey.h"

G_BEGIN_DECLS

typedef struct _KioskCore KioskCore;

/* 办事指南: the catalog of service items with everything a resident needs
 * to know at once (一次性告知): materials, time limit, fee, legal basis,
 * whether 告知承诺 and 容缺 apply, and how the result is delivered. The
 * catalog comes from the store (downloaded by sync), read off the main
 * thread when the journey begins. */

#define KIOSK_TYPE_GUIDE_JOURNEY (kiosk_guide_journey_get_type ())
G_DECLARE_FINAL_TYPE (KioskGuideJourney, kiosk_guide_journey, KIOSK, GUIDE_JOURNEY, KioskJourney)

KioskJourney *kiosk_guide_journey_new (KioskCore *core);

/* TRUE while the catalog is being read. */
gboolean kiosk_guide_journey_get_loading (KioskGuideJourney *self);
/* The catalog items (JSON objects as the platform sent them); empty when
 * none has been downloaded yet. */
JsonArray *kiosk_guide_journey_get_items (KioskGuideJourney *self);
/* One item by code, or NULL. */
JsonObject *kiosk_guide_journey_find (KioskGuideJourney *self, const char *code);
/* Departments in catalog order (for grouping), NULL-terminated. */
GStrv kiosk_guide_journey_dup_departments (KioskGuideJourney *self);

G_END_DECLS
