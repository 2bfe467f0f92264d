/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-store.h"

G_BEGIN_DECLS

/* 代办: the station's agents (代办员) as the platform lists them
 * (GET /v1/agents, docs/platform-api.md), kept in the store's settings
 * ("agents"), and their PINs. No GTK.
 *
 * An agent is found by their own ID card: the number is hashed with the
 * list's salt (SHA-256 of "<id_salt>:<ID NUMBER>") and compared; the PIN
 * is checked against a libsodium crypto_pwhash_str hash (slow on purpose:
 * call kiosk_agent_pin_verify in a worker thread). Wrong PINs in a row
 * make the next try wait longer (kiosk_agent_pin_delay_seconds) and the
 * KIOSK_AGENT_PIN_MAX_FAILURES-th locks the agent on this kiosk until the
 * platform sends another PIN hash; the count is kept in the store
 * ("agent_pin:<agent id>"), so a restart does not reset it. */

#define KIOSK_AGENT_PIN_MAX_FAILURES 5
#define KIOSK_AGENT_PIN_MIN_LENGTH 4
#define KIOSK_AGENT_PIN_MAX_LENGTH 12

typedef struct {
  char *id;   /* "A-001" */
  char *name; /* the agent's name: shown to the resident, printed on the 委托书 */
  char *id_number_hash;
  char *pin_hash;
} KioskAgent;

typedef struct {
  char *station_id;
  char *station_name;
  char *id_salt;
  GPtrArray *agents; /* KioskAgent* */
} KioskAgentList;

void kiosk_agent_list_free (KioskAgentList *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskAgentList, kiosk_agent_list_free)

/* The platform's document; NULL with an error when it is not one (agents
 * without id, name, id_number_hash or a crypto_pwhash_str pin_hash are
 * left out). */
KioskAgentList *kiosk_agent_list_parse (const char *json, GError **error);
/* The list kept in @store, or NULL (none downloaded yet: no error). */
KioskAgentList *kiosk_agent_list_load (KioskStore *store, GError **error);
/* The agent whose ID card has @id_number, or NULL. Personal: not logged. */
const KioskAgent *kiosk_agent_list_find_by_id_number (const KioskAgentList *self, const char *id_number);
const KioskAgent *kiosk_agent_list_find (const KioskAgentList *self, const char *agent_id);

/* Wrong PINs of one agent on this kiosk. */
typedef struct {
  int failures;        /* wrong PINs in a row */
  gint64 last_failure; /* unix µs of the last one, 0 none */
} KioskAgentPinState;

/* Seconds to wait after @failures wrong PINs in a row before the next try:
 * 0 for none, then 5, 10, 20, 40 (5 × 2^(n−1)). */
int kiosk_agent_pin_delay_seconds (int failures);
gboolean kiosk_agent_pin_state_locked (const KioskAgentPinState *state);
/* Seconds left to wait at @now (unix µs), 0 when a try may be made. */
int kiosk_agent_pin_state_wait (const KioskAgentPinState *state, gint64 now);
/* From the store; a state kept for another PIN hash (the PIN was reset)
 * reads as no failure. Blocking (the store). */
void kiosk_agent_pin_state_load (KioskStore *store, const KioskAgent *agent, KioskAgentPinState *out);
gboolean kiosk_agent_pin_state_save (KioskStore *store, const KioskAgent *agent, const KioskAgentPinState *state,
                                     GError **error);

/* Whether @pin matches @pin_hash (crypto_pwhash_str_verify). Slow by
 * design (tens to hundreds of ms, 64 MiB): a worker thread. */
gboolean kiosk_agent_pin_verify (const char *pin_hash, const char *pin);
/* A new crypto_pwhash_str hash of @pin (interactive limits), or NULL. */
char *kiosk_agent_pin_hash (const char *pin);

G_END_DECLS
