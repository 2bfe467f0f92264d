/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-device.h"
#include "kiosk-identity.h"
#include "sam-codec.h"

G_BEGIN_DECLS

/* The ID card reader. A worker thread polls the reader (find -> select ->
 * read -> wait for the card to leave) and, once per placed card, emits
 *
 *   "identity" (KioskDevice *device, const KioskIdentity *identity)
 *
 * on the device's main context. Errors become device states with a plain
 * Chinese message for the resident. */
#define KIOSK_TYPE_IDCARD_DEVICE (kiosk_idcard_device_get_type ())
G_DECLARE_FINAL_TYPE (KioskIdcardDevice, kiosk_idcard_device, KIOSK, IDCARD_DEVICE, KioskDevice)

/* Creates the idcard device with the backend chosen by [idcard] backend. */
KioskDevice *kiosk_idcard_device_new (KioskConfig *config, GError **error);

/* The decoded photo (BMP) of the last card, when a WLT decoder is
 * configured; NULL otherwise. Personal data: the caller wipes it. */
GBytes *kiosk_idcard_device_dup_photo (KioskIdcardDevice *self);

/* The KioskIdentity the core gets for @card (@today: YYYY-MM-DD). */
KioskIdentity *idcard_identity_from_card (const SamCard *card, const char *today);

/* Reads one card synchronously with the configured transport (kioskctl
 * idcard read): waits up to @timeout_ms for a card. */
SamCard *idcard_read_once (KioskConfig *config, int timeout_ms, GError **error);

G_END_DECLS
