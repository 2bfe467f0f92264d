/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-pin.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

/* 代办: the station's agents (代办员) as the platform lists them
 * (GET /v1/agents, docs/platform-api.md), kept in the store's settings
 * ("agents"), and their PINs. No GTK.
 *
 * An agent is found by their own ID card: the number is hashed with the
 * list's salt (SHA-256 of "<id_salt>:<ID NUMBER>") and compared; the PIN
 * is checked against a libsodium crypto_pwhash_str hash with kiosk-pin.h
 * (slow on purpose: kiosk_pin_verify in a worker thread). Wrong PINs in a
 * row make the next try wait longer (kiosk_pin_delay_seconds) and the
 * KIOSK_PIN_MAX_FAILURES-th locks the agent on this kiosk until the
 * platform sends another PIN hash; the count is kept in the store
 * ("agent_pin:<agent id>"), so a restart does not reset it. */

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

/* Wrong PINs of one agent on this kiosk (kiosk-pin.h), kept in the store
 * under "agent_pin:<agent id>" against the agent's PIN hash. Blocking. */
void kiosk_agent_pin_state_load (KioskStore *store, const KioskAgent *agent, KioskPinState *out);
gboolean kiosk_agent_pin_state_save (KioskStore *store, const KioskAgent *agent, const KioskPinState *state,
                                     GError **error);

G_END_DECLS
