/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-device.h"

G_BEGIN_DECLS

/* Creates the printer device with the backend chosen by [printer] backend. */
KioskDevice *kiosk_printer_device_new (KioskConfig *config, GError **error);

G_END_DECLS
