/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kiosk-pinyin.h"

G_BEGIN_DECLS

/* Finding catalog items (办事指南, 自助申报), without GTK:
 *   - by Chinese keyword, in the name, the aliases (the names people use:
 *     "低保", "社保卡"), the category and the department ("养老保险");
 *   - by pinyin, in full ("yanglao") or by initials ("gljt", "ylbx"), or
 *     mixed ("gaolingjt"), the last syllable possibly unfinished; a
 *     polyphone matches under any of its readings (长: chang, zhang);
 *   - by item code ("MZ-026", "mz026");
 *   - by category (browse: an empty query in one category).
 * Several words (separated by spaces) must all match. Results are ranked
 * best first: the field (name, then aliases, category, department, item
 * type), then where the match starts (at the beginning first), whole-field
 * and full-syllable matches; ties keep the catalog's order.
 *
 * Readings come from libpinyin (kiosk-pinyin.h) when the index is built;
 * searching needs no pinyin afterwards. Building takes a few ms once
 * libpinyin is open; both belong off the GTK main thread, searching (well
 * under a ms for the catalog's 38 items) may run anywhere. An index is
 * immutable: any thread may search it. */
typedef struct _KioskCatalogSearch KioskCatalogSearch;

typedef struct {
  char *code;
  char *name;
  char *category;
  int score; /* higher is better; only for ordering */
} KioskCatalogMatch;

void kiosk_catalog_match_free (KioskCatalogMatch *match);

/* @items: the catalog's items (as kiosk_store_get_catalog() gives them, or
 * the platform's whole document with "items"). Members used: code, name,
 * category (else department), department, item_type.name and aliases
 * (array of strings), all optional but code and name (items without them
 * are skipped). @pinyin: NULL to search without pinyin. */
KioskCatalogSearch *kiosk_catalog_search_new (JsonNode *catalog, KioskPinyin *pinyin, GError **error);
KioskCatalogSearch *kiosk_catalog_search_new_from_json (const char *json, KioskPinyin *pinyin, GError **error);
void kiosk_catalog_search_free (KioskCatalogSearch *self);

/* The whole job for a journey, in a worker thread: opens libpinyin (its
 * own, closed again), builds the index of @json (the store's catalog) and
 * hands it to @callback on the calling thread's main context. Without
 * libpinyin the index is still made, without pinyin (a warning says why). */
void kiosk_catalog_search_build_async (const char *json, GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
KioskCatalogSearch *kiosk_catalog_search_build_finish (GAsyncResult *result, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCatalogSearch, kiosk_catalog_search_free)

/* How many items the index holds. */
guint kiosk_catalog_search_get_n_items (KioskCatalogSearch *self);

/* The categories, in the catalog's order, without duplicates. */
const char *const *kiosk_catalog_search_get_categories (KioskCatalogSearch *self);

/* Items matching @query (NULL or blank: every item) within @category
 * (NULL: all), best first; KioskCatalogMatch elements. */
GPtrArray *kiosk_catalog_search_find (KioskCatalogSearch *self, const char *query, const char *category);

G_END_DECLS
