/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-platform"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "platform-fleet.h"

/* The fleet view (issue #18 point 3); see platform-fleet.h and
 * docs/platform-api.md, "Fleet view".
 *
 * Sessions are stateless, as the receivers are (several run behind one load
 * balancer with no state outside the database): the cookie is
 * "NAME.EXPIRES.NONCE.MAC", NONCE 16 random bytes, MAC an HMAC-SHA-256 of
 * "NAME.EXPIRES.NONCE" and the account's password hash under a key derived
 * from the --admin-accounts file. Every receiver given the same file
 * accepts it; changing an account's password ends its sessions, changing
 * the file ends all. */

#define SESSION_COOKIE "kiosk_fleet_session"
#define SESSION_SECONDS (8 * 3600)
#define RESOURCE_PREFIX "/org/kiosk/platform/fleet/"
#define NAME_MAX_LEN 64
#define PASSWORD_MAX_LEN 1024
/* After this many wrong passwords in a row for a name, its next attempts
 * are refused unchecked for 2^(n - FREE_FAILURES) s (at most
 * THROTTLE_MAX_SECONDS) after the last one. */
#define FREE_FAILURES 5
#define THROTTLE_MAX_SECONDS 300
#define FAILURES_MAX_NAMES 10000

struct _PlatformFleet {
  int silent_after;
  char *accounts_path;
  char *tokens_path;
  GHashTable *accounts; /* name -> crypto_pwhash_str hash; NULL: no --admin-accounts */
  GHashTable *tokens;   /* kiosk id -> BLAKE2b-256 of its token (32 bytes); NULL: no --kiosk-tokens */
  guint8 session_key[crypto_auth_hmacsha256_KEYBYTES];
  PlatformStorage *storage;
  const char *const *kiosks;
  GThreadPool *verify_pool; /* password checks (Argon2id: 64 MiB, ~0.1 s each), two at a time */
  GHashTable *failures;     /* name -> Failures: wrong passwords in a row (this receiver's) */
};

/* ---- The fleet as JSON ---------------------------------------------------- */

static gint64
local_day_start (gint64 now)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (now);
  g_autoptr (GDateTime) midnight = NULL;

  if (t == NULL)
    return now;
  midnight = g_date_time_new_local (g_date_time_get_year (t), g_date_time_get_month (t),
                                    g_date_time_get_day_of_month (t), 0, 0, 0);
  return midnight ? g_date_time_to_unix (midnight) : now;
}

typedef struct {
  JsonObject *row; /* from the storage; NULL for a registered kiosk never heard from */
  const char *kiosk_id;
  gint64 heartbeat_at; /* 0: never */
  gboolean silent;
} Entry;

/* Silent kiosks first, the longest silent (never heard: first of all)
 * first; then by kiosk id. */
static gint
entry_cmp (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;

  if (x->silent != y->silent)
    return x->silent ? -1 : 1;
  if (x->silent && x->heartbeat_at != y->heartbeat_at)
    return x->heartbeat_at < y->heartbeat_at ? -1 : 1;
  return strcmp (x->kiosk_id, y->kiosk_id);
}

static void
add_int_member (JsonBuilder *b, JsonObject *hb, const char *name)
{
  JsonNode *n = hb ? json_object_get_member (hb, name) : NULL;

  json_builder_set_member_name (b, name);
  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
    json_builder_add_int_value (b, json_node_get_int (n));
  else
    json_builder_add_null_value (b);
}

static const char *
string_member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n)
                                                                                         : NULL;
}

static gint64
int_member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64 ? json_node_get_int (n) : 0;
}

/* A kiosk someone should look at: silent, a device failing or gone, not
 * accepting applications, items the platform refused, or a backlog whose
 * oldest item has waited for more than an hour. */
static gboolean
has_problem (const Entry *e, JsonObject *hb, JsonObject *devices)
{
  JsonNode *acc = hb ? json_object_get_member (hb, "accepting_applications") : NULL;

  if (e->silent || int_member (hb, "rejected") > 0
      || (int_member (hb, "backlog") > 0 && int_member (hb, "oldest_pending_age_seconds") > 3600))
    return TRUE;
  if (acc && JSON_NODE_HOLDS_VALUE (acc) && json_node_get_value_type (acc) == G_TYPE_BOOLEAN
      && !json_node_get_boolean (acc))
    return TRUE;
  if (devices)
    {
      g_autoptr (GList) names = json_object_get_members (devices);
      for (GList *l = names; l; l = l->next)
        {
          const char *state = string_member (devices, l->data);
          if (g_strcmp0 (state, "error") == 0 || g_strcmp0 (state, "absent") == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* Returns whether the kiosk has a problem. */
static gboolean
add_kiosk (JsonBuilder *b, const Entry *e, gint64 now)
{
  JsonNode *hbn = e->row ? json_object_get_member (e->row, "heartbeat") : NULL;
  JsonObject *hb = hbn && JSON_NODE_HOLDS_OBJECT (hbn) ? json_node_get_object (hbn) : NULL;
  JsonNode *dn = hb ? json_object_get_member (hb, "devices") : NULL;
  JsonNode *rn = hb ? json_object_get_member (hb, "device_reasons") : NULL;
  JsonObject *devices = dn && JSON_NODE_HOLDS_OBJECT (dn) ? json_node_get_object (dn) : NULL;
  JsonObject *reasons = rn && JSON_NODE_HOLDS_OBJECT (rn) ? json_node_get_object (rn) : NULL;
  JsonNode *acc = hb ? json_object_get_member (hb, "accepting_applications") : NULL;
  gboolean problem = has_problem (e, hb, devices);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kiosk_id");
  json_builder_add_string_value (b, e->kiosk_id);
  json_builder_set_member_name (b, "silent");
  json_builder_add_boolean_value (b, e->silent);
  json_builder_set_member_name (b, "problem");
  json_builder_add_boolean_value (b, problem);
  json_builder_set_member_name (b, "last_heartbeat_at");
  if (e->heartbeat_at)
    json_builder_add_int_value (b, e->heartbeat_at);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "heartbeat_age_seconds");
  if (e->heartbeat_at)
    json_builder_add_int_value (b, MAX (now - e->heartbeat_at, 0));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "app_version");
  json_builder_add_string_value (b, string_member (hb, "app_version"));
  json_builder_set_member_name (b, "devices");
  json_builder_begin_object (b);
  if (devices)
    {
      g_autoptr (GList) names = json_object_get_members (devices);
      names = g_list_sort (names, (GCompareFunc) strcmp);
      for (GList *l = names; l; l = l->next)
        {
          json_builder_set_member_name (b, l->data);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "state");
          json_builder_add_string_value (b, string_member (devices, l->data));
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, string_member (reasons, l->data));
          json_builder_end_object (b);
        }
    }
  json_builder_end_object (b);
  add_int_member (b, hb, "backlog");
  add_int_member (b, hb, "rejected");
  add_int_member (b, hb, "oldest_pending_age_seconds");
  json_builder_set_member_name (b, "accepting_applications");
  if (acc && JSON_NODE_HOLDS_VALUE (acc) && json_node_get_value_type (acc) == G_TYPE_BOOLEAN)
    json_builder_add_boolean_value (b, json_node_get_boolean (acc));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "cases_today");
  json_builder_add_int_value (b, e->row ? json_object_get_int_member_with_default (e->row, "cases_today", 0) : 0);
  json_builder_set_member_name (b, "ratings_today");
  json_builder_add_int_value (b, e->row ? json_object_get_int_member_with_default (e->row, "ratings_today", 0) : 0);
  json_builder_end_object (b);
  return problem;
}

char *
platform_fleet_json (PlatformStorage *storage, const char *const *kiosks, gint64 now, gint64 silent_after)
{
  gint64 day_start = local_day_start (now);
  g_autofree char *rows = storage->klass->fleet ? storage->klass->fleet (storage, day_start) : NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GArray) entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *arr;
  guint silent = 0, problems = 0;

  if (rows == NULL || !json_parser_load_from_data (parser, rows, -1, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return NULL;
  arr = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *n = json_array_get_element (arr, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *id = string_member (o, "kiosk_id");
      JsonNode *at = o ? json_object_get_member (o, "heartbeat_at") : NULL;
      Entry e = { .row = o, .kiosk_id = id };

      if (id == NULL || g_hash_table_contains (seen, id))
        continue;
      g_hash_table_add (seen, (gpointer) id);
      if (at && JSON_NODE_HOLDS_VALUE (at))
        e.heartbeat_at = json_node_get_int (at);
      g_array_append_val (entries, e);
    }
  for (const char *const *k = kiosks; k && *k; k++)
    if (**k && !g_hash_table_contains (seen, *k))
      {
        Entry e = { .kiosk_id = *k };
        g_hash_table_add (seen, (gpointer) *k);
        g_array_append_val (entries, e);
      }
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = &g_array_index (entries, Entry, i);
      e->silent = e->heartbeat_at == 0 || now - e->heartbeat_at > silent_after;
      silent += e->silent;
    }
  g_array_sort (entries, entry_cmp);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "server_time");
  json_builder_add_int_value (b, now);
  json_builder_set_member_name (b, "silent_after_seconds");
  json_builder_add_int_value (b, silent_after);
  json_builder_set_member_name (b, "day_start");
  json_builder_add_int_value (b, day_start);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, entries->len);
  json_builder_set_member_name (b, "silent");
  json_builder_add_int_value (b, silent);
  json_builder_set_member_name (b, "kiosks");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    problems += add_kiosk (b, &g_array_index (entries, Entry, i), now);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "problems");
  json_builder_add_int_value (b, problems);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* ---- The fleet as a table -------------------------------------------------- */

static char *
format_age (JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member (o, member);
  gint64 s;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return g_strdup ("-");
  s = json_node_get_int (n);
  if (s < 120)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
  if (s < 7200)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", s / 60);
  if (s < 2 * 86400)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", s / 3600);
  return g_strdup_printf ("%" G_GINT64_FORMAT "d", s / 86400);
}

static char *
format_int (JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member (o, member);

  return n && JSON_NODE_HOLDS_VALUE (n) ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n)) : g_strdup ("-");
}

char *
platform_fleet_format_table (const char *fleet_json, gboolean problems_only)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  GString *out = g_string_new (NULL);
  JsonObject *root;
  JsonArray *kiosks;

  if (!json_parser_load_from_data (parser, fleet_json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_string_free (out, FALSE);
  root = json_node_get_object (json_parser_get_root (parser));
  kiosks = json_object_get_array_member (root, "kiosks");
  g_string_append_printf (out,
                          "%" G_GINT64_FORMAT " kiosks, %" G_GINT64_FORMAT " silent, %" G_GINT64_FORMAT
                          " with a problem (silent: no heartbeat for more than %" G_GINT64_FORMAT " s)\n",
                          json_object_get_int_member (root, "total"), json_object_get_int_member (root, "silent"),
                          json_object_get_int_member (root, "problems"),
                          json_object_get_int_member (root, "silent_after_seconds"));
  g_string_append_printf (out, "%-7s %-16s %-9s %-10s %-7s %-7s %-6s %-7s %s\n", "STATUS", "KIOSK", "HEARD", "VERSION",
                          "BACKLOG", "OLDEST", "CASES", "RATINGS", "DEVICES");
  for (guint i = 0; kiosks && i < json_array_get_length (kiosks); i++)
    {
      JsonObject *k = json_array_get_object_element (kiosks, i);
      JsonObject *devices = json_object_get_object_member (k, "devices");
      gboolean problem = json_object_get_boolean_member_with_default (k, "problem", FALSE);
      g_autofree char *heard = format_age (k, "heartbeat_age_seconds");
      g_autofree char *backlog = format_int (k, "backlog");
      g_autofree char *oldest = format_age (k, "oldest_pending_age_seconds");
      g_autofree char *cases = format_int (k, "cases_today");
      g_autofree char *ratings = format_int (k, "ratings_today");
      const char *version = string_member (k, "app_version");
      g_autoptr (GString) devs = g_string_new (NULL);

      if (problems_only && !problem)
        continue;
      if (devices)
        {
          g_autoptr (GList) names = json_object_get_members (devices);
          for (GList *l = names; l; l = l->next)
            {
              JsonObject *d = json_object_get_object_member (devices, l->data);
              const char *state = string_member (d, "state");
              const char *reason = string_member (d, "reason");

              g_string_append_printf (devs, "%s%s=%s", devs->len ? " " : "", (const char *) l->data,
                                      state ? state : "?");
              /* The reason when it says more than the state. */
              if (reason && *reason && state && !g_str_equal (state, "ready"))
                g_string_append_printf (devs, "(%s)", reason);
            }
        }
      g_string_append_printf (out, "%-7s %-16s %-9s %-10s %-7s %-7s %-6s %-7s %s\n",
                              json_object_get_boolean_member (k, "silent") ? "SILENT"
                              : problem                                    ? "PROBLEM"
                                                                           : "ok",
                              string_member (k, "kiosk_id"), g_str_equal (heard, "-") ? "never" : heard,
                              version ? version : "-", backlog, oldest, cases, ratings, devs->len ? devs->str : "-");
    }
  return g_string_free (out, FALSE);
}

/* ---- Accounts, sessions, kiosk tokens --------------------------------------- */

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

static gboolean
valid_name (const char *name)
{
  gsize n = name ? strlen (name) : 0;

  if (n == 0 || n > NAME_MAX_LEN)
    return FALSE;
  for (const char *c = name; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-')
      return FALSE;
  return TRUE;
}

/* Lines "NAME:VALUE"; blank lines and lines starting with '#' skipped. */
static gboolean
read_pairs (const char *path, const char *what, GHashTable *into, char **contents, GError **error)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *colon;

      if (*line == '\0' || *line == '#')
        continue;
      colon = strchr (line, ':');
      if (colon == NULL || colon == line || colon[1] == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s line %u: expected %s", path, i + 1, what);
          return FALSE;
        }
      *colon = '\0';
      g_hash_table_replace (into, g_strdup (line), g_strdup (colon + 1));
    }
  if (contents)
    *contents = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
load_accounts (PlatformFleet *self, GError **error)
{
  g_autofree char *text = NULL;
  GHashTableIter it;
  gpointer name, hash;
  crypto_generichash_state st;
  static const char context[] = "kiosk-platform fleet session key v1\n";

  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!read_pairs (self->accounts_path, "NAME:$argon2id$... (kiosk-platform hash-password)", self->accounts, &text,
                   error))
    return FALSE;
  g_hash_table_iter_init (&it, self->accounts);
  while (g_hash_table_iter_next (&it, &name, &hash))
    if (!valid_name (name) || !g_str_has_prefix (hash, crypto_pwhash_STRPREFIX)
        || strlen (hash) >= crypto_pwhash_STRBYTES)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "%s: account %s: names are letters, digits, '-' and '_' (at most %d); hashes come from "
                     "`kiosk-platform hash-password`",
                     self->accounts_path, (const char *) name, NAME_MAX_LEN);
        return FALSE;
      }
  if (g_hash_table_size (self->accounts) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no account", self->accounts_path);
      return FALSE;
    }
  crypto_generichash_init (&st, NULL, 0, sizeof self->session_key);
  crypto_generichash_update (&st, (const guint8 *) context, strlen (context));
  crypto_generichash_update (&st, (const guint8 *) text, strlen (text));
  crypto_generichash_final (&st, self->session_key, sizeof self->session_key);
  sodium_memzero (text, strlen (text));
  return TRUE;
}

static gboolean
load_tokens (PlatformFleet *self, GError **error)
{
  g_autoptr (GHashTable) plain = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter it;
  gpointer id, token;

  if (!read_pairs (self->tokens_path, "KIOSK_ID:TOKEN", plain, NULL, error))
    return FALSE;
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&it, plain);
  while (g_hash_table_iter_next (&it, &id, &token))
    {
      guint8 *h = g_malloc (crypto_generichash_BYTES);

      if (strlen (token) < 16)
        {
          g_free (h);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: the token of %s is shorter than 16 characters",
                       self->tokens_path, (const char *) id);
          return FALSE;
        }
      crypto_generichash (h, crypto_generichash_BYTES, token, strlen (token), NULL, 0);
      sodium_memzero (token, strlen (token));
      g_hash_table_insert (self->tokens, g_strdup (id), h);
    }
  return TRUE;
}

static void
session_mac (PlatformFleet *self, const char *payload, const char *hash, guint8 out[crypto_auth_hmacsha256_BYTES])
{
  crypto_auth_hmacsha256_state st;

  crypto_auth_hmacsha256_init (&st, self->session_key, sizeof self->session_key);
  crypto_auth_hmacsha256_update (&st, (const guint8 *) payload, strlen (payload));
  crypto_auth_hmacsha256_update (&st, (const guint8 *) "|", 1);
  crypto_auth_hmacsha256_update (&st, (const guint8 *) hash, strlen (hash));
  crypto_auth_hmacsha256_final (&st, out);
}

static char *
session_new (PlatformFleet *self, const char *name, gint64 now)
{
  guint8 nonce[16];
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  char nonce_hex[sizeof nonce * 2 + 1];
  char mac_hex[sizeof mac * 2 + 1];
  g_autofree char *payload = NULL;

  randombytes_buf (nonce, sizeof nonce);
  sodium_bin2hex (nonce_hex, sizeof nonce_hex, nonce, sizeof nonce);
  payload = g_strdup_printf ("%s.%" G_GINT64_FORMAT ".%s", name, now + SESSION_SECONDS, nonce_hex);
  session_mac (self, payload, g_hash_table_lookup (self->accounts, name), mac);
  sodium_bin2hex (mac_hex, sizeof mac_hex, mac, sizeof mac);
  return g_strconcat (payload, ".", mac_hex, NULL);
}

/* The account name of a valid, unexpired session cookie, else NULL. */
static char *
session_check (PlatformFleet *self, const char *cookie, gint64 now)
{
  g_auto (GStrv) parts = cookie ? g_strsplit (cookie, ".", -1) : NULL;
  const char *hash;
  g_autofree char *payload = NULL;
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  guint8 given[crypto_auth_hmacsha256_BYTES];
  gsize given_len = 0;
  gint64 expires;

  if (parts == NULL || g_strv_length (parts) != 4 || !valid_name (parts[0])
      || (hash = g_hash_table_lookup (self->accounts, parts[0])) == NULL)
    return NULL;
  expires = g_ascii_strtoll (parts[1], NULL, 10);
  if (expires <= now || expires > now + SESSION_SECONDS)
    return NULL;
  if (sodium_hex2bin (given, sizeof given, parts[3], strlen (parts[3]), NULL, &given_len, NULL) != 0
      || given_len != sizeof given)
    return NULL;
  payload = g_strdup_printf ("%s.%s.%s", parts[0], parts[1], parts[2]);
  session_mac (self, payload, hash, mac);
  return sodium_memcmp (mac, given, sizeof mac) == 0 ? g_strdup (parts[0]) : NULL;
}

static char *
request_session (PlatformFleet *self, SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Cookie");
  g_autoptr (GHashTable) cookies = header ? soup_header_parse_semi_param_list (header) : NULL;
  const char *value = cookies ? g_hash_table_lookup (cookies, SESSION_COOKIE) : NULL;

  return value ? session_check (self, value, g_get_real_time () / G_USEC_PER_SEC) : NULL;
}

static gboolean
has_session (PlatformFleet *self, SoupServerMessage *msg)
{
  g_autofree char *who = request_session (self, msg);

  return who != NULL;
}

static gboolean
secure_request (SoupServerMessage *msg)
{
  return g_strcmp0 (g_uri_get_scheme (soup_server_message_get_uri (msg)), "https") == 0;
}

static void
set_session_cookie (SoupServerMessage *msg, const char *value, int max_age)
{
  g_autofree char *c = g_strdup_printf (SESSION_COOKIE "=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", value,
                                        max_age, secure_request (msg) ? "; Secure" : "");

  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", c);
}

/* The kiosk a request comes from proves it with "Authorization: Bearer
 * TOKEN", the token of its X-Kiosk-Id in --kiosk-tokens. */
static gboolean
kiosk_token_ok (PlatformFleet *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *kiosk = soup_message_headers_get_one (h, "X-Kiosk-Id");
  const char *auth = soup_message_headers_get_one (h, "Authorization");
  const guint8 *want = kiosk ? g_hash_table_lookup (self->tokens, kiosk) : NULL;
  guint8 got[crypto_generichash_BYTES];

  if (want == NULL || auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return FALSE;
  crypto_generichash (got, sizeof got, (const guint8 *) auth + 7, strlen (auth + 7), NULL, 0);
  return sodium_memcmp (got, want, sizeof got) == 0;
}

/* ---- Serving -------------------------------------------------------------- */

static void
security_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (h, "Content-Security-Policy",
                                "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (h, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (h, "Cache-Control", "no-store");
}

static void
respond (SoupServerMessage *msg, int status, const char *type, const char *body, gsize len)
{
  security_headers (msg);
  if (body)
    soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, len);
  soup_server_message_set_status (msg, status, NULL);
}

static void
respond_json_error (SoupServerMessage *msg, int status, const char *code, const char *message)
{
  g_autofree char *body
      = g_strdup_printf ("{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code, message); /* both literals */

  respond (msg, status, "application/json", body, strlen (body));
}

static void
redirect (SoupServerMessage *msg, const char *to)
{
  security_headers (msg);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", to);
  soup_server_message_set_status (msg, 303, NULL);
}

static gboolean
serve_file (SoupServerMessage *msg, const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX, name, NULL);
  g_autoptr (GBytes) data = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  const char *type = g_str_has_suffix (name, ".html")  ? "text/html; charset=utf-8"
                     : g_str_has_suffix (name, ".css") ? "text/css; charset=utf-8"
                     : g_str_has_suffix (name, ".js")  ? "text/javascript; charset=utf-8"
                                                       : "application/octet-stream";

  if (data == NULL)
    return FALSE;
  respond (msg, 200, type, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  return TRUE;
}

typedef struct {
  int count;
  gint64 last; /* monotonic µs */
} Failures;

/* Seconds a name must wait before its next attempt is checked. */
static gint64
throttle_wait (PlatformFleet *self, const char *name, gint64 now)
{
  const Failures *f = g_hash_table_lookup (self->failures, name);
  gint64 delay;

  if (f == NULL || f->count < FREE_FAILURES)
    return 0;
  delay = MIN ((gint64) 1 << MIN (f->count - FREE_FAILURES, 16), THROTTLE_MAX_SECONDS) * G_USEC_PER_SEC;
  return f->last + delay > now ? (f->last + delay - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC : 0;
}

static void
record_failure (PlatformFleet *self, const char *name)
{
  Failures *f = g_hash_table_lookup (self->failures, name);

  if (f == NULL)
    {
      if (g_hash_table_size (self->failures) >= FAILURES_MAX_NAMES)
        g_hash_table_remove_all (self->failures);
      f = g_new0 (Failures, 1);
      g_hash_table_insert (self->failures, g_strdup (name), f);
    }
  f->count++;
  f->last = g_get_monotonic_time ();
}

typedef struct {
  PlatformFleet *self;
  SoupServerMessage *msg;
  char *name;
  char *password;
  char *hash; /* NULL: unknown account (checked against a dummy hash all the same) */
  gboolean ok;
} LoginJob;

static void
login_job_free (LoginJob *job)
{
  g_object_unref (job->msg);
  g_free (job->name);
  if (job->password)
    sodium_memzero (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job->hash);
  g_free (job);
}

static gboolean
login_done_cb (gpointer data)
{
  LoginJob *job = data;

  if (job->ok)
    {
      g_autofree char *value = session_new (job->self, job->name, g_get_real_time () / G_USEC_PER_SEC);
      set_session_cookie (job->msg, value, SESSION_SECONDS);
      /* Account names may be people's names: none in the log. */
      g_message ("fleet: a county account logged in");
      g_hash_table_remove (job->self->failures, job->name);
      redirect (job->msg, "/fleet");
    }
  else
    {
      g_message ("fleet: a login failed");
      if (valid_name (job->name))
        record_failure (job->self, job->name);
      redirect (job->msg, "/fleet/login?failed=1");
    }
  soup_server_message_unpause (job->msg);
  login_job_free (job);
  return G_SOURCE_REMOVE;
}

/* On a thread of verify_pool. */
static void
login_verify (gpointer data, gpointer user_data)
{
  LoginJob *job = data;

  if (job->hash)
    job->ok = crypto_pwhash_str_verify (job->hash, job->password, strlen (job->password)) == 0;
  else
    {
      /* The same work for an unknown name, so the time does not tell. */
      char dummy[crypto_pwhash_STRBYTES];
      if (crypto_pwhash_str (dummy, "x", 1, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE)
          != 0)
        g_debug ("fleet: dummy hash failed");
      job->ok = FALSE;
    }
  g_main_context_invoke (NULL, login_done_cb, job);
}

static void
handle_login (PlatformFleet *self, SoupServerMessage *msg)
{
  g_autoptr (GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr (GHashTable) form = g_bytes_get_size (bytes) < 4096 ? soup_form_decode (body) : NULL;
  const char *name = form ? g_hash_table_lookup (form, "name") : NULL;
  const char *password = form ? g_hash_table_lookup (form, "password") : NULL;
  LoginJob *job;

  if (name == NULL || password == NULL || *password == '\0' || strlen (password) > PASSWORD_MAX_LEN)
    {
      redirect (msg, "/fleet/login?failed=1");
      return;
    }
  if (valid_name (name) && throttle_wait (self, name, g_get_monotonic_time ()) > 0)
    {
      g_message ("fleet: a login refused unchecked (too many wrong passwords in a row)");
      redirect (msg, "/fleet/login?failed=1");
      return;
    }
  job = g_new0 (LoginJob, 1);
  job->self = self;
  job->msg = g_object_ref (msg);
  job->name = g_strdup (name);
  job->password = g_strdup (password);
  job->hash = valid_name (name) ? g_strdup (g_hash_table_lookup (self->accounts, name)) : NULL;
  sodium_memzero (body, strlen (body));
  soup_server_message_pause (msg);
  g_thread_pool_push (self->verify_pool, job, NULL); /* login_done_cb frees job */
  // cppcheck-suppress memleak
}

/* @data gzipped, or NULL. */
static GBytes *
gzip_bytes (const char *data, gsize len)
{
  g_autoptr (GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (z));

  if (!g_output_stream_write_all (out, data, len, NULL, NULL, NULL) || !g_output_stream_close (out, NULL, NULL))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

/* A whole county's fleet is megabytes of JSON every few seconds: gzipped
 * (a tenth of it or less) for a client that takes it. */
static void
respond_json_maybe_gzip (SoupServerMessage *msg, const char *json)
{
  const char *ae = soup_message_headers_get_list (soup_server_message_get_request_headers (msg), "Accept-Encoding");
  gsize len = strlen (json);
  g_autoptr (GBytes) gz = NULL;

  if (len > 8192 && ae && soup_header_contains (ae, "gzip") && (gz = gzip_bytes (json, len)) != NULL)
    {
      SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
      soup_message_headers_replace (h, "Content-Encoding", "gzip");
      soup_message_headers_append (h, "Vary", "Accept-Encoding");
      respond (msg, 200, "application/json", g_bytes_get_data (gz, NULL), g_bytes_get_size (gz));
      return;
    }
  respond (msg, 200, "application/json", json, len);
}

static void
handle_fleet_json (PlatformFleet *self, SoupServerMessage *msg)
{
  g_autofree char *json = NULL;

  if (self->storage->klass->fleet == NULL)
    {
      respond_json_error (msg, 501, "not_implemented", "this storage engine has no fleet view");
      return;
    }
  json = platform_fleet_json (self->storage, self->kiosks, g_get_real_time () / G_USEC_PER_SEC, self->silent_after);
  if (json == NULL)
    respond_json_error (msg, 503, "storage", "cannot read the fleet");
  else
    respond_json_maybe_gzip (msg, json);
}

gboolean
platform_fleet_handle (PlatformFleet *self, SoupServerMessage *msg, const char *path)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean get = g_str_equal (method, "GET") || g_str_equal (method, "HEAD");
  gboolean post = g_str_equal (method, "POST");
  gboolean auth = self->accounts != NULL;

  if (g_str_equal (path, "/fleet") || g_str_has_prefix (path, "/fleet/"))
    {
      const char *file = path[strlen ("/fleet")] ? path + strlen ("/fleet/") : "";

      if (g_str_equal (file, "login"))
        {
          if (post && auth)
            handle_login (self, msg);
          else if (get)
            serve_file (msg, "login.html");
          else
            respond_json_error (msg, 405, "method_not_allowed", "GET or POST");
          return TRUE;
        }
      if (g_str_equal (file, "logout") && post)
        {
          set_session_cookie (msg, "", 0);
          redirect (msg, "/fleet/login");
          return TRUE;
        }
      if (!get)
        respond_json_error (msg, 405, "method_not_allowed", "GET");
      else if (*file == '\0' || g_str_equal (file, "index.html"))
        {
          if (auth && !has_session (self, msg))
            redirect (msg, "/fleet/login");
          else
            serve_file (msg, "index.html");
        }
      else if (strchr (file, '/') || g_str_has_suffix (file, ".html") || !serve_file (msg, file))
        respond_json_error (msg, 404, "not_found", "no such resource");
      return TRUE;
    }
  if (g_str_has_prefix (path, "/v1/admin/"))
    {
      if (auth && !has_session (self, msg))
        {
          respond_json_error (msg, 401, "unauthenticated", "log in at /fleet/login");
          return TRUE;
        }
      if (g_str_equal (path, "/v1/admin/fleet"))
        {
          if (get)
            handle_fleet_json (self, msg);
          else
            respond_json_error (msg, 405, "method_not_allowed", "GET");
          return TRUE;
        }
      return FALSE;
    }
  /* Kiosk routes; a document's verification (GET /v1/verify/CODE) is for
   * anyone holding the paper. */
  if (self->tokens && g_str_has_prefix (path, "/v1/") && !g_str_has_prefix (path, "/v1/verify/")
      && !kiosk_token_ok (self, msg))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate",
                                    "Bearer realm=\"kiosk-platform\"");
      respond_json_error (msg, 401, "unauthenticated", "this kiosk's token is missing or wrong");
      return TRUE;
    }
  return FALSE;
}

/* ---- Life cycle ------------------------------------------------------------- */

PlatformFleet *
platform_fleet_new (void)
{
  PlatformFleet *self = g_new0 (PlatformFleet, 1);

  self->silent_after = PLATFORM_FLEET_DEFAULT_SILENT_AFTER;
  return self;
}

void
platform_fleet_free (PlatformFleet *self)
{
  if (self == NULL)
    return;
  if (self->verify_pool)
    g_thread_pool_free (self->verify_pool, FALSE, TRUE);
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  sodium_memzero (self->session_key, sizeof self->session_key);
  g_free (self->accounts_path);
  g_free (self->tokens_path);
  g_free (self);
}

GOptionGroup *
platform_fleet_option_group (PlatformFleet *self)
{
  const GOptionEntry entries[] = {
    { "silent-after", 0, 0, G_OPTION_ARG_INT, &self->silent_after,
      "fleet view: a kiosk is silent after S seconds without a heartbeat (default 900)", "S" },
    { "admin-accounts", 0, 0, G_OPTION_ARG_FILENAME, &self->accounts_path,
      "county accounts (lines NAME:HASH from `kiosk-platform hash-password`): the fleet page and /v1/admin/ need a "
      "login",
      "FILE" },
    { "kiosk-tokens", 0, 0, G_OPTION_ARG_FILENAME, &self->tokens_path,
      "per-kiosk tokens (lines KIOSK_ID:TOKEN): kiosk requests need Authorization: Bearer TOKEN", "FILE" },
    { NULL },
  };
  GOptionGroup *g = g_option_group_new ("fleet", "Fleet view and authentication", "Show fleet options", NULL, NULL);

  g_option_group_add_entries (g, entries);
  return g;
}

gboolean
platform_fleet_setup (PlatformFleet *self, PlatformStorage *storage, GError **error)
{
  self->storage = storage;
  if (self->silent_after <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--silent-after must be positive");
      return FALSE;
    }
  if ((self->accounts_path || self->tokens_path) && !sodium_ready ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium cannot start");
      return FALSE;
    }
  if (self->accounts_path && !load_accounts (self, error))
    return FALSE;
  if (self->tokens_path && !load_tokens (self, error))
    return FALSE;
  if (self->accounts)
    {
      self->verify_pool = g_thread_pool_new (login_verify, self, 2, FALSE, NULL);
      self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
  return TRUE;
}

void
platform_fleet_set_register (PlatformFleet *self, const char *const *kiosks)
{
  self->kiosks = kiosks;
}

/* ---- Subcommands ------------------------------------------------------------ */

int
platform_fleet_command (int argc, char **argv)
{
  g_autofree char *db = NULL, *kiosks = NULL;
  int silent_after = PLATFORM_FLEET_DEFAULT_SILENT_AFTER;
  gboolean json = FALSE, problems = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "the platform's database", "TARGET" },
    { "silent-after", 0, 0, G_OPTION_ARG_INT, &silent_after, "silent after S seconds without a heartbeat (default 900)",
      "S" },
    { "kiosks", 0, 0, G_OPTION_ARG_STRING, &kiosks, "the kiosk register (never heard from: silent)", "ID,..." },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print the JSON of GET /v1/admin/fleet", NULL },
    { "problems", 0, 0, G_OPTION_ARG_NONE, &problems,
      "only kiosks with a problem (silent, a device failing or gone, not accepting, refused items, a backlog over "
      "an hour)",
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- every kiosk's last heartbeat, devices, backlog, today");
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) reg = NULL;
  g_autofree char *out = NULL;
  PlatformStorage *storage;

  g_set_prgname ("kiosk-platform fleet");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || db == NULL || silent_after <= 0)
    {
      fprintf (stderr,
               "kiosk-platform fleet: %s\nusage: kiosk-platform fleet --db TARGET [--silent-after S] [--kiosks ID,...] "
               "[--problems] [--json]\n",
               error ? error->message : "--db is required, --silent-after positive");
      return 2;
    }
  /* A file that is not there is a mistyped path, not a new database. */
  if (!platform_storage_target_is_pg (db) && !g_file_test (db, G_FILE_TEST_EXISTS))
    {
      fprintf (stderr, "kiosk-platform fleet: %s: no such database\n", db);
      return 1;
    }
  storage = platform_storage_open (db, &error);
  if (storage == NULL)
    {
      fprintf (stderr, "kiosk-platform fleet: %s\n", error->message);
      return 1;
    }
  if (kiosks)
    reg = g_strsplit (kiosks, ",", -1);
  out = platform_fleet_json (storage, (const char *const *) reg, g_get_real_time () / G_USEC_PER_SEC, silent_after);
  storage->klass->free (storage);
  if (out == NULL)
    {
      fprintf (stderr, "kiosk-platform fleet: cannot read the fleet\n");
      return 1;
    }
  if (json)
    printf ("%s\n", out);
  else
    {
      g_autofree char *table = platform_fleet_format_table (out, problems);
      fputs (table, stdout);
    }
  return 0;
}

int
platform_fleet_hash_password_command (int argc, char **argv)
{
  char line[PASSWORD_MAX_LEN + 2];
  char hash[crypto_pwhash_STRBYTES];
  size_t n;

  if (argc > 1)
    {
      fprintf (stderr, "usage: kiosk-platform hash-password < password\n"
                       "Reads a password (one line) from stdin and prints its Argon2id hash for "
                       "--admin-accounts (NAME:HASH).\n");
      return 2;
    }
  if (!sodium_ready ())
    return 1;
  if (fgets (line, sizeof line, stdin) == NULL)
    {
      fprintf (stderr, "kiosk-platform hash-password: no password on stdin\n");
      return 1;
    }
  n = strcspn (line, "\r\n");
  if (line[n] == '\0' && n > PASSWORD_MAX_LEN)
    {
      fprintf (stderr, "kiosk-platform hash-password: longer than %d bytes\n", PASSWORD_MAX_LEN);
      sodium_memzero (line, sizeof line);
      return 1;
    }
  line[n] = '\0';
  if (n < 8)
    {
      fprintf (stderr, "kiosk-platform hash-password: at least 8 characters\n");
      sodium_memzero (line, sizeof line);
      return 1;
    }
  if (crypto_pwhash_str (hash, line, n, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      sodium_memzero (line, sizeof line);
      fprintf (stderr, "kiosk-platform hash-password: out of memory\n");
      return 1;
    }
  sodium_memzero (line, sizeof line);
  printf ("%s\n", hash);
  return 0;
}
