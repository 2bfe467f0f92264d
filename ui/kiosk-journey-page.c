/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-journey-page.h"
#include "kiosk-ui.h"

struct _KioskJourneyPage {
  GtkWidget parent_instance;

  KioskCore *core;

  GtkImage *icon;
  GtkLabel *title_label;
};

G_DEFINE_FINAL_TYPE (KioskJourneyPage, kiosk_journey_page, GTK_TYPE_WIDGET)

static GHashTable *factories; /* id -> KioskJourneyPageFactory */

static const struct {
  const char *id;
  const char *icon;
  const char *description;
} journey_info[] = {
  { "guide", "kiosk-help-browser-symbolic", N_ ("What to bring, time limits and fees for each item") },
  { "apply", "kiosk-document-edit-symbolic", N_ ("Fill in and hand in an application yourself") },
  { "certificate", "kiosk-printer-symbolic", N_ ("Print certificates and proofs on the spot") },
  { "progress", "kiosk-system-search-symbolic", N_ ("See how far your application has got") },
  { "proxy", "kiosk-system-users-symbolic", N_ ("Let the station's agent handle it for you") },
};

const char *
_kiosk_journey_icon_name (const char *journey_id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (journey_info); i++)
    if (g_strcmp0 (journey_info[i].id, journey_id) == 0)
      return journey_info[i].icon;
  return "kiosk-view-app-grid-symbolic";
}

const char *
_kiosk_journey_description (const char *journey_id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (journey_info); i++)
    if (g_strcmp0 (journey_info[i].id, journey_id) == 0)
      return journey_info[i].description;
  return NULL;
}

void
kiosk_journey_page_register (const char *journey_id, KioskJourneyPageFactory factory)
{
  g_return_if_fail (journey_id != NULL);

  if (factories == NULL)
    factories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (factory != NULL)
    g_hash_table_insert (factories, g_strdup (journey_id), factory);
  else
    g_hash_table_remove (factories, journey_id);
}

KioskJourneyPageFactory
kiosk_journey_page_lookup (const char *journey_id)
{
  if (factories == NULL || journey_id == NULL)
    return NULL;
  return g_hash_table_lookup (factories, journey_id);
}

void
kiosk_journey_page_set_journey (KioskJourneyPage *self, KioskJourney *journey)
{
  g_return_if_fail (KIOSK_IS_JOURNEY_PAGE (self));

  if (journey == NULL)
    {
      gtk_label_set_text (self->title_label, "");
      return;
    }
  gtk_label_set_text (self->title_label, _ (kiosk_journey_get_title (journey)));
  gtk_image_set_from_icon_name (self->icon, _kiosk_journey_icon_name (kiosk_journey_get_id (journey)));
}

static void
back_cb (GtkButton *button, KioskJourneyPage *self)
{
  kiosk_session_back (kiosk_core_get_session (self->core));
}

static void
finish_cb (GtkButton *button, KioskJourneyPage *self)
{
  kiosk_session_finish (kiosk_core_get_session (self->core));
}

GtkWidget *
kiosk_journey_page_new (KioskCore *core)
{
  KioskJourneyPage *self = g_object_new (KIOSK_TYPE_JOURNEY_PAGE, NULL);

  self->core = g_object_ref (core);
  return GTK_WIDGET (self);
}

static void
kiosk_journey_page_dispose (GObject *object)
{
  KioskJourneyPage *self = KIOSK_JOURNEY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_JOURNEY_PAGE);
  _kiosk_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->core);
  G_OBJECT_CLASS (kiosk_journey_page_parent_class)->dispose (object);
}

static void
kiosk_journey_page_class_init (KioskJourneyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_journey_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/kiosk/kiosk-journey-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskJourneyPage, icon);
  gtk_widget_class_bind_template_child (widget_class, KioskJourneyPage, title_label);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);
  gtk_widget_class_bind_template_callback (widget_class, finish_cb);
}

static void
kiosk_journey_page_init (KioskJourneyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
