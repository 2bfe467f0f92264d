/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-store.h"

G_BEGIN_DECLS

/* PINs on the kiosk (代办员 agents, the maintenance technician): never
 * stored in clear, only as a libsodium crypto_pwhash_str hash (Argon2id,
 * salted, memory-hard; "$argon2id$..."), checked slowly on purpose (call
 * kiosk_pin_verify in a worker thread). Wrong PINs in a row make the next
 * try wait longer (kiosk_pin_delay_seconds) and the KIOSK_PIN_MAX_FAILURES-th
 * locks the PIN on this kiosk until another PIN hash is given. The count is
 * kept in the store's settings under a name ("agent_pin:A-001",
 * "maint_pin"), tied to the hash it counts against, so a restart does not
 * reset it and a new PIN starts it again. No GTK. */

#define KIOSK_PIN_MAX_FAILURES 5
#define KIOSK_PIN_MIN_LENGTH 4
#define KIOSK_PIN_MAX_LENGTH 12

/* Wrong PINs of one PIN on this kiosk. */
typedef struct {
  int failures;        /* wrong PINs in a row */
  gint64 last_failure; /* unix µs of the last one, 0 none */
} KioskPinState;

/* Seconds to wait after @failures wrong PINs in a row before the next try:
 * 0 for none, then 5, 10, 20, 40 (5 × 2^(n−1)). */
int kiosk_pin_delay_seconds (int failures);
gboolean kiosk_pin_state_locked (const KioskPinState *state);
/* Seconds left to wait at @now (unix µs), 0 when a try may be made. */
int kiosk_pin_state_wait (const KioskPinState *state, gint64 now);
/* Seconds left at @now of a lock-out that lasts @lock_seconds after the
 * last wrong PIN; with @lock_seconds 0 it lasts until a new PIN is given
 * (G_MAXINT). 0: not locked. After a lock-out has run out one more try may
 * be made, and a wrong one locks again. */
int kiosk_pin_state_lock_remaining (const KioskPinState *state, gint64 now, int lock_seconds);
/* A wrong PIN at @now: one more failure. */
void kiosk_pin_state_fail (KioskPinState *state, gint64 now);

/* The state kept in @store under @name; a state kept for another PIN hash
 * than @pin_hash (the PIN was changed) reads as no failure. Blocking (the
 * store). */
void kiosk_pin_state_load (KioskStore *store, const char *name, const char *pin_hash, KioskPinState *out);
gboolean kiosk_pin_state_save (KioskStore *store, const char *name, const char *pin_hash, const KioskPinState *state,
                               GError **error);

/* Whether @pin_hash looks like a crypto_pwhash_str hash this kiosk can check. */
gboolean kiosk_pin_hash_is_valid (const char *pin_hash);
/* Whether @pin matches @pin_hash (crypto_pwhash_str_verify). Slow by
 * design (tens to hundreds of ms, 64 MiB): a worker thread. */
gboolean kiosk_pin_verify (const char *pin_hash, const char *pin);
/* A new crypto_pwhash_str hash of @pin (interactive limits, a new random
 * salt each time), or NULL. */
char *kiosk_pin_hash (const char *pin);

G_END_DECLS
