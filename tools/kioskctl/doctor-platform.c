/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "doctor.h"
#include "http-head.h"

/* kioskctl doctor asks the platform GET /v1/kiosks/{id} (docs/platform-api.md)
 * with the kiosk's own TLS settings, on a connection of its own (GIO), and
 * reads: whether it answers, the TLS handshake and the server's
 * certificate, the clock skew against the answer's Date, and whether the
 * platform knows this kiosk id. Bounded: a watchdog cancels it all after
 * twice the timeout. */

#define MAX_ANSWER (64 * 1024)

typedef struct {
  GTlsDatabase *database;       /* [platform] ca-file, or NULL: the system's */
  GTlsCertificate *certificate; /* [platform] client-cert / client-key */
  gboolean tcp_connected;
  gboolean tls_started;
} Probe;

static void
event_cb (GSocketClient *client, GSocketClientEvent event, GSocketConnectable *connectable, GIOStream *connection,
          Probe *p)
{
  if (event == G_SOCKET_CLIENT_CONNECTED)
    p->tcp_connected = TRUE;
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CLIENT_CONNECTION (connection))
    {
      p->tls_started = TRUE;
      if (p->database)
        g_tls_connection_set_database (G_TLS_CONNECTION (connection), p->database);
      if (p->certificate)
        g_tls_connection_set_certificate (G_TLS_CONNECTION (connection), p->certificate);
    }
}

/* The watchdog: cancels @cancellable unless told to stop first. */
typedef struct {
  GMutex lock;
  GCond cond;
  gboolean done;
  gint64 until;
  GCancellable *cancellable;
} Watchdog;

static gpointer
watchdog_thread (gpointer data)
{
  Watchdog *w = data;

  g_mutex_lock (&w->lock);
  while (!w->done)
    if (!g_cond_wait_until (&w->cond, &w->lock, w->until))
      {
        g_cancellable_cancel (w->cancellable);
        break;
      }
  g_mutex_unlock (&w->lock);
  return NULL;
}

static char *
error_code_of (const char *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root, *error, *code;

  if (body == NULL || !json_parser_load_from_data (parser, body, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser))
      || (error = json_object_get_member (json_node_get_object (root), "error")) == NULL
      || !JSON_NODE_HOLDS_OBJECT (error)
      || (code = json_object_get_member (json_node_get_object (error), "code")) == NULL
      || json_node_get_value_type (code) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (code));
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
describe_certificate (DoctorReport *r, GIOStream *stream)
{
  GTlsCertificate *peer;
  g_autoptr (GDateTime) until = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *until_s = NULL;
  gint64 left;

  if (!G_IS_TCP_WRAPPER_CONNECTION (stream)
      || !G_IS_TLS_CONNECTION (g_tcp_wrapper_connection_get_base_io_stream (G_TCP_WRAPPER_CONNECTION (stream))))
    return;
  peer = g_tls_connection_get_peer_certificate (
      G_TLS_CONNECTION (g_tcp_wrapper_connection_get_base_io_stream (G_TCP_WRAPPER_CONNECTION (stream))));
  if (peer == NULL)
    return;
  subject = g_tls_certificate_get_subject_name (peer);
  until = g_tls_certificate_get_not_valid_after (peer);
  until_s = until ? g_date_time_format_iso8601 (until) : NULL;
  add_string (r->b, "certificate_subject", subject);
  add_string (r->b, "certificate_valid_until", until_s);
  doctor_line (r, "certificate: %s, valid until %s", subject ? subject : "?", until_s ? until_s : "?");
  left = until ? (g_date_time_to_unix (until) - g_get_real_time () / G_USEC_PER_SEC) / 86400 : 365;
  if (left < 30)
    doctor_finding (r, "the platform's certificate expires in %" G_GINT64_FORMAT " days", left);
}

void
doctor_check_platform (DoctorReport *r, KioskConfig *config, int timeout_s)
{
  g_autofree char *url = NULL, *kiosk_id = NULL, *ca_file = NULL, *cert = NULL, *key = NULL;
  g_autofree char *token = NULL, *authorization = NULL;
  g_autofree char *request = NULL, *escaped = NULL, *base_path = NULL, *body = NULL, *code = NULL;
  g_autofree char *host_header = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GSocketClient) client = NULL;
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GSocketConnectable) address = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) answer = g_byte_array_new ();
  KioskctlHttpHead head = { 0 };
  Watchdog w = { .cancellable = cancellable };
  Probe p = { 0 };
  GThread *watchdog;
  gboolean https;
  int port, parsed = 0;
  gint64 t0, t1, server = -1;

  doctor_section_begin (r, "platform");
  if (config == NULL)
    {
      json_builder_set_member_name (r->b, "checked");
      json_builder_add_boolean_value (r->b, FALSE);
      doctor_line (r, "not asked: no valid configuration names it");
      doctor_section_end (r);
      return;
    }
  url = kiosk_config_get_string (config, "platform", "url");
  kiosk_id = kiosk_config_get_string (config, "kiosk", "id");
  ca_file = kiosk_config_get_path_value (config, "platform", "ca-file");
  cert = kiosk_config_get_path_value (config, "platform", "client-cert");
  key = kiosk_config_get_path_value (config, "platform", "client-key");
  /* The kiosk's token (a platform with --kiosk-tokens), as the kiosk sends
   * it; the schema allows no line break in it. */
  token = kiosk_config_get_string (config, "platform", "token");
  authorization = token && *token ? g_strdup_printf ("Authorization: Bearer %s\r\n", token) : g_strdup ("");
  add_string (r->b, "url", url);
  add_string (r->b, "kiosk_id", kiosk_id);
  json_builder_set_member_name (r->b, "checked");
  json_builder_add_boolean_value (r->b, TRUE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &error);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      doctor_finding (r, "[platform] url %s: %s", url, error ? error->message : "no host");
      doctor_section_end (r);
      return;
    }
  https = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0;
  port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : https ? 443 : 80;
  base_path = g_strdup (g_uri_get_path (uri));
  while (*base_path && base_path[strlen (base_path) - 1] == '/')
    base_path[strlen (base_path) - 1] = '\0';
  escaped = g_uri_escape_string (kiosk_id, NULL, FALSE);
  /* An IPv6 literal goes in brackets in the Host header. */
  host_header = strchr (g_uri_get_host (uri), ':') ? g_strdup_printf ("[%s]:%d", g_uri_get_host (uri), port)
                                                   : g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);
  request = g_strdup_printf ("GET %s/v1/kiosks/%s HTTP/1.1\r\nHost: %s\r\nX-Kiosk-Id: %s\r\n%s"
                             "Accept: application/json\r\nUser-Agent: kioskctl/%s\r\nConnection: close\r\n\r\n",
                             base_path, escaped, host_header, kiosk_id, authorization, PACKAGE_VERSION);
  doctor_line (r, "asking %s (GET /v1/kiosks/%s, %d s at most)", url, kiosk_id, 2 * timeout_s);

  if (https && ca_file)
    {
      p.database = g_tls_file_database_new (ca_file, &error);
      if (p.database == NULL)
        {
          doctor_finding (r, "[platform] ca-file: %s", error->message);
          g_clear_error (&error);
        }
    }
  if (https && cert)
    {
      p.certificate = g_tls_certificate_new_from_files (cert, key ? key : cert, &error);
      if (p.certificate == NULL)
        {
          doctor_finding (r, "[platform] client-cert/client-key: %s", error->message);
          g_clear_error (&error);
        }
    }

  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, (guint) timeout_s);
  g_socket_client_set_tls (client, https);
  g_signal_connect (client, "event", G_CALLBACK (event_cb), &p);
  address = g_network_address_new (g_uri_get_host (uri), (guint16) port);

  g_mutex_init (&w.lock);
  g_cond_init (&w.cond);
  w.until = g_get_monotonic_time () + 2 * (gint64) timeout_s * G_USEC_PER_SEC;
  watchdog = g_thread_new ("doctor-watchdog", watchdog_thread, &w);

  t0 = g_get_monotonic_time ();
  conn = g_socket_client_connect (client, address, cancellable, &error);
  if (conn
      && g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request, strlen (request), NULL,
                                    cancellable, &error))
    {
      GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
      guint8 buf[4096];
      gssize n;

      while (answer->len < MAX_ANSWER && (n = g_input_stream_read (in, buf, sizeof buf, cancellable, &error)) > 0)
        g_byte_array_append (answer, buf, (guint) n);
      if (answer->len > 0)
        g_clear_error (&error); /* a reset after the answer: the answer counts */
    }
  t1 = g_get_monotonic_time ();

  g_mutex_lock (&w.lock);
  w.done = TRUE;
  g_cond_signal (&w.cond);
  g_mutex_unlock (&w.lock);
  g_thread_join (watchdog);
  g_mutex_clear (&w.lock);
  g_cond_clear (&w.cond);

  if (answer->len > 0)
    {
      g_autoptr (GError) parse_error = NULL;
      parsed = kioskctl_http_head_parse ((const char *) answer->data, answer->len, &head, &parse_error);
      if (parsed < 0 && error == NULL)
        error = g_steal_pointer (&parse_error);
    }

  json_builder_set_member_name (r->b, "reachable");
  json_builder_add_boolean_value (r->b, p.tcp_connected);
  json_builder_set_member_name (r->b, "tls");
  json_builder_add_boolean_value (r->b, https);
  json_builder_set_member_name (r->b, "elapsed_ms");
  json_builder_add_int_value (r->b, (t1 - t0) / 1000);

  if (!p.tcp_connected)
    {
      doctor_finding (r, "the platform is unreachable: %s",
                      g_cancellable_is_cancelled (cancellable) ? "no answer in time"
                      : error                                  ? error->message
                                                               : "no connection");
      add_string (r->b, "error", error ? error->message : "no connection");
      doctor_section_end (r);
      g_clear_object (&p.database);
      g_clear_object (&p.certificate);
      return;
    }
  if (https)
    {
      json_builder_set_member_name (r->b, "tls_ok");
      json_builder_add_boolean_value (r->b, conn != NULL);
      if (conn == NULL)
        {
          doctor_finding (r, "TLS with the platform failed: %s", error ? error->message : "handshake failed");
          add_string (r->b, "error", error ? error->message : "handshake failed");
          doctor_section_end (r);
          g_clear_object (&p.database);
          g_clear_object (&p.certificate);
          return;
        }
      doctor_line (r, "TLS: ok (%s)", ca_file ? "pinned CA" : "system CA store");
      describe_certificate (r, G_IO_STREAM (conn));
    }
  if (parsed != 1)
    {
      doctor_finding (r, "the platform accepted a connection but gave no HTTP answer: %s",
                      g_cancellable_is_cancelled (cancellable) ? "no answer in time"
                      : error                                  ? error->message
                                                               : "the answer is cut short");
      add_string (r->b, "error", error ? error->message : "no HTTP answer");
      doctor_section_end (r);
      g_clear_object (&p.database);
      g_clear_object (&p.certificate);
      return;
    }

  json_builder_set_member_name (r->b, "http_status");
  json_builder_add_int_value (r->b, head.status);
  doctor_line (r, "answer: HTTP %d %s in %" G_GINT64_FORMAT " ms", head.status, head.reason, (t1 - t0) / 1000);

  /* The clock against the platform's. */
  server = kioskctl_http_date_parse (kioskctl_http_head_get (&head, "date"));
  json_builder_set_member_name (r->b, "clock_skew_seconds");
  if (server < 0)
    {
      json_builder_add_null_value (r->b);
      doctor_line (r, "clock skew: unknown (the answer has no Date header)");
    }
  else
    {
      /* Date is truncated to the second and taken during the request. */
      gint64 local = (g_get_real_time () - (t1 - t0) / 2) / G_USEC_PER_SEC;
      gint64 skew = local - server;

      json_builder_add_int_value (r->b, skew);
      doctor_line (r, "clock skew: %+" G_GINT64_FORMAT " s against the platform's Date", skew);
      if (ABS (skew) > DOCTOR_MAX_SKEW_SECONDS)
        doctor_finding (r, "this kiosk's clock is %" G_GINT64_FORMAT " s %s the platform's", ABS (skew),
                        skew > 0 ? "ahead of" : "behind");
    }

  /* Is this kiosk known? */
  body = g_strndup ((const char *) answer->data + head.head_length, answer->len - head.head_length);
  code = error_code_of (body);
  json_builder_set_member_name (r->b, "kiosk_known");
  if (head.status == 200)
    {
      json_builder_add_boolean_value (r->b, TRUE);
      doctor_line (r, "kiosk id %s: known to the platform", kiosk_id);
    }
  else if ((head.status == 404 && g_strcmp0 (code, "unknown_kiosk") == 0) || head.status == 401 || head.status == 403)
    {
      json_builder_add_boolean_value (r->b, FALSE);
      doctor_finding (r, "the platform does not know kiosk id %s (HTTP %d%s%s)", kiosk_id, head.status, code ? " " : "",
                      code ? code : "");
    }
  else
    {
      json_builder_add_null_value (r->b);
      if (head.status >= 500)
        doctor_finding (r, "the platform answers HTTP %d: it is not working", head.status);
      else
        doctor_line (r, "kiosk id %s: the platform cannot tell (HTTP %d%s%s)", kiosk_id, head.status, code ? " " : "",
                     code ? code : "");
    }
  add_string (r->b, "error_code", code);
  kioskctl_http_head_clear (&head);
  g_clear_object (&p.database);
  g_clear_object (&p.certificate);
  doctor_section_end (r);
}
