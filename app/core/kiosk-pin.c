/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-pin"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "kiosk-pin.h"

int
kiosk_pin_delay_seconds (int failures)
{
  if (failures <= 0)
    return 0;
  return 5 << MIN (failures - 1, 10);
}

gboolean
kiosk_pin_state_locked (const KioskPinState *state)
{
  return state->failures >= KIOSK_PIN_MAX_FAILURES;
}

int
kiosk_pin_state_wait (const KioskPinState *state, gint64 now)
{
  gint64 until;

  if (state->failures <= 0 || kiosk_pin_state_locked (state))
    return 0;
  until = state->last_failure + (gint64) kiosk_pin_delay_seconds (state->failures) * G_USEC_PER_SEC;
  /* A clock set back never makes the wait longer than the delay. */
  if (now < state->last_failure)
    return kiosk_pin_delay_seconds (state->failures);
  return until > now ? (int) ((until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
}

int
kiosk_pin_state_lock_remaining (const KioskPinState *state, gint64 now, int lock_seconds)
{
  gint64 until;

  if (!kiosk_pin_state_locked (state))
    return 0;
  if (lock_seconds <= 0)
    return G_MAXINT;
  if (now < state->last_failure)
    return lock_seconds; /* a clock set back: the whole lock-out, no more */
  until = state->last_failure + (gint64) lock_seconds * G_USEC_PER_SEC;
  return until > now ? (int) ((until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
}

void
kiosk_pin_state_fail (KioskPinState *state, gint64 now)
{
  state->failures = MIN (state->failures + 1, 1000);
  state->last_failure = now;
}

/* A short fingerprint of the PIN hash the state counts against. */
static char *
pin_fingerprint (const char *pin_hash)
{
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, pin_hash ? pin_hash : "", -1);
  return g_strndup (sum, 16);
}

void
kiosk_pin_state_load (KioskStore *store, const char *name, const char *pin_hash, KioskPinState *out)
{
  g_autofree char *json = kiosk_store_get_meta (store, name, NULL);
  g_autofree char *fp = pin_fingerprint (pin_hash);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;
  JsonNode *n;

  memset (out, 0, sizeof *out);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  o = json_node_get_object (json_parser_get_root (parser));
  n = json_object_get_member (o, "pin");
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || g_strcmp0 (json_node_get_string (n), fp) != 0)
    return; /* a new PIN: the count starts again */
  out->failures = (int) CLAMP (json_object_get_int_member_with_default (o, "failures", 0), 0, 1000);
  out->last_failure = json_object_get_int_member_with_default (o, "last_failure", 0);
}

gboolean
kiosk_pin_state_save (KioskStore *store, const char *name, const char *pin_hash, const KioskPinState *state,
                      GError **error)
{
  g_autofree char *fp = pin_fingerprint (pin_hash);
  g_autofree char *json = NULL;

  if (state->failures <= 0)
    return kiosk_store_set_meta (store, name, NULL, error);
  json = g_strdup_printf ("{\"pin\":\"%s\",\"failures\":%d,\"last_failure\":%" G_GINT64_FORMAT "}", fp, state->failures,
                          state->last_failure);
  return kiosk_store_set_meta (store, name, json, error);
}

static gboolean
sodium_ready (void)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&done, 1);
    }
  return ok;
}

gboolean
kiosk_pin_hash_is_valid (const char *pin_hash)
{
  return pin_hash != NULL && g_str_has_prefix (pin_hash, crypto_pwhash_STRPREFIX)
         && strlen (pin_hash) < crypto_pwhash_STRBYTES;
}

gboolean
kiosk_pin_verify (const char *pin_hash, const char *pin)
{
  char buf[crypto_pwhash_STRBYTES] = { 0 };

  if (!sodium_ready () || pin_hash == NULL || pin == NULL || strlen (pin_hash) >= sizeof buf)
    return FALSE;
  memcpy (buf, pin_hash, strlen (pin_hash));
  return crypto_pwhash_str_verify (buf, pin, strlen (pin)) == 0;
}

char *
kiosk_pin_hash (const char *pin)
{
  char out[crypto_pwhash_STRBYTES];

  if (!sodium_ready () || pin == NULL
      || crypto_pwhash_str (out, pin, strlen (pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE)
             != 0)
    return NULL;
  return g_strdup (out);
}
