/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-device.h"

G_BEGIN_DECLS

/* Creates the pad device with the backend chosen by [pad] backend. */
KioskDevice *kiosk_pad_device_new (KioskConfig *config, GError **error);

G_END_DECLS
