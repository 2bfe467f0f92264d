/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-sync"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kiosk-platform-adapter.h"

/* The reference adapter: docs/platform-api.md over libsoup 3. Everything
 * about HTTP (paths, headers, status codes) stays in this file.
 *
 * This file is the kiosk module "kiosk-platform-http" (app/kiosk-module.h):
 * libsoup and its TLS, HTTP/2, PSL and Brotli libraries are loaded when the
 * sync engine first talks to the platform, not before the first frame.
 * kiosk-platform-adapter.c forwards kiosk_http_adapter_new() here; only
 * kiosk_http_module() is exported. */

/* How much of an answer the kiosk reads, by what it asked for: a case
 * answer, an upload offset or an error is a few hundred bytes; the catalog
 * (38 items: about 100 KB) and the notices a few MB at most. Beyond that
 * the answer is refused without being read, and decompressed sizes count
 * (a gzip bomb stops at the cap). */
#define ANSWER_MAX ((gsize) 64 * 1024)
#define DOCUMENT_MAX ((gsize) 8 * 1024 * 1024)
/* JSON from the platform nests no deeper than this (the catalog: 5). */
#define JSON_MAX_DEPTH 32
/* Reasons kept for the technician. */
#define REASON_MAX 300

typedef struct {
  KioskPlatformAdapter parent;
  SoupSession *session;
  GTlsCertificate *client_cert;
  char *base; /* without trailing slash */
  char *kiosk_id;
  char *authorization; /* "Bearer TOKEN" ([platform] token), or NULL */
  int timeout_seconds; /* total per request: connect, send, headers, body */
} HttpAdapter;

/* One request and what came back besides the result. */
typedef struct {
  const char *method;
  const char *path;
  const char *idempotency_key;
  const char *etag; /* conditional GET */
  const char *content_type;
  GBytes *body;
  GHashTable *extra_headers;
  gsize max_answer;
  /* Out. */
  gboolean replayed;  /* Idempotent-Replayed: true */
  gboolean json_type; /* Content-Type: application/json */
} Request;

static gint64
parse_retry_after (const char *value)
{
  g_autoptr (GDateTime) when = NULL;
  char *end = NULL;
  gint64 secs;

  if (value == NULL)
    return -1;
  secs = g_ascii_strtoll (value, &end, 10);
  if (end != value && *end == '\0' && secs >= 0)
    return MIN (secs, 86400) * 1000;
  when = soup_date_time_new_from_http_string (value);
  if (when)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan d = g_date_time_difference (when, now);
      return d > 0 ? MIN (d / 1000, (gint64) 86400 * 1000) : 0;
    }
  return -1;
}

/* Refuses JSON nested deeper than JSON_MAX_DEPTH before JSON-GLib's
 * recursive parser sees it. */
static gboolean
json_depth_ok (const char *text)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1])
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '[' || *p == '{')
        {
          if (++depth > JSON_MAX_DEPTH)
            return FALSE;
        }
      else if (*p == ']' || *p == '}')
        depth--;
    }
  return TRUE;
}

/* The platform's JSON object, or NULL (not JSON, not an object, too deep). */
static JsonObject *
parse_object (JsonParser *parser, const char *text)
{
  JsonNode *root;

  if (text == NULL || !json_depth_ok (text) || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

/* Members of the type asked for, or nothing (no criticals on a platform
 * that sends another type). */
static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n)
                                                                                         : NULL;
}

static gboolean
member_int (JsonObject *o, const char *name, gint64 *value)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (n);
  return TRUE;
}

static gboolean
member_true (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN && json_node_get_boolean (n);
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static void
set_message (KioskPlatformResult *out, char *text)
{
  g_free (out->message);
  out->message = kiosk_platform_text_sanitize (text, REASON_MAX, FALSE);
  g_free (text);
}

/* Reads the platform's error body, {"error": {"code": "...", "message":
 * "..."}} (and "offset"): error_code stays NULL when there is none, i.e.
 * the answer did not come from the platform. */
static void
parse_error_body (KioskPlatformResult *out)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root = parse_object (parser, out->body);
  JsonObject *err = member_object (root, "error");
  const char *code = member_string (err, "code");
  const char *msg = member_string (err, "message");
  gint64 offset;

  if (code == NULL || *code == '\0')
    return;
  if (member_int (root, "offset", &offset))
    out->offset = offset;
  out->error_code = kiosk_platform_text_sanitize (code, 64, FALSE);
  if (msg)
    set_message (out, g_strdup_printf ("HTTP %d %s: %s", out->http_status, code, msg));
}

/* Requests are small and strictly one after the other: send each write at
 * once instead of waiting for the previous segment's ACK (Nagle), which
 * otherwise delays every request whose headers and body go out apart. */
static void
network_event_cb (SoupMessage *msg, GSocketClientEvent event, GIOStream *connection, gpointer data)
{
  GIOStream *base = connection;

  if (event != G_SOCKET_CLIENT_CONNECTED)
    return;
  if (G_IS_TLS_CONNECTION (base))
    g_object_get (base, "base-io-stream", &base, NULL);
  else
    g_object_ref (base);
  if (G_IS_SOCKET_CONNECTION (base))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (base)), IPPROTO_TCP, TCP_NODELAY, 1,
                         NULL);
  g_object_unref (base);
}

typedef enum {
  READ_OK,
  READ_TOO_LARGE,
  READ_FAILED,
} ReadStatus;

/* Reads the answer's body, at most @max bytes (after decompression). */
static ReadStatus
read_body (GInputStream *stream, gsize max, GCancellable *cancellable, GByteArray *into, GError **error)
{
  guint8 buf[16384];

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buf, sizeof buf, cancellable, error);
      if (n < 0)
        return READ_FAILED;
      if (n == 0)
        return READ_OK;
      if (into->len + (gsize) n > max)
        return READ_TOO_LARGE;
      g_byte_array_append (into, buf, (guint) n);
    }
}

static void
send_request (HttpAdapter *self, Request *rq, GCancellable *cancellable, KioskPlatformResult *out)
{
  g_autofree char *uri = g_strconcat (self->base, rq->path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (rq->method, uri);
  g_autoptr (KioskDeadline) deadline = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GByteArray) reply = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *req, *resp;
  GCancellable *c;
  const char *ctype;
  ReadStatus read = READ_OK;
  goffset length;
  int status;

  kiosk_platform_result_clear (out);
  rq->replayed = rq->json_type = FALSE;
  if (msg == NULL)
    {
      out->outcome = KIOSK_PLATFORM_REJECTED;
      out->message = g_strdup_printf ("bad request URI %s", uri);
      return;
    }
  /* No redirect is ever followed: a submission must not turn into a GET
   * nor go to another scheme, host or port, and the platform documents
   * none. A 3xx is a transient failure below. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  /* Every request here may be repeated safely (submissions carry an
   * Idempotency-Key, uploads an Upload-Offset the platform checks, a second
   * heartbeat is harmless): libsoup may then send it on a kept-alive
   * connection, where it opens a new TCP connection for every POST and PATCH
   * otherwise. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  req = soup_message_get_request_headers (msg);
  soup_message_headers_replace (req, "Accept", "application/json");
  soup_message_headers_replace (req, "X-Kiosk-Id", self->kiosk_id);
  if (self->authorization)
    soup_message_headers_replace (req, "Authorization", self->authorization);
  if (rq->idempotency_key)
    soup_message_headers_replace (req, "Idempotency-Key", rq->idempotency_key);
  if (rq->etag)
    soup_message_headers_replace (req, "If-None-Match", rq->etag);
  if (rq->extra_headers)
    {
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init (&it, rq->extra_headers);
      while (g_hash_table_iter_next (&it, &k, &v))
        soup_message_headers_replace (req, k, v);
    }
  if (rq->body)
    soup_message_set_request_body_from_bytes (msg, rq->content_type, rq->body);
  if (self->client_cert)
    soup_message_set_tls_client_certificate (msg, self->client_cert);
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), NULL);

  /* One deadline for the whole exchange: libsoup's timeout is reset by
   * every byte, so a peer trickling its answer would hold us forever. */
  deadline = kiosk_deadline_new (self->timeout_seconds, cancellable);
  c = kiosk_deadline_get_cancellable (deadline);
  stream = soup_session_send (self->session, msg, c, &error);
  if (stream)
    {
      resp = soup_message_get_response_headers (msg);
      length = soup_message_headers_get_encoding (resp) == SOUP_ENCODING_CONTENT_LENGTH
                   ? soup_message_headers_get_content_length (resp)
                   : -1;
      if (length > (goffset) rq->max_answer)
        read = READ_TOO_LARGE;
      else
        read = read_body (stream, rq->max_answer, c, reply, &error);
      /* Closing a body not read to its end would read (and wait for) the
       * rest: cancel first, the connection is then dropped. */
      if (read != READ_OK)
        kiosk_deadline_cancel (deadline);
      g_input_stream_close (stream, c, NULL);
    }
  if (stream == NULL || read == READ_FAILED)
    {
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      out->http_status = stream ? (int) soup_message_get_status (msg) : 0;
      if (kiosk_deadline_expired (deadline))
        set_message (out, g_strdup_printf ("%s %s: no complete answer within %d s", rq->method, rq->path,
                                           self->timeout_seconds));
      else
        set_message (out, g_strdup_printf ("%s %s: %s", rq->method, rq->path, error->message));
      return;
    }
  status = soup_message_get_status (msg);
  resp = soup_message_get_response_headers (msg);
  out->http_status = status;
  out->retry_after_ms = parse_retry_after (soup_message_headers_get_one (resp, "Retry-After"));
  out->etag = kiosk_platform_text_sanitize (soup_message_headers_get_one (resp, "ETag"), 200, FALSE);
  rq->replayed = g_strcmp0 (soup_message_headers_get_one (resp, "Idempotent-Replayed"), "true") == 0;
  ctype = soup_message_headers_get_content_type (resp, NULL);
  rq->json_type = ctype && g_ascii_strcasecmp (ctype, "application/json") == 0;
  if (read == READ_TOO_LARGE)
    {
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      set_message (out, g_strdup_printf ("%s %s: HTTP %d with an answer larger than %" G_GSIZE_FORMAT " bytes, refused",
                                         rq->method, rq->path, status, rq->max_answer));
      return;
    }
  if (reply->len > 0)
    {
      if (memchr (reply->data, '\0', reply->len) || !g_utf8_validate ((const char *) reply->data, reply->len, NULL))
        {
          out->outcome = KIOSK_PLATFORM_TRANSIENT;
          set_message (
              out, g_strdup_printf ("%s %s: HTTP %d with a body that is not UTF-8 text", rq->method, rq->path, status));
          return;
        }
      out->body = g_strndup ((const char *) reply->data, reply->len);
    }

  if (status == 304 && rq->etag)
    out->outcome = KIOSK_PLATFORM_NOT_MODIFIED;
  else if (status >= 200 && status < 300)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      /* A 2xx whose body is not JSON is a broken reply (truncated by a
       * proxy, ...): the request may or may not have taken effect, so it
       * is retried under the same idempotency key. */
      if (out->body && (!json_depth_ok (out->body) || !json_parser_load_from_data (parser, out->body, -1, NULL)))
        {
          out->outcome = KIOSK_PLATFORM_TRANSIENT;
          set_message (out, g_strdup_printf ("%s %s: HTTP %d with a broken JSON body", rq->method, rq->path, status));
          return;
        }
      out->outcome = KIOSK_PLATFORM_OK;
    }
  else if (status < 400)
    {
      /* 1xx, 3xx (redirects are not followed), a 304 nobody asked for:
       * not the platform's answer; whatever is in between may go away. */
      const char *location = soup_message_headers_get_one (resp, "Location");
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      set_message (out,
                   g_strdup_printf ("%s %s: HTTP %d %s%s (not the platform's answer; redirects are not "
                                    "followed)",
                                    rq->method, rq->path, status, location ? "to " : "", location ? location : ""));
    }
  else
    {
      const char *phrase = soup_message_get_reason_phrase (msg);
      set_message (out, g_strdup_printf ("%s %s: HTTP %d %s", rq->method, rq->path, status, phrase ? phrase : ""));
      parse_error_body (out);
      if (status < 500 && out->error_code == NULL)
        {
          /* A 4xx without the platform's error body comes from a proxy,
           * a gateway or a captive portal, not from the platform: it says
           * nothing about the request, so it is retried. */
          out->outcome = KIOSK_PLATFORM_TRANSIENT;
          set_message (out, g_strdup_printf ("%s %s: HTTP %d %s without the platform's error body (a proxy or "
                                             "gateway?)",
                                             rq->method, rq->path, status, phrase ? phrase : ""));
        }
      else if (status == 408 || status == 425 || status == 429 || status >= 500
               || (status == 409 && g_strcmp0 (out->error_code, "attachment_incomplete") == 0)
               || (status == 409 && g_strcmp0 (out->error_code, "offset_mismatch") == 0)
               || (status == 422 && g_strcmp0 (out->error_code, "checksum_mismatch") == 0))
        out->outcome = KIOSK_PLATFORM_TRANSIENT;
      else
        out->outcome = KIOSK_PLATFORM_REJECTED;
    }
}

static const char *
kind_path (const char *kind, char **owned)
{
  if (g_str_equal (kind, "case"))
    return "/v1/cases";
  if (g_str_equal (kind, "rating"))
    return "/v1/ratings";
  if (g_str_equal (kind, "print_record"))
    return "/v1/print-records";
  if (g_str_equal (kind, "proxy_authorisation"))
    return "/v1/proxy-authorisations";
  *owned = g_strconcat ("/v1/records/", kind, NULL);
  return *owned;
}

/* An official number as the kiosk will print and search it: 1 to 64
 * printable ASCII characters without spaces (GB/T 39046 办件编号). */
static gboolean
official_number_ok (const char *number)
{
  gsize len = number ? strlen (number) : 0;

  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (number[i] <= ' ' || number[i] >= 0x7f)
      return FALSE;
  return TRUE;
}

static void
add_clean_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    {
      g_autofree char *clean = kiosk_platform_text_sanitize (value, 200, FALSE);
      json_builder_add_string_value (b, clean);
    }
  else
    json_builder_add_null_value (b);
}

static char *
builder_to_string (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* Decides whether @out (an OK answer to a submission) is the documented
 * success (docs/platform-api.md): 201, or 200 replayed under the same
 * Idempotency-Key, a JSON object, and for a case an official number and
 * the provisional number sent, for any other kind "received": true and the
 * kind. Only then does it stay OK, with a body rebuilt from the documented
 * members (clean text) for the store. Anything else is not a delivery: a
 * transient failure (retried under the same key, the platform replays its
 * first answer) or, when the platform speaks of another item, a rejection
 * for the technician. */
static void
check_submission_answer (const Request *rq, const char *kind, const char *payload, KioskPlatformResult *out)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonParser) sent_parser = json_parser_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  JsonObject *o;

  if (out->outcome != KIOSK_PLATFORM_OK)
    return;
  out->outcome = KIOSK_PLATFORM_TRANSIENT;
  if (!(out->http_status == 201 || (out->http_status == 200 && rq->replayed)))
    {
      set_message (out, g_strdup_printf ("POST %s: HTTP %d is not the platform's acknowledgement (201)", rq->path,
                                         out->http_status));
      return;
    }
  if (!rq->json_type || (o = parse_object (parser, out->body)) == NULL)
    {
      set_message (out, g_strdup_printf ("POST %s: HTTP %d without a JSON object", rq->path, out->http_status));
      return;
    }
  if (member_object (o, "error"))
    {
      set_message (out, g_strdup_printf ("POST %s: HTTP %d with an error body (%s)", rq->path, out->http_status,
                                         member_string (member_object (o, "error"), "code") ?: "no code"));
      return;
    }

  json_builder_begin_object (b);
  if (g_str_equal (kind, "case"))
    {
      const char *official = member_string (o, "official_number");
      const char *provisional = member_string (o, "provisional_number");
      const char *sent = member_string (parse_object (sent_parser, payload), "provisional_number");

      if (!official_number_ok (official))
        {
          set_message (
              out, g_strdup_printf ("POST %s: HTTP %d without a valid official number", rq->path, out->http_status));
          return;
        }
      if (sent == NULL || g_strcmp0 (provisional, sent) != 0)
        {
          out->outcome = KIOSK_PLATFORM_REJECTED;
          set_message (out, g_strdup_printf ("POST %s: HTTP %d acknowledges provisional number %s, not the one sent",
                                             rq->path, out->http_status, provisional ? provisional : "(none)"));
          return;
        }
      add_clean_string (b, "official_number", official);
      add_clean_string (b, "provisional_number", provisional);
      add_clean_string (b, "status", member_string (o, "status"));
      add_clean_string (b, "status_text", member_string (o, "status_text"));
      add_clean_string (b, "due_date", member_string (o, "due_date"));
    }
  else
    {
      const char *answered = member_string (o, "kind");

      if (answered && !g_str_equal (answered, kind))
        {
          out->outcome = KIOSK_PLATFORM_REJECTED;
          set_message (out, g_strdup_printf ("POST %s: HTTP %d acknowledges a %s, not a %s", rq->path, out->http_status,
                                             answered, kind));
          return;
        }
      if (!member_true (o, "received") || answered == NULL)
        {
          set_message (out, g_strdup_printf ("POST %s: HTTP %d without \"received\": true and the kind", rq->path,
                                             out->http_status));
          return;
        }
      json_builder_set_member_name (b, "received");
      json_builder_add_boolean_value (b, TRUE);
      add_clean_string (b, "kind", kind);
    }
  json_builder_end_object (b);
  g_free (out->body);
  out->body = builder_to_string (b);
  out->outcome = KIOSK_PLATFORM_OK;
}

static void
http_submit (KioskPlatformAdapter *ad, const char *kind, const char *key, const char *payload,
             GCancellable *cancellable, KioskPlatformResult *out)
{
  g_autofree char *owned = NULL;
  g_autoptr (GBytes) body = g_bytes_new (payload, strlen (payload));
  Request rq = {
    .method = "POST",
    .path = kind_path (kind, &owned),
    .idempotency_key = key,
    .content_type = "application/json",
    .body = body,
    .max_answer = ANSWER_MAX,
  };

  send_request ((HttpAdapter *) ad, &rq, cancellable, out);
  check_submission_answer (&rq, kind, payload, out);
}

/* {"offset": R, "complete": bool}: 0 <= R <= @size, complete only with
 * every byte. */
static void
read_offset (KioskPlatformResult *out, gint64 size)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = parse_object (parser, out->body);
  gint64 offset = 0;

  out->complete = member_true (o, "complete");
  if (o == NULL || !member_int (o, "offset", &offset) || offset < 0 || offset > size
      || (out->complete && offset != size))
    {
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      out->complete = FALSE;
      set_message (out, g_strdup_printf ("attachment answer (HTTP %d) without a valid offset", out->http_status));
      return;
    }
  out->offset = offset;
}

static void
http_attachment_status (KioskPlatformAdapter *ad, const char *sha256, gint64 size, GCancellable *cancellable,
                        KioskPlatformResult *out)
{
  g_autofree char *path = g_strdup_printf ("/v1/attachments/%s?size=%" G_GINT64_FORMAT, sha256, size);
  Request rq = { .method = "GET", .path = path, .max_answer = ANSWER_MAX };

  send_request ((HttpAdapter *) ad, &rq, cancellable, out);
  if (out->http_status == 404 && out->outcome == KIOSK_PLATFORM_REJECTED)
    {
      /* Unknown to the platform (its own 404): start from zero. */
      out->outcome = KIOSK_PLATFORM_OK;
      out->offset = 0;
      out->complete = FALSE;
      return;
    }
  if (out->outcome == KIOSK_PLATFORM_OK)
    read_offset (out, size);
}

static void
http_attachment_append (KioskPlatformAdapter *ad, const char *sha256, gint64 size, gint64 offset, const guint8 *data,
                        gsize len, GCancellable *cancellable, KioskPlatformResult *out)
{
  g_autofree char *path = g_strdup_printf ("/v1/attachments/%s", sha256);
  g_autoptr (GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GBytes) body = g_bytes_new_static (data, len);
  Request rq = {
    .method = "PATCH",
    .path = path,
    .content_type = "application/offset+octet-stream",
    .body = body,
    .extra_headers = headers,
    .max_answer = ANSWER_MAX,
  };

  g_hash_table_insert (headers, g_strdup ("Upload-Offset"), g_strdup_printf ("%" G_GINT64_FORMAT, offset));
  g_hash_table_insert (headers, g_strdup ("Upload-Length"), g_strdup_printf ("%" G_GINT64_FORMAT, size));
  send_request ((HttpAdapter *) ad, &rq, cancellable, out);
  if (out->outcome == KIOSK_PLATFORM_OK)
    read_offset (out, size);
}

/* Every string in @node made fit to show (newlines kept). */
static void
sanitize_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter it;
      const char *name;
      JsonNode *member;
      json_object_iter_init (&it, json_node_get_object (node));
      while (json_object_iter_next (&it, &name, &member))
        sanitize_node (member);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        sanitize_node (json_array_get_element (a, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *clean = kiosk_platform_text_sanitize (json_node_get_string (node), 0, TRUE);
      if (!g_str_equal (clean, json_node_get_string (node)))
        json_node_set_string (node, clean);
    }
}

/* The answer, if a JSON object, with clean strings; otherwise a transient
 * failure. */
static void
clean_document (KioskPlatformResult *out, const char *what)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (out->outcome != KIOSK_PLATFORM_OK)
    return;
  if (parse_object (parser, out->body) == NULL)
    {
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      set_message (out, g_strdup_printf ("GET %s: HTTP %d without a JSON object", what, out->http_status));
      return;
    }
  sanitize_node (json_parser_get_root (parser));
  g_free (out->body);
  out->body = json_to_string (json_parser_get_root (parser), FALSE);
}

static void
http_fetch_document (KioskPlatformAdapter *ad, const char *what, const char *etag, GCancellable *cancellable,
                     KioskPlatformResult *out)
{
  g_autofree char *path = g_strconcat ("/v1/", what, NULL);
  Request rq = { .method = "GET", .path = path, .etag = etag, .max_answer = DOCUMENT_MAX };

  send_request ((HttpAdapter *) ad, &rq, cancellable, out);
  if (out->outcome == KIOSK_PLATFORM_OK && out->http_status != 200)
    {
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      set_message (out, g_strdup_printf ("GET %s: HTTP %d instead of 200 or 304", path, out->http_status));
    }
  clean_document (out, path);
}

static void
http_case_status (KioskPlatformAdapter *ad, const char *number, GCancellable *cancellable, KioskPlatformResult *out)
{
  g_autofree char *escaped = g_uri_escape_string (number, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/v1/cases/", escaped, NULL);
  Request rq = { .method = "GET", .path = path, .max_answer = ANSWER_MAX };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  static const char *const members[]
      = { "official_number", "provisional_number", "item_code", "status", "status_text", "due_date" };
  JsonObject *o;
  gint64 received_at;

  send_request ((HttpAdapter *) ad, &rq, cancellable, out);
  if (out->outcome != KIOSK_PLATFORM_OK)
    return;
  if ((o = parse_object (parser, out->body)) == NULL)
    {
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      set_message (out, g_strdup_printf ("GET /v1/cases/…: HTTP %d without a JSON object", out->http_status));
      return;
    }
  /* Only the documented members, as strings with clean text. */
  json_builder_begin_object (b);
  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    add_clean_string (b, members[i], member_string (o, members[i]));
  if (member_int (o, "received_at", &received_at))
    {
      json_builder_set_member_name (b, "received_at");
      json_builder_add_int_value (b, received_at);
    }
  json_builder_end_object (b);
  g_free (out->body);
  out->body = builder_to_string (b);
}

/* POST @path {"id_number": ...}: the ID number goes in the body, never in
 * the URL (logs, proxies), and is overwritten once sent; a 200 with a JSON
 * object, its strings cleaned, or a failure. */
static void
post_id_number (KioskPlatformAdapter *ad, const char *path, const char *id_number, GCancellable *cancellable,
                KioskPlatformResult *out)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *json = NULL;
  g_autoptr (GBytes) body = NULL;
  Request rq = {
    .method = "POST",
    .path = path,
    .content_type = "application/json",
    .max_answer = ANSWER_MAX,
  };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id_number");
  json_builder_add_string_value (b, id_number);
  json_builder_end_object (b);
  json = builder_to_string (b);
  body = g_bytes_new_static (json, strlen (json)); /* no copy left behind */
  rq.body = body;
  send_request ((HttpAdapter *) ad, &rq, cancellable, out);
  explicit_bzero (json, strlen (json));
  if (out->outcome == KIOSK_PLATFORM_OK && out->http_status != 200)
    {
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      set_message (out, g_strdup_printf ("POST %s: HTTP %d instead of 200", rq.path, out->http_status));
    }
  clean_document (out, rq.path);
}

static void
http_documents_of_person (KioskPlatformAdapter *ad, const char *id_number, GCancellable *cancellable,
                          KioskPlatformResult *out)
{
  post_id_number (ad, "/v1/documents/of-person", id_number, cancellable, out);
}

static void
http_cases_of_applicant (KioskPlatformAdapter *ad, const char *id_number, GCancellable *cancellable,
                         KioskPlatformResult *out)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *json = NULL;
  g_autoptr (GBytes) body = NULL;
  Request rq = {
    .method = "POST",
    .path = "/v1/cases/of-applicant",
    .content_type = "application/json",
    .max_answer = ANSWER_MAX,
  };

  /* The ID number goes in the body, never in the URL (logs, proxies). */
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id_number");
  json_builder_add_string_value (b, id_number);
  json_builder_end_object (b);
  json = builder_to_string (b);
  body = g_bytes_new_static (json, strlen (json)); /* no copy left behind */
  rq.body = body;
  send_request ((HttpAdapter *) ad, &rq, cancellable, out);
  explicit_bzero (json, strlen (json));
  if (out->outcome == KIOSK_PLATFORM_OK && out->http_status != 200)
    {
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      set_message (out, g_strdup_printf ("POST %s: HTTP %d instead of 200", rq.path, out->http_status));
    }
  clean_document (out, rq.path);
}

static void
http_heartbeat (KioskPlatformAdapter *ad, const char *payload, GCancellable *cancellable, KioskPlatformResult *out)
{
  g_autoptr (GBytes) body = g_bytes_new (payload, strlen (payload));
  Request rq = {
    .method = "POST",
    .path = "/v1/heartbeat",
    .content_type = "application/json",
    .body = body,
    .max_answer = ANSWER_MAX,
  };

  send_request ((HttpAdapter *) ad, &rq, cancellable, out);
}

static void
http_free (KioskPlatformAdapter *ad)
{
  HttpAdapter *self = (HttpAdapter *) ad;

  g_clear_object (&self->session);
  g_clear_object (&self->client_cert);
  g_free (self->base);
  g_free (self->kiosk_id);
  if (self->authorization)
    explicit_bzero (self->authorization, strlen (self->authorization));
  g_free (self->authorization);
  g_free (self);
}

static const KioskPlatformAdapterClass http_class = {
  .submit = http_submit,
  .attachment_status = http_attachment_status,
  .attachment_append = http_attachment_append,
  .fetch_document = http_fetch_document,
  .case_status = http_case_status,
  .cases_of_applicant = http_cases_of_applicant,
  .documents_of_person = http_documents_of_person,
  .heartbeat = http_heartbeat,
  .free = http_free,
};

KioskPlatformAdapter *
kiosk_http_adapter_new (const KioskHttpAdapterOptions *o, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  HttpAdapter *self;
  const char *scheme;

  uri = g_uri_parse (o->base_url, G_URI_FLAGS_NONE, error);
  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      if (g_ascii_strcasecmp (scheme, "http") != 0 || !o->allow_http)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "platform URL %s: only https:// is allowed (set [platform] allow-http=true for tests)",
                       o->base_url);
          return NULL;
        }
      g_warning ("platform: plain HTTP to %s (allow-http is on: tests or demo only)", o->base_url);
    }

  self = g_new0 (HttpAdapter, 1);
  self->parent.klass = &http_class;
  self->base = g_strdup (o->base_url);
  while (g_str_has_suffix (self->base, "/"))
    self->base[strlen (self->base) - 1] = '\0';
  self->kiosk_id = g_strdup (o->kiosk_id ? o->kiosk_id : "");
  if (o->token && *o->token)
    self->authorization = g_strconcat ("Bearer ", o->token, NULL);
  self->timeout_seconds = MAX (o->timeout_seconds, 1);
  self->session
      = soup_session_new_with_options ("timeout", (guint) MAX (o->timeout_seconds, 1), "idle-timeout", (guint) 60,
                                       "max-conns", 4, "user-agent", "kiosk/" PACKAGE_VERSION, NULL);
  if (o->ca_file)
    {
      GTlsDatabase *db = g_tls_file_database_new (o->ca_file, error);
      if (db == NULL)
        {
          http_free (&self->parent);
          return NULL;
        }
      /* Pinned: only this CA is trusted, not the system store. */
      soup_session_set_tls_database (self->session, db);
      g_object_unref (db);
    }
  if (o->client_cert)
    {
      self->client_cert
          = g_tls_certificate_new_from_files (o->client_cert, o->client_key ? o->client_key : o->client_cert, error);
      if (self->client_cert == NULL)
        {
          http_free (&self->parent);
          return NULL;
        }
    }
  return &self->parent;
}

/* The module's one exported symbol (everything else is hidden). */
__attribute__ ((visibility ("default"))) const KioskHttpApi *kiosk_http_module (void);

const KioskHttpApi *
kiosk_http_module (void)
{
  static const KioskHttpApi api = { KIOSK_HTTP_API_VERSION, kiosk_http_adapter_new };
  return &api;
}
