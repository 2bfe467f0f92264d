/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-device.h"

G_BEGIN_DECLS

/* Creates the camera device with the backend chosen by [camera] backend. */
KioskDevice *kiosk_camera_device_new (KioskConfig *config, GError **error);

G_END_DECLS
