/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-device.h"

G_BEGIN_DECLS

/* Creates the idcard device with the backend chosen by [idcard] backend. */
KioskDevice *kiosk_idcard_device_new (KioskConfig *config, GError **error);

G_END_DECLS
