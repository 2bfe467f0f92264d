/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-camera"

#include "config.h"

#include "camera-device.h"

/* Not written yet (issue #6): the device says so instead of pretending. */
KioskDevice *
kiosk_camera_device_new (KioskConfig *config, GError **error)
{
  g_autofree char *backend = kiosk_config_get_backend (config, "camera");
  return kiosk_null_device_new ("camera", backend, KIOSK_DEVICE_STATE_ABSENT, "driver not built yet (issue #6)");
}
