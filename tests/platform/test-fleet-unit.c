/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fleet view in one process (platform-fleet.c; test-fleet.py drives
 * the whole platform): the silent threshold to the second, "today" from
 * the local midnight, the problem flag, the table; and the HTTP side
 * (login, session, static files, kiosk tokens) on an in-process server,
 * so that ASan and LeakSanitizer see every path of it. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sodium.h>

#include "platform-fleet.h"
#include "platform-storage.h"

static char *
tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("fleet-unit-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static JsonObject *
kiosk_of (JsonParser *parser, const char *json, const char *id, guint *index)
{
  JsonArray *kiosks;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  kiosks = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "kiosks");
  for (guint i = 0; i < json_array_get_length (kiosks); i++)
    {
      JsonObject *k = json_array_get_object_element (kiosks, i);
      if (g_str_equal (json_object_get_string_member (k, "kiosk_id"), id))
        {
          if (index)
            *index = i;
          return k;
        }
    }
  g_assert_not_reached ();
}

static void
test_json (void)
{
  g_autofree char *dir = tmpdir ();
  g_autofree char *db = g_build_filename (dir, "p.db", NULL);
  g_autoptr (GError) error = NULL;
  PlatformStorage *s = platform_storage_open (db, &error);
  const char *reg[] = { "K-9", NULL };
  g_autofree char *first = NULL, *at_limit = NULL, *past = NULL, *tomorrow = NULL, *table = NULL, *problems = NULL;
  g_autofree char *official = NULL, *reply = NULL;
  g_autoptr (JsonParser) p1 = json_parser_new ();
  g_autoptr (JsonParser) p2 = json_parser_new ();
  g_autoptr (JsonParser) p3 = json_parser_new ();
  g_autoptr (JsonParser) p4 = json_parser_new ();
  JsonObject *k;
  gint64 at;
  guint index = 0;

  g_assert_no_error (error);
  s->klass->heartbeat (s, "K-1",
                       "{\"kiosk_id\":\"K-1\",\"app_version\":\"0.1.0\",\"devices\":{\"printer\":\"ready\"},"
                       "\"device_reasons\":{\"printer\":\"\"},\"backlog\":0,\"rejected\":0,"
                       "\"oldest_pending_age_seconds\":0,\"accepting_applications\":true}");
  s->klass->heartbeat (s, "K-2",
                       "{\"kiosk_id\":\"K-2\",\"devices\":{\"printer\":\"ready\"},\"backlog\":2,"
                       "\"oldest_pending_age_seconds\":3601}");
  g_assert_true (s->klass->insert_case (s, "key-1", "h1", "K-1", "K-1-000001", "MZ-026", "{}", "[]", NULL,
                                        "{\"official_number\":\"%OFFICIAL%\"}", &official, &reply, &error));
  g_assert_no_error (error);

  first = platform_fleet_json (s, reg, g_get_real_time () / G_USEC_PER_SEC, 900);
  g_assert_nonnull (first);
  k = kiosk_of (p1, first, "K-1", NULL);
  at = json_object_get_int_member (k, "last_heartbeat_at");
  g_assert_cmpint (json_object_get_int_member (k, "cases_today"), ==, 1);
  g_assert_false (json_object_get_boolean_member (k, "problem"));
  /* A backlog whose oldest item is over an hour old is a problem. */
  g_assert_true (json_object_get_boolean_member (kiosk_of (p1, first, "K-2", NULL), "problem"));
  /* Never heard from: silent, a problem, first. */
  k = kiosk_of (p1, first, "K-9", &index);
  g_assert_true (json_object_get_boolean_member (k, "silent"));
  g_assert_cmpuint (index, ==, 0);

  /* Exactly the threshold: not silent yet; one second more: silent. */
  at_limit = platform_fleet_json (s, reg, at + 900, 900);
  g_assert_false (json_object_get_boolean_member (kiosk_of (p2, at_limit, "K-1", NULL), "silent"));
  past = platform_fleet_json (s, reg, at + 901, 900);
  k = kiosk_of (p3, past, "K-1", &index);
  g_assert_true (json_object_get_boolean_member (k, "silent"));
  g_assert_true (json_object_get_boolean_member (k, "problem"));
  g_assert_cmpint (json_object_get_int_member (k, "heartbeat_age_seconds"), ==, 901);
  g_assert_cmpuint (index, ==, 1); /* after K-9, never heard from */

  /* Tomorrow the case is yesterday's. */
  tomorrow = platform_fleet_json (s, reg, at + 86400, 900);
  g_assert_cmpint (json_object_get_int_member (kiosk_of (p4, tomorrow, "K-1", NULL), "cases_today"), ==, 0);

  table = platform_fleet_format_table (first, FALSE);
  g_assert_true (g_str_has_prefix (table, "3 kiosks, 1 silent, 2 with a problem"));
  g_assert_nonnull (strstr (table, "\nSILENT  K-9 "));
  g_assert_nonnull (strstr (table, "\nok      K-1 "));
  g_assert_nonnull (strstr (table, "\nPROBLEM K-2 "));
  problems = platform_fleet_format_table (first, TRUE);
  g_assert_null (strstr (problems, " K-1 "));
  g_assert_nonnull (strstr (problems, " K-2 "));

  s->klass->free (s);
  rm_dir (dir);
}

/* ---- HTTP, in process ------------------------------------------------------ */

typedef struct {
  PlatformFleet *fleet;
  GUri *base;
  GMainLoop *loop;
  gboolean done;
} Http;

static void
server_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  Http *h = data;

  if (!platform_fleet_handle (h->fleet, msg, path))
    soup_server_message_set_status (msg, 299, NULL); /* "the platform would route it" */
}

typedef struct {
  int status;
  char *location;
  char *set_cookie;
  char *body;
} Answer;

static void
answer_clear (Answer *a)
{
  g_free (a->location);
  g_free (a->set_cookie);
  g_free (a->body);
}

/* On the client thread (its own session and context). */
static Answer
request (SoupSession *session, Http *h, const char *method, const char *path, const char *form, const char *cookie,
         const char *bearer)
{
  g_autofree char *uri = g_uri_to_string (h->base);
  g_autofree char *full = g_strconcat (uri, path + 1, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, full);
  g_autoptr (GBytes) body = NULL;
  Answer a = { 0 };

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (form)
    {
      g_autoptr (GBytes) b = g_bytes_new (form, strlen (form));
      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", b);
    }
  if (cookie)
    {
      g_autofree char *c = g_strconcat ("kiosk_fleet_session=", cookie, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", c);
    }
  if (bearer)
    {
      g_autofree char *v = g_strconcat ("Bearer ", bearer, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Kiosk-Id", "K-1");
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", v);
    }
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  a.status = (int) soup_message_get_status (msg);
  a.location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"));
  a.set_cookie = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie"));
  a.body = body ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)) : g_strdup ("");
  return a;
}

static gboolean
quit_cb (gpointer data)
{
  Http *h = data;

  h->done = TRUE;
  g_main_loop_quit (h->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
client_thread (gpointer data)
{
  Http *h = data;
  g_autoptr (GMainContext) ctx = g_main_context_new ();
  g_autoptr (SoupSession) session = NULL;
  g_autofree char *cookie = NULL;
  Answer a;

  g_main_context_push_thread_default (ctx);
  session = soup_session_new ();

  a = request (session, h, "GET", "/v1/admin/fleet", NULL, NULL, NULL);
  g_assert_cmpint (a.status, ==, 401);
  answer_clear (&a);
  a = request (session, h, "GET", "/v1/admin/stats", NULL, NULL, NULL);
  g_assert_cmpint (a.status, ==, 401);
  answer_clear (&a);
  a = request (session, h, "GET", "/fleet", NULL, NULL, NULL);
  g_assert_cmpint (a.status, ==, 303);
  g_assert_cmpstr (a.location, ==, "/fleet/login");
  answer_clear (&a);
  a = request (session, h, "GET", "/fleet/fleet.css", NULL, NULL, NULL);
  g_assert_cmpint (a.status, ==, 200);
  g_assert_nonnull (strstr (a.body, "tr.silent"));
  answer_clear (&a);
  a = request (session, h, "GET", "/fleet/sub/fleet.css", NULL, NULL, NULL);
  g_assert_cmpint (a.status, ==, 404);
  answer_clear (&a);
  /* The page itself only through /fleet (where the session is checked). */
  a = request (session, h, "GET", "/fleet/login.html", NULL, NULL, NULL);
  g_assert_cmpint (a.status, ==, 404);
  answer_clear (&a);

  a = request (session, h, "POST", "/fleet/login", "name=county&password=wrong-one", NULL, NULL);
  g_assert_cmpstr (a.location, ==, "/fleet/login?failed=1");
  g_assert_null (a.set_cookie);
  answer_clear (&a);
  a = request (session, h, "POST", "/fleet/login", "name=nobody&password=whatever1", NULL, NULL);
  g_assert_cmpstr (a.location, ==, "/fleet/login?failed=1");
  answer_clear (&a);
  a = request (session, h, "POST", "/fleet/login", "name=county&password=right-password", NULL, NULL);
  g_assert_cmpstr (a.location, ==, "/fleet");
  g_assert_nonnull (a.set_cookie);
  g_assert_nonnull (strstr (a.set_cookie, "HttpOnly"));
  g_assert_nonnull (strstr (a.set_cookie, "SameSite=Strict"));
  cookie = g_strndup (a.set_cookie + strlen ("kiosk_fleet_session="),
                      strcspn (a.set_cookie + strlen ("kiosk_fleet_session="), ";"));
  answer_clear (&a);

  a = request (session, h, "GET", "/v1/admin/fleet", NULL, cookie, NULL);
  g_assert_cmpint (a.status, ==, 200);
  g_assert_nonnull (strstr (a.body, "\"kiosks\""));
  answer_clear (&a);
  /* Other admin routes pass on to the platform with the session. */
  a = request (session, h, "GET", "/v1/admin/stats", NULL, cookie, NULL);
  g_assert_cmpint (a.status, ==, 299);
  answer_clear (&a);
  /* One character of the MAC changed. */
  cookie[strlen (cookie) - 1] = cookie[strlen (cookie) - 1] == '0' ? '1' : '0';
  a = request (session, h, "GET", "/v1/admin/fleet", NULL, cookie, NULL);
  g_assert_cmpint (a.status, ==, 401);
  answer_clear (&a);

  /* Kiosk tokens. */
  a = request (session, h, "POST", "/v1/heartbeat", NULL, NULL, "0123456789abcdef");
  g_assert_cmpint (a.status, ==, 299);
  answer_clear (&a);
  a = request (session, h, "POST", "/v1/heartbeat", NULL, NULL, "0123456789abcdeX");
  g_assert_cmpint (a.status, ==, 401);
  answer_clear (&a);
  a = request (session, h, "GET", "/v1/verify/ABC", NULL, NULL, NULL);
  g_assert_cmpint (a.status, ==, 299);
  answer_clear (&a);

  g_main_context_pop_thread_default (ctx);
  g_idle_add (quit_cb, h);
  return NULL;
}

static void
test_http (void)
{
  g_autofree char *dir = tmpdir ();
  g_autofree char *db = g_build_filename (dir, "p.db", NULL);
  g_autofree char *accounts = g_build_filename (dir, "accounts", NULL);
  g_autofree char *tokens = g_build_filename (dir, "tokens", NULL);
  char hash[crypto_pwhash_STRBYTES];
  g_autofree char *accounts_text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  GThread *thread;
  PlatformStorage *s = platform_storage_open (db, &error);
  GSList *uris;
  Http h = { 0 };
  char *argv_data[] = { (char *) "test", (char *) "--admin-accounts", accounts,      (char *) "--kiosk-tokens",
                        tokens,          (char *) "--silent-after",   (char *) "60", NULL };
  char **argv = argv_data;
  int argc = G_N_ELEMENTS (argv_data) - 1;

  g_assert_no_error (error);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (crypto_pwhash_str (hash, "right-password", strlen ("right-password"),
                                      crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE),
                   ==, 0);
  accounts_text = g_strdup_printf ("# test\ncounty:%s\n", hash);
  g_assert_true (g_file_set_contents (accounts, accounts_text, -1, &error));
  g_assert_true (g_file_set_contents (tokens, "K-1:0123456789abcdef\n", -1, &error));

  h.fleet = platform_fleet_new ();
  g_option_context_add_group (ctx, platform_fleet_option_group (h.fleet));
  g_assert_true (g_option_context_parse (ctx, &argc, &argv, &error));
  g_assert_no_error (error);
  g_assert_true (platform_fleet_setup (h.fleet, s, &error));
  g_assert_no_error (error);

  soup_server_add_handler (server, "/", server_cb, &h, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  h.base = g_uri_ref (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  h.loop = g_main_loop_new (NULL, FALSE);
  thread = g_thread_new ("client", client_thread, &h);
  g_main_loop_run (h.loop);
  g_thread_join (thread);
  g_assert_true (h.done);

  g_main_loop_unref (h.loop);
  g_uri_unref (h.base);
  soup_server_disconnect (server);
  platform_fleet_free (h.fleet);
  s->klass->free (s);
  rm_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fleet/json", test_json);
  g_test_add_func ("/fleet/http", test_http);
  return g_test_run ();
}
