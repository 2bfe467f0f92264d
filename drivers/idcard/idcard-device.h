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
 * Chinese message for the resident, and what the resident caused with a
 * card is also announced, once per occurrence, as
 *
 *   "card-event" (KioskDevice *device, int IdcardEvent)
 *
 * on the same context (a state alone is lost when the next poll replaces
 * it before anyone showed it). */
typedef enum {
  IDCARD_EVENT_UNREADABLE,  /* not a card this reader can read (unknown type, bad data) */
  IDCARD_EVENT_READ_FAILED, /* the read failed every attempt: place it again */
  IDCARD_EVENT_REMOVED,     /* the card left before it was read */
} IdcardEvent;

#define KIOSK_TYPE_IDCARD_DEVICE (kiosk_idcard_device_get_type ())
G_DECLARE_FINAL_TYPE (KioskIdcardDevice, kiosk_idcard_device, KIOSK, IDCARD_DEVICE, KioskDevice)

/* Creates the idcard device with the backend chosen by [idcard] backend. */
KioskDevice *kiosk_idcard_device_new (KioskConfig *config, GError **error);

/* The decoded photo (BMP) of the last card, when a WLT decoder is
 * configured; NULL otherwise. Personal data: the caller wipes it. */
GBytes *kiosk_idcard_device_dup_photo (KioskIdcardDevice *self);

/* The card read last is still on the reader: read it again and announce it
 * with a new "identity" (the core asks when the session that refused it has
 * ended). Nothing happens when it has left meanwhile. Any thread. */
void kiosk_idcard_device_read_again (KioskIdcardDevice *self);

/* backend=sim with [idcard] sim-auto-place: the simulator places a fixture
 * card every S seconds only while this is TRUE (the core allows it at the
 * attract screen only). Default TRUE. Any thread. */
void kiosk_idcard_device_set_auto_place (KioskIdcardDevice *self, gboolean allowed);
gboolean kiosk_idcard_device_get_auto_place (KioskIdcardDevice *self);

/* The KioskIdentity the core gets for @card (@today: YYYY-MM-DD). */
KioskIdentity *idcard_identity_from_card (const SamCard *card, const char *today);

/* Reads one card synchronously with the configured transport (kioskctl
 * idcard read): waits up to @timeout_ms for a card. */
SamCard *idcard_read_once (KioskConfig *config, int timeout_ms, GError **error);

G_END_DECLS
