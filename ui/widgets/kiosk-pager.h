/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A long list as residents meet it (issue #16, point 2: "fewer choices per
 * screen, long lists paged, not scrolled"): in normal mode it is shown as
 * before (scrolling inside the pager, or in the page around it); in 长辈模式
 * (the window's "elder" class) it is shown a page of rows at a time, with
 * large 上一页 / 下一页 buttons and 第 2/5 页 between them, in the same
 * place under the rows on every page (disabled where there is no page to
 * go to).
 *
 * The rows are @list's children; the page fills @list as before and the
 * pager follows what it adds and removes. A vertical GtkBox is paged by
 * height: as many whole rows as fit the pager's place (at most
 * rows-per-page of them); its own layout is set aside meanwhile and the
 * rows of other pages are not mapped. Another container (a GtkFlowBox) is
 * paged by count, rows-per-page a page, the others hidden. A row that is
 * not a control (a label: a department's name) takes no place of its own
 * and never ends a page: it goes with the row after it. A row the page hid
 * itself stays hidden. */

#define KIOSK_TYPE_PAGER (kiosk_pager_get_type ())
G_DECLARE_FINAL_TYPE (KioskPager, kiosk_pager, KIOSK, PAGER, GtkWidget)

/* @scrolls: in normal mode the list scrolls inside the pager (TRUE), or the
 * page around it scrolls (FALSE: the pager is as tall as the list). Paged,
 * give it the place the page has for it (vexpand). */
GtkWidget *kiosk_pager_new (GtkWidget *list, gboolean scrolls);
GtkWidget *kiosk_pager_get_list (KioskPager *self);

/* Rows (controls) on a page in 长辈模式 at most (default 4; at least 1). */
void kiosk_pager_set_rows_per_page (KioskPager *self, guint rows);

/* Whether the list is paged now (长辈模式). */
gboolean kiosk_pager_get_paged (KioskPager *self);
/* The page shown (from 0) and how many there are (1 when not paged). */
guint kiosk_pager_get_page (KioskPager *self);
guint kiosk_pager_get_n_pages (KioskPager *self);
void kiosk_pager_set_page (KioskPager *self, guint page);
/* The first page, or the top of the list (a new list, a new resident). */
void kiosk_pager_to_start (KioskPager *self);
/* The page that holds @row (a child of the list), or @row scrolled to. */
void kiosk_pager_show_row (KioskPager *self, GtkWidget *row);

/* The buttons and the 第 2/5 页 label (tests). */
GtkWidget *kiosk_pager_get_previous_button (KioskPager *self);
GtkWidget *kiosk_pager_get_next_button (KioskPager *self);
GtkWidget *kiosk_pager_get_page_label (KioskPager *self);

G_END_DECLS
