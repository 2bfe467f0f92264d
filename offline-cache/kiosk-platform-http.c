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

typedef struct {
  KioskPlatformAdapter parent;
  SoupSession *session;
  GTlsCertificate *client_cert;
  char *base; /* without trailing slash */
  char *kiosk_id;
} HttpAdapter;

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

/* Reads {"error": {"code": "...", "message": "..."}} and numeric "offset". */
static void
parse_error_body (KioskPlatformResult *out)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root, *err;

  if (out->body == NULL || !json_parser_load_from_data (parser, out->body, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (root, "offset"))
    out->offset = json_object_get_int_member (root, "offset");
  err = json_object_has_member (root, "error") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "error"))
            ? json_object_get_object_member (root, "error")
            : NULL;
  if (err)
    {
      const char *code = json_object_get_string_member_with_default (err, "code", NULL);
      const char *msg = json_object_get_string_member_with_default (err, "message", NULL);
      out->error_code = g_strdup (code);
      if (msg)
        {
          g_free (out->message);
          out->message = g_strdup_printf ("HTTP %d %s: %s", out->http_status, code ? code : "", msg);
        }
    }
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

static void
send_request (HttpAdapter *self, const char *method, const char *path, const char *idempotency_key, const char *etag,
              const char *content_type, GBytes *body, GHashTable *extra_headers, GCancellable *cancellable,
              KioskPlatformResult *out)
{
  g_autofree char *uri = g_strconcat (self->base, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *req, *resp;
  int status;

  kiosk_platform_result_clear (out);
  if (msg == NULL)
    {
      out->outcome = KIOSK_PLATFORM_REJECTED;
      out->message = g_strdup_printf ("bad request URI %s", uri);
      return;
    }
  /* Every request here may be repeated safely (submissions carry an
   * Idempotency-Key, uploads an Upload-Offset the platform checks, a second
   * heartbeat is harmless): libsoup may then send it on a kept-alive
   * connection, where it opens a new TCP connection for every POST and PATCH
   * otherwise. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  req = soup_message_get_request_headers (msg);
  soup_message_headers_replace (req, "Accept", "application/json");
  soup_message_headers_replace (req, "X-Kiosk-Id", self->kiosk_id);
  if (idempotency_key)
    soup_message_headers_replace (req, "Idempotency-Key", idempotency_key);
  if (etag)
    soup_message_headers_replace (req, "If-None-Match", etag);
  if (extra_headers)
    {
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init (&it, extra_headers);
      while (g_hash_table_iter_next (&it, &k, &v))
        soup_message_headers_replace (req, k, v);
    }
  if (body)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  if (self->client_cert)
    soup_message_set_tls_client_certificate (msg, self->client_cert);
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), NULL);

  reply = soup_session_send_and_read (self->session, msg, cancellable, &error);
  if (reply == NULL)
    {
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      out->message = g_strdup_printf ("%s %s: %s", method, path, error->message);
      return;
    }
  status = soup_message_get_status (msg);
  resp = soup_message_get_response_headers (msg);
  out->http_status = status;
  out->retry_after_ms = parse_retry_after (soup_message_headers_get_one (resp, "Retry-After"));
  out->etag = g_strdup (soup_message_headers_get_one (resp, "ETag"));
  if (g_bytes_get_size (reply) > 0)
    out->body = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));

  if (status == 304)
    out->outcome = KIOSK_PLATFORM_NOT_MODIFIED;
  else if (status >= 200 && status < 300)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      /* A 2xx whose body is not JSON is a broken reply (truncated by a
       * proxy, ...): the request may or may not have taken effect, so it
       * is retried under the same idempotency key. */
      if (out->body && !json_parser_load_from_data (parser, out->body, -1, NULL))
        {
          out->outcome = KIOSK_PLATFORM_TRANSIENT;
          out->message = g_strdup_printf ("%s %s: HTTP %d with a broken JSON body", method, path, status);
          return;
        }
      out->outcome = KIOSK_PLATFORM_OK;
    }
  else
    {
      out->message = g_strdup_printf ("%s %s: HTTP %d %s", method, path, status,
                                      soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "");
      parse_error_body (out);
      if (status == 408 || status == 425 || status == 429 || status >= 500
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

static void
http_submit (KioskPlatformAdapter *ad, const char *kind, const char *key, const char *payload,
             GCancellable *cancellable, KioskPlatformResult *out)
{
  g_autofree char *owned = NULL;
  g_autoptr (GBytes) body = g_bytes_new (payload, strlen (payload));

  send_request ((HttpAdapter *) ad, "POST", kind_path (kind, &owned), key, NULL, "application/json", body, NULL,
                cancellable, out);
}

static void
read_offset (KioskPlatformResult *out)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (out->body == NULL || !json_parser_load_from_data (parser, out->body, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      g_free (out->message);
      out->message = g_strdup ("attachment answer without JSON");
      return;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  out->offset = json_object_get_int_member_with_default (o, "offset", 0);
  out->complete = json_object_get_boolean_member_with_default (o, "complete", FALSE);
}

static void
http_attachment_status (KioskPlatformAdapter *ad, const char *sha256, gint64 size, GCancellable *cancellable,
                        KioskPlatformResult *out)
{
  g_autofree char *path = g_strdup_printf ("/v1/attachments/%s?size=%" G_GINT64_FORMAT, sha256, size);

  send_request ((HttpAdapter *) ad, "GET", path, NULL, NULL, NULL, NULL, NULL, cancellable, out);
  if (out->http_status == 404)
    {
      /* Unknown to the platform: start from zero. */
      out->outcome = KIOSK_PLATFORM_OK;
      out->offset = 0;
      out->complete = FALSE;
      return;
    }
  if (out->outcome == KIOSK_PLATFORM_OK)
    read_offset (out);
}

static void
http_attachment_append (KioskPlatformAdapter *ad, const char *sha256, gint64 size, gint64 offset, const guint8 *data,
                        gsize len, GCancellable *cancellable, KioskPlatformResult *out)
{
  g_autofree char *path = g_strdup_printf ("/v1/attachments/%s", sha256);
  g_autoptr (GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GBytes) body = g_bytes_new_static (data, len);

  g_hash_table_insert (headers, g_strdup ("Upload-Offset"), g_strdup_printf ("%" G_GINT64_FORMAT, offset));
  g_hash_table_insert (headers, g_strdup ("Upload-Length"), g_strdup_printf ("%" G_GINT64_FORMAT, size));
  send_request ((HttpAdapter *) ad, "PATCH", path, NULL, NULL, "application/offset+octet-stream", body, headers,
                cancellable, out);
  if (out->outcome == KIOSK_PLATFORM_OK)
    read_offset (out);
}

static void
http_fetch_document (KioskPlatformAdapter *ad, const char *what, const char *etag, GCancellable *cancellable,
                     KioskPlatformResult *out)
{
  g_autofree char *path = g_strconcat ("/v1/", what, NULL);

  send_request ((HttpAdapter *) ad, "GET", path, NULL, etag, NULL, NULL, NULL, cancellable, out);
}

static void
http_case_status (KioskPlatformAdapter *ad, const char *number, GCancellable *cancellable, KioskPlatformResult *out)
{
  g_autofree char *escaped = g_uri_escape_string (number, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/v1/cases/", escaped, NULL);

  send_request ((HttpAdapter *) ad, "GET", path, NULL, NULL, NULL, NULL, NULL, cancellable, out);
}

static void
http_heartbeat (KioskPlatformAdapter *ad, const char *payload, GCancellable *cancellable, KioskPlatformResult *out)
{
  g_autoptr (GBytes) body = g_bytes_new (payload, strlen (payload));

  send_request ((HttpAdapter *) ad, "POST", "/v1/heartbeat", NULL, NULL, "application/json", body, NULL, cancellable,
                out);
}

static void
http_free (KioskPlatformAdapter *ad)
{
  HttpAdapter *self = (HttpAdapter *) ad;

  g_clear_object (&self->session);
  g_clear_object (&self->client_cert);
  g_free (self->base);
  g_free (self->kiosk_id);
  g_free (self);
}

static const KioskPlatformAdapterClass http_class = {
  .submit = http_submit,
  .attachment_status = http_attachment_status,
  .attachment_append = http_attachment_append,
  .fetch_document = http_fetch_document,
  .case_status = http_case_status,
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
