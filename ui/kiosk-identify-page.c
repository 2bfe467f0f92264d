/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-identify-page.h"
#include "kiosk-staff-phone.h"
#include "kiosk-ui.h"

struct _KioskIdentifyPage {
  GtkWidget parent_instance;

  KioskCore *core;

  GtkLabel *pending_label;
  GtkLabel *reader_label;
};

G_DEFINE_FINAL_TYPE (KioskIdentifyPage, kiosk_identify_page, GTK_TYPE_WIDGET)

static void
update (KioskIdentifyPage *self)
{
  KioskSession *session = kiosk_core_get_session (self->core);
  KioskJourney *pending = kiosk_session_get_pending_journey (session);
  KioskDevice *reader = kiosk_device_manager_get (kiosk_core_get_devices (self->core), "idcard");
  KioskDeviceState state = reader ? kiosk_device_get_state (reader) : KIOSK_DEVICE_STATE_ABSENT;

  if (pending != NULL)
    {
      g_autofree char *text = g_strdup_printf (_ ("To continue with: %s"), _ (kiosk_journey_get_title (pending)));
      gtk_label_set_text (self->pending_label, text);
    }
  else
    gtk_label_set_text (self->pending_label, "");

  if (state == KIOSK_DEVICE_STATE_READY || state == KIOSK_DEVICE_STATE_BUSY)
    gtk_widget_set_visible (GTK_WIDGET (self->reader_label), FALSE);
  else
    {
      const char *message = reader ? kiosk_device_get_message (reader) : NULL;
      g_autofree char *text = NULL;

      if (message != NULL && *message != '\0')
        text = g_strdup_printf (_ ("The card reader is not working right now (%s). Please ask the staff for help."),
                                _ (message));
      else
        text = g_strdup (_ ("The card reader is not working right now. Please ask the staff for help."));
      gtk_label_set_text (self->reader_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->reader_label), TRUE);
    }
}

static void
state_cb (KioskSession *session, GParamSpec *pspec, KioskIdentifyPage *self)
{
  if (kiosk_session_get_state (session) == KIOSK_SESSION_IDENTIFY)
    update (self);
}

static void
device_changed_cb (KioskDeviceManager *devices, KioskDevice *device, KioskIdentifyPage *self)
{
  if (g_str_equal (kiosk_device_get_kind (device), "idcard"))
    update (self);
}

static void
back_cb (GtkButton *button, KioskIdentifyPage *self)
{
  kiosk_session_back (kiosk_core_get_session (self->core));
}

GtkWidget *
kiosk_identify_page_new (KioskCore *core)
{
  KioskIdentifyPage *self = g_object_new (KIOSK_TYPE_IDENTIFY_PAGE, NULL);

  self->core = g_object_ref (core);
  /* "…请联系工作人员" under a broken reader: with the station's phone. */
  kiosk_staff_phone_attach (self->reader_label, kiosk_core_get_config (core));
  g_signal_connect_object (kiosk_core_get_session (core), "notify::state", G_CALLBACK (state_cb), self, 0);
  g_signal_connect_object (kiosk_core_get_devices (core), "device-changed", G_CALLBACK (device_changed_cb), self, 0);
  update (self);
  return GTK_WIDGET (self);
}

static void
kiosk_identify_page_dispose (GObject *object)
{
  KioskIdentifyPage *self = KIOSK_IDENTIFY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_IDENTIFY_PAGE);
  _kiosk_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->core);
  G_OBJECT_CLASS (kiosk_identify_page_parent_class)->dispose (object);
}

static void
kiosk_identify_page_class_init (KioskIdentifyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_identify_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/kiosk/kiosk-identify-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskIdentifyPage, pending_label);
  gtk_widget_class_bind_template_child (widget_class, KioskIdentifyPage, reader_label);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);
}

static void
kiosk_identify_page_init (KioskIdentifyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
