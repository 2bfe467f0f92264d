/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Long lists paged in 长辈模式 (issue #16, point 2: "fewer choices per
 * screen, long lists paged, not scrolled"), on the list residents meet
 * most: 办事指南's items, from the reference platform's seed catalog.
 *
 *  - in 长辈模式 a page shows at most four items, each 80 px or more; 上一页
 *    and 下一页 (80 px, disabled where there is no page) and 第 2/5 页 stay
 *    in one place under the list whatever the page; a department's name
 *    never ends a page; every item is on exactly one page;
 *  - in normal mode the list is shown whole (it scrolls), without the bar;
 *  - 自助申报's items (lines of two in a step that scrolls): the lines that
 *    fit, each item 80 px, the bar in one place on every page;
 *  - the widget alone, a GtkBox list (paged by height) and a GtkFlowBox
 *    (paged by count): rows added and removed, a heading, a row the page
 *    hid itself, normal mode again.
 *
 * Screenshots in KIOSK_SCREENSHOT_DIR. Skips (77) without a display. */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "kiosk-pager.h"
#include "kiosk-store.h"
#include "kiosk-item-search.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"

static struct {
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
} T;

static gboolean
is_guide_item (GtkWidget *w, gpointer data)
{
  return GTK_IS_BUTTON (w) && gtk_widget_has_css_class (w, "guide-item");
}

static gboolean
drawn_guide_item (GtkWidget *w, gpointer data)
{
  return is_guide_item (w, data) && gtk_widget_is_drawable (w);
}

static void
open_guide (gboolean elder)
{
  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_touch (T.session));
  kiosk_session_set_elder_mode (T.session, elder);
  g_assert_true (kiosk_session_select_journey (T.session, "guide"));
  kiosk_ui_test_wait_frame ();
}

static KioskPager *
guide_pager (void)
{
  GtkWidget *pager;

  KIOSK_UI_TEST_WAIT_FOR (
      (pager = kiosk_ui_test_find_type (NULL, KIOSK_TYPE_PAGER)) != NULL
          && g_strcmp0 (gtk_widget_get_name (kiosk_pager_get_list (KIOSK_PAGER (pager))), "guide-list") == 0,
      10);
  return KIOSK_PAGER (pager);
}

static void
assert_size (GtkWidget *w, int min)
{
  graphene_rect_t r;

  g_assert_true (gtk_widget_compute_bounds (w, w, &r));
  if (r.size.width < min || r.size.height < min)
    g_error ("%s \"%s\" is %.0fx%.0f px, under %d", gtk_widget_get_name (w),
             gtk_button_get_label (GTK_BUTTON (w)) ? gtk_button_get_label (GTK_BUTTON (w)) : "", r.size.width,
             r.size.height, min);
}

static void
test_guide_elder (void)
{
  KioskPager *pager;
  GtkWidget *list, *next, *previous, *label;
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  graphene_rect_t bar0, bar;
  guint n_pages;

  open_guide (TRUE);
  pager = guide_pager ();
  list = kiosk_pager_get_list (pager);
  next = kiosk_pager_get_next_button (pager);
  previous = kiosk_pager_get_previous_button (pager);
  label = kiosk_pager_get_page_label (pager);
  kiosk_ui_test_collect (list, is_guide_item, NULL, all);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_pager_get_n_pages (pager) > 1, 10);
  kiosk_ui_test_wait_frame ();
  g_assert_true (kiosk_pager_get_paged (pager));
  n_pages = kiosk_pager_get_n_pages (pager);
  g_test_message ("%u items, %u pages", all->len, n_pages);
  g_assert_cmpuint (all->len, >, 4);
  g_assert_cmpuint (n_pages, >=, (all->len + 3) / 4);
  g_assert_cmpuint (kiosk_pager_get_page (pager), ==, 0);
  g_assert_true (gtk_widget_compute_bounds (next, GTK_WIDGET (T.window), &bar0));

  for (guint page = 0; page < n_pages; page++)
    {
      g_autoptr (GPtrArray) shown = g_ptr_array_new ();
      g_autofree char *text = g_strdup_printf ("第 %u/%u 页", page + 1, n_pages);
      GtkWidget *last = NULL;

      g_assert_cmpuint (kiosk_pager_get_page (pager), ==, page);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, text);
      kiosk_ui_test_assert_shown (text);
      g_assert_cmpint (gtk_widget_is_sensitive (previous), ==, page > 0);
      g_assert_cmpint (gtk_widget_is_sensitive (next), ==, page + 1 < n_pages);
      assert_size (next, 80);
      assert_size (previous, 80);
      /* 上一页 / 下一页 in the same place on every page */
      g_assert_true (gtk_widget_compute_bounds (next, GTK_WIDGET (T.window), &bar));
      if (!graphene_rect_equal (&bar, &bar0))
        g_error ("page %u: 下一页 at %.0f,%.0f %.0fx%.0f, on the first page at %.0f,%.0f %.0fx%.0f", page + 1,
                 bar.origin.x, bar.origin.y, bar.size.width, bar.size.height, bar0.origin.x, bar0.origin.y,
                 bar0.size.width, bar0.size.height);

      kiosk_ui_test_collect (list, drawn_guide_item, NULL, shown);
      g_assert_cmpuint (shown->len, >=, 1);
      g_assert_cmpuint (shown->len, <=, 4);
      for (guint i = 0; i < shown->len; i++)
        {
          assert_size (shown->pdata[i], 80);
          /* on one page only */
          g_assert_true (g_hash_table_add (seen, shown->pdata[i]));
        }
      /* the last thing on a page is an item, never a department's name */
      for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
        if (gtk_widget_get_visible (c))
          last = c;
      g_assert_true (GTK_IS_BUTTON (last));
      if (page < 2 || page + 1 == n_pages)
        {
          g_autofree char *what = g_strdup_printf ("guide-elder-page-%u", page + 1);
          kiosk_ui_test_screenshot (what);
        }
      if (page + 1 < n_pages)
        {
          kiosk_ui_test_click ("下一页");
          kiosk_ui_test_wait_frame ();
        }
    }
  /* every item on exactly one page */
  g_assert_cmpuint (g_hash_table_size (seen), ==, all->len);
  kiosk_ui_test_click ("上一页");
  kiosk_ui_test_wait_frame ();
  g_assert_cmpuint (kiosk_pager_get_page (pager), ==, n_pages - 2);

  /* choosing an item on a later page keeps the page */
  {
    g_autoptr (GPtrArray) shown = g_ptr_array_new ();

    kiosk_ui_test_collect (list, drawn_guide_item, NULL, shown);
    g_signal_emit_by_name (shown->pdata[0], "clicked");
    kiosk_ui_test_wait_frame ();
    g_assert_cmpuint (kiosk_pager_get_page (pager), ==, n_pages - 2);
    g_assert_true (gtk_widget_has_css_class (shown->pdata[0], "selected"));
  }

  /* normal mode: the whole list, no bar */
  kiosk_session_set_elder_mode (T.session, FALSE);
  kiosk_ui_test_wait_frame ();
  g_assert_false (kiosk_pager_get_paged (pager));
  g_assert_false (gtk_widget_is_drawable (next));
  g_assert_null (kiosk_ui_test_find_shown (gtk_label_get_text (GTK_LABEL (label))));
  for (guint i = 0; i < all->len; i++)
    g_assert_true (gtk_widget_get_visible (all->pdata[i]));
  kiosk_ui_test_screenshot ("guide-normal");

  /* normal mode: the categories in view, no category button */
  {
    KioskItemSearch *search = KIOSK_ITEM_SEARCH (kiosk_ui_test_find_type (NULL, KIOSK_TYPE_ITEM_SEARCH));
    GtkWidget *category = kiosk_item_search_get_category_button (search);
    GtkWidget *chip = kiosk_item_search_get_chip (search, "社会救助");

    g_assert_true (gtk_widget_is_drawable (chip));
    g_assert_false (gtk_widget_is_drawable (category));

    /* and back: in 长辈模式 they fold behind 分类：全部, which opens them;
     * a category chosen folds them again and the button says it */
    kiosk_session_set_elder_mode (T.session, TRUE);
    kiosk_ui_test_wait_frame ();
    g_assert_true (kiosk_pager_get_paged (pager));
    g_assert_cmpuint (kiosk_pager_get_page (pager), ==, 0);
    g_assert_true (gtk_widget_is_drawable (category));
    g_assert_false (gtk_widget_is_drawable (chip));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (category)), ==, "分类：全部");
    kiosk_ui_test_click ("分类：全部");
    kiosk_ui_test_wait_frame ();
    g_assert_true (gtk_widget_is_drawable (chip));
    kiosk_ui_test_screenshot ("guide-elder-categories");
    g_signal_emit_by_name (chip, "clicked");
    kiosk_ui_test_wait_frame ();
    g_assert_false (gtk_widget_is_drawable (chip));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (category)), ==, "分类：社会救助");
    kiosk_ui_test_screenshot ("guide-elder-category-chosen");
  }
  kiosk_session_wipe (T.session);
}

static gboolean
is_pager_of (GtkWidget *w, gpointer name)
{
  return KIOSK_IS_PAGER (w) && gtk_widget_is_drawable (w)
         && g_strcmp0 (gtk_widget_get_name (kiosk_pager_get_list (KIOSK_PAGER (w))), name) == 0;
}

static gboolean
drawn_item_button (GtkWidget *w, gpointer data)
{
  return GTK_IS_BUTTON (w) && gtk_widget_is_drawable (w);
}

/* 自助申报's items (a grid of two columns in a step that scrolls): three
 * lines of two a page, the bar where it was on a shorter last page. */
static void
test_apply_elder (void)
{
  g_autoptr (KioskIdentity) id = kiosk_identity_new ();
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  KioskPager *pager;
  guint n_pages;
  graphene_rect_t bar0, bar;

  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("王秀英");
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  id->birth_date = g_strdup ("1949-12-31");
  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_touch (T.session));
  kiosk_session_set_elder_mode (T.session, TRUE);
  g_assert_true (kiosk_session_select_journey (T.session, "apply"));
  g_assert_true (kiosk_session_identity_read (T.session, id));
  kiosk_ui_test_wait_frame ();
  KIOSK_UI_TEST_WAIT_FOR (
      (kiosk_ui_test_collect (GTK_WIDGET (T.window), is_pager_of, (gpointer) "apply-items", found), found->len > 0),
      10);
  pager = found->pdata[0];
  g_assert_true (kiosk_pager_get_paged (pager));
  n_pages = kiosk_pager_get_n_pages (pager);
  g_assert_cmpuint (n_pages, >=, 2);
  kiosk_ui_test_wait_frame ();
  g_assert_true (gtk_widget_compute_bounds (kiosk_pager_get_next_button (pager), GTK_WIDGET (T.window), &bar0));
  for (guint page = 0; page < n_pages; page++)
    {
      g_autoptr (GPtrArray) shown = g_ptr_array_new ();

      kiosk_ui_test_collect (kiosk_pager_get_list (pager), drawn_item_button, NULL, shown);
      g_assert_cmpuint (shown->len, >=, 1);
      g_assert_cmpuint (shown->len, <=, 6);
      for (guint i = 0; i < shown->len; i++)
        assert_size (shown->pdata[i], 80);
      assert_size (kiosk_pager_get_next_button (pager), 80);
      g_assert_true (gtk_widget_compute_bounds (kiosk_pager_get_next_button (pager), GTK_WIDGET (T.window), &bar));
      if (!graphene_rect_equal (&bar, &bar0))
        g_error ("page %u of %u: 下一页 at %.0f,%.0f %.0fx%.0f, on the first page at %.0f,%.0f %.0fx%.0f", page + 1,
                 n_pages, bar.origin.x, bar.origin.y, bar.size.width, bar.size.height, bar0.origin.x, bar0.origin.y,
                 bar0.size.width, bar0.size.height);
      if (page == 0 || page + 1 == n_pages)
        {
          g_autofree char *what = g_strdup_printf ("apply-elder-page-%u", page + 1);
          kiosk_ui_test_screenshot (what);
        }
      if (page + 1 < n_pages)
        {
          kiosk_ui_test_click ("下一页");
          kiosk_ui_test_wait_frame ();
        }
    }
  kiosk_session_wipe (T.session);
}

/* Shown by the pager: a row of a GtkBox list (placed on the page) or of a
 * GtkFlowBox (its child shown). */
static gboolean
row_shown (GtkWidget *row)
{
  GtkWidget *w = GTK_IS_FLOW_BOX_CHILD (gtk_widget_get_parent (row)) ? gtk_widget_get_parent (row) : row;

  return gtk_widget_get_visible (w) && gtk_widget_get_child_visible (w) && gtk_widget_get_mapped (w);
}

/* The widget alone, in a window of its own with the kiosk's classes: a
 * GtkBox list (paged by height: here at most four a page, there is room)
 * or a GtkFlowBox (paged by count, four a page). */
static void
test_widget (gconstpointer data)
{
  gboolean flow = GPOINTER_TO_INT (data);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = flow ? gtk_flow_box_new () : gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  GtkWidget *pager;
  GtkWidget *rows[10], *heading = NULL, *added = NULL;
  GtkWidget *own_hidden;

  if (flow)
    gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (list), 1);
  gtk_widget_add_css_class (window, "kiosk");
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 1000);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *text = g_strdup_printf ("事项 %u", i + 1);

      rows[i] = gtk_button_new_with_label (text);
      if (flow)
        gtk_flow_box_append (GTK_FLOW_BOX (list), rows[i]);
      else
        gtk_box_append (GTK_BOX (list), rows[i]);
      if (i == 3)
        {
          /* after a full page: it goes with the next row */
          heading = gtk_label_new ("民政");
          if (flow)
            gtk_flow_box_append (GTK_FLOW_BOX (list), heading);
          else
            gtk_box_append (GTK_BOX (list), heading);
        }
    }
  own_hidden = flow ? gtk_widget_get_parent (rows[9]) : rows[9];
  gtk_widget_set_visible (own_hidden, FALSE); /* hidden by the page itself */
  pager = kiosk_pager_new (list, FALSE);
  gtk_window_set_child (GTK_WINDOW (window), pager);
  gtk_window_present (GTK_WINDOW (window));
  KIOSK_UI_TEST_WAIT_FOR (gtk_widget_get_mapped (pager), 10);
  kiosk_ui_test_settle (50);

  /* not in 长辈模式: every row, no bar */
  g_assert_false (kiosk_pager_get_paged (KIOSK_PAGER (pager)));
  g_assert_cmpuint (kiosk_pager_get_n_pages (KIOSK_PAGER (pager)), ==, 1);
  for (guint i = 0; i < 9; i++)
    g_assert_true (row_shown (rows[i]));
  g_assert_false (gtk_widget_get_mapped (kiosk_pager_get_next_button (KIOSK_PAGER (pager))));

  gtk_widget_add_css_class (window, "elder");
  kiosk_ui_test_settle (100);
  g_assert_true (kiosk_pager_get_paged (KIOSK_PAGER (pager)));
  g_assert_true (gtk_widget_get_mapped (kiosk_pager_get_next_button (KIOSK_PAGER (pager))));
  /* nine rows shown by the page, four a page */
  g_assert_cmpuint (kiosk_pager_get_n_pages (KIOSK_PAGER (pager)), ==, 3);
  g_assert_true (row_shown (rows[3]));
  g_assert_false (row_shown (rows[4]));
  /* 民政 went with 事项 5, to page 2 */
  g_assert_false (row_shown (heading));
  kiosk_pager_set_page (KIOSK_PAGER (pager), 1);
  kiosk_ui_test_settle (50);
  g_assert_true (row_shown (heading));
  g_assert_true (row_shown (rows[4]));
  g_assert_false (row_shown (rows[3]));
  kiosk_pager_show_row (KIOSK_PAGER (pager), flow ? gtk_widget_get_parent (rows[8]) : rows[8]);
  kiosk_ui_test_settle (50);
  g_assert_cmpuint (kiosk_pager_get_page (KIOSK_PAGER (pager)), ==, 2);
  g_assert_true (row_shown (rows[8]));
  g_assert_false (gtk_widget_get_visible (own_hidden)); /* never shown by the pager */

  /* rows removed: fewer pages, the page kept in range */
  if (flow)
    {
      gtk_flow_box_remove (GTK_FLOW_BOX (list), rows[8]);
      gtk_flow_box_remove (GTK_FLOW_BOX (list), rows[7]);
    }
  else
    {
      gtk_box_remove (GTK_BOX (list), rows[8]);
      gtk_box_remove (GTK_BOX (list), rows[7]);
    }
  kiosk_ui_test_settle (50);
  g_assert_cmpuint (kiosk_pager_get_n_pages (KIOSK_PAGER (pager)), ==, 2);
  g_assert_cmpuint (kiosk_pager_get_page (KIOSK_PAGER (pager)), ==, 1);
  /* a row added to a later page is not shown on this one */
  kiosk_pager_to_start (KIOSK_PAGER (pager));
  added = gtk_button_new_with_label ("事项 11");
  if (flow)
    gtk_flow_box_append (GTK_FLOW_BOX (list), added);
  else
    gtk_box_append (GTK_BOX (list), added);
  kiosk_ui_test_settle (50);
  g_assert_false (row_shown (added));
  g_assert_true (row_shown (rows[0]));

  /* out of 长辈模式 again: every row is back */
  gtk_widget_remove_css_class (window, "elder");
  kiosk_ui_test_settle (100);
  g_assert_false (kiosk_pager_get_paged (KIOSK_PAGER (pager)));
  for (guint i = 0; i < 7; i++)
    g_assert_true (row_shown (rows[i]));
  g_assert_true (row_shown (heading));
  g_assert_true (row_shown (added));
  g_assert_false (gtk_widget_get_visible (own_hidden));
  gtk_window_destroy (GTK_WINDOW (window));
  kiosk_ui_test_settle (50);
}

static void
load_catalog (void)
{
  g_autofree char *path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 30);
  kiosk_store_set_catalog (kiosk_core_get_store (T.core), json, "seed", &error);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  int status;

  kiosk_ui_test_init (&argc, &argv);
  T.dir = g_dir_make_tmp ("kiosk-ui-pager-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_strdup_printf ("[kiosk]\nid=kiosk-test\nstation=测试村便民服务站\nphone=0571-88886666\n"
                          "[store]\npath=%s/kiosk.db\n[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n"
                          "[session]\nidle-warning-seconds=600\nidle-countdown-seconds=60\n"
                          "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n"
                          "[printer]\nbackend=sim\n[voice]\nmode=off\n",
                          T.dir);
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  T.window = kiosk_ui_test_open_window (T.core, TRUE, KIOSK_SCREENSHOT_DIR);
  kiosk_core_start (T.core);
  load_catalog ();

  g_test_add_func ("/ui/pager/guide-elder", test_guide_elder);
  g_test_add_func ("/ui/pager/apply-elder", test_apply_elder);
  g_test_add_data_func ("/ui/pager/widget-box", GINT_TO_POINTER (FALSE), test_widget);
  g_test_add_data_func ("/ui/pager/widget-flowbox", GINT_TO_POINTER (TRUE), test_widget);
  status = g_test_run ();

  kiosk_core_stop (T.core);
  kiosk_ui_test_close_window ();
  g_clear_object (&T.core);
  kiosk_config_unref (T.config);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", T.dir);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", T.dir);
  }
  g_free (T.dir);
  return status;
}
