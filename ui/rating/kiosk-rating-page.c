/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-rating"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-rating-page.h"

/* Not built yet (issue #7): the page says so and lets the resident go on. */

static void
skip_cb (GtkButton *button, KioskCore *core)
{
  kiosk_session_rating_done (kiosk_core_get_session (core));
}

GtkWidget *
kiosk_rating_page_new (KioskCore *core)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *label = gtk_label_new (_("Rating is not available yet"));
  GtkWidget *button = gtk_button_new_with_label (_("Continue"));

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  g_signal_connect (button, "clicked", G_CALLBACK (skip_cb), core);
  return box;
}
