/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

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

/* What a page shows of a catalog item, typed (the page parses no JSON).
 * A minimal view until app/domain's KioskCatalogItem replaces it. */
typedef enum {
  KIOSK_GUIDE_UNKNOWN, /* the catalog does not say: "ask the staff" */
  KIOSK_GUIDE_NO,
  KIOSK_GUIDE_YES,
} KioskGuideAnswer;

typedef struct {
  char *name;
  gboolean required;
  gboolean deferrable; /* may be supplied later (容缺) */
} KioskGuideMaterial;

typedef struct {
  char *code;
  char *name;
  char *department;
  char *item_type;
  char *case_type;
  char *handling; /* the level that accepts and decides */
  char *fee;
  char *legal_basis;
  int time_limit_days;         /* working days; 0 on the spot; -1 unknown */
  KioskGuideAnswer commitment; /* 告知承诺 */
  KioskGuideAnswer deferral;   /* 容缺 */
  gboolean pickup;             /* delivery: at the station */
  gboolean post;               /* delivery: by free post */
  GPtrArray *materials;        /* KioskGuideMaterial, in catalog order */
} KioskGuideItem;

/* The catalog's items, typed, in catalog order. */
guint kiosk_guide_journey_get_n_items (KioskGuideJourney *self);
const KioskGuideItem *kiosk_guide_journey_get_item (KioskGuideJourney *self, guint index);
/* One item by code, or NULL. */
const KioskGuideItem *kiosk_guide_journey_lookup (KioskGuideJourney *self, const char *code);
/* Parses one catalog object (as the platform sends it). */
KioskGuideItem *kiosk_guide_item_new_from_json (JsonObject *item);
void kiosk_guide_item_free (KioskGuideItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskGuideItem, kiosk_guide_item_free)

/* TRUE while the catalog is being read. */
gboolean kiosk_guide_journey_get_loading (KioskGuideJourney *self);
/* The catalog items (JSON objects as the platform sent them); empty when
 * none has been downloaded yet. */
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
