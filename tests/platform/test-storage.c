/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-storage-test"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "platform-storage.h"

/* The platform's storage interface (platform/platform-storage.h), once per
 * engine: SQLite in a temporary folder, or PostgreSQL when
 * KIOSK_TEST_PG_URI names a server (tests/platform/pg-run.sh runs this
 * under pg_virtualenv; every test makes a database of its own there).
 * Each method; exactly-once with two processes writing the same keys and
 * the same attachments at once; an append at a wrong offset refused; a
 * checksum failure discarding the upload; a database of schema version 1,
 * made from SQL here, migrated with its data kept. */

static const char *pg_base;
static char *tmpdir;

/* ---- Targets ------------------------------------------------------------ */

static char *
pg_join (const char *base, const char *name)
{
  return g_strconcat (base, g_str_has_suffix (base, "/") && !g_str_has_suffix (base, "://") ? "" : "/", name, NULL);
}

static void
pg_exec (const char *target, const char *sql)
{
  PGconn *conn = PQconnectdb (target);
  PGresult *res;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s", PQerrorMessage (conn));
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  PQclear (res);
  PQfinish (conn);
}

/* A new, empty target for the engine under test. */
static char *
fresh_target (const char *name)
{
  static int n;

  if (pg_base)
    {
      g_autofree char *db = g_strdup_printf ("kiosk_storage_%d_%d", (int) getpid (), n++);
      g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", db);
      pg_exec (pg_base, sql);
      return pg_join (pg_base, db);
    }
  return g_strdup_printf ("%s/%s-%d.db", tmpdir, name, n++);
}

static PlatformStorage *
open_storage (const char *target)
{
  g_autoptr (GError) error = NULL;
  PlatformStorage *s = platform_storage_open (target, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

#define K(s) ((s)->klass)

static char *
sha_of (const void *data, gsize len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

static gboolean
insert_case (PlatformStorage *s, const char *key, const char *kiosk, const char *provisional, const char *id_number,
             char **official, GError **error)
{
  g_autofree char *payload = g_strdup_printf ("{\"provisional_number\":\"%s\",\"item_code\":\"I-1\",\"applicant\":"
                                              "{\"name\":\"测试\",\"id_number\":\"%s\"},\"owed_materials\":[\"M-2\"],"
                                              "\"materials\":[\"M-1\"],\"handling_region\":\"R-9\"}",
                                              provisional, id_number);
  g_autofree char *reply = NULL;
  gboolean done = K (s)->insert_case (s, key, "h-1", kiosk, provisional, "I-1", payload, "[{\"sha256\":\"ab\"}]",
                                      "2030-01-02", "{\"official_number\":\"%OFFICIAL%\"}", official, &reply, error);

  if (done)
    {
      g_autofree char *expected = g_strdup_printf ("{\"official_number\":\"%s\"}", *official);
      g_assert_cmpstr (reply, ==, expected);
    }
  return done;
}

/* ---- Each method ---------------------------------------------------------- */

static void
test_cases (void)
{
  g_autofree char *target = fresh_target ("cases");
  PlatformStorage *s = open_storage (target);
  g_autofree char *o1 = NULL, *o2 = NULL, *o3 = NULL, *found = NULL, *json = NULL, *list = NULL, *all = NULL;
  g_autofree char *stats = NULL, *applicant = NULL;
  PlatformStoredReply r = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (K (s)->schema_version (s), ==, PLATFORM_STORAGE_SCHEMA_VERSION);
  g_assert_false (K (s)->lookup_reply (s, "key-1", &r));
  g_assert_true (insert_case (s, "key-1", "K-1", "P-1", "11010519491231002X", &o1, &error));
  g_assert_no_error (error);
  g_assert_true (insert_case (s, "key-2", "K-1", "P-2", "11010519491231002X", &o2, &error));
  g_assert_true (insert_case (s, "key-3", "K-2", "P-1", "440101199001011234", &o3, &error));
  /* Official numbers: consecutive, distinct. */
  g_assert_cmpint (strlen (o1), ==, 18);
  g_assert_cmpint (g_ascii_strtoll (o2 + 10, NULL, 10), ==, g_ascii_strtoll (o1 + 10, NULL, 10) + 1);
  g_assert_cmpint (g_ascii_strtoll (o3 + 10, NULL, 10), ==, g_ascii_strtoll (o1 + 10, NULL, 10) + 2);

  /* The same key again, or the same case under another key: conflict,
   * nothing stored. */
  {
    g_autofree char *o = NULL;
    g_assert_false (insert_case (s, "key-1", "K-9", "P-9", "1", &o, &error));
    g_assert_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT);
    g_clear_error (&error);
    g_assert_false (insert_case (s, "key-x", "K-1", "P-1", "1", &o, &error));
    g_assert_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT);
    g_clear_error (&error);
    g_assert_false (K (s)->lookup_reply (s, "key-x", &r));
  }

  g_assert_true (K (s)->lookup_reply (s, "key-1", &r));
  g_assert_cmpstr (r.kind, ==, "case");
  g_assert_cmpint (r.status, ==, 201);
  g_assert_nonnull (strstr (r.response, o1));
  platform_stored_reply_clear (&r);

  found = K (s)->find_case_by_provisional (s, "K-1", "P-2");
  g_assert_cmpstr (found, ==, o2);
  g_assert_null (K (s)->find_case_by_provisional (s, "K-3", "P-2"));

  json = K (s)->get_case (s, o3);
  g_assert_nonnull (strstr (json, "\"kiosk_id\": \"K-2\"") ? json : strstr (json, "\"kiosk_id\":\"K-2\""));
  g_assert_nonnull (strstr (json, "\"ab\""));
  g_clear_pointer (&json, g_free);
  json = K (s)->get_case (s, "P-2");
  g_assert_nonnull (strstr (json, o2));
  g_assert_null (K (s)->get_case (s, "nope"));

  applicant = K (s)->get_case_applicant (s, o1);
  g_assert_cmpstr (applicant, ==, "11010519491231002X");
  g_assert_null (K (s)->get_case_applicant (s, "nope"));

  list = K (s)->list_cases_of_applicant (s, "11010519491231002X");
  /* Newest first: o2 before o1 (same second: by id). */
  g_assert_nonnull (strstr (list, o2));
  g_assert_true (strstr (list, o2) < strstr (list, o1));
  g_assert_null (strstr (list, o3));
  g_assert_nonnull (strstr (list, "M-2"));

  all = K (s)->list_cases (s);
  g_assert_true (strstr (all, o1) < strstr (all, o2) && strstr (all, o2) < strstr (all, o3));
  g_assert_nonnull (strstr (all, "R-9"));
  g_assert_nonnull (strstr (all, "M-1"));

  K (s)->count (s, "duplicate_submissions", 2);
  K (s)->count (s, "duplicate_submissions", 1);
  stats = K (s)->stats (s);
  g_assert_true (strstr (stats, "\"cases\":3") || strstr (stats, "\"cases\" : 3"));
  g_assert_true (strstr (stats, "\"duplicate_submissions\":3") || strstr (stats, "\"duplicate_submissions\" : 3"));
  K (s)->free (s);
}

static void
test_records (void)
{
  g_autofree char *target = fresh_target ("records");
  PlatformStorage *s = open_storage (target);
  PlatformStoredReply r = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *stats = NULL;

  g_assert_true (
      K (s)->insert_record (s, "rating", "r-1", "h1", "K-1", "{\"score\":5}", "{\"received\":true}", &error));
  g_assert_no_error (error);
  g_assert_false (K (s)->insert_record (s, "rating", "r-1", "h1", "K-1", "{\"score\":5}", "{}", &error));
  g_assert_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (K (s)->lookup_reply (s, "r-1", &r));
  g_assert_cmpstr (r.kind, ==, "rating");
  g_assert_cmpstr (r.request_hash, ==, "h1");
  g_assert_cmpstr (r.response, ==, "{\"received\":true}");
  platform_stored_reply_clear (&r);
  g_assert_true (K (s)->insert_record (s, "print_record", "p-1", "h2", "K-1", "{}", "{}", &error));
  stats = K (s)->stats (s);
  g_assert_true (strstr (stats, "\"ratings\":1") || strstr (stats, "\"ratings\" : 1"));
  g_assert_true (strstr (stats, "\"print_records\":1") || strstr (stats, "\"print_records\" : 1"));
  K (s)->free (s);
}

static void
test_documents (void)
{
  g_autofree char *target = fresh_target ("documents");
  PlatformStorage *s = open_storage (target);
  g_autoptr (GError) error = NULL;
  /* Whole seconds: the engines agree on them (no rounding). */
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *finished = g_date_time_format_iso8601 (now);
  g_autofree char *print = g_strdup_printf ("{\"record_id\":\"pr-1\",\"document_id\":\"certificate:D-1\","
                                            "\"counted\":true,\"finished_at\":\"%s\",\"reprint_count\":1}",
                                            finished);
  g_autofree char *list = NULL, *doc = NULL, *doc2 = NULL;

  g_assert_true (K (s)->put_document (s, "D-1", "11010519491231002x",
                                      "{\"code\":\"D-1\",\"issued_date\":\"2024-01-01\"}", &error));
  g_assert_true (K (s)->put_document (s, "D-2", "11010519491231002X",
                                      "{\"code\":\"D-2\",\"issued_date\":\"2025-01-01\"}", &error));
  /* Replaced under the same code. */
  g_assert_true (K (s)->put_document (s, "D-2", "11010519491231002X",
                                      "{\"code\":\"D-2\",\"issued_date\":\"2025-06-01\"}", &error));
  g_assert_no_error (error);
  g_assert_true (K (s)->insert_record (s, "print_record", "p-1", "h", "K-1", print, "{}", &error));
  /* A record with a malformed date still counts as a print, not today. */
  g_assert_true (K (s)->insert_record (s, "print_record", "p-2", "h", "K-1",
                                       "{\"record_id\":\"pr-2\",\"document_id\":\"certificate:D-1\",\"counted\":1,"
                                       "\"finished_at\":\"garbage\"}",
                                       "{}", &error));
  g_assert_no_error (error);

  list = K (s)->list_documents_of_person (s, "11010519491231002X");
  g_assert_nonnull (strstr (list, "2025-06-01"));
  g_assert_true (strstr (list, "D-2") < strstr (list, "D-1"));
  g_assert_true (strstr (list, "\"printed_today\":1") || strstr (list, "\"printed_today\": 1"));
  g_assert_true (strstr (list, "\"prints\":2") || strstr (list, "\"prints\": 2"));

  doc = K (s)->get_document (s, "D-1");
  g_assert_true (strstr (doc, "\"prints\":2") || strstr (doc, "\"prints\": 2"));
  g_assert_true (strstr (doc, "\"reprints\":1") || strstr (doc, "\"reprints\": 1"));
  {
    g_autofree char *at = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (now));
    g_assert_nonnull (strstr (doc, at));
  }
  doc2 = K (s)->get_document (s, "D-2");
  g_assert_true (strstr (doc2, "\"prints\":0") || strstr (doc2, "\"prints\": 0"));
  g_assert_true (strstr (doc2, "\"last_printed_at\":null") || strstr (doc2, "\"last_printed_at\": null"));
  g_assert_null (K (s)->get_document (s, "D-3"));
  K (s)->free (s);
}

static void
test_attachments (void)
{
  g_autofree char *target = fresh_target ("attachments");
  PlatformStorage *s = open_storage (target);
  g_autoptr (GError) error = NULL;
  guint8 data[3000];
  g_autofree char *sha = NULL;
  gint64 size = 0, received = 0;
  gboolean complete = FALSE, checksum_ok = FALSE;
  g_autoptr (GBytes) back = NULL;

  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 7 + 3);
  sha = sha_of (data, sizeof data);
  g_assert_false (K (s)->attachment_get (s, sha, &size, &received, &complete));

  /* Nothing received: offset 1000 is refused. */
  g_assert_false (
      K (s)->attachment_append (s, sha, 3000, 1000, data + 1000, 1000, &received, &complete, &checksum_ok, &error));
  g_assert_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT);
  g_assert_cmpint (received, ==, 0);
  g_clear_error (&error);

  g_assert_true (K (s)->attachment_append (s, sha, 3000, 0, data, 1000, &received, &complete, &checksum_ok, &error));
  g_assert_cmpint (received, ==, 1000);
  g_assert_false (complete);
  /* The same chunk again (a retry whose answer was lost): refused, the
   * stored count said. */
  g_assert_false (K (s)->attachment_append (s, sha, 3000, 0, data, 1000, &received, &complete, &checksum_ok, &error));
  g_assert_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT);
  g_assert_cmpint (received, ==, 1000);
  g_clear_error (&error);
  g_assert_true (K (s)->attachment_get (s, sha, &size, &received, &complete));
  g_assert_cmpint (size, ==, 3000);
  g_assert_cmpint (received, ==, 1000);
  g_assert_null (K (s)->attachment_read (s, sha));

  g_assert_true (
      K (s)->attachment_append (s, sha, 3000, 1000, data + 1000, 1000, &received, &complete, &checksum_ok, &error));
  g_assert_true (
      K (s)->attachment_append (s, sha, 3000, 2000, data + 2000, 1000, &received, &complete, &checksum_ok, &error));
  g_assert_no_error (error);
  g_assert_true (complete);
  g_assert_true (checksum_ok);
  back = K (s)->attachment_read (s, sha);
  g_assert_nonnull (back);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), data, sizeof data);
  /* Complete: a late append changes nothing. */
  g_assert_true (K (s)->attachment_append (s, sha, 3000, 0, data, 10, &received, &complete, &checksum_ok, &error));
  g_assert_true (complete);
  g_assert_cmpint (received, ==, 3000);

  /* Checksum failure on the last byte: the partial upload is discarded. */
  {
    g_autofree char *other = sha_of ("other", 5);
    guint8 bad[3000];

    memcpy (bad, data, sizeof bad);
    bad[2500] ^= 1;
    g_assert_true (K (s)->attachment_append (s, other, 3000, 0, bad, 2000, &received, &complete, &checksum_ok, &error));
    g_assert_true (
        K (s)->attachment_append (s, other, 3000, 2000, bad + 2000, 1000, &received, &complete, &checksum_ok, &error));
    g_assert_no_error (error);
    g_assert_false (checksum_ok);
    g_assert_false (complete);
    g_assert_cmpint (received, ==, 0);
    g_assert_true (K (s)->attachment_get (s, other, &size, &received, &complete));
    g_assert_cmpint (received, ==, 0);
    g_assert_null (K (s)->attachment_read (s, other));
    /* ... and one request with the whole wrong body too. */
    g_assert_true (K (s)->attachment_append (s, other, 3000, 0, bad, 3000, &received, &complete, &checksum_ok, &error));
    g_assert_false (checksum_ok);
    g_assert_cmpint (received, ==, 0);
  }
  K (s)->free (s);
}

static void
test_kiosks (void)
{
  g_autofree char *target = fresh_target ("kiosks");
  PlatformStorage *s = open_storage (target);
  g_autofree char *fleet = NULL, *stats = NULL, *o = NULL;
  g_autoptr (GError) error = NULL;

  K (s)->heartbeat (s, "K-1", "{\"app_version\":\"1\"}");
  K (s)->heartbeat (s, "K-1", "{\"app_version\":\"2\"}");
  K (s)->heartbeat (s, "K-2", "{}");
  K (s)->count (s, "heartbeats", 3);
  g_assert_true (insert_case (s, "c-1", "K-3", "P-1", "1", &o, &error));
  g_assert_true (K (s)->insert_record (s, "rating", "r-1", "h", "K-1", "{}", "{}", &error));
  fleet = K (s)->fleet (s, g_get_real_time () / G_USEC_PER_SEC - 60);
  g_assert_nonnull (fleet);
  g_assert_true (strstr (fleet, "K-1") < strstr (fleet, "K-2") && strstr (fleet, "K-2") < strstr (fleet, "K-3"));
  g_assert_nonnull (strstr (fleet, "\"2\""));
  g_assert_null (strstr (fleet, "\"1\"}"));
  stats = K (s)->stats (s);
  g_assert_true (strstr (stats, "\"kiosks_seen\":2") || strstr (stats, "\"kiosks_seen\" : 2"));
  g_assert_true (strstr (stats, "\"heartbeats\":3") || strstr (stats, "\"heartbeats\" : 3"));
  K (s)->free (s);
}

/* ---- Migrations ------------------------------------------------------------ */

/* Schema version 1 as it shipped (a copy, frozen: the engines' migration 1
 * may not change). */
static const char sqlite_v1[]
    = "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
      "CREATE TABLE replies (idempotency_key TEXT PRIMARY KEY, kind TEXT NOT NULL,"
      "  request_hash TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL, created_at INTEGER NOT NULL);"
      "CREATE TABLE cases (id INTEGER PRIMARY KEY, official_number TEXT NOT NULL UNIQUE,"
      "  kiosk_id TEXT NOT NULL, provisional_number TEXT NOT NULL, item_code TEXT NOT NULL, payload TEXT NOT NULL,"
      "  attachments TEXT NOT NULL, received_at INTEGER NOT NULL, due_date TEXT,"
      "  UNIQUE (kiosk_id, provisional_number));"
      "CREATE INDEX cases_provisional ON cases (provisional_number);"
      "CREATE TABLE attachments (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL,"
      "  received INTEGER NOT NULL, complete INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
      "CREATE TABLE attachment_chunks (sha256 TEXT NOT NULL, offset INTEGER NOT NULL,"
      "  data BLOB NOT NULL, PRIMARY KEY (sha256, offset)) WITHOUT ROWID;"
      "CREATE TABLE records (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, kiosk_id TEXT NOT NULL,"
      "  payload TEXT NOT NULL, received_at INTEGER NOT NULL);"
      "CREATE TABLE heartbeats (kiosk_id TEXT PRIMARY KEY, payload TEXT NOT NULL, received_at INTEGER NOT NULL);"
      "CREATE TABLE documents (code TEXT PRIMARY KEY, id_number TEXT NOT NULL, payload TEXT NOT NULL);"
      "CREATE INDEX documents_holder ON documents (id_number);";

static const char pg_v1[]
    = "CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());"
      "INSERT INTO schema_version (version) VALUES (1);"
      "CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);"
      "CREATE TABLE replies (idempotency_key text PRIMARY KEY, kind text NOT NULL, request_hash text NOT NULL,"
      "  status integer NOT NULL, response text NOT NULL, created_at bigint NOT NULL);"
      "CREATE TABLE cases (id bigserial PRIMARY KEY, official_number text NOT NULL UNIQUE, kiosk_id text NOT NULL,"
      "  provisional_number text NOT NULL, item_code text NOT NULL, payload json NOT NULL, attachments json NOT NULL,"
      "  received_at bigint NOT NULL, due_date text, UNIQUE (kiosk_id, provisional_number));"
      "CREATE INDEX cases_provisional ON cases (provisional_number);"
      "CREATE TABLE attachments (sha256 text PRIMARY KEY, size bigint NOT NULL, received bigint NOT NULL,"
      "  complete boolean NOT NULL DEFAULT false, created_at bigint NOT NULL);"
      "CREATE TABLE attachment_chunks (sha256 text NOT NULL, off bigint NOT NULL, data bytea NOT NULL,"
      "  PRIMARY KEY (sha256, off));"
      "CREATE TABLE records (id bigserial PRIMARY KEY, kind text NOT NULL, kiosk_id text NOT NULL,"
      "  payload json NOT NULL, received_at bigint NOT NULL);"
      "CREATE INDEX records_document ON records ((payload ->> 'document_id')) WHERE kind = 'print_record';"
      "CREATE TABLE heartbeats (kiosk_id text PRIMARY KEY, payload json NOT NULL, received_at bigint NOT NULL);"
      "CREATE TABLE documents (code text PRIMARY KEY, id_number text NOT NULL, payload json NOT NULL);"
      "CREATE INDEX documents_holder ON documents (upper(id_number));"
      "CREATE FUNCTION kiosk_epoch(t text) RETURNS bigint LANGUAGE plpgsql STABLE AS $$"
      " BEGIN RETURN floor(extract(epoch FROM t::timestamptz))::bigint; EXCEPTION WHEN others THEN RETURN NULL; END "
      "$$;";

/* Rows as the version 1 platform wrote them (both engines take this SQL;
 * the chunk is "abc"). */
static const char v1_rows[]
    = "INSERT INTO counters VALUES ('case_sequence', 7);"
      "INSERT INTO cases (official_number, kiosk_id, provisional_number, item_code, payload, attachments,"
      "  received_at, due_date) VALUES ('ZW2025010100000007', 'K-OLD', 'P-OLD', 'I-1',"
      "  '{\"applicant\":{\"name\":\"旧\",\"id_number\":\"OLD-ID-1\"}}', '[]', 1735689600, NULL);"
      "INSERT INTO replies VALUES ('old-key', 'case', 'h', 201, '{\"official_number\":\"ZW2025010100000007\"}',"
      "  1735689600);"
      "INSERT INTO attachments VALUES ('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 3, 3,"
      "  %s, 1735689600);";

static void
make_v1 (const char *target)
{
  if (pg_base)
    {
      g_autofree char *rows = g_strdup_printf (v1_rows, "true");
      g_autofree char *sql = g_strconcat (pg_v1, rows,
                                          "INSERT INTO attachment_chunks VALUES ('ba7816bf8f01cfea414140de5dae2223b003"
                                          "61a396177a9cb410ff61f20015ad', 0, 'abc'::bytea);",
                                          NULL);
      pg_exec (target, sql);
    }
  else
    {
      g_autofree char *rows = g_strdup_printf (v1_rows, "1");
      g_autofree char *sql = g_strconcat (sqlite_v1, rows,
                                          "INSERT INTO attachment_chunks VALUES ('ba7816bf8f01cfea414140de5dae2223b003"
                                          "61a396177a9cb410ff61f20015ad', 0, CAST('abc' AS BLOB));"
                                          "PRAGMA user_version = 1;",
                                          NULL);
      sqlite3 *db = NULL;
      char *err = NULL;

      g_assert_cmpint (sqlite3_open (target, &db), ==, SQLITE_OK);
      if (sqlite3_exec (db, sql, NULL, NULL, &err) != SQLITE_OK)
        g_error ("%s", err);
      sqlite3_close (db);
    }
}

static void
test_migrate (void)
{
  g_autofree char *target = fresh_target ("migrate");
  g_autofree char *list = NULL, *o = NULL, *applicant = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  PlatformStoredReply r = { 0 };
  PlatformStorage *s;

  make_v1 (target);
  s = open_storage (target);
  g_assert_cmpint (K (s)->schema_version (s), ==, PLATFORM_STORAGE_SCHEMA_VERSION);
  /* The data kept, and version 2's column filled from it. */
  g_assert_true (K (s)->lookup_reply (s, "old-key", &r));
  g_assert_nonnull (strstr (r.response, "ZW2025010100000007"));
  platform_stored_reply_clear (&r);
  list = K (s)->list_cases_of_applicant (s, "OLD-ID-1");
  g_assert_nonnull (strstr (list, "ZW2025010100000007"));
  applicant = K (s)->get_case_applicant (s, "P-OLD");
  g_assert_cmpstr (applicant, ==, "OLD-ID-1");
  bytes = K (s)->attachment_read (s, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "abc", 3);
  /* The counter goes on from where it was. */
  g_assert_true (insert_case (s, "new-key", "K-NEW", "P-NEW", "NEW-ID", &o, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (o, "00000008"));
  K (s)->free (s);

  /* Opening again migrates nothing. */
  s = open_storage (target);
  g_assert_cmpint (K (s)->schema_version (s), ==, PLATFORM_STORAGE_SCHEMA_VERSION);
  K (s)->free (s);

  /* A database from a newer platform is refused. */
  if (pg_base)
    pg_exec (target, "INSERT INTO schema_version (version) VALUES (99)");
  else
    {
      sqlite3 *db = NULL;
      g_assert_cmpint (sqlite3_open (target, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
  s = platform_storage_open (target, &error);
  g_assert_null (s);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "newer"));
}

/* Four processes opening one new database at the same moment (receivers
 * started together): each migrates or waits for the one migrating, all
 * open it at the current version. */
static void
test_migrate_concurrent (void)
{
  g_autofree char *target = fresh_target ("migrate-concurrent");
  GSubprocess *procs[4];
  PlatformStorage *s;

  for (guint i = 0; i < G_N_ELEMENTS (procs); i++)
    {
      g_autoptr (GError) error = NULL;
      procs[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "/proc/self/exe", "--open", target, NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (procs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_subprocess_wait (procs[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (procs[i]));
      g_object_unref (procs[i]);
    }
  s = open_storage (target);
  g_assert_cmpint (K (s)->schema_version (s), ==, PLATFORM_STORAGE_SCHEMA_VERSION);
  K (s)->free (s);
}

/* ---- Two processes at once ------------------------------------------------- */

#define WORKER_CASES 150
#define WORKER_ATTACHMENTS 20
#define CHUNK 700
#define CHUNKS 4

static void
attachment_data (guint i, guint8 *buf)
{
  for (guint k = 0; k < CHUNK * CHUNKS; k++)
    buf[k] = (guint8) (i * 31 + k * 13);
}

/* One receiver's share: every case and every chunk, as a kiosk retrying
 * through two receivers would send them. Prints "key official" lines. */
static int
worker (const char *target)
{
  PlatformStorage *s = open_storage (target);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < WORKER_CASES; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);
      g_autofree char *prov = g_strdup_printf ("P-%u", i);
      g_autofree char *official = NULL;
      g_autoptr (GError) error = NULL;

      if (!insert_case (s, key, "K-1", prov, "1", &official, &error))
        {
          PlatformStoredReply r = { 0 };

          g_assert_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT);
          g_assert_true (K (s)->lookup_reply (s, key, &r));
          official = g_strndup (strstr (r.response, "ZW"), 18);
          platform_stored_reply_clear (&r);
          g_string_append_printf (out, "%s %s replayed\n", key, official);
        }
      else
        g_string_append_printf (out, "%s %s stored\n", key, official);
    }
  for (guint i = 0; i < WORKER_ATTACHMENTS; i++)
    {
      guint8 buf[CHUNK * CHUNKS];
      g_autofree char *sha = NULL;

      attachment_data (i, buf);
      sha = sha_of (buf, sizeof buf);
      for (guint c = 0; c < CHUNKS; c++)
        {
          gint64 size = 0, received = 0;
          gboolean complete = FALSE, checksum_ok = TRUE;
          g_autoptr (GError) error = NULL;

          K (s)->attachment_get (s, sha, &size, &received, &complete);
          if (complete)
            break;
          /* Each sends its next chunk at what it believes the offset is
           * (the other may have moved it since). */
          if (!K (s)->attachment_append (s, sha, sizeof buf, (gint64) c * CHUNK, buf + c * CHUNK, CHUNK, &received,
                                         &complete, &checksum_ok, &error))
            g_assert_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT);
          g_assert_true (checksum_ok);
        }
    }
  printf ("%s", out->str);
  g_string_free (out, TRUE);
  K (s)->free (s);
  return 0;
}

static void
test_concurrent (void)
{
  g_autofree char *target = fresh_target ("concurrent");
  g_autoptr (GSubprocess) a = NULL, b = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out_a = NULL, *out_b = NULL, *all = NULL, *stats = NULL;
  g_autoptr (GHashTable) officials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);
  guint stored = 0;
  PlatformStorage *s;

  /* Migrated before the workers start (they would both migrate at once
   * otherwise, which the engines also handle, but one thing at a time). */
  s = open_storage (target);
  a = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/proc/self/exe", "--worker", target, "a", NULL);
  g_assert_no_error (error);
  b = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/proc/self/exe", "--worker", target, "b", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (a, NULL, NULL, &out_a, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (b, NULL, NULL, &out_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (a));
  g_assert_true (g_subprocess_get_successful (b));

  /* Both saw the same official number for every key; each stored once. */
  all = g_strconcat (out_a, out_b, NULL);
  {
    g_auto (GStrv) lines = g_strsplit (all, "\n", -1);
    for (guint i = 0; lines[i]; i++)
      {
        g_auto (GStrv) f = g_strsplit (lines[i], " ", 3);
        const char *seen;

        if (g_strv_length (f) != 3)
          continue;
        seen = g_hash_table_lookup (officials, f[0]);
        if (seen)
          g_assert_cmpstr (seen, ==, f[1]);
        else
          g_hash_table_insert (officials, g_strdup (f[0]), g_strdup (f[1]));
        if (g_str_equal (f[2], "stored"))
          stored++;
      }
  }
  g_assert_cmpuint (g_hash_table_size (officials), ==, WORKER_CASES);
  g_assert_cmpuint (stored, ==, WORKER_CASES);
  {
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init (&it, officials);
    while (g_hash_table_iter_next (&it, NULL, &v))
      g_assert_true (g_hash_table_add (numbers, v));
  }
  stats = K (s)->stats (s);
  {
    g_autofree char *want = g_strdup_printf ("\"cases\":%d", WORKER_CASES);
    g_autofree char *want2 = g_strdup_printf ("\"cases\" : %d", WORKER_CASES);
    g_assert_true (strstr (stats, want) || strstr (stats, want2));
  }
  /* Every attachment complete and byte-identical. */
  for (guint i = 0; i < WORKER_ATTACHMENTS; i++)
    {
      guint8 buf[CHUNK * CHUNKS];
      g_autofree char *sha = NULL;
      g_autoptr (GBytes) back = NULL;

      attachment_data (i, buf);
      sha = sha_of (buf, sizeof buf);
      back = K (s)->attachment_read (s, sha);
      g_assert_nonnull (back);
      g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), buf, sizeof buf);
    }
  g_test_message ("%u cases stored once by two processes; %d attachments appended by both, intact", stored,
                  WORKER_ATTACHMENTS);
  K (s)->free (s);
}

int
main (int argc, char **argv)
{
  int status;

  pg_base = g_getenv ("KIOSK_TEST_PG_URI");
  if (pg_base && *pg_base == '\0')
    pg_base = NULL;
  if (argc == 3 && g_str_equal (argv[1], "--open"))
    {
      PlatformStorage *s = open_storage (argv[2]);
      int version = K (s)->schema_version (s);
      K (s)->free (s);
      return version == PLATFORM_STORAGE_SCHEMA_VERSION ? 0 : 1;
    }
  if (argc == 4 && g_str_equal (argv[1], "--worker"))
    return worker (argv[2]);
  g_test_init (&argc, &argv, NULL);
  g_test_message ("engine: %s", pg_base ? "PostgreSQL" : "SQLite");
  if (pg_base == NULL)
    {
      tmpdir = g_dir_make_tmp ("kiosk-storage-XXXXXX", NULL);
      g_assert_nonnull (tmpdir);
    }
  g_test_add_func ("/storage/cases", test_cases);
  g_test_add_func ("/storage/records", test_records);
  g_test_add_func ("/storage/documents", test_documents);
  g_test_add_func ("/storage/attachments", test_attachments);
  g_test_add_func ("/storage/kiosks", test_kiosks);
  g_test_add_func ("/storage/migrate", test_migrate);
  g_test_add_func ("/storage/migrate-concurrent", test_migrate_concurrent);
  g_test_add_func ("/storage/concurrent", test_concurrent);
  status = g_test_run ();
  if (tmpdir && g_getenv ("KIOSK_KEEP_TEST_FILES") == NULL)
    {
      g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
      const char *name;
      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *path = g_build_filename (tmpdir, name, NULL);
          g_unlink (path);
        }
      g_rmdir (tmpdir);
    }
  g_free (tmpdir);
  return status;
}
