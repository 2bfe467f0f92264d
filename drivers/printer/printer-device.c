/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer"

#include "config.h"

#include "printer-device.h"

/* Not written yet (issue #5): the device says so instead of pretending. */
KioskDevice *
kiosk_printer_device_new (KioskConfig *config, GError **error)
{
  g_autofree char *backend = kiosk_config_get_backend (config, "printer");
  return kiosk_null_device_new ("printer", backend, KIOSK_DEVICE_STATE_ABSENT, "driver not built yet (issue #5)");
}
