/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include "kiosk-a11y.h"

gboolean
kiosk_a11y_text_is_word (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* The labels @root shows, in tree order, not looking into other controls
 * (a tile's inner button names itself). */
static void
collect_labels (GtkWidget *root, GtkWidget *self, GPtrArray *out)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_get_visible (c))
        continue;
      if (c != self && (GTK_IS_BUTTON (c) || GTK_IS_SWITCH (c) || GTK_IS_CHECK_BUTTON (c) || GTK_IS_EDITABLE (c)))
        continue;
      if (GTK_IS_LABEL (c) && kiosk_a11y_text_is_word (gtk_label_get_text (GTK_LABEL (c))))
        g_ptr_array_add (out, c);
      else
        collect_labels (c, self, out);
    }
}

char *
kiosk_a11y_control_text (GtkWidget *control)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (GTK_IS_WIDGET (control), NULL);
  collect_labels (control, control, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, gtk_label_get_text (labels->pdata[i]));
    }
  return g_string_free (text, FALSE);
}

GtkWidget *
kiosk_a11y_heading_new (const char *text)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL, "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING, "label", text, NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
  return label;
}

static void
relate (GtkWidget *control, GtkAccessibleRelation relation, GPtrArray *labels, guint from, guint to)
{
  GValue value = G_VALUE_INIT;
  GList *list = NULL;

  for (guint i = to; i > from; i--)
    list = g_list_prepend (list, labels->pdata[i - 1]);
  gtk_accessible_relation_init_value (relation, &value);
  g_value_set_pointer (&value, list);
  gtk_accessible_update_relation_value (GTK_ACCESSIBLE (control), 1, (GtkAccessibleRelation[]){ relation }, &value);
  g_value_unset (&value);
}

void
kiosk_a11y_name_control (GtkWidget *control)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *parent;

  g_return_if_fail (GTK_IS_WIDGET (control));
  /* A button given its text with gtk_button_set_label() is named by GTK
   * itself; labelling it again made a screen reader say it twice
   * ("上一页 上一页", heard over AT-SPI: ui/atspi). */
  if (GTK_IS_BUTTON (control) && !GTK_IS_CHECK_BUTTON (control) && gtk_button_get_label (GTK_BUTTON (control)) != NULL)
    return;
  if (GTK_IS_SWITCH (control))
    {
      /* A switch shows no text: the labels beside it say what it turns on. */
      parent = gtk_widget_get_parent (control);
      if (parent != NULL)
        collect_labels (parent, control, labels);
      /* A switch inside a pill button (长辈模式): the button's labels. */
      for (GtkWidget *p = parent; labels->len == 0 && p != NULL; p = gtk_widget_get_parent (p))
        if (GTK_IS_BUTTON (p))
          collect_labels (p, p, labels);
    }
  else
    collect_labels (control, control, labels);
  if (labels->len == 0)
    return; /* icons or symbols only: the code's own label stays */
  relate (control, GTK_ACCESSIBLE_RELATION_LABELLED_BY, labels, 0, 1);
  if (labels->len > 1)
    relate (control, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, labels, 1, labels->len);
}

static gboolean
map_hook (GSignalInvocationHint *hint, guint n_params, const GValue *params, gpointer data)
{
  GObject *object = g_value_get_object (&params[0]);

  if (GTK_IS_BUTTON (object) || GTK_IS_SWITCH (object) || GTK_IS_CHECK_BUTTON (object))
    kiosk_a11y_name_control (GTK_WIDGET (object));
  return TRUE; /* stay installed */
}

void
kiosk_a11y_install (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      /* Signals exist once the class is initialised (kept for good). */
      g_type_class_ref (GTK_TYPE_WIDGET);
      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, map_hook, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}
