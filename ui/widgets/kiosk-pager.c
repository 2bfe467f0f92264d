/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-pager.h"
#include "kiosk-widgets.h"

struct _KioskPager {
  GtkWidget parent_instance;

  GtkWidget *box;      /* the list (or its scrolled window) over the bar */
  GtkWidget *scrolled; /* NULL when the page around scrolls */
  GtkWidget *list;
  GtkWidget *bar;
  GtkWidget *previous;
  GtkWidget *next;
  GtkWidget *label;
  GListModel *children; /* the list's, watched */
  guint rows_per_page;
  guint page;
  guint n_pages;
  gboolean paged;
  int tallest; /* paged by count: the tallest page's height so far (the bar stays) */
  /* A GtkBox list that scrolls is paged by height: its own layout is set
   * aside for one that shows the rows of the page, as many whole rows as
   * fit (at most rows_per_page controls); other lists by count. */
  gboolean by_height;
  GtkLayoutManager *box_layout; /* the list's own, while paged by height */
  int spacing;
  guint bar_id;
};

G_DEFINE_FINAL_TYPE (KioskPager, kiosk_pager, GTK_TYPE_WIDGET)

#define DEFAULT_ROWS_PER_PAGE 4

/* Set on a row this pager hid (not the page). */
static GQuark hidden_quark;

static gboolean
hidden_by_pager (GtkWidget *row)
{
  return g_object_get_qdata (G_OBJECT (row), hidden_quark) != NULL;
}

/* A label (a department's name): it takes no place on a page of its own. */
static gboolean
is_heading (GtkWidget *row)
{
  if (GTK_IS_FLOW_BOX_CHILD (row) && gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (row)) != NULL)
    row = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (row));
  return GTK_IS_LABEL (row);
}

static gboolean
is_row (GtkWidget *child)
{
  return gtk_widget_get_visible (child) || hidden_by_pager (child);
}

/* The page of each row (set as data), and how many pages there are. */
static guint
paginate (KioskPager *self)
{
  guint page = 0, on_page = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (self->list); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (!is_row (c))
        continue;
      /* a full page: the next row, or a heading (which goes with the row
       * after it), starts the next one */
      if (on_page == self->rows_per_page)
        {
          page++;
          on_page = 0;
        }
      if (!is_heading (c))
        on_page++;
      g_object_set_data (G_OBJECT (c), "kiosk-pager-page", GUINT_TO_POINTER (page));
    }
  return page + 1;
}

static void
set_row_shown (GtkWidget *row, gboolean shown)
{
  if (shown && hidden_by_pager (row))
    {
      g_object_set_qdata (G_OBJECT (row), hidden_quark, NULL);
      gtk_widget_set_visible (row, TRUE);
    }
  else if (!shown && gtk_widget_get_visible (row))
    {
      g_object_set_qdata (G_OBJECT (row), hidden_quark, GINT_TO_POINTER (1));
      gtk_widget_set_visible (row, FALSE);
    }
}

static void
update_bar (KioskPager *self)
{
  /* Translators: the page of a list shown in 长辈模式, "第 2/5 页" */
  g_autofree char *text = g_strdup_printf (_ ("Page %1$u of %2$u"), self->page + 1, self->n_pages);

  gtk_label_set_text (GTK_LABEL (self->label), text);
  gtk_widget_set_sensitive (self->previous, self->page > 0);
  gtk_widget_set_sensitive (self->next, self->page + 1 < self->n_pages);
  gtk_widget_set_visible (self->bar, self->paged);
}

static gboolean
bar_cb (gpointer data)
{
  KioskPager *self = data;

  self->bar_id = 0;
  update_bar (self);
  return G_SOURCE_REMOVE;
}

/* ---- paged by height (a GtkBox list) ----------------------------------- */

static GtkSizeRequestMode
page_request_mode (GtkWidget *list)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* As wide as the widest row of any page (nothing moves from page to page);
 * as tall as one row: the page is what the pager's place leaves it. */
static void
page_measure (GtkWidget *list, GtkOrientation orientation, int for_size, int *minimum, int *natural,
              int *minimum_baseline, int *natural_baseline)
{
  *minimum = *natural = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int cmin, cnat;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, orientation, orientation == GTK_ORIENTATION_VERTICAL ? for_size : -1, &cmin, &cnat, NULL,
                          NULL);
      *minimum = MAX (*minimum, cmin);
      *natural = MAX (*natural, orientation == GTK_ORIENTATION_VERTICAL ? cmin : cnat);
    }
}

static void
page_allocate (GtkWidget *list, int width, int height, int baseline)
{
  KioskPager *self = g_object_get_data (G_OBJECT (list), "kiosk-pager");
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  g_autofree int *heights = NULL;
  guint page = 0, on_page = 0, n_pages;
  int y = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      g_ptr_array_add (rows, c);
  heights = g_new0 (int, rows->len + 1);
  for (guint i = 0; i < rows->len; i++)
    gtk_widget_measure (rows->pdata[i], GTK_ORIENTATION_VERTICAL, width, NULL, &heights[i], NULL, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *c = rows->pdata[i];
      gboolean heading = is_heading (c);
      /* a heading goes with the row after it */
      int needs = heading && i + 1 < rows->len ? heights[i] + self->spacing + heights[i + 1] : heights[i];

      /* a full page: the next row, or a heading, starts the next one */
      if ((y > 0 && y + needs > height) || on_page == self->rows_per_page)
        {
          page++;
          on_page = 0;
          y = 0;
        }
      if (!heading)
        on_page++;
      g_object_set_data (G_OBJECT (c), "kiosk-pager-page", GUINT_TO_POINTER (page));
      g_object_set_data (G_OBJECT (c), "kiosk-pager-y", GINT_TO_POINTER (y));
      y += heights[i] + self->spacing;
    }
  n_pages = page + 1;
  if (n_pages != self->n_pages || self->page >= n_pages)
    {
      self->n_pages = n_pages;
      self->page = MIN (self->page, n_pages - 1);
      if (self->bar_id == 0)
        self->bar_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, bar_cb, self, NULL);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *c = rows->pdata[i];
      gboolean shown = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (c), "kiosk-pager-page")) == self->page;
      GtkAllocation at = { .x = 0,
                           .y = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (c), "kiosk-pager-y")),
                           .width = width,
                           .height = heights[i] };

      /* the rows of other pages below the list, unmapped */
      if (!shown)
        at.y = height + 1;
      gtk_widget_set_child_visible (c, shown);
      gtk_widget_size_allocate (c, &at, -1);
    }
}

static void
use_page_layout (KioskPager *self, gboolean on)
{
  if (on && self->box_layout == NULL)
    {
      self->box_layout = g_object_ref (gtk_widget_get_layout_manager (self->list));
      gtk_widget_set_layout_manager (self->list,
                                     gtk_custom_layout_new (page_request_mode, page_measure, page_allocate));
    }
  else if (!on && self->box_layout != NULL)
    {
      gtk_widget_set_layout_manager (self->list, g_steal_pointer (&self->box_layout));
      for (GtkWidget *c = gtk_widget_get_first_child (self->list); c != NULL; c = gtk_widget_get_next_sibling (c))
        gtk_widget_set_child_visible (c, TRUE);
    }
}

/* Shows the rows of the page (every row when not paged). */
static void
apply (KioskPager *self)
{
  if (self->by_height)
    {
      use_page_layout (self, self->paged);
      if (!self->paged)
        self->n_pages = 1;
      self->page = MIN (self->page, self->n_pages - 1);
      gtk_widget_queue_allocate (self->list);
      update_bar (self);
      return;
    }
  self->n_pages = self->paged ? paginate (self) : 1;
  if (self->page >= self->n_pages)
    self->page = self->n_pages - 1;
  for (GtkWidget *c = gtk_widget_get_first_child (self->list); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (is_row (c))
      set_row_shown (c, !self->paged
                            || GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (c), "kiosk-pager-page")) == self->page);
  update_bar (self);
}

static void
to_top (KioskPager *self)
{
  if (self->scrolled != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled)), 0);
}

void
kiosk_pager_set_page (KioskPager *self, guint page)
{
  g_return_if_fail (KIOSK_IS_PAGER (self));
  self->page = page;
  apply (self);
  to_top (self);
}

static void
previous_cb (GtkButton *button, KioskPager *self)
{
  if (self->page > 0)
    kiosk_pager_set_page (self, self->page - 1);
}

static void
next_cb (GtkButton *button, KioskPager *self)
{
  if (self->page + 1 < self->n_pages)
    kiosk_pager_set_page (self, self->page + 1);
}

/* Rows added or removed by the page: the pages again. */
static void
children_changed_cb (GListModel *model, guint position, guint removed, guint added, KioskPager *self)
{
  self->tallest = 0; /* pages of other rows */
  apply (self);
}

/* Paged while the window is in 长辈模式 (its "elder" class; a style change
 * reaches every widget below it). */
static void
update_paged (KioskPager *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean paged = root != NULL && gtk_widget_has_css_class (GTK_WIDGET (root), "elder");

  if (paged == self->paged)
    return;
  self->paged = paged;
  self->page = 0;
  self->tallest = 0;
  apply (self);
  to_top (self);
}

static GtkSizeRequestMode
kiosk_pager_get_request_mode (GtkWidget *widget)
{
  return gtk_widget_get_request_mode (KIOSK_PAGER (widget)->box);
}

/* Paged, nothing moves from page to page: the width does not follow the
 * rows shown (the natural width is the minimum: what the page around gives
 * it), and the height is the tallest page's (a shorter last page keeps the
 * bar where it was). Otherwise the box as it is. */
static void
kiosk_pager_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                     int *minimum_baseline, int *natural_baseline)
{
  KioskPager *self = KIOSK_PAGER (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
  if (!self->paged)
    return;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = *minimum;
  else
    {
      *minimum = MAX (*minimum, self->tallest);
      *natural = MAX (*natural, *minimum);
    }
}

static void
kiosk_pager_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  KioskPager *self = KIOSK_PAGER (widget);

  if (self->paged && self->scrolled == NULL)
    {
      int min, nat;

      gtk_widget_measure (self->box, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
      self->tallest = MAX (self->tallest, nat);
    }
  gtk_widget_size_allocate (self->box, &(GtkAllocation){ 0, 0, width, height }, baseline);
}

static void
kiosk_pager_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (kiosk_pager_parent_class)->css_changed (widget, change);
  update_paged (KIOSK_PAGER (widget));
}

static void
kiosk_pager_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kiosk_pager_parent_class)->root (widget);
  update_paged (KIOSK_PAGER (widget));
}

gboolean
kiosk_pager_get_paged (KioskPager *self)
{
  g_return_val_if_fail (KIOSK_IS_PAGER (self), FALSE);
  return self->paged;
}

guint
kiosk_pager_get_page (KioskPager *self)
{
  g_return_val_if_fail (KIOSK_IS_PAGER (self), 0);
  return self->page;
}

guint
kiosk_pager_get_n_pages (KioskPager *self)
{
  g_return_val_if_fail (KIOSK_IS_PAGER (self), 1);
  return self->n_pages;
}

void
kiosk_pager_set_rows_per_page (KioskPager *self, guint rows)
{
  g_return_if_fail (KIOSK_IS_PAGER (self));
  self->rows_per_page = MAX (rows, 1);
  apply (self);
}

void
kiosk_pager_to_start (KioskPager *self)
{
  g_return_if_fail (KIOSK_IS_PAGER (self));
  kiosk_pager_set_page (self, 0);
}

void
kiosk_pager_show_row (KioskPager *self, GtkWidget *row)
{
  g_return_if_fail (KIOSK_IS_PAGER (self));
  g_return_if_fail (GTK_IS_WIDGET (row));
  if (gtk_widget_get_parent (row) != self->list)
    return;
  if (self->paged && g_object_get_data (G_OBJECT (row), "kiosk-pager-page") != NULL)
    {
      guint page = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "kiosk-pager-page"));

      if (page != self->page)
        kiosk_pager_set_page (self, page);
    }
}

GtkWidget *
kiosk_pager_get_list (KioskPager *self)
{
  g_return_val_if_fail (KIOSK_IS_PAGER (self), NULL);
  return self->list;
}

GtkWidget *
kiosk_pager_get_previous_button (KioskPager *self)
{
  g_return_val_if_fail (KIOSK_IS_PAGER (self), NULL);
  return self->previous;
}

GtkWidget *
kiosk_pager_get_next_button (KioskPager *self)
{
  g_return_val_if_fail (KIOSK_IS_PAGER (self), NULL);
  return self->next;
}

GtkWidget *
kiosk_pager_get_page_label (KioskPager *self)
{
  g_return_val_if_fail (KIOSK_IS_PAGER (self), NULL);
  return self->label;
}

static void
kiosk_pager_dispose (GObject *object)
{
  KioskPager *self = KIOSK_PAGER (object);

  if (self->children != NULL)
    g_signal_handlers_disconnect_by_data (self->children, self);
  g_clear_object (&self->children);
  g_clear_handle_id (&self->bar_id, g_source_remove);
  if (self->list != NULL)
    use_page_layout (self, FALSE);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (kiosk_pager_parent_class)->dispose (object);
}

static void
kiosk_pager_class_init (KioskPagerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kiosk_pager_dispose;
  widget_class->css_changed = kiosk_pager_css_changed;
  widget_class->root = kiosk_pager_root;
  widget_class->get_request_mode = kiosk_pager_get_request_mode;
  widget_class->measure = kiosk_pager_measure;
  widget_class->size_allocate = kiosk_pager_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "pager");
  hidden_quark = g_quark_from_static_string ("kiosk-pager-hidden");
}

static void
kiosk_pager_init (KioskPager *self)
{
  self->rows_per_page = DEFAULT_ROWS_PER_PAGE;
  self->n_pages = 1;
}

static GtkWidget *
bar_button (const char *label, const char *name)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "big-button");
  gtk_widget_add_css_class (button, "pager-button");
  gtk_widget_set_name (button, name);
  /* the field being typed in keeps the focus (and its keyboard) */
  gtk_widget_set_focusable (button, FALSE);
  return button;
}

GtkWidget *
kiosk_pager_new (GtkWidget *list, gboolean scrolls)
{
  KioskPager *self;

  g_return_val_if_fail (GTK_IS_WIDGET (list), NULL);
  g_return_val_if_fail (gtk_widget_get_parent (list) == NULL, NULL);
  kiosk_widgets_ensure_css ();
  self = g_object_new (KIOSK_TYPE_PAGER, NULL);
  self->list = list;
  self->by_height = GTK_IS_BOX (list);
  if (self->by_height)
    {
      self->spacing = gtk_box_get_spacing (GTK_BOX (list));
      g_object_set_data (G_OBJECT (list), "kiosk-pager", self);
    }
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  if (self->by_height)
    {
      self->scrolled = gtk_scrolled_window_new ();
      /* Not scrolling itself, it is as tall as the list (the page around
       * scrolls). Paged, a row taller than the place left for it scrolls
       * there: the bar stays in view. */
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scrolled), !scrolls);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), list);
      gtk_widget_set_vexpand (self->scrolled, TRUE);
      gtk_box_append (GTK_BOX (self->box), self->scrolled);
    }
  else
    gtk_box_append (GTK_BOX (self->box), list);

  /* 上一页 第 2/5 页 下一页, under the rows, in the same place on every page */
  self->bar = gtk_center_box_new ();
  gtk_widget_add_css_class (self->bar, "pager-bar");
  self->previous = bar_button (_ ("Previous page"), "pager-previous");
  self->next = bar_button (_ ("Next page"), "pager-next");
  self->label = gtk_label_new (NULL);
  /* as wide for 第 1/2 页 as for 第 10/12 页: the buttons stay */
  gtk_label_set_width_chars (GTK_LABEL (self->label), 11);
  gtk_widget_add_css_class (self->label, "pager-label");
  gtk_widget_add_css_class (self->label, "numeric");
  gtk_center_box_set_start_widget (GTK_CENTER_BOX (self->bar), self->previous);
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (self->bar), self->label);
  gtk_center_box_set_end_widget (GTK_CENTER_BOX (self->bar), self->next);
  g_signal_connect (self->previous, "clicked", G_CALLBACK (previous_cb), self);
  g_signal_connect (self->next, "clicked", G_CALLBACK (next_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->bar);

  self->children = gtk_widget_observe_children (list);
  g_signal_connect (self->children, "items-changed", G_CALLBACK (children_changed_cb), self);
  apply (self);
  return GTK_WIDGET (self);
}
