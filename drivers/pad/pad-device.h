/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-device.h"
#include "pad-report.h"

G_BEGIN_DECLS

/* The evaluation pad (评价器). Backends:
 *  - real: a USB HID pad read through libusb (interrupt IN reports) on a
 *    worker thread; the kernel HID driver is detached when bound; hotplug by
 *    re-scanning while absent (unplug is noticed at the next transfer).
 *  - sim: no USB; reports come from kiosk_pad_device_sim_*() or from the
 *    [pad] sim-input FIFO/file. Both go through the same report parser as
 *    the real pad's bytes.
 *  - none: no pad (rating on the screen only); a null device.
 *
 * Signals, always on the main context the device was created on:
 *  "key"      (guint KioskPadKey)  a key went down (edge, not repeats)
 *  "report"   (GBytes *report, gint KioskPadReportKind, guint masked value)
 *             every input report, decoded or not (kioskctl pad test)
 *  "feedback" (const char *event, GBytes *bytes) an output report was sent
 */

#define KIOSK_TYPE_PAD_DEVICE (kiosk_pad_device_get_type ())
G_DECLARE_FINAL_TYPE (KioskPadDevice, kiosk_pad_device, KIOSK, PAD_DEVICE, KioskDevice)

/* Creates the pad device with the backend chosen by [pad] backend. NULL and
 * @error when the [pad] configuration is inconsistent (e.g. a bad key-map). */
KioskDevice *kiosk_pad_device_new (KioskConfig *config, GError **error);

const KioskPadKeyMap *kiosk_pad_device_get_key_map (KioskPadDevice *self);

/* Sends the output report configured for @event ("prompt", "reason",
 * "thanks", "off") to the pad. FALSE when the pad has no feedback for it or
 * is absent; never blocks. */
gboolean kiosk_pad_device_feedback (KioskPadDevice *self, const char *event);

/* sim backend only (FALSE otherwise, or while "unplugged"). */
gboolean kiosk_pad_device_sim_inject (KioskPadDevice *self, const guint8 *report, gsize len);
/* A press of @key and, when the pad model reports releases, its release:
 * the report bytes are built from the key map and parsed like real ones. */
gboolean kiosk_pad_device_sim_press (KioskPadDevice *self, KioskPadKey key);
void kiosk_pad_device_sim_set_connected (KioskPadDevice *self, gboolean connected);

/* @device as a pad device, or NULL when it is not one (backend "none", or a
 * null device standing in after a configuration error). */
KioskPadDevice *kiosk_pad_device_from_device (KioskDevice *device);

G_END_DECLS
