/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-steps"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-steps.h"
#include "kiosk-widgets.h"

struct _KioskSteps {
  GtkWidget parent_instance;

  GListModel *model;
  gulong items_changed_id;
  guint current;
  GPtrArray *steps; /* step boxes, in order (children) */
  char *summary;
};

G_DEFINE_FINAL_TYPE (KioskSteps, kiosk_steps, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_MODEL, PROP_CURRENT, PROP_SUMMARY, N_PROPS };
static GParamSpec *props[N_PROPS];

/* An item's "title", or a GtkStringObject's string. */
static char *
item_title (gpointer item)
{
  char *title = NULL;

  if (item == NULL)
    return g_strdup ("");
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (item), "title"))
    g_object_get (item, "title", &title, NULL);
  else if (GTK_IS_STRING_OBJECT (item))
    title = g_strdup (gtk_string_object_get_string (item));
  return title ? title : g_strdup ("");
}

static char *
step_title (KioskSteps *self, guint index)
{
  g_autoptr (GObject) item = self->model ? g_list_model_get_item (self->model, index) : NULL;
  return item_title (item);
}

static void
update_state (KioskSteps *self)
{
  guint n = self->steps->len;
  g_autofree char *title = NULL;

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *step = g_ptr_array_index (self->steps, i);
      gtk_widget_remove_css_class (step, "current");
      gtk_widget_remove_css_class (step, "done");
      gtk_widget_remove_css_class (step, "todo");
      GtkWidget *title_label = gtk_widget_get_last_child (step);
      gtk_widget_add_css_class (step, i == self->current ? "current" : i < self->current ? "done" : "todo");
      /* The current step's title is shown whole (up to 16 characters);
       * the others give way, ellipsized, when the row is short. */
      gtk_label_set_width_chars (
          GTK_LABEL (title_label),
          i == self->current ? (int) MIN (g_utf8_strlen (gtk_label_get_text (GTK_LABEL (title_label)), -1), 16) : -1);
    }
  g_free (self->summary);
  if (self->current < n)
    {
      title = step_title (self, self->current);
      /* TRANSLATORS: the step indicator, as screen readers say it: step number, number of steps, title */
      self->summary = g_strdup_printf (_ ("Step %u of %u: %s"), self->current + 1, n, title);
    }
  else
    self->summary = g_strdup ("");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->summary, -1);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SUMMARY]);
}

static GtkWidget *
step_new (guint index, const char *title)
{
  GtkWidget *step = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  g_autofree char *number = g_strdup_printf ("%u", index + 1);
  GtkWidget *number_label = gtk_label_new (number);
  GtkWidget *title_label = gtk_label_new (title);

  gtk_widget_add_css_class (step, "step");
  gtk_widget_set_hexpand (step, TRUE);
  gtk_widget_add_css_class (number_label, "step-number");
  gtk_widget_add_css_class (number_label, "numeric");
  gtk_widget_set_valign (number_label, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (step), number_label);
  gtk_widget_add_css_class (title_label, "step-title");
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_single_line_mode (GTK_LABEL (title_label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title_label, TRUE);
  gtk_box_append (GTK_BOX (step), title_label);
  return step;
}

static void
rebuild (KioskSteps *self)
{
  guint n = self->model ? g_list_model_get_n_items (self->model) : 0;

  for (guint i = 0; i < self->steps->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->steps, i));
  g_ptr_array_set_size (self->steps, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = step_title (self, i);
      GtkWidget *step = step_new (i, title);
      gtk_widget_set_parent (step, GTK_WIDGET (self));
      g_ptr_array_add (self->steps, step);
    }
  update_state (self);
}

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, KioskSteps *self)
{
  rebuild (self);
}

void
kiosk_steps_set_model (KioskSteps *self, GListModel *model)
{
  g_return_if_fail (KIOSK_IS_STEPS (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));
  if (self->model == model)
    return;
  if (self->model)
    g_clear_signal_handler (&self->items_changed_id, self->model);
  g_set_object (&self->model, model);
  if (model)
    self->items_changed_id = g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), self);
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MODEL]);
}

GListModel *
kiosk_steps_get_model (KioskSteps *self)
{
  g_return_val_if_fail (KIOSK_IS_STEPS (self), NULL);
  return self->model;
}

void
kiosk_steps_set_current (KioskSteps *self, guint index)
{
  g_return_if_fail (KIOSK_IS_STEPS (self));
  if (self->current == index)
    return;
  self->current = index;
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CURRENT]);
}

guint
kiosk_steps_get_current (KioskSteps *self)
{
  g_return_val_if_fail (KIOSK_IS_STEPS (self), 0);
  return self->current;
}

const char *
kiosk_steps_get_summary (KioskSteps *self)
{
  g_return_val_if_fail (KIOSK_IS_STEPS (self), NULL);
  return self->summary;
}

GtkWidget *
kiosk_steps_get_step (KioskSteps *self, guint index)
{
  g_return_val_if_fail (KIOSK_IS_STEPS (self), NULL);
  return index < self->steps->len ? g_ptr_array_index (self->steps, index) : NULL;
}

/* ---- GObject ----------------------------------------------------------------- */

static void
kiosk_steps_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskSteps *self = KIOSK_STEPS (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_CURRENT:
      g_value_set_uint (value, self->current);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_steps_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  KioskSteps *self = KIOSK_STEPS (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      kiosk_steps_set_model (self, g_value_get_object (value));
      break;
    case PROP_CURRENT:
      kiosk_steps_set_current (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_steps_dispose (GObject *object)
{
  KioskSteps *self = KIOSK_STEPS (object);

  if (self->model)
    g_clear_signal_handler (&self->items_changed_id, self->model);
  g_clear_object (&self->model);
  if (self->steps)
    {
      for (guint i = 0; i < self->steps->len; i++)
        gtk_widget_unparent (g_ptr_array_index (self->steps, i));
      g_ptr_array_set_size (self->steps, 0);
    }
  G_OBJECT_CLASS (kiosk_steps_parent_class)->dispose (object);
}

static void
kiosk_steps_finalize (GObject *object)
{
  KioskSteps *self = KIOSK_STEPS (object);

  g_ptr_array_unref (self->steps);
  g_free (self->summary);
  G_OBJECT_CLASS (kiosk_steps_parent_class)->finalize (object);
}

static void
kiosk_steps_class_init (KioskStepsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kiosk_steps_get_property;
  object_class->set_property = kiosk_steps_set_property;
  object_class->dispose = kiosk_steps_dispose;
  object_class->finalize = kiosk_steps_finalize;

  props[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_CURRENT] = g_param_spec_uint ("current", NULL, NULL, 0, G_MAXUINT, 0,
                                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "steps");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kiosk_steps_init (KioskSteps *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (w);

  kiosk_widgets_ensure_css ();
  self->steps = g_ptr_array_new ();
  self->summary = g_strdup ("");
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_HORIZONTAL);
  /* not homogeneous: the current step keeps its whole title (see
   * update_state), the others share what is left */
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);
  gtk_widget_set_hexpand (w, TRUE);
  gtk_widget_set_valign (w, GTK_ALIGN_START);
}

GtkWidget *
kiosk_steps_new (GListModel *model)
{
  return g_object_new (KIOSK_TYPE_STEPS, "model", model, NULL);
}
