/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-staff-phone.h"
#include "kiosk-status-strip.h"
#include "kiosk-ui.h"

struct _KioskStatusStrip {
  GtkWidget parent_instance;

  KioskCore *core;
  GHashTable *items; /* kind -> GtkLabel (owned by the box) */

  GtkBox *devices_box;
  GtkLabel *backlog_label;
  GtkLabel *kiosk_id_label;
  GtkLabel *store_label;
  GtkWidget *online_box;
  GtkLabel *online_label;
  GtkWidget *phone_label; /* the station's phone, while a device sends residents to the staff */
  char *phone_text;
  guint platform_tick_id; /* the contact's age grows without the platform answering */
};

G_DEFINE_FINAL_TYPE (KioskStatusStrip, kiosk_status_strip, GTK_TYPE_WIDGET)

/* The platform counts as connected while its last answer is younger than
 * this; the age shown is recomputed this often. */
#define PLATFORM_FRESH_SECONDS 60
#define PLATFORM_TICK_SECONDS 5

static const struct {
  const char *kind;
  const char *name; /* msgid */
  const char *icon;
} device_names[] = {
  { "idcard", N_ ("ID card reader"), "kiosk-auth-smartcard-symbolic" },
  { "camera", N_ ("Document camera"), "kiosk-camera-photo-symbolic" },
  { "pad", N_ ("Rating pad"), "kiosk-input-tablet-symbolic" },
  { "printer", N_ ("Printer"), "kiosk-printer-symbolic" },
};

static const char *
state_text (KioskDeviceState state)
{
  switch (state)
    {
    case KIOSK_DEVICE_STATE_READY:
      return _ ("ready");
    case KIOSK_DEVICE_STATE_BUSY:
      return _ ("busy");
    case KIOSK_DEVICE_STATE_ERROR:
      return _ ("fault");
    case KIOSK_DEVICE_STATE_ABSENT:
    default:
      return _ ("not connected");
    }
}

static const char *
state_class (KioskDeviceState state)
{
  switch (state)
    {
    case KIOSK_DEVICE_STATE_READY:
    case KIOSK_DEVICE_STATE_BUSY:
      return "state-ready";
    case KIOSK_DEVICE_STATE_ERROR:
      return "state-error";
    case KIOSK_DEVICE_STATE_ABSENT:
    default:
      return "state-absent";
    }
}

static void
update_device (KioskStatusStrip *self, KioskDevice *device)
{
  const char *kind = kiosk_device_get_kind (device);
  GtkWidget *label = g_hash_table_lookup (self->items, kind);
  GtkWidget *item;
  KioskDeviceState state = kiosk_device_get_state (device);
  const char *message = kiosk_device_get_message (device);
  const char *name = kind;
  g_autofree char *text = NULL;

  if (label == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (device_names); i++)
    if (g_str_equal (device_names[i].kind, kind))
      name = _ (device_names[i].name);

  /* Messages are meant for the resident; translate them again in case the
   * device stored the msgid (a no-op on an already translated string). */
  if (message != NULL && *message != '\0' && state == KIOSK_DEVICE_STATE_ABSENT)
    /* "Not connected" is what the message says already, in more words. */
    text = g_strdup_printf (_ ("%s: %s"), name, _ (message));
  else if (message != NULL && *message != '\0')
    /* Ready devices' messages too: "证件已过期" comes with a ready reader. */
    text = g_strdup_printf (_ ("%s: %s (%s)"), name, state_text (state), _ (message));
  else
    text = g_strdup_printf (_ ("%s: %s"), name, state_text (state));
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, text);

  item = gtk_widget_get_parent (label);
  gtk_widget_remove_css_class (item, "state-ready");
  gtk_widget_remove_css_class (item, "state-error");
  gtk_widget_remove_css_class (item, "state-absent");
  gtk_widget_add_css_class (item, state_class (state));
}

/* A device message that sends the resident to the staff ("读卡器未连接，请联系
 * 工作人员") comes with the station's phone, beside the devices. */
static void
update_phone (KioskStatusStrip *self)
{
  GHashTableIter iter;
  gpointer label;
  gboolean wanted = FALSE;

  if (self->phone_label == NULL)
    return;
  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, &label))
    wanted = wanted || kiosk_staff_phone_wanted (gtk_label_get_text (label));
  /* Always there, empty when not wanted: the strip keeps its height. */
  gtk_label_set_text (GTK_LABEL (self->phone_label), wanted ? self->phone_text : "");
}

static void
device_changed_cb (KioskDeviceManager *devices, KioskDevice *device, KioskStatusStrip *self)
{
  update_device (self, device);
  update_phone (self);
}

static void
update_backlog (KioskStatusStrip *self)
{
  int backlog = kiosk_core_get_backlog (self->core);
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->backlog_label), "backlog-pending");
  if (backlog < 0)
    /* No store yet, or it did not answer: say so rather than guess. */
    text = g_strdup (_ ("To sync: —"));
  else if (backlog == 0)
    text = g_strdup (_ ("All synced"));
  else
    {
      text = g_strdup_printf (ngettext ("To sync: %d item", "To sync: %d items", backlog), backlog);
      gtk_widget_add_css_class (GTK_WIDGET (self->backlog_label), "backlog-pending");
    }
  gtk_label_set_text (self->backlog_label, text);
}

static void
backlog_cb (KioskCore *core, GParamSpec *pspec, KioskStatusStrip *self)
{
  update_backlog (self);
}

static void
update_platform (KioskStatusStrip *self)
{
  gboolean online = kiosk_core_get_online (self->core);
  const char *store_error = kiosk_core_get_store_error (self->core);
  gboolean paused
      = store_error != NULL || (kiosk_core_get_store (self->core) != NULL && !kiosk_core_get_accepting (self->core));

  g_autofree char *text = NULL;
  gint64 last = kiosk_core_get_last_contact (self->core);
  gint64 age = last > 0 ? MAX (0, (g_get_real_time () - last) / G_USEC_PER_SEC) : -1;
  gboolean fresh = online && age >= 0 && age < PLATFORM_FRESH_SECONDS;

  /* "Connected" is only as true as the platform's last answer: past a
   * minute, say when that was (the sync engine asks every heartbeat, and a
   * dead platform is only noticed at the next request). */
  if (fresh || (online && age < 0))
    text = g_strdup (_ ("Platform: connected"));
  else if (age < 0)
    text = g_strdup (_ ("Platform: offline"));
  else
    {
      g_autofree char *ago = NULL;
      if (age < 3600)
        ago = g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", (int) MAX (1, age / 60)),
                               (int) MAX (1, age / 60));
      else if (age < 48 * 3600)
        ago = g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", (int) (age / 3600)), (int) (age / 3600));
      else
        ago = g_strdup_printf (ngettext ("%d day ago", "%d days ago", (int) (age / 86400)), (int) (age / 86400));
      text = online ? g_strdup_printf (_ ("Platform: last answered %s"), ago)
                    : g_strdup_printf (_ ("Platform: offline, last answered %s"), ago);
    }
  gtk_label_set_text (self->online_label, text);
  gtk_widget_remove_css_class (self->online_box, "state-ready");
  gtk_widget_remove_css_class (self->online_box, "state-absent");
  gtk_widget_add_css_class (self->online_box, fresh || (online && age < 0) ? "state-ready" : "state-absent");

  /* The store refuses new applications (not opened, disk full): say so;
   * the technician's reason is in the log and in kioskctl doctor. */
  gtk_label_set_text (self->store_label, paused ? _ ("New applications are paused") : "");
  gtk_widget_set_visible (GTK_WIDGET (self->store_label), paused);
}

static void
platform_cb (KioskCore *core, GParamSpec *pspec, KioskStatusStrip *self)
{
  update_platform (self);
}

static gboolean
platform_tick_cb (gpointer data)
{
  update_platform (data);
  return G_SOURCE_CONTINUE;
}

void
kiosk_status_strip_set_core (KioskStatusStrip *self, KioskCore *core)
{
  KioskDeviceManager *devices;
  g_autofree char *id = NULL;

  g_return_if_fail (KIOSK_IS_STATUS_STRIP (self));
  g_return_if_fail (self->core == NULL);

  self->core = g_object_ref (core);
  devices = kiosk_core_get_devices (core);
  for (gsize i = 0; i < G_N_ELEMENTS (device_names); i++)
    {
      GtkWidget *item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
      GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *icon = gtk_image_new_from_icon_name (device_names[i].icon);
      GtkWidget *label = gtk_label_new (NULL);
      KioskDevice *device = kiosk_device_manager_get (devices, device_names[i].kind);

      gtk_image_set_pixel_size (GTK_IMAGE (icon), 22);
      gtk_widget_add_css_class (dot, "state-dot");
      gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (item, "status-item");
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
      gtk_box_append (GTK_BOX (item), dot);
      gtk_box_append (GTK_BOX (item), icon);
      gtk_box_append (GTK_BOX (item), label);
      gtk_box_append (self->devices_box, item);
      g_hash_table_insert (self->items, (gpointer) device_names[i].kind, label);
      if (device != NULL)
        update_device (self, device);
    }
  {
    self->phone_text = kiosk_staff_phone_text (kiosk_core_get_config (core));
    if (self->phone_text != NULL)
      {
        self->phone_label = kiosk_staff_phone_new (kiosk_core_get_config (core));
        gtk_widget_set_visible (self->phone_label, TRUE);
        gtk_widget_add_css_class (self->phone_label, "status-phone");
        gtk_label_set_wrap (GTK_LABEL (self->phone_label), FALSE);
        gtk_widget_set_valign (self->phone_label, GTK_ALIGN_CENTER);
        gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->devices_box))), self->phone_label,
                                    GTK_WIDGET (self->devices_box));
        update_phone (self);
      }
  }
  g_signal_connect_object (devices, "device-changed", G_CALLBACK (device_changed_cb), self, 0);
  g_signal_connect_object (core, "notify::backlog", G_CALLBACK (backlog_cb), self, 0);
  g_signal_connect_object (core, "notify::online", G_CALLBACK (platform_cb), self, 0);
  g_signal_connect_object (core, "notify::accepting", G_CALLBACK (platform_cb), self, 0);
  g_signal_connect_object (core, "notify::store-error", G_CALLBACK (platform_cb), self, 0);
  update_backlog (self);
  update_platform (self);
  self->platform_tick_id = g_timeout_add_seconds (PLATFORM_TICK_SECONDS, platform_tick_cb, self);

  id = kiosk_config_get_string (kiosk_core_get_config (core), "kiosk", "id");
  gtk_label_set_text (self->kiosk_id_label, id);
}

const char *
kiosk_status_strip_get_phone_text (KioskStatusStrip *self)
{
  g_return_val_if_fail (KIOSK_IS_STATUS_STRIP (self), NULL);
  if (self->phone_label == NULL || *gtk_label_get_text (GTK_LABEL (self->phone_label)) == '\0')
    return NULL;
  return gtk_label_get_text (GTK_LABEL (self->phone_label));
}

const char *
kiosk_status_strip_get_device_text (KioskStatusStrip *self, const char *kind)
{
  GtkWidget *label = g_hash_table_lookup (self->items, kind);
  return label ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

const char *
kiosk_status_strip_get_backlog_text (KioskStatusStrip *self)
{
  return gtk_label_get_text (self->backlog_label);
}

const char *
kiosk_status_strip_get_platform_text (KioskStatusStrip *self)
{
  return gtk_label_get_text (self->online_label);
}

static void
kiosk_status_strip_dispose (GObject *object)
{
  KioskStatusStrip *self = KIOSK_STATUS_STRIP (object);

  g_clear_handle_id (&self->platform_tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_STATUS_STRIP);
  _kiosk_widget_unparent_children (GTK_WIDGET (self));
  g_clear_pointer (&self->items, g_hash_table_unref);
  self->phone_label = NULL; /* was in the template's box */
  g_clear_pointer (&self->phone_text, g_free);
  g_clear_object (&self->core);
  G_OBJECT_CLASS (kiosk_status_strip_parent_class)->dispose (object);
}

static void
kiosk_status_strip_class_init (KioskStatusStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_status_strip_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/kiosk/kiosk-status-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskStatusStrip, devices_box);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusStrip, backlog_label);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusStrip, kiosk_id_label);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusStrip, store_label);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusStrip, online_box);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusStrip, online_label);
}

static void
kiosk_status_strip_init (KioskStatusStrip *self)
{
  self->items = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_widget_init_template (GTK_WIDGET (self));
}
