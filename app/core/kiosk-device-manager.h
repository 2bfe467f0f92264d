/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-device.h"

G_BEGIN_DECLS

/* Creates the four devices with the backends the configuration chooses,
 * starts and stops them, and re-emits their state changes as one signal. */

#define KIOSK_TYPE_DEVICE_MANAGER (kiosk_device_manager_get_type ())
G_DECLARE_FINAL_TYPE (KioskDeviceManager, kiosk_device_manager, KIOSK, DEVICE_MANAGER, GObject)

/* "idcard", "camera", "pad", "printer", NULL */
const char *const *kiosk_device_kinds (void);

KioskDeviceManager *kiosk_device_manager_new (KioskConfig *config);
KioskDevice *kiosk_device_manager_get (KioskDeviceManager *self, const char *kind);
void kiosk_device_manager_start (KioskDeviceManager *self);
void kiosk_device_manager_stop (KioskDeviceManager *self);

G_END_DECLS
