/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-catalog-item.h"
#include "kiosk-config.h"
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

/* The catalog's items as app/domain's codec decodes them
 * (KioskCatalogItem), in catalog order: what the page shows. An item the
 * codec refuses is left out (and logged with its code). */
guint kiosk_guide_journey_get_n_items (KioskGuideJourney *self);
const KioskCatalogItem *kiosk_guide_journey_get_item (KioskGuideJourney *self, guint index);
/* One item by code, or NULL. */
const KioskCatalogItem *kiosk_guide_journey_lookup (KioskGuideJourney *self, const char *code);

/* TRUE while the catalog is being read. */
gboolean kiosk_guide_journey_get_loading (KioskGuideJourney *self);
/* The catalog items (JSON objects as the platform sent them, for the
 * printed guide's data); empty when none has been downloaded yet. */
JsonArray *kiosk_guide_journey_get_items (KioskGuideJourney *self);
/* One item by code, or NULL. */
JsonObject *kiosk_guide_journey_find (KioskGuideJourney *self, const char *code);
/* Departments in catalog order (for grouping), NULL-terminated. */
GStrv kiosk_guide_journey_dup_departments (KioskGuideJourney *self);

/* The text of a catalog item's member, as the platform may send it: a
 * string, or an object with a "name" (item_type, case_type) or a "text"
 * (fee). NULL when absent or of another shape. */
const char *kiosk_catalog_text (JsonObject *item, const char *member);

/* Prints the guide of item @code on the kiosk's printer (template "guide").
 * When it cannot print, the error's message is the plain one for the
 * resident (kiosk_print_error_message). */
void kiosk_guide_journey_print_async (KioskGuideJourney *self, const char *code, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean kiosk_guide_journey_print_finish (KioskGuideJourney *self, GAsyncResult *result, GError **error);
/* The guide template's data for a catalog item (see drivers/printer/README.md). */
JsonObject *kiosk_guide_print_data (JsonObject *item, KioskConfig *config);

G_END_DECLS
