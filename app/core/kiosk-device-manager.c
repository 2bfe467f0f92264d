/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-devices"

#include "config.h"

#include "kiosk-device-manager.h"

#include "camera-device.h"
#include "idcard-device.h"
#include "pad-device.h"
#include "printer-device.h"

struct _KioskDeviceManager {
  GObject parent_instance;
  KioskConfig *config;
  GHashTable *devices; /* kind -> KioskDevice */
};

G_DEFINE_FINAL_TYPE (KioskDeviceManager, kiosk_device_manager, G_TYPE_OBJECT)

enum { SIGNAL_DEVICE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef KioskDevice *(*DeviceFactory) (KioskConfig *config, GError **error);

static const struct {
  const char *kind;
  DeviceFactory factory;
} factories[] = {
  { "idcard", kiosk_idcard_device_new },
  { "camera", kiosk_camera_device_new },
  { "pad", kiosk_pad_device_new },
  { "printer", kiosk_printer_device_new },
};

const char *const *
kiosk_device_kinds (void)
{
  static const char *const kinds[] = { "idcard", "camera", "pad", "printer", NULL };
  return kinds;
}

static void
device_notify_cb (KioskDevice *device, GParamSpec *pspec, KioskDeviceManager *self)
{
  g_signal_emit (self, signals[SIGNAL_DEVICE_CHANGED], 0, device);
}

static void
kiosk_device_manager_dispose (GObject *object)
{
  KioskDeviceManager *self = KIOSK_DEVICE_MANAGER (object);

  if (self->devices)
    {
      kiosk_device_manager_stop (self);
      GHashTableIter it;
      gpointer dev;
      g_hash_table_iter_init (&it, self->devices);
      while (g_hash_table_iter_next (&it, NULL, &dev))
        g_signal_handlers_disconnect_by_data (dev, self);
    }
  g_clear_pointer (&self->devices, g_hash_table_unref);
  g_clear_pointer (&self->config, kiosk_config_unref);
  G_OBJECT_CLASS (kiosk_device_manager_parent_class)->dispose (object);
}

static void
kiosk_device_manager_class_init (KioskDeviceManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kiosk_device_manager_dispose;

  signals[SIGNAL_DEVICE_CHANGED] = g_signal_new ("device-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                 NULL, NULL, NULL, G_TYPE_NONE, 1, KIOSK_TYPE_DEVICE);
}

static void
kiosk_device_manager_init (KioskDeviceManager *self)
{
  self->devices = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
}

KioskDeviceManager *
kiosk_device_manager_new (KioskConfig *config)
{
  KioskDeviceManager *self = g_object_new (KIOSK_TYPE_DEVICE_MANAGER, NULL);

  self->config = kiosk_config_ref (config);
  for (gsize i = 0; i < G_N_ELEMENTS (factories); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *backend = kiosk_config_get_backend (config, factories[i].kind);
      KioskDevice *dev = factories[i].factory (config, &error);

      if (dev == NULL)
        {
          g_warning ("%s (%s) could not be set up: %s", factories[i].kind, backend, error->message);
          dev = kiosk_null_device_new (factories[i].kind, backend, KIOSK_DEVICE_STATE_ERROR, error->message);
        }
      g_signal_connect (dev, "notify::state", G_CALLBACK (device_notify_cb), self);
      g_signal_connect (dev, "notify::message", G_CALLBACK (device_notify_cb), self);
      g_hash_table_insert (self->devices, (gpointer) factories[i].kind, dev);
    }
  return self;
}

KioskDevice *
kiosk_device_manager_get (KioskDeviceManager *self, const char *kind)
{
  g_return_val_if_fail (KIOSK_IS_DEVICE_MANAGER (self), NULL);
  return g_hash_table_lookup (self->devices, kind);
}

void
kiosk_device_manager_start (KioskDeviceManager *self)
{
  for (const char *const *k = kiosk_device_kinds (); *k; k++)
    kiosk_device_start (kiosk_device_manager_get (self, *k));
}

void
kiosk_device_manager_stop (KioskDeviceManager *self)
{
  for (const char *const *k = kiosk_device_kinds (); *k; k++)
    {
      KioskDevice *d = kiosk_device_manager_get (self, *k);
      if (d)
        kiosk_device_stop (d);
    }
}
