/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-pad"

#include "config.h"

#include "pad-device.h"

/* Not written yet (issue #7): the device says so instead of pretending. */
KioskDevice *
kiosk_pad_device_new (KioskConfig *config, GError **error)
{
  g_autofree char *backend = kiosk_config_get_backend (config, "pad");
  return kiosk_null_device_new ("pad", backend, KIOSK_DEVICE_STATE_ABSENT, "driver not built yet (issue #7)");
}
