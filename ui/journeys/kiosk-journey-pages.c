/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-journeys"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-a11y.h"
#include "kiosk-agent-page.h"
#include "kiosk-apply-page.h"
#include "kiosk-cert-page.h"
#include "kiosk-journey-page.h"
#include "kiosk-journey-registry.h"
#include "kiosk-journey-pages.h"

static void
back_cb (GtkButton *button, KioskCore *core)
{
  kiosk_session_back (kiosk_core_get_session (core));
}

static void
finish_cb (GtkButton *button, KioskCore *core)
{
  kiosk_session_finish (kiosk_core_get_session (core));
}

static GtkWidget *
icon_button (const char *icon, const char *label, const char *css)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *image = gtk_image_new_from_icon_name (icon);

  gtk_image_set_pixel_size (GTK_IMAGE (image), 28);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), gtk_label_new (label));
  gtk_button_set_child (GTK_BUTTON (button), box);
  if (css)
    gtk_widget_add_css_class (button, css);
  return button;
}

GtkWidget *
_kiosk_journey_header_new (KioskCore *core, const char *title)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *back = icon_button ("kiosk-go-previous-symbolic", _ ("Back"), NULL);
  GtkWidget *finish = icon_button ("kiosk-system-log-out-symbolic", _ ("Finish"), "finish-button");
  GtkWidget *label = kiosk_a11y_heading_new (title);

  gtk_widget_add_css_class (label, "page-title");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  g_signal_connect (back, "clicked", G_CALLBACK (back_cb), core);
  g_signal_connect (finish, "clicked", G_CALLBACK (finish_cb), core);
  gtk_box_append (GTK_BOX (header), back);
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (GTK_BOX (header), finish);
  return header;
}

GtkWidget *
_kiosk_detail_row (GtkBox *box, const char *label, const char *value)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *l = gtk_label_new (label);
  GtkWidget *v = gtk_label_new (value ? value : "");

  gtk_widget_add_css_class (l, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_widget_set_size_request (l, 200, -1);
  gtk_label_set_yalign (GTK_LABEL (l), 0);
  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_selectable (GTK_LABEL (v), FALSE);
  gtk_widget_set_hexpand (v, TRUE);
  gtk_box_append (GTK_BOX (row), l);
  gtk_box_append (GTK_BOX (row), v);
  gtk_box_append (box, row);
  return v;
}

/* The one place in ui/ that maps a journey id (app/core's registry) to its
 * page. A registry row without a page here gets the 暂未开通 page. */
static const struct {
  const char *id;
  KioskJourneyPageFactory factory;
} pages[] = {
  { "guide", kiosk_guide_page_new }, { "progress", kiosk_progress_page_new }, { "apply", kiosk_apply_page_new },
  { "proxy", kiosk_agent_page_new }, { "certificate", kiosk_cert_page_new },
};

void
kiosk_journey_pages_register_all (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_warn_if_fail (kiosk_journey_registry_lookup (pages[i].id) != NULL);
      kiosk_journey_page_register (pages[i].id, pages[i].factory);
    }
}
