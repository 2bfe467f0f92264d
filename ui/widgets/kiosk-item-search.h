/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-osk.h"

G_BEGIN_DECLS

/* Finding an item on a list of catalog items (办事指南, 自助申报's item
 * step, issue 14): a search field (搜索事项) and under it the category
 * chips (全部 and the catalog's categories); kiosk_item_search_empty_new()
 * is the plain message for nothing found. Placed above the list it
 * filters, which scrolls on its own: the field and the chips never move.
 *
 * Touching the field brings up the page's keyboard in letters: pinyin
 * letters are a query ("gljt", "yanglao"); its 中文 key switches to
 * Chinese through pinyin. What is typed is searched after a short pause
 * (debounced), with app/catalog's search (kiosk-catalog-search.h): Chinese
 * words, pinyin in full or by initials, aliases, categories and codes,
 * best match first. Its index (libpinyin's readings) is built in a worker
 * thread: nothing blocks the main loop.
 *
 * The page lists what kiosk_item_search_get_codes() says whenever
 * "changed" is emitted; "touched" says the field was touched (the
 * keyboard is wanted), "cleared" that 清空 was pressed (starting over). */

#define KIOSK_TYPE_ITEM_SEARCH (kiosk_item_search_get_type ())
G_DECLARE_FINAL_TYPE (KioskItemSearch, kiosk_item_search, KIOSK, ITEM_SEARCH, GtkBox)

/* @osk: the page's keyboard (not owned; it outlives the field). */
GtkWidget *kiosk_item_search_new (KioskOsk *osk);

/* The items to search (KioskCatalogItem elements, not kept): the chips
 * are made at once, the index in a worker thread ("changed" again when it
 * is there). The same items again change nothing. */
void kiosk_item_search_set_items (KioskItemSearch *self, GPtrArray *items);

/* The codes of the matching items, best first, or NULL when the list is
 * not filtered (nothing typed, 全部): the page shows every item then. */
GPtrArray *kiosk_item_search_get_codes (KioskItemSearch *self);

/* The plain message for nothing found (未找到相关事项…), for the page to
 * put where its list is when kiosk_item_search_get_codes() is empty. */
GtkWidget *kiosk_item_search_empty_new (void);

/* Empties the field and goes back to 全部 (the next resident). */
void kiosk_item_search_clear (KioskItemSearch *self);

/* Shows or hides the chips (a small screen with the keyboard up has no
 * room for them; the field stays where it is). */
void kiosk_item_search_set_chips_visible (KioskItemSearch *self, gboolean visible);
/* 长辈模式: the chips folded behind one button, "分类：<category>", which
 * opens them; choosing one folds them again (the list keeps its rows:
 * fewer choices on the screen at once). Follows the window's "elder"
 * class by itself; for tests and other roots. */
void kiosk_item_search_set_folded (KioskItemSearch *self, gboolean folded);
GtkWidget *kiosk_item_search_get_category_button (KioskItemSearch *self);

GtkWidget *kiosk_item_search_get_entry (KioskItemSearch *self);
/* The chip of @category (NULL: 全部), or NULL. */
GtkWidget *kiosk_item_search_get_chip (KioskItemSearch *self, const char *category);
/* The index is built (a query is searched). */
gboolean kiosk_item_search_get_ready (KioskItemSearch *self);

G_END_DECLS
