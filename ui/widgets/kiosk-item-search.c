/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-item-search"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "kiosk-catalog-item.h"
#include "kiosk-catalog-search.h"
#include "kiosk-item-search.h"

/* What is typed is searched once the finger rests this long. */
#define DEBOUNCE_MS 250

struct _KioskItemSearch {
  GtkBox parent_instance;

  KioskOsk *osk; /* weak */
  GtkWidget *entry;
  GtkWidget *clear;
  GtkWidget *chips; /* GtkFlowBox of toggle buttons, "category" data (NULL: 全部) */
  GtkWidget *all_chip;
  char *json; /* what the index was built from */
  KioskCatalogSearch *index;
  GCancellable *cancellable;
  char *category; /* or NULL */
  GPtrArray *codes;
  guint debounce;
  gboolean clearing;
  /* 长辈模式 (kiosk_item_search_set_folded): the chips behind one button
   * that says the category, so the list keeps its rows. */
  GtkWidget *category_button;
  gboolean chips_wanted; /* what the page asked (set_chips_visible) */
  gboolean folded;
  gboolean unfolded; /* folded, and the button opened them */
};

G_DEFINE_FINAL_TYPE (KioskItemSearch, kiosk_item_search, GTK_TYPE_BOX)

enum { SIGNAL_CHANGED, SIGNAL_TOUCHED, SIGNAL_CLEARED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
name_accessible (GtkWidget *w, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
refilter (KioskItemSearch *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *q = g_strstrip (g_strdup (query ? query : ""));

  g_clear_pointer (&self->codes, g_ptr_array_unref);
  if (self->index && (*q || self->category))
    {
      g_autoptr (GPtrArray) found = kiosk_catalog_search_find (self->index, q, self->category);
      self->codes = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < found->len; i++)
        {
          KioskCatalogMatch *m = found->pdata[i];
          g_ptr_array_add (self->codes, g_strdup (m->code));
        }
    }
  gtk_widget_set_sensitive (self->clear, *q != '\0');
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
debounce_cb (gpointer data)
{
  KioskItemSearch *self = data;

  self->debounce = 0;
  refilter (self);
  return G_SOURCE_REMOVE;
}

static void
entry_changed_cb (GtkEditable *entry, KioskItemSearch *self)
{
  if (self->clearing)
    return;
  g_clear_handle_id (&self->debounce, g_source_remove);
  self->debounce = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
clear_clicked_cb (GtkButton *button, KioskItemSearch *self)
{
  if (self->osk)
    kiosk_osk_reset (self->osk);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  g_clear_handle_id (&self->debounce, g_source_remove);
  refilter (self);
  g_signal_emit (self, signals[SIGNAL_CLEARED], 0);
}

/* The chips shown as the page wants them and, folded, when opened; the
 * button says which category is chosen. */
static void
update_chips (KioskItemSearch *self)
{
  g_autofree char *label = NULL;

  gtk_widget_set_visible (self->chips, self->chips_wanted && (!self->folded || self->unfolded));
  gtk_widget_set_visible (self->category_button, self->chips_wanted && self->folded);
  label = g_strdup_printf (_ ("Category: %s"), self->category ? self->category : _ ("All"));
  gtk_button_set_label (GTK_BUTTON (self->category_button), label);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->category_button), self->unfolded);
}

static void
category_clicked_cb (GtkButton *button, KioskItemSearch *self)
{
  gboolean open = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button));

  if (open == self->unfolded)
    return;
  self->unfolded = open;
  update_chips (self);
}

static void
chip_toggled_cb (GtkToggleButton *chip, KioskItemSearch *self)
{
  if (!gtk_toggle_button_get_active (chip) || self->clearing)
    return;
  g_free (self->category);
  self->category = g_strdup (g_object_get_data (G_OBJECT (chip), "category"));
  g_clear_handle_id (&self->debounce, g_source_remove);
  /* Folded: a category chosen closes them again (the list comes back). */
  self->unfolded = FALSE;
  update_chips (self);
  refilter (self);
}

/* Touched (focused, or pressed while focused): the keyboard comes up (in
 * letters: pinyin letters are a query). */
static void
touched (KioskItemSearch *self)
{
  if (self->osk)
    gtk_widget_set_visible (GTK_WIDGET (self->osk), TRUE);
  g_signal_emit (self, signals[SIGNAL_TOUCHED], 0);
}

static void
focus_enter_cb (GtkEventControllerFocus *focus, KioskItemSearch *self)
{
  touched (self);
}

static void
pressed_cb (GtkGestureClick *click, int n_press, double x, double y, KioskItemSearch *self)
{
  touched (self);
}

static GtkWidget *
chip_new (KioskItemSearch *self, const char *label, const char *category, guint index)
{
  GtkWidget *chip = gtk_toggle_button_new_with_label (label);
  g_autofree char *name = g_strdup_printf ("item-search-chip-%u", index);

  gtk_widget_set_name (chip, name);
  gtk_widget_add_css_class (chip, "item-search-chip");
  name_accessible (chip, label);
  g_object_set_data_full (G_OBJECT (chip), "category", g_strdup (category), g_free);
  if (self->all_chip)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (chip), GTK_TOGGLE_BUTTON (self->all_chip));
  g_signal_connect (chip, "toggled", G_CALLBACK (chip_toggled_cb), self);
  gtk_flow_box_append (GTK_FLOW_BOX (self->chips), chip);
  /* the chip is what is touched, not its place in the box */
  gtk_widget_set_focusable (gtk_widget_get_parent (chip), FALSE);
  return chip;
}

static void
built_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  KioskCatalogSearch *index = kiosk_catalog_search_build_finish (result, &error);
  KioskItemSearch *self;

  if (index == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("no item search: %s", error->message);
      return;
    }
  /* not cancelled (else the task says so): the field is still there */
  self = data;
  g_clear_pointer (&self->index, kiosk_catalog_search_free);
  self->index = index;
  refilter (self);
}

void
kiosk_item_search_set_items (KioskItemSearch *self, GPtrArray *items)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autoptr (GPtrArray) categories = g_ptr_array_new ();
  GtkWidget *child;

  g_return_if_fail (KIOSK_IS_ITEM_SEARCH (self));
  json_builder_begin_array (b);
  for (guint i = 0; items && i < items->len; i++)
    {
      const KioskCatalogItem *it = items->pdata[i];
      const char *category = it->category ? it->category : it->department;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, it->code);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, it->name);
      if (category)
        {
          json_builder_set_member_name (b, "category");
          json_builder_add_string_value (b, category);
          if (!g_ptr_array_find_with_equal_func (categories, category, g_str_equal, NULL))
            g_ptr_array_add (categories, (gpointer) category);
        }
      if (it->department)
        {
          json_builder_set_member_name (b, "department");
          json_builder_add_string_value (b, it->department);
        }
      if (it->item_type_name)
        {
          json_builder_set_member_name (b, "item_type");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, it->item_type_name);
          json_builder_end_object (b);
        }
      json_builder_set_member_name (b, "aliases");
      json_builder_begin_array (b);
      for (char **a = it->aliases; a && *a; a++)
        json_builder_add_string_value (b, *a);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json = json_generator_to_data (gen, NULL);
  if (g_strcmp0 (json, self->json) == 0)
    return;
  g_free (self->json);
  self->json = g_steal_pointer (&json);

  /* the chips, at once: their row never changes while typing */
  self->clearing = TRUE;
  while ((child = gtk_widget_get_first_child (self->chips)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->chips), child);
  self->all_chip = NULL;
  self->all_chip = chip_new (self, _ ("All"), NULL, 0);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->all_chip), TRUE);
  for (guint i = 0; i < categories->len; i++)
    {
      GtkWidget *chip = chip_new (self, categories->pdata[i], categories->pdata[i], i + 1);
      if (g_strcmp0 (self->category, categories->pdata[i]) == 0)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (chip), TRUE);
    }
  if (self->category && !g_ptr_array_find_with_equal_func (categories, self->category, g_str_equal, NULL))
    g_clear_pointer (&self->category, g_free);
  self->clearing = FALSE;

  /* the index, off the main thread (libpinyin's data) */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->index, kiosk_catalog_search_free);
  kiosk_catalog_search_build_async (self->json, self->cancellable, built_cb, self);
  refilter (self);
}

GPtrArray *
kiosk_item_search_get_codes (KioskItemSearch *self)
{
  g_return_val_if_fail (KIOSK_IS_ITEM_SEARCH (self), NULL);
  return self->codes;
}

void
kiosk_item_search_clear (KioskItemSearch *self)
{
  g_return_if_fail (KIOSK_IS_ITEM_SEARCH (self));
  self->clearing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  if (self->all_chip)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->all_chip), TRUE);
  self->clearing = FALSE;
  g_clear_pointer (&self->category, g_free);
  g_clear_handle_id (&self->debounce, g_source_remove);
  self->unfolded = FALSE;
  update_chips (self);
  refilter (self);
}

void
kiosk_item_search_set_chips_visible (KioskItemSearch *self, gboolean visible)
{
  g_return_if_fail (KIOSK_IS_ITEM_SEARCH (self));
  self->chips_wanted = visible;
  update_chips (self);
}

void
kiosk_item_search_set_folded (KioskItemSearch *self, gboolean folded)
{
  g_return_if_fail (KIOSK_IS_ITEM_SEARCH (self));
  self->folded = folded;
  self->unfolded = FALSE;
  update_chips (self);
}

GtkWidget *
kiosk_item_search_get_category_button (KioskItemSearch *self)
{
  g_return_val_if_fail (KIOSK_IS_ITEM_SEARCH (self), NULL);
  return self->category_button;
}

GtkWidget *
kiosk_item_search_get_entry (KioskItemSearch *self)
{
  g_return_val_if_fail (KIOSK_IS_ITEM_SEARCH (self), NULL);
  return self->entry;
}

GtkWidget *
kiosk_item_search_get_chip (KioskItemSearch *self, const char *category)
{
  g_return_val_if_fail (KIOSK_IS_ITEM_SEARCH (self), NULL);
  for (GtkWidget *c = gtk_widget_get_first_child (self->chips); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *chip = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));
      if (g_strcmp0 (g_object_get_data (G_OBJECT (chip), "category"), category) == 0)
        return chip;
    }
  return NULL;
}

gboolean
kiosk_item_search_get_ready (KioskItemSearch *self)
{
  g_return_val_if_fail (KIOSK_IS_ITEM_SEARCH (self), FALSE);
  return self->index != NULL;
}

static void
kiosk_item_search_dispose (GObject *object)
{
  KioskItemSearch *self = KIOSK_ITEM_SEARCH (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->debounce, g_source_remove);
  g_clear_weak_pointer (&self->osk);
  G_OBJECT_CLASS (kiosk_item_search_parent_class)->dispose (object);
}

static void
kiosk_item_search_finalize (GObject *object)
{
  KioskItemSearch *self = KIOSK_ITEM_SEARCH (object);

  g_clear_pointer (&self->index, kiosk_catalog_search_free);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_free (self->category);
  g_free (self->json);
  G_OBJECT_CLASS (kiosk_item_search_parent_class)->finalize (object);
}

/* Folded while the window is in 长辈模式 (its "elder" class: a style
 * change reaches every widget below it, as in kiosk-pager.c). */
static void
kiosk_item_search_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  KioskItemSearch *self = KIOSK_ITEM_SEARCH (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  gboolean folded = root != NULL && gtk_widget_has_css_class (GTK_WIDGET (root), "elder");

  GTK_WIDGET_CLASS (kiosk_item_search_parent_class)->css_changed (widget, change);
  if (folded != self->folded)
    kiosk_item_search_set_folded (self, folded);
}

static void
kiosk_item_search_class_init (KioskItemSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  GTK_WIDGET_CLASS (klass)->css_changed = kiosk_item_search_css_changed;

  object_class->dispose = kiosk_item_search_dispose;
  object_class->finalize = kiosk_item_search_finalize;
  signals[SIGNAL_CHANGED]
      = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* the field was touched: the keyboard is wanted */
  signals[SIGNAL_TOUCHED]
      = g_signal_new ("touched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* 清空 was pressed: starting over (a page may show the chips again) */
  signals[SIGNAL_CLEARED]
      = g_signal_new ("cleared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kiosk_item_search_init (KioskItemSearch *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *label = gtk_label_new (_ ("Search items"));
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self), "item-search");
  gtk_widget_set_name (GTK_WIDGET (self), "item-search");

  gtk_widget_add_css_class (label, "item-search-label");
  gtk_box_append (GTK_BOX (row), label);
  self->entry = gtk_entry_new ();
  gtk_widget_set_name (self->entry, "item-search-entry");
  gtk_widget_set_hexpand (self->entry, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), _ ("Words or pinyin initials, e.g. gljt"));
  /* its own name, the label beside it */
  name_accessible (self->entry, _ ("Search items"));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  g_signal_connect (self->entry, "changed", G_CALLBACK (entry_changed_cb), self);
  g_signal_connect (focus, "enter", G_CALLBACK (focus_enter_cb), self);
  gtk_widget_add_controller (self->entry, focus);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (self->entry, GTK_EVENT_CONTROLLER (click));
  gtk_box_append (GTK_BOX (row), self->entry);
  self->clear = gtk_button_new_with_label (_ ("Clear search"));
  gtk_widget_set_name (self->clear, "item-search-clear");
  name_accessible (self->clear, _ ("Clear search"));
  gtk_widget_set_sensitive (self->clear, FALSE);
  g_signal_connect (self->clear, "clicked", G_CALLBACK (clear_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), self->clear);
  self->category_button = gtk_toggle_button_new ();
  gtk_widget_set_name (self->category_button, "item-search-category");
  gtk_widget_add_css_class (self->category_button, "item-search-chip");
  /* as wide as the longest category's label: the field beside it does
   * not change its width when another is chosen */
  gtk_widget_set_size_request (self->category_button, 320, -1);
  g_signal_connect (self->category_button, "toggled", G_CALLBACK (category_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), self->category_button);
  gtk_box_append (GTK_BOX (self), row);

  /* the chips under it, every one in view (wrapped): their rows are
   * made with the catalog and never change while typing */
  self->chips = gtk_flow_box_new ();
  gtk_widget_add_css_class (self->chips, "item-search-chips");
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->chips), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->chips), FALSE);
  /* the window measures its height at its narrowest: two rows then */
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->chips), 7);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->chips), 20);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->chips), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->chips), 8);
  gtk_box_append (GTK_BOX (self), self->chips);
  self->chips_wanted = TRUE;
  update_chips (self);
}

GtkWidget *
kiosk_item_search_empty_new (void)
{
  GtkWidget *empty = gtk_label_new (_ ("No matching item was found. Please try other words or choose a category."));

  gtk_widget_set_name (empty, "item-search-empty");
  gtk_label_set_wrap (GTK_LABEL (empty), TRUE);
  gtk_label_set_xalign (GTK_LABEL (empty), 0);
  gtk_widget_add_css_class (empty, "warning-box");
  return empty;
}

GtkWidget *
kiosk_item_search_new (KioskOsk *osk)
{
  KioskItemSearch *self = g_object_new (KIOSK_TYPE_ITEM_SEARCH, NULL);

  if (osk)
    {
      g_set_weak_pointer (&self->osk, osk);
      kiosk_osk_bind (osk, self->entry, KIOSK_OSK_LAYOUT_LETTERS);
    }
  return GTK_WIDGET (self);
}
