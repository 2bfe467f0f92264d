/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-journey-page.h"
#include "kiosk-steps.h"
#include "kiosk-staff-phone.h"
#include "kiosk-ui.h"

struct _KioskJourneyPage {
  GtkWidget parent_instance;

  KioskCore *core;

  GtkImage *icon;
  GtkLabel *title_label;
  GtkLabel *staff_label;
};

G_DEFINE_FINAL_TYPE (KioskJourneyPage, kiosk_journey_page, GTK_TYPE_WIDGET)

static GHashTable *factories; /* id -> KioskJourneyPageFactory */

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

/* ---- step indicator ------------------------------------------------------ */

/* The journey's steps as the indicator shows them: translated titles. */
static gpointer
step_title_cb (gpointer item, gpointer data)
{
  GtkStringObject *title = gtk_string_object_new (_ (kiosk_journey_step_get_title (item)));

  g_object_unref (item);
  return title;
}

static void
update_steps (KioskSteps *steps, KioskJourney *journey)
{
  guint n = g_list_model_get_n_items (kiosk_journey_get_steps (journey));

  /* One screen, no indicator. */
  gtk_widget_set_visible (GTK_WIDGET (steps), n > 1);
  kiosk_steps_set_current (KIOSK_STEPS (steps), kiosk_journey_get_step (journey));
}

static void
step_cb (KioskJourney *journey, GParamSpec *pspec, KioskSteps *steps)
{
  update_steps (steps, journey);
}

static void
steps_items_changed_cb (GListModel *model, guint position, guint removed, guint added, KioskSteps *steps)
{
  KioskJourney *journey = g_object_get_data (G_OBJECT (steps), "journey");
  if (journey)
    update_steps (steps, journey);
}

GtkWidget *
kiosk_journey_steps_new (KioskJourney *journey)
{
  GtkMapListModel *titles;
  GtkWidget *steps;

  g_return_val_if_fail (KIOSK_IS_JOURNEY (journey), NULL);
  titles = gtk_map_list_model_new (g_object_ref (kiosk_journey_get_steps (journey)), step_title_cb, NULL, NULL);
  steps = kiosk_steps_new (G_LIST_MODEL (titles));
  g_object_unref (titles);
  gtk_widget_set_name (steps, "journey-steps");
  g_object_set_data_full (G_OBJECT (steps), "journey", g_object_ref (journey), g_object_unref);
  g_signal_connect_object (journey, "notify::step", G_CALLBACK (step_cb), steps, 0);
  g_signal_connect_object (kiosk_journey_get_steps (journey), "items-changed", G_CALLBACK (steps_items_changed_cb),
                           steps, 0);
  update_steps (KIOSK_STEPS (steps), journey);
  return steps;
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
  gtk_image_set_from_icon_name (self->icon, kiosk_journey_get_icon_name (journey));
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
  /* "请咨询服务站工作人员": with the station's phone. */
  kiosk_staff_phone_attach (self->staff_label, kiosk_core_get_config (core));
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
  gtk_widget_class_bind_template_child (widget_class, KioskJourneyPage, staff_label);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);
  gtk_widget_class_bind_template_callback (widget_class, finish_cb);
}

static void
kiosk_journey_page_init (KioskJourneyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
