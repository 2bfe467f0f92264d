/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "kiosk-demo.h"
#include "kiosk-store-private.h"
#include "store-test-util.h"
#include "test-vfs.h"

typedef struct {
  char *dir;
  char *path;
  KioskStore *store;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = store_test_tmpdir ("store");
  f->path = g_build_filename (f->dir, "queue.db", NULL);
  f->store = kiosk_store_open (f->path, "K-0042", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (f->store, 0);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  store_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

static gint64
count_rows (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
  if (sqlite3_step (st) == SQLITE_ROW)
    n = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (db);
  return n;
}

/* ---- Case numbers --------------------------------------------------------- */

static void
test_case_number (void)
{
  g_autoptr (GDateTime) when = g_date_time_new_local (2026, 3, 9, 10, 0, 0);
  g_autofree char *n = kiosk_case_number_make ("K-0042", when, 17);
  const char *alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  gsize len = strlen (n);

  g_assert_true (g_str_has_prefix (n, "K-0042-20260309-000017"));
  g_assert_cmpuint (len, ==, strlen ("K-0042-20260309-000017") + 1);
  g_assert_true (kiosk_case_number_is_valid (n));
  g_assert_false (kiosk_case_number_is_valid (NULL));
  g_assert_false (kiosk_case_number_is_valid ("K"));

  /* Every single substitution and every adjacent transposition is caught. */
  for (gsize i = 0; i < len; i++)
    {
      if (n[i] == '-')
        continue;
      for (const char *c = alnum; *c; c++)
        {
          g_autofree char *m = g_strdup (n);
          if (g_ascii_toupper (n[i]) == *c)
            continue;
          m[i] = *c;
          g_assert_false (kiosk_case_number_is_valid (m));
        }
      if (i + 1 < len && n[i + 1] != '-' && n[i] != n[i + 1])
        {
          g_autofree char *m = g_strdup (n);
          m[i] = n[i + 1];
          m[i + 1] = n[i];
          g_assert_false (kiosk_case_number_is_valid (m));
        }
    }
}

/* ---- Migrations ---------------------------------------------------------- */

static char *
schema_of (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  GString *s = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name", -1, &st, NULL);
  while (sqlite3_step (st) == SQLITE_ROW)
    g_string_append_printf (s, "%s %s: %s\n", sqlite3_column_text (st, 0), sqlite3_column_text (st, 1),
                            sqlite3_column_text (st, 2));
  sqlite3_finalize (st);
  sqlite3_close (db);
  return g_string_free (s, FALSE);
}

static void
exec_ok (sqlite3 *db, const char *sql)
{
  char *err = NULL;
  if (sqlite3_exec (db, sql, NULL, NULL, &err) != SQLITE_OK)
    g_error ("%s: %s", sql, err);
}

/* The body of a case as schema 4 composed it: a case stored then must be
 * sent with these bytes after the upgrade too (a resend under its key). */
#define V4_CASE_PAYLOAD_SQL                                                                                     \
  "SELECT json_object('provisional_number', c.provisional_number, 'kiosk_id', ?2,"                              \
  " 'item_code', c.item_code, 'created_at', strftime('%Y-%m-%dT%H:%M:%fZ', c.created_at / 1e6, 'unixepoch'),"   \
  " 'applicant', json(c.applicant_json), 'form', json(coalesce(c.form_json, '{}')),"                            \
  " 'commitment', json(c.commitment_json), 'owed_materials', json(coalesce(c.owed_json, '[]')),"                \
  " 'delivery', json(c.delivery_json), 'proxy_authorisation', json(c.proxy_json), 'agent', json(c.agent_json)," \
  " 'attachments', (SELECT json_group_array(json_object('name', a.name, 'media_type', a.media_type,"            \
  "   'size', a.size, 'sha256', a.sha256)) FROM (SELECT * FROM attachments WHERE case_id = c.id"                \
  "   ORDER BY position) a)) FROM cases c WHERE c.id = ?1 AND c.purged_at IS NULL"

static char *
v4_body (sqlite3 *db, gint64 case_id, const char *kiosk_id)
{
  sqlite3_stmt *st = NULL;
  char *body;

  g_assert_cmpint (sqlite3_prepare_v2 (db, V4_CASE_PAYLOAD_SQL, -1, &st, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (st, 1, case_id);
  sqlite3_bind_text (st, 2, kiosk_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  body = g_strdup ((const char *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  return body;
}

/* Builds a database at every earlier schema version, with the data that
 * version could hold, and opens it with the current code. */
static void
test_migrations (void)
{
  g_autofree char *dir = store_test_tmpdir ("migrate");
  g_autofree char *fresh_path = g_build_filename (dir, "fresh.db", NULL);
  g_autofree char *fresh_schema = NULL;
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (KioskStore) fresh = kiosk_store_open (fresh_path, "K1", &error);
    g_assert_no_error (error);
    g_assert_cmpint (kiosk_store_get_schema_version (fresh), ==, KIOSK_STORE_SCHEMA_VERSION);
  }
  fresh_schema = schema_of (fresh_path);

  for (int v = 0; v < KIOSK_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *name = g_strdup_printf ("v%d.db", v);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *att_dir = g_strconcat (path, ".attachments", NULL);
      g_autofree char *migrated_schema = NULL;
      g_autofree char *old_body = NULL;
      g_autoptr (KioskStore) store = NULL;
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      exec_ok (db, "PRAGMA foreign_keys = ON");
      g_assert_true (_kiosk_store_migrate (db, v, &error));
      g_assert_no_error (error);
      if (v >= 1)
        {
          /* A queued case with one page, and a delivered one. */
          g_mkdir_with_parents (att_dir, 0700);
          {
            g_autofree char *old = g_build_filename (att_dir, "old.bin", NULL);
            g_file_set_contents (old, "page", 4, NULL);
          }
          exec_ok (db, "INSERT INTO sequence VALUES ('case', 2);"
                       "INSERT INTO cases (id, provisional_number, item_code, applicant_json, created_at)"
                       " VALUES (1, 'K1-20250101-000001X', 'RS-001', '{\"name\":\"a\",\"id_number\":\"1\"}', 1),"
                       "        (2, 'K1-20250101-000002X', 'RS-009', '{\"name\":\"b\",\"id_number\":\"2\"}', 2);"
                       "INSERT INTO attachments (case_id, position, name, media_type, file, size, sha256)"
                       " VALUES (1, 0, 'p', 'image/jpeg', 'old.bin', 4,"
                       " 'a1a5a3d0b0f3e7d0f7e1ec9d8f1ae1de8e5a9e2c6c2d7f5a6b1c0d2e3f4a5b6c');"
                       "INSERT INTO outbox (kind, idempotency_key, payload, case_id, state, created_at)"
                       " VALUES ('case', 'k1', '{}', 1, 0, 1), ('case', 'k2', '{}', 2, 1, 2);");
        }
      if (v >= 2)
        exec_ok (db, "UPDATE cases SET official_number = 'ZW1', sync_state = 1, acknowledged_at = 2 WHERE id = 2");
      if (v >= 3)
        exec_ok (db, "INSERT INTO outbox (kind, idempotency_key, payload, state, created_at)"
                     " VALUES ('rating', 'k3', '{\"level\":1}', 0, 3);"
                     "INSERT INTO ratings (outbox_id, json, created_at) VALUES (3, '{\"level\":1}', 3);");
      if (v >= 4)
        {
          exec_ok (db, "UPDATE cases SET form_json = '{\"phone\":\"13800000000\"}',"
                       " owed_json = '[{\"name\":\"照片\",\"due\":\"2026-12-01\"}]',"
                       " delivery_json = '{\"method\":\"pickup\",\"address\":null}',"
                       " agent_json = '{\"name\":\"代办员\",\"id_number\":\"3\"}' WHERE id = 1");
          old_body = v4_body (db, 1, "K1");
        }
      sqlite3_close (db);

      store = kiosk_store_open (path, "K1", &error);
      g_assert_no_error (error);
      g_assert_cmpint (kiosk_store_get_schema_version (store), ==, KIOSK_STORE_SCHEMA_VERSION);
      g_assert_true (kiosk_store_check_integrity (store, &error));
      if (v >= 1)
        {
          g_autoptr (KioskCaseInfo) a = kiosk_store_find_case (store, "K1-20250101-000001X", &error);
          g_autoptr (KioskCaseInfo) b = kiosk_store_find_case (store, "K1-20250101-000002X", &error);
          g_autoptr (KioskOutboxItem) head = kiosk_store_outbox_head (store, &error);
          g_autofree char *json = NULL;

          g_assert_no_error (error);
          g_assert_cmpint (a->sync_state, ==, KIOSK_CASE_QUEUED);
          /* Migration 1 -> 2 derives the delivered state from the outbox. */
          g_assert_cmpint (b->sync_state, ==, KIOSK_CASE_SUBMITTED);
          g_assert_nonnull (head);
          g_assert_cmpstr (head->kind, ==, "case");
          json = g_strdup (head->payload);
          g_assert_nonnull (strstr (json, "\"item_code\":\"RS-001\""));
          g_assert_nonnull (strstr (json, "old.bin") == NULL ? "ok" : NULL);
          /* A case from before schema 5 has neither member, and from
           * schema 4 on its body is the very one sent before the upgrade. */
          g_assert_null (strstr (json, "\"materials\""));
          g_assert_null (strstr (json, "\"handling_region\""));
          if (old_body)
            g_assert_cmpstr (json, ==, old_body);
          /* The sequence continues: no number is issued twice. */
          {
            g_autofree char *n = test_submit_demo_case (store, 1, 0, 0, 0, &error);
            g_assert_no_error (error);
            g_autofree char *body = g_strndup (n, strlen (n) - 1);
            g_autoptr (KioskCaseInfo) c = NULL;
            g_autofree char *cj = NULL;
            g_assert_true (g_str_has_suffix (body, "000003"));
            /* A case stored after the migration carries the new columns. */
            c = kiosk_store_find_case (store, n, &error);
            g_assert_no_error (error);
            cj = kiosk_store_get_case_json (store, c->id, &error);
            g_assert_no_error (error);
            g_assert_nonnull (strstr (cj, "\"handling_region\":{\"code\":\"440300\""));
          }
        }
      if (v >= 3)
        {
          KioskQueueCounts c;
          g_assert_true (kiosk_store_queue_counts (store, &c, &error));
          g_assert_cmpint (c.pending, ==, 3); /* case 1, the rating, the new case */
        }
      g_clear_object (&store);
      migrated_schema = schema_of (path);
      /* A migrated database looks exactly like a fresh one. */
      g_assert_cmpstr (migrated_schema, ==, fresh_schema);
    }

  /* A database from a newer program is refused, not damaged. */
  {
    sqlite3 *db = NULL;
    g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", KIOSK_STORE_SCHEMA_VERSION + 1);
    g_autoptr (KioskStore) store = NULL;

    sqlite3_open (fresh_path, &db);
    exec_ok (db, sql);
    sqlite3_close (db);
    store = kiosk_store_open (fresh_path, "K1", &error);
    g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_TOO_NEW);
    g_assert_null (store);
  }
  store_test_rmdir (dir);
}

/* ---- Cases and the outbox ------------------------------------------------ */

static void
test_submit_case (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) atts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GBytes) p1 = kiosk_demo_page_jpeg (1, 0, 64, 80);
  g_autoptr (GBytes) p2 = g_bytes_new_static ("%PDF-1.4 signature", 18);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (KioskOutboxItem) head = NULL;
  g_autoptr (KioskCaseInfo) info = NULL;
  g_autofree char *n1 = NULL;
  g_autofree char *n2 = NULL;
  KioskAttachmentDraft d1 = { "户口簿 p1", "image/jpeg", p1 };
  KioskAttachmentDraft d2 = { "承诺书签名", "application/pdf", p2 };
  const char *json
      = "{\"item_code\":\"RS-005\",\"applicant\":{\"name\":\"王秀英\",\"id_number\":\"13018219500101002X\"},"
        "\"form\":{\"phone\":\"13800000000\"},\"commitment\":{\"signed\":true,\"signature\":\"承诺书签名\"},"
        "\"owed_materials\":[{\"name\":\"照片\",\"due\":\"2026-12-01\"}],"
        "\"delivery\":{\"method\":\"post\",\"address\":\"示例村\"}}";

  g_ptr_array_add (atts, g_memdup2 (&d1, sizeof d1));
  g_ptr_array_add (atts, g_memdup2 (&d2, sizeof d2));
  n1 = kiosk_store_submit_case (f->store, json, atts, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_case_number_is_valid (n1));
  g_assert_true (g_str_has_prefix (n1, "K-0042-"));
  n2 = kiosk_store_submit_case (f->store, json, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (n1, !=, n2);

  info = kiosk_store_find_case (f->store, n1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->item_code, ==, "RS-005");
  g_assert_cmpint (info->sync_state, ==, KIOSK_CASE_QUEUED);
  g_assert_null (info->official_number);

  /* The files are on disk with the recorded SHA-256. */
  list = kiosk_store_list_attachments (f->store, info->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      KioskAttachmentInfo *a = list->pdata[i];
      g_autofree char *contents = NULL;
      g_autofree char *sum = NULL;
      gsize len;
      GBytes *want = i == 0 ? p1 : p2;

      g_assert_cmpint (a->position, ==, (int) i);
      g_assert_true (g_file_get_contents (a->path, &contents, &len, NULL));
      g_assert_cmpmem (contents, len, g_bytes_get_data (want, NULL), g_bytes_get_size (want));
      sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, want);
      g_assert_cmpstr (a->sha256, ==, sum);
      g_assert_false (a->uploaded);
    }

  /* The outbox entry composes the payload from the rows. */
  head = kiosk_store_outbox_head (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (head->kind, ==, "case");
  g_assert_true (g_str_has_prefix (head->idempotency_key, "K-0042:"));
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *o;
    g_assert_true (json_parser_load_from_data (parser, head->payload, -1, NULL));
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (o, "provisional_number"), ==, n1);
    g_assert_cmpstr (json_object_get_string_member (o, "kiosk_id"), ==, "K-0042");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "applicant"), "name"), ==,
                     "王秀英");
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (o, "commitment"), "signed"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "owed_materials")), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "attachments")), ==, 2);
    g_assert_cmpstr (
        json_object_get_string_member (
            json_array_get_object_element (json_object_get_array_member (o, "attachments"), 1), "media_type"),
        ==, "application/pdf");
  }

  /* Bad input is refused and leaves nothing behind. */
  {
    guint files = count_files (kiosk_store_get_attachment_dir (f->store));
    g_autofree char *bad = kiosk_store_submit_case (f->store, "{\"item_code\":\"RS-001\"}", atts, &error);
    g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID);
    g_assert_null (bad);
    g_clear_error (&error);
    g_assert_null (kiosk_store_submit_case (f->store, "not json", NULL, &error));
    g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID);
    g_assert_cmpuint (count_files (kiosk_store_get_attachment_dir (f->store)), ==, files);
  }
  g_assert_cmpint (kiosk_store_get_backlog (f->store), ==, 2);
}

/* A case's "materials" and "handling_region" (issue 14): kept, sent in
 * the body as given, the same bytes every time; malformed ones refused. */
static char *
materials_case (const char *sha, gsize size, const char *materials, const char *region)
{
  g_autofree char *m = materials
                           ? g_strdup (materials)
                           : g_strdup_printf ("[{\"name\":\"户口簿\",\"state\":\"scanned\",\"pages\":[{\"name\":"
                                              "\"户口簿 p1\",\"media_type\":\"image/jpeg\",\"size\":%" G_GSIZE_FORMAT
                                              ",\"sha256\":\"%s\"}]},{\"name\":\"营业执照\",\"state\":"
                                              "\"e_licence\",\"pages\":[]},{\"name\":\"照片\",\"state\":\"owed\","
                                              "\"pages\":[]}]",
                                              size, sha);
  return g_strdup_printf ("{\"item_code\":\"RS-005\",\"applicant\":{\"name\":\"王秀英\",\"id_number\":"
                          "\"13018219500101002X\"},\"owed_materials\":[{\"name\":\"照片\",\"due\":\"2026-12-01\"}],"
                          "\"materials\":%s,\"handling_region\":%s}",
                          m, region ? region : "{\"code\":\"440300\",\"name\":\"深圳市\"}");
}

static JsonNode *
member_of (const char *json, const char *member, gboolean *has)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  *has = json_object_has_member (o, member);
  return *has ? json_node_copy (json_object_get_member (o, member)) : NULL;
}

static void
assert_same_json (JsonNode *got, const char *want)
{
  g_autoptr (JsonNode) w = json_from_string (want, NULL);
  g_autofree char *g = json_to_string (got, FALSE);

  g_assert_nonnull (w);
  if (!json_node_equal (got, w))
    g_error ("got %s, want %s", g, want);
}

static void
test_case_materials_region (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) p1 = kiosk_demo_page_jpeg (3, 0, 64, 80);
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, p1);
  g_autoptr (GPtrArray) atts = g_ptr_array_new_with_free_func (g_free);
  KioskAttachmentDraft d1 = { "户口簿 p1", "image/jpeg", p1 };
  g_autofree char *json = materials_case (sum, g_bytes_get_size (p1), NULL, NULL);
  g_autofree char *number = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *body = NULL;
  g_autoptr (KioskOutboxItem) head = NULL;
  g_autoptr (KioskCaseInfo) info = NULL;
  g_autoptr (JsonNode) sent_materials = NULL;
  g_autoptr (JsonNode) sent_region = NULL;
  g_autoptr (JsonNode) want_materials = NULL;
  gboolean has;

  g_ptr_array_add (atts, g_memdup2 (&d1, sizeof d1));
  number = kiosk_store_submit_case (f->store, json, atts, &error);
  g_assert_no_error (error);
  head = kiosk_store_outbox_head (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (head->kind, ==, "case");

  /* Both members reach the body exactly as submitted. */
  sent_materials = member_of (head->payload, "materials", &has);
  g_assert_true (has);
  want_materials = member_of (json, "materials", &has);
  g_assert_true (json_node_equal (sent_materials, want_materials));
  sent_region = member_of (head->payload, "handling_region", &has);
  g_assert_true (has);
  assert_same_json (sent_region, "{\"code\":\"440300\",\"name\":\"深圳市\"}");

  /* The same bytes however often the body is composed, also after the
   * store is closed and opened again (a resend after a crash). */
  info = kiosk_store_find_case (f->store, number, &error);
  g_assert_no_error (error);
  body = kiosk_store_get_case_json (f->store, info->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (body, ==, head->payload);
  {
    g_autofree char *key = g_strdup (head->idempotency_key);
    g_autofree char *again = NULL;
    g_autoptr (KioskOutboxItem) head2 = NULL;

    g_clear_object (&f->store);
    f->store = kiosk_store_open (f->path, "K-0042", &error);
    g_assert_no_error (error);
    kiosk_store_set_min_free_bytes (f->store, 0);
    again = kiosk_store_get_case_json (f->store, info->id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, body);
    head2 = kiosk_store_outbox_head (f->store, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (head2->idempotency_key, ==, key);
    g_assert_cmpstr (head2->payload, ==, body);
  }

  /* Without them: a null region, no materials. */
  plain = kiosk_store_submit_case (
      f->store, "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"a\",\"id_number\":\"1\"}}", NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr (KioskCaseInfo) pi = kiosk_store_find_case (f->store, plain, &error);
    g_autofree char *pb = kiosk_store_get_case_json (f->store, pi->id, &error);
    g_autoptr (JsonNode) region = NULL;
    g_autoptr (JsonNode) materials = NULL;

    g_assert_no_error (error);
    region = member_of (pb, "handling_region", &has);
    g_assert_true (has);
    g_assert_true (JSON_NODE_HOLDS_NULL (region));
    materials = member_of (pb, "materials", &has);
    g_assert_false (has);
    g_assert_null (materials);
  }

  /* Malformed members are refused by name, and nothing is kept. */
  {
    const char *long_name = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一";
    g_autofree char *upper = g_ascii_strup (sum, -1);
    g_autofree char *other = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "other", -1);
    g_autofree char *too_long = g_strdup_printf ("[{\"name\":\"%s\",\"state\":\"form\",\"pages\":[]}]", long_name);
    g_autoptr (GString) many = g_string_new ("[");
    struct {
      char *materials, *region;
      const char *member;
    } bad[] = {
      { g_strdup ("{}"), NULL, "\"materials\"" },
      { g_strdup ("[{\"name\":\"照片\",\"state\":\"lost\",\"pages\":[]}]"), NULL, "\"materials[0].state\"" },
      { g_strdup ("[{\"name\":\"照片\",\"state\":\"form\"}]"), NULL, "\"materials[0].pages\"" },
      { g_strdup ("[{\"name\":\"照片\",\"state\":\"form\",\"pages\":[],\"x\":1}]"), NULL, "\"materials[0].x\"" },
      { g_strdup ("[{\"name\":\"\",\"state\":\"form\",\"pages\":[]}]"), NULL, "\"materials[0].name\"" },
      { g_strdup (too_long), NULL, "\"materials[0].name\"" },
      { g_strdup_printf (
            "[{\"name\":\"户口簿\",\"state\":\"scanned\",\"pages\":[{\"name\":\"户口簿 p1\",\"media_type\":"
            "\"image/jpeg\",\"size\":%" G_GSIZE_FORMAT ",\"sha256\":\"%s\"}]}]",
            g_bytes_get_size (p1), upper),
        NULL, "\"materials[0].pages[0].sha256\"" },
      { g_strdup_printf (
            "[{\"name\":\"户口簿\",\"state\":\"scanned\",\"pages\":[{\"name\":\"户口簿 p1\",\"media_type\":"
            "\"image/jpeg\",\"size\":%" G_GSIZE_FORMAT ",\"sha256\":\"%s\"}]}]",
            g_bytes_get_size (p1), other),
        NULL, "\"materials[0].pages[0]\"" },
      { g_strdup_printf (
            "[{\"name\":\"户口簿\",\"state\":\"scanned\",\"pages\":[{\"name\":\"户口簿 p1\",\"media_type\":"
            "\"image/jpeg\",\"size\":-1,\"sha256\":\"%s\"}]}]",
            sum),
        NULL, "\"materials[0].pages[0].size\"" },
      { NULL, g_strdup ("\"深圳市\""), "\"handling_region\"" },
      { NULL, g_strdup ("{\"code\":\"44A\",\"name\":\"深圳市\"}"), "\"handling_region.code\"" },
      { NULL, g_strdup ("{\"code\":\"440300\"}"), "\"handling_region.name\"" },
      { NULL, g_strdup ("{\"name\":\"深圳市\",\"level\":1}"), "\"handling_region.level\"" },
      { NULL, NULL, "\"materials\"" },
    };
    guint files = count_files (kiosk_store_get_attachment_dir (f->store));
    gint64 backlog = kiosk_store_get_backlog (f->store);
    gint64 rows = count_rows (f->path, "SELECT count(*) FROM cases");

    for (guint i = 0; i < 65; i++)
      g_string_append_printf (many, "%s{\"name\":\"m%u\",\"state\":\"missing\",\"pages\":[]}", i ? "," : "", i);
    g_string_append_c (many, ']');
    bad[G_N_ELEMENTS (bad) - 1].materials = g_strdup (many->str);
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *c = materials_case (sum, g_bytes_get_size (p1), bad[i].materials, bad[i].region);
        g_autofree char *n = kiosk_store_submit_case (f->store, c, atts, &error);

        g_assert_null (n);
        g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID);
        if (strstr (error->message, bad[i].member) == NULL)
          g_error ("case %u: \"%s\" does not name %s", i, error->message, bad[i].member);
        g_clear_error (&error);
        g_free (bad[i].materials);
        g_free (bad[i].region);
      }
    g_assert_cmpuint (count_files (kiosk_store_get_attachment_dir (f->store)), ==, files);
    g_assert_cmpint (kiosk_store_get_backlog (f->store), ==, backlog);
    g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM cases"), ==, rows);
  }
}

static void
test_outbox_order (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *c1 = test_submit_demo_case (f->store, 1, 1, 32, 32, &error);
  gint64 r = kiosk_store_enqueue_rating (f->store, "{\"case_number\":\"x\",\"level\":1}", &error);
  gint64 p = kiosk_store_enqueue_print_record (f->store, "{\"document\":\"参保证明\",\"pages\":1}", &error);
  gint64 a = kiosk_store_enqueue_proxy_authorisation (f->store, "{\"agent\":\"李\"}", &error);
  gint64 x = kiosk_store_enqueue (f->store, "feedback_form", "{\"satisfied\":true}", &error);
  const char *expect[] = { "case", "rating", "print_record", "proxy_authorisation", "feedback_form" };
  g_autoptr (GPtrArray) rejected = NULL;
  KioskQueueCounts c;

  g_assert_no_error (error);
  g_assert_cmpint (r, <, p);
  g_assert_cmpint (p, <, a);
  g_assert_cmpint (a, <, x);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM ratings"), ==, 1);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM print_records"), ==, 1);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM proxy_authorisations"), ==, 1);

  /* Bad kinds and payloads are refused. */
  g_assert_cmpint (kiosk_store_enqueue (f->store, "case", "{}", &error), ==, 0);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kiosk_store_enqueue (f->store, "Bad-Kind", "{}", &error), ==, 0);
  g_clear_error (&error);
  g_assert_cmpint (kiosk_store_enqueue (f->store, "rating", "[1]", &error), ==, 0);
  g_clear_error (&error);

  /* Creation order; done and rejected items leave the head. */
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_autoptr (KioskOutboxItem) head = kiosk_store_outbox_head (f->store, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (head->kind, ==, expect[i]);
      if (i == 1)
        {
          g_assert_true (
              kiosk_store_outbox_mark_retry (f->store, head->id, g_get_real_time () + 1000, 503, "busy", &error));
          g_clear_pointer (&head, kiosk_outbox_item_free);
          head = kiosk_store_outbox_head (f->store, &error);
          g_assert_cmpstr (head->kind, ==, "rating"); /* still first: strict order */
          g_assert_cmpint (head->attempts, ==, 1);
          g_assert_cmpint (head->last_status, ==, 503);
          g_assert_true (kiosk_store_outbox_mark_rejected (f->store, head->id, 422, "invalid_rating", &error));
        }
      else
        g_assert_true (kiosk_store_outbox_mark_done (f->store, head->id, "{}", &error));
      g_assert_no_error (error);
    }
  g_assert_null (kiosk_store_outbox_head (f->store, &error));
  g_assert_no_error (error);

  g_assert_true (kiosk_store_queue_counts (f->store, &c, &error));
  g_assert_cmpint (c.pending, ==, 0);
  g_assert_cmpint (c.done, ==, 4);
  g_assert_cmpint (c.rejected, ==, 1);
  rejected = kiosk_store_list_rejected (f->store, 0, &error);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpstr (((KioskOutboxItem *) rejected->pdata[0])->last_error, ==, "invalid_rating");
  g_assert_null (((KioskOutboxItem *) rejected->pdata[0])->payload);

  /* The technician requeues it. */
  g_assert_true (kiosk_store_outbox_requeue (f->store, r, &error));
  g_assert_false (kiosk_store_outbox_requeue (f->store, r, &error));
  g_clear_error (&error);
  g_assert_cmpint (kiosk_store_get_backlog (f->store), ==, 1);
}

static void
test_official_number (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *n = test_submit_demo_case (f->store, 7, 1, 32, 32, &error);
  g_autoptr (KioskOutboxItem) head = kiosk_store_outbox_head (f->store, &error);
  g_autoptr (KioskCaseInfo) by_official = NULL;
  g_autoptr (KioskCaseInfo) by_provisional = NULL;
  g_autoptr (KioskCaseInfo) lower = NULL;
  g_autofree char *lowered = NULL;

  g_assert_true (kiosk_store_outbox_mark_done (
      f->store, head->id,
      "{\"official_number\":\"ZW2026030900000017\",\"status\":\"received\",\"status_text\":\"已受理\","
      "\"due_date\":\"2026-03-12\"}",
      &error));
  g_assert_no_error (error);
  by_official = kiosk_store_find_case (f->store, "ZW2026030900000017", &error);
  by_provisional = kiosk_store_find_case (f->store, n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (by_official->id, ==, by_provisional->id);
  g_assert_cmpstr (by_provisional->official_number, ==, "ZW2026030900000017");
  g_assert_cmpint (by_provisional->sync_state, ==, KIOSK_CASE_SUBMITTED);
  g_assert_cmpstr (by_provisional->status_text, ==, "已受理");
  g_assert_cmpstr (by_provisional->due_date, ==, "2026-03-12");
  g_assert_cmpint (by_provisional->acknowledged_at, >, 0);
  lowered = g_ascii_strdown (n, -1);
  lower = kiosk_store_find_case (f->store, lowered, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lower->id, ==, by_official->id);

  g_assert_true (kiosk_store_set_case_status (f->store, "ZW2026030900000017", "completed", "已办结", NULL, &error));
  {
    g_autoptr (KioskCaseInfo) again = kiosk_store_find_case (f->store, n, &error);
    g_assert_cmpstr (again->status, ==, "completed");
    g_assert_cmpstr (again->due_date, ==, "2026-03-12");
  }
  g_assert_null (kiosk_store_find_case (f->store, "ZW-nothing", &error));
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_NOT_FOUND);
}

static void
test_catalog (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *empty = kiosk_store_get_catalog (f->store, &error);
  g_autofree char *items = NULL;
  g_autofree char *item = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *notices = NULL;

  g_assert_cmpstr (empty, ==, "[]");
  g_assert_null (kiosk_store_get_catalog_etag (f->store));
  g_assert_cmpint (kiosk_store_get_notices_fetched_at (f->store), ==, 0);
  g_assert_true (kiosk_store_set_catalog (f->store,
                                          "{\"items\":[{\"code\":\"RS-001\",\"name\":\"参保登记\"},"
                                          "{\"code\":\"MZ-026\",\"name\":\"高龄津贴\"}]}",
                                          "\"abc\"", &error));
  g_assert_no_error (error);
  items = kiosk_store_get_catalog (f->store, &error);
  g_assert_nonnull (strstr (items, "高龄津贴"));
  item = kiosk_store_get_catalog_item (f->store, "MZ-026", &error);
  g_assert_nonnull (strstr (item, "高龄津贴"));
  g_assert_null (kiosk_store_get_catalog_item (f->store, "XX-000", &error));
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  etag = kiosk_store_get_catalog_etag (f->store);
  g_assert_cmpstr (etag, ==, "\"abc\"");
  g_assert_false (kiosk_store_set_catalog (f->store, "{\"nothing\":1}", NULL, &error));
  g_clear_error (&error);

  g_assert_true (
      kiosk_store_set_notices (f->store,
                               "{\"notices\":[{\"id\":\"a\",\"valid_until\":\"2000-01-01\"},"
                               "{\"id\":\"b\",\"valid_until\":null},{\"id\":\"c\",\"valid_until\":\"2999-01-01\"}]}",
                               "\"n1\"", &error));
  notices = kiosk_store_get_notices (f->store, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (notices, "\"a\""));
  g_assert_nonnull (strstr (notices, "\"b\""));
  g_assert_nonnull (strstr (notices, "\"c\""));

  /* When they were fetched is kept with them (the attract screen says it,
   * also after a restart offline); a plain string is a notice too and does
   * not spoil the others. */
  {
    gint64 before = g_get_real_time ();
    g_autofree char *mixed = NULL;
    gint64 fetched;

    g_assert_true (kiosk_store_set_notices (f->store, "{\"notices\":[\"停水通知\",{\"id\":\"d\",\"body\":\"x\"},7]}",
                                            "\"n2\"", &error));
    fetched = kiosk_store_get_notices_fetched_at (f->store);
    g_assert_cmpint (fetched, >=, before);
    g_assert_cmpint (fetched, <=, g_get_real_time ());
    mixed = kiosk_store_get_notices (f->store, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (mixed, ==, "[\"停水通知\",{\"id\":\"d\",\"body\":\"x\"}]");
  }
}

/* ---- Retention ------------------------------------------------------------ */

static void
test_retention (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *acked = test_submit_demo_case (f->store, 1, 2, 32, 32, &error);
  g_autofree char *queued = test_submit_demo_case (f->store, 2, 2, 32, 32, &error);
  g_autoptr (KioskOutboxItem) head = kiosk_store_outbox_head (f->store, &error);
  g_autoptr (KioskCaseInfo) info = NULL;
  g_autoptr (GPtrArray) atts = NULL;
  g_autoptr (GPtrArray) queued_atts = NULL;
  const char *dir = kiosk_store_get_attachment_dir (f->store);
  g_autofree char *old_stray = g_build_filename (dir, "stray-old.bin", NULL);
  g_autofree char *new_stray = g_build_filename (dir, "stray-new.bin", NULL);
  struct utimbuf two_hours_ago = { time (NULL) - 7200, time (NULL) - 7200 };
  gint64 now = g_get_real_time ();

  g_assert_true (kiosk_store_outbox_mark_done (f->store, head->id, "{\"official_number\":\"ZW1\"}", &error));
  kiosk_store_enqueue_rating (f->store, "{\"level\":2,\"comment\":\"personal remark\"}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&head, kiosk_outbox_item_free);
  head = kiosk_store_outbox_head (f->store, &error); /* the queued case */
  info = kiosk_store_find_case (f->store, acked, &error);
  atts = kiosk_store_list_attachments (f->store, info->id, &error);
  g_assert_cmpuint (atts->len, ==, 2);

  g_file_set_contents (old_stray, "x", 1, NULL);
  g_file_set_contents (new_stray, "y", 1, NULL);
  g_assert_cmpint (utime (old_stray, &two_hours_ago), ==, 0);

  /* Not yet due: nothing purged (but the old stray file goes). */
  g_assert_cmpint (kiosk_store_purge (f->store, 7, now + (gint64) 6 * 86400 * G_USEC_PER_SEC, &error), ==, 0);
  g_assert_true (g_file_test (((KioskAttachmentInfo *) atts->pdata[0])->path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_stray, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_stray, G_FILE_TEST_EXISTS));

  /* Eight days later the acknowledged case loses its personal data. */
  g_assert_cmpint (kiosk_store_purge (f->store, 7, now + (gint64) 8 * 86400 * G_USEC_PER_SEC, &error), ==, 1);
  g_assert_no_error (error);
  for (guint i = 0; i < atts->len; i++)
    g_assert_false (g_file_test (((KioskAttachmentInfo *) atts->pdata[i])->path, G_FILE_TEST_EXISTS));
  g_assert_null (kiosk_store_get_case_json (f->store, info->id, &error));
  g_clear_error (&error);
  {
    g_autoptr (KioskCaseInfo) by_provisional = kiosk_store_find_case (f->store, acked, &error);
    g_autoptr (KioskCaseInfo) by_official = kiosk_store_find_case (f->store, "ZW1", &error);
    g_assert_no_error (error);
    g_assert_true (by_provisional->purged);
    g_assert_cmpint (by_official->id, ==, by_provisional->id);
    g_assert_cmpstr (by_provisional->item_code, ==, info->item_code);
  }
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM cases WHERE applicant_json IS NOT NULL"), ==, 1);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox WHERE payload LIKE '%personal%'"), ==, 1);

  /* The queued case keeps everything until the platform has it. */
  queued_atts = kiosk_store_list_attachments (f->store, head->case_id, &error);
  for (guint i = 0; i < queued_atts->len; i++)
    g_assert_true (g_file_test (((KioskAttachmentInfo *) queued_atts->pdata[i])->path, G_FILE_TEST_EXISTS));
  {
    g_autofree char *json = kiosk_store_get_case_json (f->store, head->case_id, &error);
    g_assert_no_error (error);
    g_assert_nonnull (json);
  }

  /* Retention 0: purge right after acknowledgement (and delivered ratings). */
  {
    g_autoptr (KioskOutboxItem) h2 = kiosk_store_outbox_head (f->store, &error);
    g_assert_true (kiosk_store_outbox_mark_done (f->store, h2->id, "{\"official_number\":\"ZW2\"}", &error));
    g_clear_pointer (&h2, kiosk_outbox_item_free);
    h2 = kiosk_store_outbox_head (f->store, &error);
    g_assert_cmpstr (h2->kind, ==, "rating");
    g_assert_true (kiosk_store_outbox_mark_done (f->store, h2->id, "{}", &error));
  }
  g_assert_cmpint (kiosk_store_purge (f->store, 0, g_get_real_time () + 1, &error), ==, 1);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM cases WHERE applicant_json IS NOT NULL"), ==, 0);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox WHERE payload LIKE '%personal%'"), ==, 0);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM ratings WHERE json IS NULL"), ==, 1);
  g_assert_true (kiosk_store_check_integrity (f->store, &error));
}

/* ---- Disk full -------------------------------------------------------------- */

static int enospc_after = -1;

static ssize_t
failing_write (int fd, const void *buf, size_t count)
{
  if (enospc_after == 0)
    {
      errno = ENOSPC;
      return -1;
    }
  if (enospc_after > 0)
    enospc_after--;
  return write (fd, buf, MIN (count, 7)); /* short writes are handled too */
}

static guint64 fake_free = G_MAXUINT64;

static guint64
fake_free_space (const char *dir)
{
  return fake_free;
}

static void
test_disk_full (void)
{
  g_autofree char *dir = store_test_tmpdir ("full");
  g_autofree char *path = g_build_filename (dir, "queue.db", NULL);
  g_autofree char *reserve = g_strconcat (path, ".reserve", NULL);
  g_autoptr (GPtrArray) accepted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = NULL;
  guint files_before;
  KioskStoreFreeSpaceFunc saved_free = _kiosk_store_free_space_func;
  KioskStoreWriteFunc saved_write = _kiosk_store_write_func;

  test_vfs_register ();
  store = kiosk_store_open (path, "K-FULL", &error);
  g_assert_no_error (error);
  _kiosk_store_free_space_func = fake_free_space;
  kiosk_store_set_min_free_bytes (store, 64 * 1024 * 1024);
  g_assert_true (kiosk_store_is_accepting (store));

  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (accepted, test_submit_demo_case (store, i, 2, 48, 48, &error));
  g_assert_no_error (error);
  files_before = count_files (kiosk_store_get_attachment_dir (store));
  g_assert_cmpuint (files_before, ==, 20);

  /* 1. Below the free-space floor: refused with a message, before writing. */
  fake_free = 10 * 1024 * 1024;
  g_assert_null (test_submit_demo_case (store, 100, 2, 48, 48, &error));
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL);
  g_assert_cmpuint (strlen (error->message), >, 20);
  g_clear_error (&error);
  g_assert_false (kiosk_store_is_accepting (store));
  /* A rating still goes in: it is tiny and must not be lost. */
  g_assert_cmpint (kiosk_store_enqueue_rating (store, "{\"level\":1}", &error), >, 0);
  g_assert_no_error (error);
  fake_free = G_MAXUINT64;
  g_assert_true (kiosk_store_check_space (store));

  /* 2. ENOSPC while writing a page: refused, no stray file, no row. */
  _kiosk_store_write_func = failing_write;
  enospc_after = 3;
  g_assert_null (test_submit_demo_case (store, 101, 2, 48, 48, &error));
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL);
  g_clear_error (&error);
  g_assert_false (kiosk_store_is_accepting (store));
  g_assert_cmpuint (count_files (kiosk_store_get_attachment_dir (store)), ==, files_before);
  enospc_after = -1;
  /* Short writes alone are fine. */
  g_assert_true (kiosk_store_check_space (store));
  g_ptr_array_add (accepted, test_submit_demo_case (store, 102, 1, 48, 48, &error));
  g_assert_no_error (error);
  _kiosk_store_write_func = saved_write;
  files_before++;

  /* 3. SQLite itself finds the disk full at commit. A new application
   * never takes the space reserve kept for the queue to leave. */
  test_vfs_set_full (TRUE);
  g_assert_true (g_file_test (reserve, G_FILE_TEST_EXISTS));
  g_assert_null (test_submit_demo_case (store, 103, 2, 48, 48, &error));
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL);
  g_clear_error (&error);
  g_assert_true (g_file_test (reserve, G_FILE_TEST_EXISTS));
  g_assert_false (kiosk_store_is_accepting (store));
  g_assert_cmpuint (count_files (kiosk_store_get_attachment_dir (store)), ==, files_before);
  test_vfs_set_full (FALSE);
  g_assert_true (kiosk_store_check_space (store));

  /* Nothing accepted was lost. */
  g_clear_object (&store);
  store = kiosk_store_open (path, "K-FULL", &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_store_check_integrity (store, &error));
  for (guint i = 0; i < accepted->len; i++)
    {
      g_autoptr (KioskCaseInfo) info = kiosk_store_find_case (store, accepted->pdata[i], &error);
      g_autoptr (GPtrArray) atts = NULL;
      g_assert_no_error (error);
      atts = kiosk_store_list_attachments (store, info->id, &error);
      for (guint k = 0; k < atts->len; k++)
        g_assert_true (g_file_test (((KioskAttachmentInfo *) atts->pdata[k])->path, G_FILE_TEST_EXISTS));
    }
  g_assert_cmpint (kiosk_store_get_backlog (store), ==, (int) accepted->len + 1);
  _kiosk_store_free_space_func = saved_free;
  store_test_rmdir (dir);
}

/* ---- Permissions and leftovers (issue 12, point 6) ----------------------- */

static guint
mode_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
assert_private_tree (const char *path, const char *created_dir)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *reserve = g_strconcat (path, ".reserve", NULL);
  g_autofree char *att_dir = g_strconcat (path, ".attachments", NULL);
  g_autoptr (GDir) d = g_dir_open (att_dir, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_cmpuint (mode_of (path), ==, 0600);
  g_assert_cmpuint (mode_of (wal), ==, 0600);
  g_assert_cmpuint (mode_of (shm), ==, 0600);
  g_assert_cmpuint (mode_of (reserve), ==, 0600);
  g_assert_cmpuint (mode_of (att_dir), ==, 0700);
  if (created_dir)
    g_assert_cmpuint (mode_of (created_dir), ==, 0700);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (att_dir, name, NULL);
      g_assert_cmpuint (mode_of (p), ==, 0600);
      files++;
    }
  g_assert_cmpuint (files, ==, 2);
}

static void
test_permissions (void)
{
  g_autofree char *dir = store_test_tmpdir ("perm");
  g_autofree char *sub = g_build_filename (dir, "var", NULL);
  g_autofree char *subsub = g_build_filename (sub, "kiosk", NULL);
  g_autofree char *path = g_build_filename (subsub, "kiosk.db", NULL);
  g_autofree char *att_dir = g_strconcat (path, ".attachments", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = NULL;
  g_autofree char *number = NULL;
  g_autoptr (GPtrArray) atts = NULL;
  g_autoptr (KioskCaseInfo) info = NULL;
  mode_t saved = umask (0); /* the most permissive umask there is */

  store = kiosk_store_open (path, "K-PERM", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (store, 0);
  number = test_submit_demo_case (store, 1, 2, 32, 32, &error);
  g_assert_no_error (error);
  assert_private_tree (path, subsub);
  g_assert_cmpuint (mode_of (sub), ==, 0700);
  g_clear_object (&store);

  /* Files and folders a careless hand opened up are closed again at open. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_cmpint (g_chmod (att_dir, 0755), ==, 0);
  {
    g_autoptr (GDir) d = g_dir_open (att_dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)))
      {
        g_autofree char *p = g_build_filename (att_dir, name, NULL);
        g_assert_cmpint (g_chmod (p, 0666), ==, 0);
      }
  }
  umask (022);
  store = kiosk_store_open (path, "K-PERM", &error);
  g_assert_no_error (error);
  info = kiosk_store_find_case (store, number, &error);
  g_assert_no_error (error);
  atts = kiosk_store_list_attachments (store, info->id, &error);
  g_assert_cmpuint (atts->len, ==, 2);
  assert_private_tree (path, NULL);
  g_clear_object (&store);
  umask (saved);
  store_test_rmdir (dir);
}

static gboolean
file_contains (const char *path, const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE; /* no file, no trace */
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

/* After the purge, the raw bytes of the database and its WAL hold no trace
 * of the resident: not at some later close, at once. */
static void
test_purge_leaves_no_trace (void)
{
  const char *name = "司马测试甲";
  const char *id_number = "51010419900307123X";
  const char *address = "purged-address-xq7";
  g_autofree char *dir = store_test_tmpdir ("trace");
  g_autofree char *path = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *json = g_strdup_printf ("{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"%s\",\"id_number\":"
                                           "\"%s\"},\"delivery\":{\"method\":\"post\",\"address\":\"%s\"}}",
                                           name, id_number, address);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskOutboxItem) head = NULL;
  g_autofree char *number = NULL;
  g_autofree char *page_text = g_strdup_printf ("scanned ID card of %s, %s", name, id_number);
  g_autoptr (GBytes) page = g_bytes_new (page_text, strlen (page_text));
  g_autoptr (GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) atts = NULL;
  g_autofree char *other_link = g_build_filename (dir, "other-link-to-page", NULL);
  KioskAttachmentDraft draft = { "身份证", "image/jpeg", page };
  const char *needles[] = { name, id_number, address };

  store = kiosk_store_open (path, "K-TRACE", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (store, 0);
  g_ptr_array_add (drafts, g_memdup2 (&draft, sizeof draft));
  number = kiosk_store_submit_case (store, json, drafts, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_case_number_is_valid (number));
  /* Another name for the page's file, as a copy the purge cannot unlink
   * (or the disk blocks after it): its bytes must go too. */
  {
    g_autoptr (KioskCaseInfo) info = kiosk_store_find_case (store, number, &error);
    g_assert_no_error (error);
    atts = kiosk_store_list_attachments (store, info->id, &error);
    g_assert_cmpuint (atts->len, ==, 1);
    g_assert_cmpint (link (((KioskAttachmentInfo *) atts->pdata[0])->path, other_link), ==, 0);
    g_assert_true (file_contains (other_link, id_number));
  }
  /* Closing checkpoints the case into the main file. */
  g_clear_object (&store);
  g_assert_true (file_contains (path, id_number));

  store = kiosk_store_open (path, "K-TRACE", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (store, 0);
  head = kiosk_store_outbox_head (store, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_store_outbox_mark_done (store, head->id, "{\"official_number\":\"ZW-TRACE-1\"}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_store_purge (store, 0, g_get_real_time () + 1, &error), ==, 1);
  g_assert_no_error (error);

  /* The store is still open (another process could hold it too). */
  g_assert_false (g_file_test (((KioskAttachmentInfo *) atts->pdata[0])->path, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    {
      g_assert_false (file_contains (other_link, needles[i]));
      g_assert_false (file_contains (path, needles[i]));
      g_assert_false (file_contains (wal, needles[i]));
    }
  {
    g_autoptr (KioskCaseInfo) info = kiosk_store_find_case (store, "ZW-TRACE-1", &error);
    g_assert_no_error (error);
    g_assert_true (info->purged);
  }
  g_assert_true (kiosk_store_check_integrity (store, &error));
  g_clear_object (&store);
  store_test_rmdir (dir);
}

/* ---- Open: the configured floor first (issue 12, point 12) -------------- */

static guint refusing_warnings;

static void
count_refusing (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if (strstr (message, "refusing new applications"))
    refusing_warnings++;
}

static void
test_open_floor_from_config (void)
{
  g_autofree char *dir = store_test_tmpdir ("floor");
  KioskStoreFreeSpaceFunc saved_free = _kiosk_store_free_space_func;
  guint handler = g_log_set_handler ("kiosk-store", G_LOG_LEVEL_WARNING, count_refusing, NULL);

  _kiosk_store_free_space_func = fake_free_space;
  fake_free = 10 * 1024 * 1024; /* below the 64 MB default, above a 0 floor */
  for (int floor_mb = 0; floor_mb <= 64; floor_mb += 64)
    {
      g_autofree char *text
          = g_strdup_printf ("[kiosk]\nid=K-FLOOR\nstation=测试站\n[store]\npath=queue.db\nmin-free-mb=%d\n"
                             "[platform]\nurl=http://127.0.0.1:1/\nallow-http=true\n",
                             floor_mb);
      g_autoptr (GError) error = NULL;
      KioskConfig *config = kiosk_config_new_from_data (text, dir, &error);
      g_autoptr (KioskStore) store = NULL;

      g_assert_no_error (error);
      refusing_warnings = 0;
      store = kiosk_store_open_from_config (config, &error);
      g_assert_no_error (error);
      /* No false alarm with a floor of 0; a true one with 64 MB. */
      g_assert_cmpuint (refusing_warnings, ==, floor_mb ? 1 : 0);
      g_assert_true (kiosk_store_is_accepting (store) == (floor_mb == 0));
      kiosk_config_unref (config);
    }
  g_log_remove_handler ("kiosk-store", handler);
  _kiosk_store_free_space_func = saved_free;
  fake_free = G_MAXUINT64;
  store_test_rmdir (dir);
}

/* ---- What the store refuses to touch (issue 12, point 15) --------------- */

static void
assert_refused (const char *path, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = kiosk_store_open (path, "K-REF", &error);

  g_assert_null (store);
  g_assert_error (error, KIOSK_STORE_ERROR, code);
  /* A short, clear message: no SQL. */
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_assert_null (strstr (error->message, "CREATE"));
  g_test_message ("%s: %s", path, error->message);
}

static void
test_refuse_foreign (void)
{
  g_autofree char *dir = store_test_tmpdir ("foreign");
  g_autofree char *folder = g_build_filename (dir, "afolder", NULL);
  g_autofree char *folder_att = g_strconcat (folder, ".attachments", NULL);
  g_autofree char *slash = g_strconcat (dir, "/newdir/", NULL);
  g_autofree char *newdir = g_build_filename (dir, "newdir", NULL);
  g_autofree char *legacy = g_build_filename (dir, "legacy.db", NULL);
  gboolean root_att_existed = g_file_test ("/.attachments", G_FILE_TEST_EXISTS);
  g_autoptr (GError) error = NULL;

  /* Paths that do not name a file: nothing is created. */
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  assert_refused (folder, KIOSK_STORE_ERROR_INVALID);
  g_assert_false (g_file_test (folder_att, G_FILE_TEST_EXISTS));
  assert_refused (slash, KIOSK_STORE_ERROR_INVALID);
  g_assert_false (g_file_test (newdir, G_FILE_TEST_EXISTS));
  assert_refused ("/", KIOSK_STORE_ERROR_INVALID);
  if (!root_att_existed)
    g_assert_false (g_file_test ("/.attachments", G_FILE_TEST_EXISTS));

  /* Another program's database, without and with tables named like ours,
   * and one with another application_id: refused, left byte for byte. */
  {
    const char *setups[][2] = {
      { "music.db", "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');" },
      { "clash.db", "CREATE TABLE cases (id INTEGER PRIMARY KEY, what TEXT); CREATE TABLE outbox (x);"
                    "INSERT INTO cases VALUES (1, 'theirs');" },
      { "stamped.db", "PRAGMA application_id = 42; CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (setups); i++)
      {
        g_autofree char *p = g_build_filename (dir, setups[i][0], NULL);
        g_autofree char *att = g_strconcat (p, ".attachments", NULL);
        g_autofree char *before = NULL, *after = NULL;
        gsize before_len, after_len;
        sqlite3 *db = NULL;

        g_assert_cmpint (sqlite3_open (p, &db), ==, SQLITE_OK);
        exec_ok (db, setups[i][1]);
        sqlite3_close (db);
        g_assert_cmpint (g_chmod (p, 0644), ==, 0);
        g_assert_true (g_file_get_contents (p, &before, &before_len, NULL));
        assert_refused (p, KIOSK_STORE_ERROR_FOREIGN);
        g_assert_true (g_file_get_contents (p, &after, &after_len, NULL));
        g_assert_cmpmem (before, before_len, after, after_len);
        g_assert_cmpuint (mode_of (p), ==, 0644);
        g_assert_false (g_file_test (att, G_FILE_TEST_EXISTS));
      }
  }

  /* Our own store that a migration cannot take (a table in the way): the
   * failing step by name, not its SQL. */
  {
    g_autofree char *p = g_build_filename (dir, "blocked.db", NULL);
    g_autoptr (KioskStore) store = NULL;
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (p, &db), ==, SQLITE_OK);
    g_assert_true (_kiosk_store_migrate (db, 2, &error));
    g_assert_no_error (error);
    exec_ok (db, "CREATE TABLE ratings (x)");
    sqlite3_close (db);
    store = kiosk_store_open (p, "K-REF", &error);
    g_assert_null (store);
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "schema migration 2 -> 3"));
    g_assert_cmpuint (strlen (error->message), <, 200);
    g_assert_null (strstr (error->message, "CREATE"));
    g_clear_error (&error);
  }

  /* A store made before the application_id stamp is ours: opened, stamped. */
  {
    g_autoptr (KioskStore) store = kiosk_store_open (legacy, "K-OLD", &error);
    sqlite3 *db = NULL;
    g_assert_no_error (error);
    g_clear_object (&store);
    g_assert_cmpint (count_rows (legacy, "PRAGMA application_id"), ==, KIOSK_STORE_APPLICATION_ID);
    g_assert_cmpint (sqlite3_open (legacy, &db), ==, SQLITE_OK);
    exec_ok (db, "PRAGMA application_id = 0");
    sqlite3_close (db);
    store = kiosk_store_open (legacy, "K-OLD", &error);
    g_assert_no_error (error);
    g_clear_object (&store);
    g_assert_cmpint (count_rows (legacy, "PRAGMA application_id"), ==, KIOSK_STORE_APPLICATION_ID);
  }
  store_test_rmdir (dir);
}

/* ---- Async and threads --------------------------------------------------- */

static void
submitted_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  char **out = data;
  g_autoptr (GError) error = NULL;

  *out = kiosk_store_submit_case_finish (KIOSK_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
enqueued_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  gint64 *out = data;
  g_autoptr (GError) error = NULL;

  *out = kiosk_store_enqueue_finish (KIOSK_STORE (source), result, &error);
  g_assert_no_error (error);
}

static gpointer
submit_many (gpointer data)
{
  KioskStore *store = data;
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr (GError) error = NULL;
      char *n = test_submit_demo_case (store, i, 1, 16, 16, &error);
      g_assert_no_error (error);
      g_ptr_array_add (numbers, n);
    }
  return numbers;
}

static void
test_async (Fixture *f, gconstpointer data)
{
  g_autofree char *number = NULL;
  g_autofree char *json = kiosk_demo_case_json (3);
  gint64 id = 0;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GThread *threads[3];
  GPtrArray *results[3];

  kiosk_store_submit_case_async (f->store, json, NULL, NULL, submitted_cb, &number);
  kiosk_store_enqueue_async (f->store, "rating", "{\"level\":5}", NULL, enqueued_cb, &id);
  while (number == NULL || id == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (kiosk_case_number_is_valid (number));
  g_assert_cmpint (id, >, 0);

  /* Concurrent submissions get distinct numbers. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("submit", submit_many, f->store);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      results[i] = g_thread_join (threads[i]);
      for (guint k = 0; k < results[i]->len; k++)
        g_assert_true (g_hash_table_add (seen, results[i]->pdata[k]));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 75);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_ptr_array_unref (results[i]);
  g_assert_cmpint (kiosk_store_get_backlog (f->store), ==, 77);
}

/* ---- Kept statements ---------------------------------------------------------- */

/* The sync engine's statements are prepared once and kept (a catch-up ran
 * each of them thousands of times): none may keep a read transaction open
 * between calls, or the store would answer from an old snapshot and block
 * the WAL checkpoint. Another connection changes the queue between calls;
 * the store must see each change at once. */
static void
test_kept_statements (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *c1 = test_submit_demo_case (f->store, 1, 2, 32, 32, &error);
  g_autofree char *c2 = test_submit_demo_case (f->store, 2, 1, 32, 32, &error);
  gint64 now = g_get_real_time ();
  gint64 later = now + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  g_autofree char *defer = g_strdup_printf ("UPDATE outbox SET next_attempt_at = %" G_GINT64_FORMAT, later);
  g_autoptr (KioskOutboxItem) head = NULL;
  g_autoptr (KioskOutboxItem) next = NULL;
  g_autoptr (KioskOutboxItem) none = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  KioskQueueCounts counts;
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  gint64 next_due = 0;

  g_assert_no_error (error);
  /* Every kept statement once (some twice), leaving rows unread. */
  for (int round = 0; round < 2; round++)
    {
      g_clear_pointer (&next, kiosk_outbox_item_free);
      next = kiosk_store_outbox_next (f->store, now, &next_due, &error);
      g_assert_no_error (error);
      g_assert_nonnull (next);
    }
  head = kiosk_store_outbox_head (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (head->id, ==, next->id);
  before = kiosk_store_list_attachments (f->store, next->case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 2);
  g_assert_false (((KioskAttachmentInfo *) before->pdata[0])->upload_started);
  g_assert_true (kiosk_store_mark_attachments_started (f->store, next->case_id, &error));
  g_assert_true (kiosk_store_outbox_mark_retry (f->store, next->id, now, 503, "test", &error));
  g_assert_true (kiosk_store_queue_counts (f->store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.pending, ==, 2);

  /* Another connection: both items due in an hour, the first page
   * uploaded, and the log checkpointed to its end. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, defer, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE attachments SET uploaded = 1 WHERE position = 0", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM outbox WHERE id = (SELECT max(id) FROM outbox)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (st, 0), ==, 0); /* not blocked by a reader */
  sqlite3_finalize (st);
  sqlite3_close (db);

  /* The store sees all of it. */
  none = kiosk_store_outbox_next (f->store, now, &next_due, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_cmpint (next_due, ==, later);
  g_assert_cmpint (kiosk_store_get_backlog (f->store), ==, 1);
  after = kiosk_store_list_attachments (f->store, next->case_id, &error);
  g_assert_no_error (error);
  g_assert_true (((KioskAttachmentInfo *) after->pdata[0])->uploaded);
  g_assert_false (((KioskAttachmentInfo *) after->pdata[1])->uploaded);
  g_assert_true (((KioskAttachmentInfo *) after->pdata[1])->upload_started);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Rejections and full disks are logged as warnings on purpose. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/store/case-number", test_case_number);
  g_test_add_func ("/store/migrations", test_migrations);
  g_test_add ("/store/submit-case", Fixture, NULL, setup, test_submit_case, teardown);
  g_test_add ("/store/case-materials-region", Fixture, NULL, setup, test_case_materials_region, teardown);
  g_test_add ("/store/outbox-order", Fixture, NULL, setup, test_outbox_order, teardown);
  g_test_add ("/store/official-number", Fixture, NULL, setup, test_official_number, teardown);
  g_test_add ("/store/catalog", Fixture, NULL, setup, test_catalog, teardown);
  g_test_add ("/store/retention", Fixture, NULL, setup, test_retention, teardown);
  g_test_add_func ("/store/disk-full", test_disk_full);
  g_test_add ("/store/async", Fixture, NULL, setup, test_async, teardown);
  g_test_add ("/store/kept-statements", Fixture, NULL, setup, test_kept_statements, teardown);
  g_test_add_func ("/store/permissions", test_permissions);
  g_test_add_func ("/store/purge-leaves-no-trace", test_purge_leaves_no_trace);
  g_test_add_func ("/store/open-floor-from-config", test_open_floor_from_config);
  g_test_add_func ("/store/refuse-foreign", test_refuse_foreign);
  return g_test_run ();
}
