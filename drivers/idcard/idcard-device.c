/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-idcard"

#include "config.h"

#include "idcard-device.h"

/* Not written yet (issue #3): the device says so instead of pretending. */
KioskDevice *
kiosk_idcard_device_new (KioskConfig *config, GError **error)
{
  g_autofree char *backend = kiosk_config_get_backend (config, "idcard");
  return kiosk_null_device_new ("idcard", backend, KIOSK_DEVICE_STATE_ABSENT, "driver not built yet (issue #3)");
}
