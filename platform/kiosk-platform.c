/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-platform"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "platform-fleet.h"
#include "platform-forward.h"
#include "platform-storage.h"

/* The reference platform: docs/platform-api.md on a libsoup server, with
 * storage behind PlatformStorage and fault injection for the tests.
 *
 *   kiosk-platform --listen 127.0.0.1:PORT --db PATH|postgresql://URI [--catalog FILE]
 *                  [--fault-drop P] [--fault-reset P] [--fault-delay P]
 *                  [--fault-truncate P] [--fault-500 P] [--fault-503 P]
 *                  [--delay-ms N] [--retry-after S] [--status-step-seconds S]
 *                  [--seed N] [--idle-timeout S]
 *                  [--tls-cert FILE --tls-key FILE [--client-ca FILE]]
 *
 * Prints "listening on URL" on stdout once ready.
 *
 * Receivers are stateless: what changes an answer is in the storage (on
 * PostgreSQL, several receivers share one database); the catalog, agents
 * and options are each receiver's configuration, and "requests" and
 * "faults_injected" in /v1/admin/stats count the answering receiver's own. */

typedef struct {
  PlatformStorage *storage;
  char *catalog_json; /* {"version", "items": [...], "not_offered": [...]} */
  char *catalog_etag;
  char *notices_json; /* {"notices": [...]} */
  char *notices_etag;
  GHashTable *time_limits; /* item code -> GINT_TO_POINTER (days + 1), 1 = none stated */
  double p_drop, p_reset, p_delay, p_truncate, p_500, p_503;
  int delay_ms;
  int retry_after;
  int status_step;
  GStrv kiosks;        /* --kiosks: the register of known kiosk ids; NULL: every id is known */
  GPtrArray *stations; /* 代办: Station*, from --agents */
  GRand *rand;
  /* The fleet view, the county's login, kiosk tokens (platform-fleet.c). */
  PlatformFleet *fleet;
  gint64 requests; /* in memory: too frequent to write each one */
  gint64 faults;
} Platform;

typedef struct {
  int status;
  char *body;
  char *etag;
  gboolean replayed;
  const char *content_type;
  GBytes *raw; /* binary body (attachment content) */
} Reply;

static void
reply_clear (Reply *r)
{
  g_clear_pointer (&r->body, g_free);
  g_clear_pointer (&r->etag, g_free);
  g_clear_pointer (&r->raw, g_bytes_unref);
}

static void
reply_json (Reply *r, int status, char *body)
{
  r->status = status;
  r->body = body;
  r->content_type = "application/json";
}

static void
reply_error (Reply *r, int status, const char *code, const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  reply_json (r, status, json_to_string (root, FALSE));
}

/* ---- Business rules ------------------------------------------------------ */

static char *
due_date_for (Platform *p, const char *item_code)
{
  int days = GPOINTER_TO_INT (g_hash_table_lookup (p->time_limits, item_code)) - 1;
  g_autoptr (GDateTime) d = g_date_time_new_now_local ();

  if (days < 0)
    return NULL;
  /* Working days: skip Saturdays and Sundays (holidays are local). */
  while (days > 0)
    {
      GDateTime *next = g_date_time_add_days (d, 1);
      g_date_time_unref (d);
      d = next;
      if (g_date_time_get_day_of_week (d) < 6)
        days--;
    }
  return g_date_time_format (d, "%Y-%m-%d");
}

static const struct {
  const char *status;
  const char *text;
} progress[] = {
  { "received", "已受理" },
  { "in_review", "审查中" },
  { "approved", "已审批" },
  { "completed", "已办结" },
};

/* How far a case received at @received (unix seconds) has come: one step
 * every status_step seconds (a case dated in the future is at the first). */
static guint
progress_step (Platform *p, gint64 received)
{
  gint64 age = g_get_real_time () / G_USEC_PER_SEC - received;
  return p->status_step > 0 ? (guint) MIN (MAX (age, 0) / p->status_step, (gint64) G_N_ELEMENTS (progress) - 1) : 0;
}

/* The members a case's status and the list of a person's cases share. */
static void
add_case_members (JsonBuilder *b, JsonObject *o, guint step)
{
  json_builder_set_member_name (b, "official_number");
  json_builder_add_string_value (b, json_object_get_string_member (o, "official_number"));
  json_builder_set_member_name (b, "provisional_number");
  json_builder_add_string_value (b, json_object_get_string_member (o, "provisional_number"));
  json_builder_set_member_name (b, "item_code");
  json_builder_add_string_value (b, json_object_get_string_member (o, "item_code"));
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, progress[step].status);
  json_builder_set_member_name (b, "status_text");
  json_builder_add_string_value (b, progress[step].text);
  json_builder_set_member_name (b, "due_date");
  json_builder_add_string_value (b, json_object_get_string_member_with_default (o, "due_date", NULL));
  json_builder_set_member_name (b, "received_at");
  json_builder_add_int_value (b, json_object_get_int_member (o, "received_at"));
}

static void
handle_case_status (Platform *p, const char *number, Reply *r)
{
  g_autofree char *json = p->storage->klass->get_case (p->storage, number);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    {
      reply_error (r, 404, "not_found", "no such case");
      return;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  json_builder_begin_object (b);
  add_case_members (b, o, progress_step (p, json_object_get_int_member (o, "received_at")));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  reply_json (r, 200, json_to_string (root, FALSE));
}

/* POST /v1/cases/of-applicant {"id_number": "..."}: the person's cases,
 * newest first, each with every step so far and its date, the promised
 * date, whether it is late and what is still owed (容缺). The ID number
 * travels in the body only: never in a URL, never in a log. */
static void
handle_cases_of_applicant (Platform *p, SoupServerMessage *msg, Reply *r)
{
  g_autoptr (GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonParser) list_parser = json_parser_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *list = NULL;
  const char *id;
  JsonArray *cases;

  if (!json_parser_load_from_data (parser, body, -1, NULL) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      reply_error (r, 400, "invalid_json", "the body must be a JSON object");
      return;
    }
  id = json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)), "id_number",
                                                   NULL);
  if (id == NULL || *id == '\0' || strlen (id) > 32)
    {
      reply_error (r, 422, "invalid_request", "id_number is required");
      return;
    }
  list = p->storage->klass->list_cases_of_applicant (p->storage, id);
  if (list == NULL || !json_parser_load_from_data (list_parser, list, -1, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (list_parser)))
    {
      reply_error (r, 500, "storage", "cannot list the cases");
      return;
    }
  cases = json_node_get_array (json_parser_get_root (list_parser));
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cases");
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *o = json_array_get_object_element (cases, i);
      gint64 received = json_object_get_int_member (o, "received_at");
      guint step = progress_step (p, received);
      const char *due = json_object_get_string_member_with_default (o, "due_date", NULL);
      JsonNode *owed = json_object_get_member (o, "owed_materials");

      json_builder_begin_object (b);
      add_case_members (b, o, step);
      json_builder_set_member_name (b, "late");
      json_builder_add_boolean_value (b, due != NULL && !g_str_equal (progress[step].status, "completed")
                                             && strcmp (today, due) > 0);
      json_builder_set_member_name (b, "steps");
      json_builder_begin_array (b);
      for (guint k = 0; k <= step; k++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "status");
          json_builder_add_string_value (b, progress[k].status);
          json_builder_set_member_name (b, "status_text");
          json_builder_add_string_value (b, progress[k].text);
          json_builder_set_member_name (b, "at");
          json_builder_add_int_value (b, received + (gint64) k * p->status_step);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "owed_materials");
      if (owed && JSON_NODE_HOLDS_ARRAY (owed))
        json_builder_add_value (b, json_node_copy (owed));
      else
        {
          json_builder_begin_array (b);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  reply_json (r, 200, json_to_string (root, FALSE));
}

/* ---- 证明打印 ------------------------------------------------------------ */

/* The body's "id_number" (NULL after an error reply). */
static char *
body_id_number (SoupServerMessage *msg, Reply *r)
{
  g_autoptr (GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *id;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL)
      || json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      reply_error (r, 400, "invalid_json", "the body must be a JSON object");
      return NULL;
    }
  id = json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)), "id_number",
                                                   NULL);
  if (id == NULL || *id == '\0' || strlen (id) > 32)
    {
      reply_error (r, 422, "invalid_request", "id_number is required");
      return NULL;
    }
  return g_strdup (id);
}

/* POST /v1/documents/of-person {"id_number": "..."}: the documents the
 * platform holds for this person and a kiosk may print, newest first. The
 * ID number travels in the body only and is never logged; the answer does
 * not repeat it (nor the holder). */
static void
handle_documents_of_person (Platform *p, SoupServerMessage *msg, Reply *r)
{
  g_autofree char *id = body_id_number (msg, r);
  g_autofree char *list = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  JsonArray *docs;

  if (id == NULL)
    return;
  list = p->storage->klass->list_documents_of_person (p->storage, id);
  explicit_bzero (id, strlen (id));
  if (list == NULL || !json_parser_load_from_data (parser, list, -1, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      reply_error (r, 500, "storage", "cannot list the documents");
      return;
    }
  docs = json_node_get_array (json_parser_get_root (parser));
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "documents");
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      g_autoptr (JsonNode) copy = json_node_copy (json_array_get_element (docs, i));
      if (!JSON_NODE_HOLDS_OBJECT (copy))
        continue;
      json_object_remove_member (json_node_get_object (copy), "holder");
      json_builder_add_value (b, g_steal_pointer (&copy));
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  reply_json (r, 200, json_to_string (root, FALSE));
}

/* A name with its first character kept, an ID number with four characters
 * at each end (as the kiosk masks them). */
static char *
mask_text (const char *s, gboolean id)
{
  GString *out = g_string_new (NULL);
  glong n = s && g_utf8_validate (s, -1, NULL) ? g_utf8_strlen (s, -1) : 0;
  const char *c = s;

  for (glong i = 0; i < n; i++, c = g_utf8_next_char (c))
    {
      gboolean keep = id ? (n > 8 && (i < 4 || i >= n - 4)) : i == 0;
      if (keep)
        g_string_append_len (out, c, g_utf8_next_char (c) - c);
      else
        g_string_append_c (out, '*');
    }
  return g_string_free (out, FALSE);
}

/* GET /v1/verify/{code}: what was issued under this verification code, to
 * whom (masked) and when, and how often kiosks printed it (their confirmed
 * print records). */
static void
handle_verify (Platform *p, const char *code, Reply *r)
{
  g_autofree char *json = p->storage->klass->get_document (p->storage, code);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  static const char *const copied[] = { "code", "kind", "title", "department", "issued_date" };
  JsonObject *o, *holder;
  JsonNode *last;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      reply_error (r, 404, "not_found", "no document has this verification code");
      return;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  holder = json_object_get_object_member (o, "holder");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (copied); i++)
    {
      json_builder_set_member_name (b, copied[i]);
      json_builder_add_string_value (b, json_object_get_string_member_with_default (o, copied[i], NULL));
    }
  json_builder_set_member_name (b, "holder");
  json_builder_begin_object (b);
  {
    g_autofree char *name
        = mask_text (holder ? json_object_get_string_member_with_default (holder, "name", NULL) : NULL, FALSE);
    g_autofree char *idn
        = mask_text (holder ? json_object_get_string_member_with_default (holder, "id_number", NULL) : NULL, TRUE);
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b, name);
    json_builder_set_member_name (b, "id_number");
    json_builder_add_string_value (b, idn);
  }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "prints");
  json_builder_add_int_value (b, json_object_get_int_member_with_default (o, "prints", 0));
  json_builder_set_member_name (b, "reprints");
  json_builder_add_int_value (b, json_object_get_int_member_with_default (o, "reprints", 0));
  json_builder_set_member_name (b, "last_printed_at");
  last = json_object_get_member (o, "last_printed_at");
  if (last && JSON_NODE_HOLDS_VALUE (last))
    json_builder_add_int_value (b, json_node_get_int (last));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  reply_json (r, 200, json_to_string (root, FALSE));
}

static gboolean
is_sha256 (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isxdigit (*s) || g_ascii_isupper (*s))
      return FALSE;
  return TRUE;
}

/* FALSE when the insert lost a race with another receiver (nothing
 * stored, no reply set): the caller looks the first answer up again. */
static gboolean
handle_case (Platform *p, const char *key, const char *hash, const char *kiosk_id, JsonObject *o, const char *body,
             Reply *r)
{
  const char *item = json_object_get_string_member_with_default (o, "item_code", NULL);
  const char *provisional = json_object_get_string_member_with_default (o, "provisional_number", NULL);
  JsonObject *applicant
      = json_object_has_member (o, "applicant") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "applicant"))
            ? json_object_get_object_member (o, "applicant")
            : NULL;
  JsonArray *atts
      = json_object_has_member (o, "attachments") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "attachments"))
            ? json_object_get_array_member (o, "attachments")
            : NULL;
  g_autofree char *existing = NULL;
  g_autofree char *due = NULL;
  g_autofree char *official = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *atts_json = NULL;
  g_autoptr (GError) error = NULL;

  if (provisional == NULL || applicant == NULL || !json_object_has_member (applicant, "name")
      || !json_object_has_member (applicant, "id_number"))
    {
      reply_error (r, 422, "invalid_case", "provisional_number and applicant name and id_number are required");
      return TRUE;
    }
  if (item == NULL || !g_hash_table_contains (p->time_limits, item))
    {
      reply_error (r, 422, "unknown_item", "item_code is not in the catalog");
      return TRUE;
    }
  for (guint i = 0; atts && i < json_array_get_length (atts); i++)
    {
      JsonObject *a = json_array_get_object_element (atts, i);
      const char *sha = a ? json_object_get_string_member_with_default (a, "sha256", NULL) : NULL;
      gint64 size = 0, received = 0;
      gboolean complete = FALSE;

      if (!is_sha256 (sha))
        {
          reply_error (r, 422, "invalid_case", "attachment without a valid sha256");
          return TRUE;
        }
      if (!p->storage->klass->attachment_get (p->storage, sha, &size, &received, &complete) || !complete)
        {
          reply_error (r, 409, "attachment_incomplete", "an attachment named by the case is not fully uploaded");
          return TRUE;
        }
    }
  /* A second submission of the same provisional case under another key
   * (should not happen) still yields the first official number. */
  existing = p->storage->klass->find_case_by_provisional (p->storage, kiosk_id, provisional);
  if (existing)
    {
      p->storage->klass->count (p->storage, "duplicate_submissions", 1);
      reply_json (r, 200,
                  g_strdup_printf ("{\"official_number\":\"%s\",\"provisional_number\":\"%s\","
                                   "\"status\":\"received\",\"status_text\":\"已受理\"}",
                                   existing, provisional));
      r->replayed = TRUE;
      return TRUE;
    }
  due = due_date_for (p, item);
  {
    JsonNode *n = json_object_get_member (o, "attachments");
    atts_json = n ? json_to_string (n, FALSE) : g_strdup ("[]");
  }
  {
    g_autofree char *tmpl = NULL;
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autoptr (JsonNode) root = NULL;
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "official_number");
    json_builder_add_string_value (b, "%OFFICIAL%");
    json_builder_set_member_name (b, "provisional_number");
    json_builder_add_string_value (b, provisional);
    json_builder_set_member_name (b, "status");
    json_builder_add_string_value (b, "received");
    json_builder_set_member_name (b, "status_text");
    json_builder_add_string_value (b, "已受理");
    json_builder_set_member_name (b, "due_date");
    if (due)
      json_builder_add_string_value (b, due);
    else
      json_builder_add_null_value (b);
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    tmpl = json_to_string (root, FALSE);
    if (!p->storage->klass->insert_case (p->storage, key, hash, kiosk_id, provisional, item, body, atts_json, due, tmpl,
                                         &official, &reply, &error))
      {
        if (g_error_matches (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT))
          return FALSE;
        reply_error (r, 503, "storage", error->message);
        return TRUE;
      }
  }
  reply_json (r, 201, g_steal_pointer (&reply));
  return TRUE;
}

/* Only a case's applicant rates it (docs/platform-api.md, "Who may rate a
 * case"): a rating naming a case this platform holds must name that case's
 * applicant as rater_id_number. FALSE with the error reply set. */
static gboolean
rating_rater_allowed (Platform *p, JsonObject *o, Reply *r)
{
  JsonNode *n = json_object_get_member (o, "case_number");
  JsonNode *rater = json_object_get_member (o, "rater_id_number");
  g_autofree char *applicant = NULL;
  const char *a;

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_STRING)
    return TRUE; /* a service without a case */
  applicant = p->storage->klass->get_case_applicant (p->storage, json_node_get_string (n));
  if (applicant == NULL)
    return TRUE; /* not a case held here: nothing to check it against */
  a = rater && json_node_get_value_type (rater) == G_TYPE_STRING ? json_node_get_string (rater) : NULL;
  if (a != NULL && *a != '\0' && g_ascii_strcasecmp (a, applicant) == 0)
    return TRUE;
  reply_error (r, 403, "not_applicant", "only the applicant of the case may rate it");
  return FALSE;
}

static void
handle_submit (Platform *p, SoupServerMessage *msg, const char *kind, Reply *r)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (h, "Idempotency-Key");
  const char *kiosk_id = soup_message_headers_get_one (h, "X-Kiosk-Id");
  SoupMessageBody *req = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (req);
  g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autoptr (JsonParser) parser = json_parser_new ();
  PlatformStoredReply stored = { 0 };
  JsonObject *o;

  if (key == NULL || *key == '\0' || strlen (key) > 200)
    {
      reply_error (r, 400, "missing_idempotency_key", "every submission needs an Idempotency-Key header");
      return;
    }
  if (!json_parser_load_from_data (parser, body, -1, NULL) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      reply_error (r, 400, "invalid_json", "the body must be a JSON object");
      return;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  if (kiosk_id == NULL)
    kiosk_id = json_object_get_string_member_with_default (o, "kiosk_id", "unknown");

  /* An insert that lost a race with another receiver (the same request
   * there, or the same case under another key) is answered as that one
   * was: the stored reply is looked up again. */
  for (int attempt = 1;; attempt++)
    {
      gboolean done = TRUE;

      if (p->storage->klass->lookup_reply (p->storage, key, &stored))
        {
          if (g_strcmp0 (stored.request_hash, hash) != 0 || g_strcmp0 (stored.kind, kind) != 0)
            reply_error (r, 422, "idempotency_key_reused", "this Idempotency-Key was used for a different request");
          else
            {
              p->storage->klass->count (p->storage, "duplicate_submissions", 1);
              reply_json (r, 200, g_steal_pointer (&stored.response));
              r->replayed = TRUE;
            }
          platform_stored_reply_clear (&stored);
          return;
        }

      if (g_str_equal (kind, "case"))
        done = handle_case (p, key, hash, kiosk_id, o, body, r);
      else if (g_str_equal (kind, "rating") && !rating_rater_allowed (p, o, r))
        ;
      else
        {
          g_autoptr (GError) error = NULL;
          g_autofree char *reply = g_strdup_printf ("{\"received\":true,\"kind\":\"%s\"}", kind);

          if (p->storage->klass->insert_record (p->storage, kind, key, hash, kiosk_id, body, reply, &error))
            reply_json (r, 201, g_steal_pointer (&reply));
          else if (g_error_matches (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT))
            done = FALSE;
          else
            reply_error (r, 503, "storage", error->message);
        }
      if (done)
        break;
      if (attempt == 3)
        {
          reply_error (r, 503, "storage", "concurrent writers: try again");
          break;
        }
    }
  if (r->status >= 400 && r->status < 500 && r->status != 409)
    p->storage->klass->count (p->storage, "rejections", 1);
}

static void
handle_attachment (Platform *p, SoupServerMessage *msg, const char *method, const char *sha, Reply *r)
{
  gint64 size = 0, received = 0;
  gboolean complete = FALSE;
  gboolean known = p->storage->klass->attachment_get (p->storage, sha, &size, &received, &complete);

  if (g_str_equal (method, "GET"))
    {
      if (!known)
        {
          reply_error (r, 404, "not_found", "no upload for this sha256 yet");
          return;
        }
      reply_json (r, 200,
                  g_strdup_printf ("{\"sha256\":\"%s\",\"size\":%" G_GINT64_FORMAT ",\"offset\":%" G_GINT64_FORMAT
                                   ",\"complete\":%s}",
                                   sha, size, received, complete ? "true" : "false"));
      return;
    }
  if (g_str_equal (method, "PATCH"))
    {
      SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
      const char *off_s = soup_message_headers_get_one (h, "Upload-Offset");
      const char *len_s = soup_message_headers_get_one (h, "Upload-Length");
      g_autoptr (GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autoptr (GError) error = NULL;
      gint64 offset, total;
      gboolean checksum_ok = TRUE;

      if (off_s == NULL || len_s == NULL)
        {
          reply_error (r, 400, "missing_upload_headers", "Upload-Offset and Upload-Length are required");
          return;
        }
      offset = g_ascii_strtoll (off_s, NULL, 10);
      total = g_ascii_strtoll (len_s, NULL, 10);
      if (total <= 0 || total > (gint64) 256 * 1024 * 1024 || offset < 0
          || offset + (gint64) g_bytes_get_size (bytes) > total)
        {
          reply_error (r, 400, "bad_upload_range", "offset and length do not fit the declared size");
          return;
        }
      if (complete)
        {
          reply_json (r, 200, g_strdup_printf ("{\"offset\":%" G_GINT64_FORMAT ",\"complete\":true}", size));
          return;
        }
      if (offset != (known ? received : 0))
        {
          reply_json (r, 409,
                      g_strdup_printf ("{\"error\":{\"code\":\"offset_mismatch\",\"message\":\"ask the offset again\"},"
                                       "\"offset\":%" G_GINT64_FORMAT "}",
                                       known ? received : 0));
          return;
        }
      if (!p->storage->klass->attachment_append (p->storage, sha, total, offset, g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), &received, &complete, &checksum_ok, &error))
        {
          /* Another receiver appended since this one looked. */
          if (g_error_matches (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT))
            reply_json (r, 409,
                        g_strdup_printf ("{\"error\":{\"code\":\"offset_mismatch\",\"message\":\"ask the offset "
                                         "again\"},\"offset\":%" G_GINT64_FORMAT "}",
                                         received));
          else
            reply_error (r, 503, "storage", error->message);
          return;
        }
      if (!checksum_ok)
        {
          p->storage->klass->count (p->storage, "attachment_checksum_failures", 1);
          reply_error (r, 422, "checksum_mismatch", "the received bytes do not match the sha256; upload again from 0");
          return;
        }
      reply_json (
          r, 200,
          g_strdup_printf ("{\"offset\":%" G_GINT64_FORMAT ",\"complete\":%s}", received, complete ? "true" : "false"));
      return;
    }
  reply_error (r, 405, "method_not_allowed", "GET or PATCH");
}

static void handle_agents (Platform *p, SoupServerMessage *msg, Reply *r);

static void
handle_document (Platform *p, SoupServerMessage *msg, const char *json, const char *etag, Reply *r)
{
  const char *inm = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");

  r->etag = g_strdup (etag);
  if (inm && g_str_equal (inm, etag))
    {
      r->status = 304;
      return;
    }
  reply_json (r, 200, g_strdup (json));
}

/* Routes one request; admin routes never see faults. */
static void
route (Platform *p, SoupServerMessage *msg, Reply *r)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  gboolean post = g_str_equal (method, "POST");
  gboolean get = g_str_equal (method, "GET");

  if (post && g_str_equal (path, "/v1/cases"))
    handle_submit (p, msg, "case", r);
  else if (post && g_str_equal (path, "/v1/cases/of-applicant"))
    handle_cases_of_applicant (p, msg, r);
  else if (post && g_str_equal (path, "/v1/documents/of-person"))
    handle_documents_of_person (p, msg, r);
  else if (get && g_str_has_prefix (path, "/v1/verify/") && strlen (path) < 128)
    {
      g_autofree char *code = g_uri_unescape_string (path + strlen ("/v1/verify/"), NULL);
      handle_verify (p, code ? code : "", r);
    }
  else if (post && g_str_equal (path, "/v1/ratings"))
    handle_submit (p, msg, "rating", r);
  else if (post && g_str_equal (path, "/v1/print-records"))
    handle_submit (p, msg, "print_record", r);
  else if (post && g_str_equal (path, "/v1/proxy-authorisations"))
    handle_submit (p, msg, "proxy_authorisation", r);
  else if (post && g_str_has_prefix (path, "/v1/records/") && strlen (path) > strlen ("/v1/records/")
           && strlen (path) < 64 && !strchr (path + strlen ("/v1/records/"), '/'))
    handle_submit (p, msg, path + strlen ("/v1/records/"), r);
  else if (get && g_str_has_prefix (path, "/v1/cases/"))
    {
      g_autofree char *number = g_uri_unescape_string (path + strlen ("/v1/cases/"), NULL);
      handle_case_status (p, number ? number : "", r);
    }
  else if (g_str_has_prefix (path, "/v1/attachments/"))
    {
      const char *rest = path + strlen ("/v1/attachments/");
      g_autofree char *sha = g_strndup (rest, 64);

      if (!is_sha256 (sha))
        reply_error (r, 400, "bad_sha256", "attachment names are lowercase hex SHA-256");
      else if (rest[64] == '\0')
        handle_attachment (p, msg, method, sha, r);
      else if (get && g_str_equal (rest + 64, "/content"))
        {
          r->raw = p->storage->klass->attachment_read (p->storage, sha);
          if (r->raw)
            {
              r->status = 200;
              r->content_type = "application/octet-stream";
            }
          else
            reply_error (r, 404, "not_found", "no complete attachment with this sha256");
        }
      else
        reply_error (r, 404, "not_found", "no such resource");
    }
  else if (get && g_str_has_prefix (path, "/v1/kiosks/"))
    {
      g_autofree char *id = g_uri_unescape_string (path + strlen ("/v1/kiosks/"), NULL);

      if (id == NULL || *id == '\0' || strchr (id, '/'))
        reply_error (r, 404, "not_found", "no such resource");
      else if (p->kiosks && !g_strv_contains ((const char *const *) p->kiosks, id))
        reply_error (r, 404, "unknown_kiosk", "this kiosk id is not registered with the platform");
      else
        {
          g_autoptr (JsonBuilder) b = json_builder_new ();
          g_autoptr (JsonNode) root = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "kiosk_id");
          json_builder_add_string_value (b, id);
          json_builder_set_member_name (b, "known");
          json_builder_add_boolean_value (b, TRUE);
          json_builder_set_member_name (b, "server_time");
          json_builder_add_int_value (b, g_get_real_time () / G_USEC_PER_SEC);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          reply_json (r, 200, json_to_string (root, FALSE));
        }
    }
  else if (get && g_str_equal (path, "/v1/catalog"))
    handle_document (p, msg, p->catalog_json, p->catalog_etag, r);
  else if (get && g_str_equal (path, "/v1/agents"))
    handle_agents (p, msg, r);
  else if (get && g_str_equal (path, "/v1/notices"))
    handle_document (p, msg, p->notices_json, p->notices_etag, r);
  else if (post && g_str_equal (path, "/v1/heartbeat"))
    {
      SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
      g_autoptr (GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autoptr (JsonParser) parser = json_parser_new ();
      const char *kiosk = soup_message_headers_get_one (h, "X-Kiosk-Id");

      if (!json_parser_load_from_data (parser, body, -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        reply_error (r, 400, "invalid_json", "the body must be a JSON object");
      else
        {
          p->storage->klass->heartbeat (p->storage, kiosk ? kiosk : "unknown", body);
          p->storage->klass->count (p->storage, "heartbeats", 1);
          reply_json (r, 200,
                      g_strdup_printf ("{\"server_time\":%" G_GINT64_FORMAT "}", g_get_real_time () / G_USEC_PER_SEC));
        }
    }
  else if (get && g_str_equal (path, "/v1/admin/forward"))
    {
      /* Forwarding to the province (platform-forward.h): forwarded,
       * pending, rejected and the oldest pending item's age. */
      char *stats = p->storage->klass->forward_stats ? p->storage->klass->forward_stats (p->storage) : NULL;
      if (stats)
        reply_json (r, 200, stats);
      else
        reply_error (r, 500, "storage", "forwarding state not readable");
    }
  else if (get && g_str_equal (path, "/v1/admin/stats"))
    {
      g_autofree char *stats = p->storage->klass->stats (p->storage);
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      JsonObject *o;

      json_parser_load_from_data (parser, stats, -1, NULL);
      o = json_node_get_object (json_parser_get_root (parser));
      json_object_set_int_member (o, "requests", p->requests);
      json_object_set_int_member (o, "faults_injected", p->faults);
      json_generator_set_root (gen, json_parser_get_root (parser));
      reply_json (r, 200, json_generator_to_data (gen, NULL));
    }
  else if (get && g_str_equal (path, "/v1/admin/cases"))
    reply_json (r, 200, p->storage->klass->list_cases (p->storage));
  else
    reply_error (r, 404, "not_found", "no such resource");
}

static void
apply_reply (SoupServerMessage *msg, Reply *r)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  /* Connections stay open (keep-alive); see "Idle connections" below. */
  if (r->etag)
    soup_message_headers_replace (h, "ETag", r->etag);
  if (r->replayed)
    soup_message_headers_replace (h, "Idempotent-Replayed", "true");
  if (r->raw)
    soup_server_message_set_response (msg, r->content_type, SOUP_MEMORY_COPY, g_bytes_get_data (r->raw, NULL),
                                      g_bytes_get_size (r->raw));
  else if (r->body)
    soup_server_message_set_response (msg, r->content_type, SOUP_MEMORY_COPY, r->body, strlen (r->body));
  soup_server_message_set_status (msg, r->status, NULL);
}

/* ---- Faults ------------------------------------------------------------- */

static void
close_connection (SoupServerMessage *msg, gboolean rst)
{
  GSocket *sock = soup_server_message_get_socket (msg);
  g_autoptr (GIOStream) stream = NULL;

  if (rst && sock)
    {
      struct linger l = { .l_onoff = 1, .l_linger = 0 };
      setsockopt (g_socket_get_fd (sock), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
  stream = soup_server_message_steal_connection (msg);
  if (stream)
    g_io_stream_close (stream, NULL, NULL);
}

/* Sends a response whose body stops halfway, then closes. */
static void
send_truncated (SoupServerMessage *msg, Reply *r)
{
  g_autoptr (GIOStream) stream = soup_server_message_steal_connection (msg);
  const char *body = r->body ? r->body : "{}";
  gsize len = strlen (body);
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %d OK\r\nContent-Type: application/json\r\n"
                                           "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                                           r->status ? r->status : 200, len);

  if (stream == NULL)
    return;
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), body, len / 2, NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

typedef struct {
  Platform *p;
  SoupServerMessage *msg;
} Delayed;

static void
process_and_respond (Platform *p, SoupServerMessage *msg, gboolean allow_post_faults)
{
  Reply r = { 0 };
  double x = g_rand_double (p->rand);

  route (p, msg, &r);
  if (allow_post_faults && x < p->p_reset)
    {
      p->faults++;
      close_connection (msg, TRUE);
    }
  else if (allow_post_faults && x < p->p_reset + p->p_truncate && r.status != 304)
    {
      p->faults++;
      send_truncated (msg, &r);
    }
  else
    apply_reply (msg, &r);
  reply_clear (&r);
}

static gboolean
delayed_cb (gpointer data)
{
  Delayed *d = data;

  process_and_respond (d->p, d->msg, FALSE);
  soup_server_message_unpause (d->msg);
  g_object_unref (d->msg);
  g_free (d);
  return G_SOURCE_REMOVE;
}

/* Mutual TLS: a client certificate is accepted only when it chains to the
 * --client-ca (the connection's own check reports errors for any client
 * certificate, so the decision is made here). */
static gboolean
accept_certificate_cb (SoupServerMessage *msg, GTlsCertificate *cert, GTlsCertificateFlags errors, gpointer data)
{
  GTlsDatabase *db = data;
  g_autoptr (GError) error = NULL;
  GTlsCertificateFlags flags;

  flags = g_tls_database_verify_chain (db, cert, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_CLIENT, NULL, NULL,
                                       G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  if (flags != 0 || error)
    g_message ("client certificate refused (flags 0x%x%s%s)", flags, error ? ": " : "", error ? error->message : "");
  return flags == 0 && error == NULL;
}

/* ---- Idle connections ---------------------------------------------------
 * libsoup 3.2's server never closes a keep-alive connection that the client
 * closed while it was idle (fixed in 3.3, commit d20c660 "server: do not
 * leak idle connections closed by the client"): the descriptor stays open
 * for good, and after some thousand connections the platform runs out of
 * them. So the platform keeps its own list of the connections' sockets and
 * sweeps it every second: a socket with no request in flight whose client
 * has gone (end of file or reset), for one whole sweep, so that libsoup has
 * seen it too and polls it no more, is closed; one idle for longer than
 * --idle-timeout is shut down first (the client then sees the server close
 * it, as with any HTTP server's keep-alive timeout). */

typedef struct {
  GSocket *sock;
  int in_flight;
  gint64 last_active; /* monotonic µs */
  gint64 gone_since;  /* monotonic µs, 0 while the client is there */
  gboolean shut;
} Conn;

static GHashTable *conns; /* GSocket * -> Conn * */
static gint64 idle_timeout_us = 10 * G_USEC_PER_SEC;

static void
conn_free (Conn *c)
{
  g_object_unref (c->sock);
  g_free (c);
}

static Conn *
conn_for (SoupServerMessage *msg)
{
  GSocket *sock = soup_server_message_get_socket (msg);
  Conn *c;

  if (sock == NULL || conns == NULL)
    return NULL;
  c = g_hash_table_lookup (conns, sock);
  if (c == NULL)
    {
      c = g_new0 (Conn, 1);
      c->sock = g_object_ref (sock);
      g_hash_table_insert (conns, sock, c);
    }
  return c;
}

static void
request_ended_cb (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  Conn *c = conns ? g_hash_table_lookup (conns, soup_server_message_get_socket (msg)) : NULL;

  if (c)
    {
      c->in_flight = MAX (c->in_flight - 1, 0);
      c->last_active = g_get_monotonic_time ();
    }
}

static gboolean
sweep_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter it;
  Conn *c;

  g_hash_table_iter_init (&it, conns);
  while (g_hash_table_iter_next (&it, NULL, (gpointer *) &c))
    {
      char byte;
      ssize_t n;

      if (g_socket_is_closed (c->sock))
        {
          g_hash_table_iter_remove (&it);
          continue;
        }
      if (c->in_flight > 0)
        continue;
      n = recv (g_socket_get_fd (c->sock), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        {
          if (c->gone_since == 0)
            c->gone_since = now;
          else
            {
              g_socket_close (c->sock, NULL);
              g_hash_table_iter_remove (&it);
            }
          continue;
        }
      if (!c->shut && now - c->last_active > idle_timeout_us)
        {
          c->shut = TRUE;
          g_socket_shutdown (c->sock, TRUE, TRUE, NULL);
        }
    }
  return G_SOURCE_CONTINUE;
}

static void
request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  GSocket *sock = soup_server_message_get_socket (msg);
  GTlsDatabase *db = soup_server_get_tls_database (server);
  Conn *c = conn_for (msg);

  if (c)
    {
      c->in_flight++;
      c->last_active = g_get_monotonic_time ();
    }

  if (db && soup_server_get_tls_auth_mode (server) == G_TLS_AUTHENTICATION_REQUIRED)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), db);

  /* Answers go out at once (no Nagle delay on loopback benchmarks). */
  if (sock)
    g_socket_set_option (sock, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static void
server_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  Platform *p = data;
  double x;

  p->requests++;
  if (platform_fleet_handle (p->fleet, msg, path))
    return;
  if (g_str_has_prefix (path, "/v1/admin/") || g_str_has_suffix (path, "/content"))
    {
      process_and_respond (p, msg, FALSE);
      return;
    }
  x = g_rand_double (p->rand);
  if (x < p->p_drop)
    {
      p->faults++;
      close_connection (msg, FALSE);
      return;
    }
  x -= p->p_drop;
  if (x < p->p_500)
    {
      Reply r = { 0 };
      p->faults++;
      reply_error (&r, 500, "injected", "injected internal error");
      apply_reply (msg, &r);
      reply_clear (&r);
      return;
    }
  x -= p->p_500;
  if (x < p->p_503)
    {
      Reply r = { 0 };
      g_autofree char *ra = g_strdup_printf ("%d", p->retry_after);
      p->faults++;
      reply_error (&r, 503, "unavailable", "injected: try again later");
      apply_reply (msg, &r);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", ra);
      reply_clear (&r);
      return;
    }
  x -= p->p_503;
  if (x < p->p_delay)
    {
      Delayed *d = g_new0 (Delayed, 1);
      p->faults++;
      d->p = p;
      d->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      g_timeout_add (p->delay_ms, delayed_cb, d); /* delayed_cb frees d */
      // cppcheck-suppress memleak
      return;
    }
  process_and_respond (p, msg, TRUE);
}

/* ---- 代办: the agents of a kiosk's station ---------------------------------- */

typedef struct {
  GStrv kiosks; /* the kiosk ids of the station; "*": any kiosk not named by another station */
  char *json;   /* {"station": {...}, "id_salt", "agents": [...]}: no ID number, no PIN */
  char *etag;
} Station;

static void
station_free (Station *st)
{
  g_strfreev (st->kiosks);
  g_free (st->json);
  g_free (st->etag);
  g_free (st);
}

static const Station *
station_of (Platform *p, const char *kiosk_id)
{
  const Station *any = NULL;

  for (guint i = 0; p->stations && i < p->stations->len; i++)
    {
      const Station *st = p->stations->pdata[i];
      if (kiosk_id && g_strv_contains ((const char *const *) st->kiosks, kiosk_id))
        return st;
      if (any == NULL && g_strv_contains ((const char *const *) st->kiosks, "*"))
        any = st;
    }
  return any;
}

/* GET /v1/agents: the agents of the station the asking kiosk (X-Kiosk-Id)
 * belongs to, conditional like the catalog. */
static void
handle_agents (Platform *p, SoupServerMessage *msg, Reply *r)
{
  const char *kiosk_id = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Kiosk-Id");
  const Station *st = station_of (p, kiosk_id);

  if (st == NULL)
    {
      reply_error (r, 404, "no_station", "this kiosk belongs to no station with agents");
      return;
    }
  handle_document (p, msg, st->json, st->etag, r);
}

static char *
make_etag (const char *json)
{
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
  return g_strdup_printf ("\"%.16s\"", sum);
}

static gboolean
load_catalog (Platform *p, const char *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) notices = NULL;
  JsonObject *root;
  JsonArray *items;

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || !json_object_has_member (root = json_node_get_object (json_parser_get_root (parser)), "items"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: expected {\"items\": [...]}", path);
      return FALSE;
    }
  items = json_object_get_array_member (root, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *it = json_array_get_object_element (items, i);
      JsonNode *tl = json_object_get_member (it, "time_limit_days");
      int days = tl && !JSON_NODE_HOLDS_NULL (tl) ? (int) json_node_get_int (tl) : -1;
      g_hash_table_insert (p->time_limits, g_strdup (json_object_get_string_member (it, "code")),
                           GINT_TO_POINTER (days + 1));
    }
  /* Notices travel separately, so they can change without the catalog. */
  if (json_object_has_member (root, "notices"))
    {
      JsonObject *n = json_object_new ();
      json_object_set_member (n, "notices", json_node_copy (json_object_get_member (root, "notices")));
      notices = json_node_init_object (json_node_alloc (), n);
      json_object_unref (n);
      json_object_remove_member (root, "notices");
    }
  json_generator_set_root (gen, json_parser_get_root (parser));
  p->catalog_json = json_generator_to_data (gen, NULL);
  if (notices)
    {
      json_generator_set_root (gen, notices);
      p->notices_json = json_generator_to_data (gen, NULL);
    }
  else
    p->notices_json = g_strdup ("{\"notices\":[]}");
  p->catalog_etag = make_etag (p->catalog_json);
  p->notices_etag = make_etag (p->notices_json);
  return TRUE;
}

/* 代办: the stations and their agents (seed-agents.json). What a kiosk
 * receives names each agent by id and name, their ID number only as
 * SHA-256 of "<id_salt>:<ID number>" and their PIN only as the
 * crypto_pwhash_str hash the file holds. */
static gboolean
load_agents (Platform *p, const char *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  JsonArray *stations;

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || (stations = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "stations"))
             == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: expected {\"stations\": [...]}", path);
      return FALSE;
    }
  p->stations = g_ptr_array_new_with_free_func ((GDestroyNotify) station_free);
  for (guint i = 0; i < json_array_get_length (stations); i++)
    {
      JsonObject *so = json_array_get_object_element (stations, i);
      JsonArray *agents = so ? json_object_get_array_member (so, "agents") : NULL;
      JsonArray *kiosks = so ? json_object_get_array_member (so, "kiosks") : NULL;
      const char *salt = so ? json_object_get_string_member_with_default (so, "id_salt", NULL) : NULL;
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;
      Station *st;

      if (agents == NULL || kiosks == NULL || salt == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: station %u needs id_salt, kiosks, agents", path,
                       i);
          return FALSE;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "station");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, json_object_get_string_member_with_default (so, "id", ""));
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, json_object_get_string_member_with_default (so, "name", ""));
      json_builder_end_object (b);
      json_builder_set_member_name (b, "id_salt");
      json_builder_add_string_value (b, salt);
      json_builder_set_member_name (b, "agents");
      json_builder_begin_array (b);
      for (guint j = 0; j < json_array_get_length (agents); j++)
        {
          JsonObject *a = json_array_get_object_element (agents, j);
          const char *idn = a ? json_object_get_string_member_with_default (a, "id_number", NULL) : NULL;
          g_autofree char *upper = idn ? g_ascii_strup (idn, -1) : NULL;
          g_autofree char *salted = upper ? g_strconcat (salt, ":", upper, NULL) : NULL;
          g_autofree char *hash = salted ? g_compute_checksum_for_string (G_CHECKSUM_SHA256, salted, -1) : NULL;

          if (hash == NULL || !json_object_has_member (a, "id") || !json_object_has_member (a, "pin_hash"))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: agent %u of station %u is incomplete", path,
                           j, i);
              return FALSE;
            }
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, json_object_get_string_member (a, "id"));
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, json_object_get_string_member_with_default (a, "name", ""));
          json_builder_set_member_name (b, "id_number_hash");
          json_builder_add_string_value (b, hash);
          json_builder_set_member_name (b, "pin_hash");
          json_builder_add_string_value (b, json_object_get_string_member (a, "pin_hash"));
          json_builder_end_object (b);
          explicit_bzero (salted, strlen (salted));
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      st = g_new0 (Station, 1);
      st->kiosks = g_new0 (char *, json_array_get_length (kiosks) + 1);
      for (guint k = 0; k < json_array_get_length (kiosks); k++)
        st->kiosks[k] = g_strdup (json_array_get_string_element (kiosks, k));
      json_generator_set_root (gen, root);
      st->json = json_generator_to_data (gen, NULL);
      st->etag = make_etag (st->json);
      g_ptr_array_add (p->stations, st);
    }
  return TRUE;
}

/* 证明打印: the documents of the demo people (seed-documents.json), put
 * into the storage at every start (a document with the same code is
 * replaced). */
static gboolean
load_documents (Platform *p, const char *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  JsonArray *docs;

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || (docs = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "documents"))
             == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: expected {\"documents\": [...]}", path);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonNode *n = json_array_get_element (docs, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      JsonObject *holder = o ? json_object_get_object_member (o, "holder") : NULL;
      const char *code = o ? json_object_get_string_member_with_default (o, "code", NULL) : NULL;
      const char *id = holder ? json_object_get_string_member_with_default (holder, "id_number", NULL) : NULL;
      g_autofree char *json = NULL;

      if (code == NULL || id == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: document %u without code or holder", path, i);
          return FALSE;
        }
      json_generator_set_root (gen, n);
      json = json_generator_to_data (gen, NULL);
      if (!p->storage->klass->put_document (p->storage, code, id, json, error))
        return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *listen = NULL, *db = NULL, *catalog = NULL, *tls_cert = NULL, *tls_key = NULL, *client_ca = NULL;
  g_autofree char *kiosks = NULL, *documents = NULL, *agents = NULL;
  Platform p = { .delay_ms = 300, .retry_after = 1, .status_step = 60 };
  int seed = 0;
  int idle_timeout = 10;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "address:port (port 0: any free port)", "127.0.0.1:PORT" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      "the platform's database: a SQLite file, or a PostgreSQL postgresql:// URI", "PATH|URI" },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog, "seed catalog (default: the built-in seed file)", "FILE" },
    { "documents", 0, 0, G_OPTION_ARG_FILENAME, &documents,
      "documents of people for 证明打印 (default: the built-in seed file)", "FILE" },
    { "agents", 0, 0, G_OPTION_ARG_FILENAME, &agents,
      "stations and their agents for 代办 (default: the built-in seed file)", "FILE" },
    { "fault-drop", 0, 0, G_OPTION_ARG_DOUBLE, &p.p_drop, "close the connection without an answer", "P" },
    { "fault-reset", 0, 0, G_OPTION_ARG_DOUBLE, &p.p_reset, "process, then reset the connection (no answer)", "P" },
    { "fault-delay", 0, 0, G_OPTION_ARG_DOUBLE, &p.p_delay, "answer after --delay-ms", "P" },
    { "fault-truncate", 0, 0, G_OPTION_ARG_DOUBLE, &p.p_truncate, "process, then send half the body", "P" },
    { "fault-500", 0, 0, G_OPTION_ARG_DOUBLE, &p.p_500, "answer 500 without processing", "P" },
    { "fault-503", 0, 0, G_OPTION_ARG_DOUBLE, &p.p_503, "answer 503 with Retry-After without processing", "P" },
    { "delay-ms", 0, 0, G_OPTION_ARG_INT, &p.delay_ms, "delay of --fault-delay (default 300)", "MS" },
    { "retry-after", 0, 0, G_OPTION_ARG_INT, &p.retry_after, "Retry-After seconds of --fault-503 (default 1)", "S" },
    { "status-step-seconds", 0, 0, G_OPTION_ARG_INT, &p.status_step,
      "case status advances every S seconds (default 60)", "S" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "random seed of the fault injection (default: random)", "N" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "close keep-alive connections idle for S seconds (default 10)", "S" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "serve HTTPS with this certificate (PEM)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "private key of --tls-cert (PEM)", "FILE" },
    { "client-ca", 0, 0, G_OPTION_ARG_FILENAME, &client_ca,
      "require client certificates issued by this CA (mutual TLS)", "FILE" },
    { "kiosks", 0, 0, G_OPTION_ARG_STRING, &kiosks,
      "the known kiosk ids, comma-separated (GET /v1/kiosks/ID; default: every id is known)", "ID,..." },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- the kiosk reference platform");
  g_autoptr (PlatformFleet) fleet = platform_fleet_new ();
  PlatformForwardOptions forward = { 0 };
  PlatformForwarder *forwarder = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GInetSocketAddress) addr = NULL;
  GSList *uris;
  char *colon;

  setlocale (LC_ALL, "");
  /* Subcommands: `kiosk-platform fleet --db TARGET`, `kiosk-platform hash-password`. */
  if (argc > 1 && g_str_equal (argv[1], "fleet"))
    return platform_fleet_command (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "hash-password"))
    return platform_fleet_hash_password_command (argc - 1, argv + 1);
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, platform_fleet_option_group (fleet));
  g_option_context_add_group (ctx, platform_forward_option_group (&forward));
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "kiosk-platform: %s\n", error->message);
      return 2;
    }
  if (listen == NULL || db == NULL || (colon = strrchr (listen, ':')) == NULL)
    {
      fprintf (stderr, "usage: kiosk-platform --listen 127.0.0.1:PORT --db PATH|postgresql://URI [options]\n");
      return 2;
    }
  *colon = '\0';
  addr = G_INET_SOCKET_ADDRESS (
      g_inet_socket_address_new_from_string (listen, (guint) g_ascii_strtoull (colon + 1, NULL, 10)));
  if (addr == NULL)
    {
      fprintf (stderr, "kiosk-platform: bad --listen address %s\n", listen);
      return 2;
    }

  p.rand = seed ? g_rand_new_with_seed ((guint32) seed) : g_rand_new ();
  p.time_limits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (catalog == NULL)
    catalog = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  if (!load_catalog (&p, catalog, &error))
    {
      fprintf (stderr, "kiosk-platform: catalog: %s\n", error->message);
      return 1;
    }
  if (agents == NULL)
    agents = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-agents.json", NULL);
  if (g_file_test (agents, G_FILE_TEST_EXISTS) && !load_agents (&p, agents, &error))
    {
      fprintf (stderr, "kiosk-platform: agents: %s\n", error->message);
      return 1;
    }
  p.storage = platform_storage_open (db, &error);
  if (p.storage == NULL)
    {
      fprintf (stderr, "kiosk-platform: %s\n", error->message);
      return 1;
    }
  if (!platform_fleet_setup (fleet, p.storage, &error))
    {
      fprintf (stderr, "kiosk-platform: %s\n", error->message);
      return 1;
    }
  p.fleet = fleet;
  if (forward.url)
    {
      forwarder = platform_forwarder_new (p.storage, &forward, &error);
      if (forwarder == NULL)
        {
          fprintf (stderr, "kiosk-platform: --forward-to: %s\n", error->message);
          return 1;
        }
    }
  /* Without --documents, the demo people's documents when the source tree
   * is there (an installed platform holds none until given a file). */
  if (documents == NULL)
    {
      documents = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-documents.json", NULL);
      if (!g_file_test (documents, G_FILE_TEST_EXISTS))
        g_clear_pointer (&documents, g_free);
    }
  /* A file named with --documents must load. */
  if (documents && !load_documents (&p, documents, &error))
    {
      fprintf (stderr, "kiosk-platform: documents: %s\n", error->message);
      return 1;
    }

  server = soup_server_new ("server-header", "kiosk-platform/" PACKAGE_VERSION, NULL);
  if (tls_cert)
    {
      g_autoptr (GTlsCertificate) cert
          = g_tls_certificate_new_from_files (tls_cert, tls_key ? tls_key : tls_cert, &error);
      if (cert == NULL)
        {
          fprintf (stderr, "kiosk-platform: %s\n", error->message);
          return 1;
        }
      soup_server_set_tls_certificate (server, cert);
      if (client_ca)
        {
          g_autoptr (GTlsDatabase) cdb = g_tls_file_database_new (client_ca, &error);
          if (cdb == NULL)
            {
              fprintf (stderr, "kiosk-platform: %s\n", error->message);
              return 1;
            }
          soup_server_set_tls_database (server, cdb);
          soup_server_set_tls_auth_mode (server, G_TLS_AUTHENTICATION_REQUIRED);
        }
    }
  soup_server_add_handler (server, "/", server_cb, &p, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), NULL);
  g_signal_connect (server, "request-finished", G_CALLBACK (request_ended_cb), NULL);
  g_signal_connect (server, "request-aborted", G_CALLBACK (request_ended_cb), NULL);
  conns = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) conn_free);
  idle_timeout_us = (gint64) MAX (idle_timeout, 1) * G_USEC_PER_SEC;
  g_timeout_add_seconds (1, sweep_cb, NULL);
  if (!soup_server_listen (server, G_SOCKET_ADDRESS (addr), tls_cert ? SOUP_SERVER_LISTEN_HTTPS : 0, &error))
    {
      fprintf (stderr, "kiosk-platform: listen: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  if (uris)
    {
      g_autofree char *s = g_uri_to_string (uris->data);
      printf ("listening on %s\n", s);
      fflush (stdout);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  loop = g_main_loop_new (NULL, FALSE);
  if (kiosks)
    p.kiosks = g_strsplit (kiosks, ",", -1);
  platform_fleet_set_register (fleet, (const char *const *) p.kiosks);
  g_main_loop_run (loop);
  platform_forwarder_free (forwarder);
  g_strfreev (p.kiosks);
  g_clear_pointer (&p.stations, g_ptr_array_unref);
  return 0;
}
