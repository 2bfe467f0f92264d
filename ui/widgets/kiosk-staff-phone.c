/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-staff-phone.h"

char *
kiosk_staff_phone_text (KioskConfig *config)
{
  g_autofree char *phone = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  phone = kiosk_config_get_string (config, "kiosk", "phone");
  if (phone == NULL || *g_strstrip (phone) == '\0')
    return NULL;
  /* Translators: %s is the service station's phone number. */
  return g_strdup_printf (_ ("Staff phone: %s"), phone);
}

GtkWidget *
kiosk_staff_phone_new (KioskConfig *config)
{
  g_autofree char *text = kiosk_staff_phone_text (config);
  GtkWidget *label = gtk_label_new (text ? text : "");

  gtk_widget_set_name (label, "staff-phone");
  gtk_widget_add_css_class (label, "staff-phone");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_set_visible (label, FALSE);
  /* No phone configured: nothing to show, ever. */
  g_object_set_data (G_OBJECT (label), "kiosk-staff-phone-none", GINT_TO_POINTER (text == NULL));
  return label;
}

gboolean
kiosk_staff_phone_wanted (const char *message)
{
  g_autofree char *lower = NULL;

  if (message == NULL || *message == '\0')
    return FALSE;
  if (strstr (message, "工作人员") != NULL)
    return TRUE;
  lower = g_utf8_strdown (message, -1);
  return strstr (lower, "staff") != NULL;
}

static void
follow_update (GtkLabel *message, GParamSpec *pspec, GtkWidget *phone)
{
  gboolean none = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (phone), "kiosk-staff-phone-none"));

  gtk_widget_set_visible (phone, !none && gtk_widget_get_visible (GTK_WIDGET (message))
                                     && kiosk_staff_phone_wanted (gtk_label_get_text (message)));
}

void
kiosk_staff_phone_follow (GtkWidget *phone, GtkLabel *message)
{
  g_return_if_fail (GTK_IS_LABEL (phone));
  g_return_if_fail (GTK_IS_LABEL (message));

  g_signal_connect_object (message, "notify::label", G_CALLBACK (follow_update), phone, 0);
  g_signal_connect_object (message, "notify::visible", G_CALLBACK (follow_update), phone, 0);
  follow_update (message, NULL, phone);
}

GtkWidget *
kiosk_staff_phone_attach (GtkLabel *message, KioskConfig *config)
{
  GtkWidget *parent;
  GtkWidget *phone;

  g_return_val_if_fail (GTK_IS_LABEL (message), NULL);
  parent = gtk_widget_get_parent (GTK_WIDGET (message));
  if (!GTK_IS_BOX (parent))
    return NULL;
  phone = kiosk_staff_phone_new (config);
  gtk_label_set_xalign (GTK_LABEL (phone), gtk_label_get_xalign (message));
  gtk_label_set_justify (GTK_LABEL (phone), gtk_label_get_justify (message));
  gtk_widget_set_halign (phone, gtk_widget_get_halign (GTK_WIDGET (message)));
  gtk_box_insert_child_after (GTK_BOX (parent), phone, GTK_WIDGET (message));
  kiosk_staff_phone_follow (phone, message);
  return phone;
}
