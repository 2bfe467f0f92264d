/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include "kiosk-end-page.h"
#include "kiosk-ui.h"

struct _KioskEndPage {
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (KioskEndPage, kiosk_end_page, GTK_TYPE_WIDGET)

GtkWidget *
kiosk_end_page_new (void)
{
  return g_object_new (KIOSK_TYPE_END_PAGE, NULL);
}

static void
kiosk_end_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KIOSK_TYPE_END_PAGE);
  _kiosk_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (kiosk_end_page_parent_class)->dispose (object);
}

static void
kiosk_end_page_class_init (KioskEndPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kiosk_end_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/kiosk/kiosk-end-page.ui");
}

static void
kiosk_end_page_init (KioskEndPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
