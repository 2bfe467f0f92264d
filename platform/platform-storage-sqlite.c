/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-platform"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <sqlite3.h>

#include "platform-storage.h"

/* SQLite storage: metadata and attachment bytes in one database (WAL,
 * synchronous=NORMAL), the bytes as the chunks they arrived in. A file per
 * attachment cost more than everything else the platform did: creating an
 * inode on a file system that has just deleted thousands of files (a
 * benchmark's previous run) scans for a free one. In the database a chunk
 * and the offset it advances are one transaction, so what is recorded as
 * received is exactly what is stored.
 *
 * Statements are prepared once and kept (prep()); a borrowed statement is
 * reset when its CachedStmt variable goes out of scope. */

typedef struct {
  PlatformStorage parent;
  sqlite3 *db;
  GHashTable *stmts; /* SQL text -> sqlite3_stmt */
} SqliteStorage;

/* Migrations, applied in order; the database's PRAGMA user_version is the
 * number applied. Never edit one that shipped: add the next. Version 1 is
 * the schema of the platform before versions (IF NOT EXISTS, so a database
 * made then, at user_version 0, goes through it unchanged).
 * tests/platform/test-storage.c opens a version 1 database made from its
 * own copy of that SQL. */
static const char *const migrations[] = {
  /* 1 */
  "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS replies (idempotency_key TEXT PRIMARY KEY, kind TEXT NOT NULL,"
  "  request_hash TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL, created_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS cases (id INTEGER PRIMARY KEY, official_number TEXT NOT NULL UNIQUE,"
  "  kiosk_id TEXT NOT NULL, provisional_number TEXT NOT NULL, item_code TEXT NOT NULL, payload TEXT NOT NULL,"
  "  attachments TEXT NOT NULL, received_at INTEGER NOT NULL, due_date TEXT,"
  "  UNIQUE (kiosk_id, provisional_number));"
  "CREATE INDEX IF NOT EXISTS cases_provisional ON cases (provisional_number);"
  "CREATE TABLE IF NOT EXISTS attachments (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL,"
  "  received INTEGER NOT NULL, complete INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS attachment_chunks (sha256 TEXT NOT NULL, offset INTEGER NOT NULL,"
  "  data BLOB NOT NULL, PRIMARY KEY (sha256, offset)) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, kiosk_id TEXT NOT NULL,"
  "  payload TEXT NOT NULL, received_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS heartbeats (kiosk_id TEXT PRIMARY KEY, payload TEXT NOT NULL,"
  "  received_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS documents (code TEXT PRIMARY KEY, id_number TEXT NOT NULL,"
  "  payload TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS documents_holder ON documents (id_number);",
  /* 2: the applicant's ID number in a column of its own, indexed (a
   * person's cases were a scan of every payload); the fleet view counts
   * today's cases and ratings per kiosk. */
  "ALTER TABLE cases ADD COLUMN applicant_id_number TEXT;"
  "UPDATE cases SET applicant_id_number = json_extract(payload, '$.applicant.id_number');"
  "CREATE INDEX cases_applicant ON cases (applicant_id_number);"
  "CREATE INDEX IF NOT EXISTS cases_received ON cases (received_at);"
  "CREATE INDEX IF NOT EXISTS records_kind_received ON records (kind, received_at);",
  /* 3: forwarding to the province (platform-forward.c): each case's and
   * record's state on its row. */
  "ALTER TABLE cases ADD COLUMN forward_state INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE cases ADD COLUMN forward_attempts INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE cases ADD COLUMN forward_next_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE cases ADD COLUMN forward_lease_until INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE cases ADD COLUMN forward_reason TEXT;"
  "ALTER TABLE cases ADD COLUMN forward_reply TEXT;"
  "ALTER TABLE records ADD COLUMN forward_state INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE records ADD COLUMN forward_attempts INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE records ADD COLUMN forward_next_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE records ADD COLUMN forward_lease_until INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE records ADD COLUMN forward_reason TEXT;"
  "ALTER TABLE records ADD COLUMN forward_reply TEXT;"
  "CREATE INDEX cases_forward ON cases (forward_state, forward_next_at);"
  "CREATE INDEX records_forward ON records (forward_state, forward_next_at);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == PLATFORM_STORAGE_SCHEMA_VERSION);

/* A statement borrowed from the cache: reset (and its bindings cleared)
 * when the borrower's variable goes out of scope, never finalized. */
typedef sqlite3_stmt CachedStmt;

static void
stmt_release (CachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachedStmt, stmt_release)

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static CachedStmt *
prep (SqliteStorage *self, const char *sql)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt)
    return stmt;
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    g_error ("platform storage: %s: %s", sql, sqlite3_errmsg (self->db));
  g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
  return stmt;
}

static char *
col (sqlite3_stmt *stmt, int i)
{
  const unsigned char *t = sqlite3_column_text (stmt, i);
  return t ? g_strdup ((const char *) t) : NULL;
}

/* Sets @error from the last failure (a unique key taken meanwhile, by
 * another process on the same file: PLATFORM_STORAGE_ERROR_CONFLICT) and
 * rolls the transaction back. */
static gboolean
fail (SqliteStorage *self, GError **error)
{
  int code = sqlite3_extended_errcode (self->db);
  gboolean conflict = code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE;

  g_set_error (error, PLATFORM_STORAGE_ERROR,
               conflict ? PLATFORM_STORAGE_ERROR_CONFLICT : PLATFORM_STORAGE_ERROR_FAILED, "storage: %s",
               sqlite3_errmsg (self->db));
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
s_lookup_reply (PlatformStorage *s, const char *key, PlatformStoredReply *out)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st = prep (self, "SELECT kind, request_hash, status, response FROM replies"
                                          " WHERE idempotency_key = ?1");

  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_ROW)
    return FALSE;
  out->kind = col (st, 0);
  out->request_hash = col (st, 1);
  out->status = sqlite3_column_int (st, 2);
  out->response = col (st, 3);
  return TRUE;
}

static char *
s_find_case_by_provisional (PlatformStorage *s, const char *kiosk_id, const char *provisional)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st = prep (self, "SELECT official_number FROM cases WHERE kiosk_id = ?1"
                                          " AND provisional_number = ?2");

  sqlite3_bind_text (st, 1, kiosk_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, provisional, -1, SQLITE_STATIC);
  return sqlite3_step (st) == SQLITE_ROW ? col (st, 0) : NULL;
}

static gboolean
insert_reply (SqliteStorage *self, const char *key, const char *kind, const char *hash, int status,
              const char *response)
{
  g_autoptr (CachedStmt) st = prep (self, "INSERT INTO replies (idempotency_key, kind, request_hash, status,"
                                          " response, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (st, 4, status);
  sqlite3_bind_text (st, 5, response, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 6, g_get_real_time () / G_USEC_PER_SEC);
  return sqlite3_step (st) == SQLITE_DONE;
}

static gboolean
s_insert_case (PlatformStorage *s, const char *key, const char *hash, const char *kiosk_id, const char *provisional,
               const char *item_code, const char *payload, const char *attachments_json, const char *due_date,
               const char *reply_template, char **official_number, char **reply, GError **error)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y%m%d");
  g_autofree char *official = NULL;
  g_autofree char *response = NULL;
  gint64 seq;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, error);
  {
    g_autoptr (CachedStmt) st = prep (self, "INSERT INTO counters (name, value) VALUES ('case_sequence', 1)"
                                            " ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value");
    if (sqlite3_step (st) != SQLITE_ROW)
      return fail (self, error);
    seq = sqlite3_column_int64 (st, 0);
  }
  /* 办件编号: "ZW" + date + 8-digit sequence (at most 50 characters). */
  official = g_strdup_printf ("ZW%s%08" G_GINT64_FORMAT, day, seq);
  {
    g_auto (GStrv) parts = g_strsplit (reply_template, "%OFFICIAL%", -1);
    response = g_strjoinv (official, parts);
  }
  {
    g_autoptr (CachedStmt) st
        = prep (self, "INSERT INTO cases (official_number, kiosk_id, provisional_number, item_code, payload,"
                      " attachments, received_at, due_date, applicant_id_number)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, json_extract(?5, '$.applicant.id_number'))");
    sqlite3_bind_text (st, 1, official, -1, SQLITE_STATIC);
    sqlite3_bind_text (st, 2, kiosk_id, -1, SQLITE_STATIC);
    sqlite3_bind_text (st, 3, provisional, -1, SQLITE_STATIC);
    sqlite3_bind_text (st, 4, item_code, -1, SQLITE_STATIC);
    sqlite3_bind_text (st, 5, payload, -1, SQLITE_STATIC);
    sqlite3_bind_text (st, 6, attachments_json, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (st, 7, g_get_real_time () / G_USEC_PER_SEC);
    sqlite3_bind_text (st, 8, due_date, -1, SQLITE_STATIC);
    if (sqlite3_step (st) != SQLITE_DONE)
      return fail (self, error);
  }
  if (!insert_reply (self, key, "case", hash, 201, response))
    return fail (self, error);
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, error);
  *official_number = g_steal_pointer (&official);
  *reply = g_steal_pointer (&response);
  return TRUE;
}

static gboolean
s_insert_record (PlatformStorage *s, const char *kind, const char *key, const char *hash, const char *kiosk_id,
                 const char *payload, const char *reply, GError **error)
{
  SqliteStorage *self = (SqliteStorage *) s;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, error);
  {
    g_autoptr (CachedStmt) st = prep (self, "INSERT INTO records (kind, kiosk_id, payload, received_at)"
                                            " VALUES (?1, ?2, ?3, ?4)");
    sqlite3_bind_text (st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text (st, 2, kiosk_id, -1, SQLITE_STATIC);
    sqlite3_bind_text (st, 3, payload, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (st, 4, g_get_real_time () / G_USEC_PER_SEC);
    if (sqlite3_step (st) != SQLITE_DONE)
      return fail (self, error);
  }
  if (!insert_reply (self, key, kind, hash, 201, reply))
    return fail (self, error);
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, error);
  return TRUE;
}

#define CASE_JSON                                                                                    \
  "json_object('official_number', official_number, 'provisional_number', provisional_number,"        \
  " 'kiosk_id', kiosk_id, 'item_code', item_code, 'received_at', received_at, 'due_date', due_date," \
  " 'attachments', (SELECT json_group_array(json_extract(value, '$.sha256')) FROM json_each(attachments)))"

static char *
s_get_case (PlatformStorage *s, const char *number)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st = prep (self, "SELECT " CASE_JSON " FROM cases WHERE official_number = ?1"
                                          " OR provisional_number = ?1 LIMIT 1");

  sqlite3_bind_text (st, 1, number, -1, SQLITE_STATIC);
  return sqlite3_step (st) == SQLITE_ROW ? col (st, 0) : NULL;
}

static char *
s_get_case_applicant (PlatformStorage *s, const char *number)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st = prep (self, "SELECT applicant_id_number FROM cases"
                                          " WHERE official_number = ?1 OR provisional_number = ?1 LIMIT 1");

  sqlite3_bind_text (st, 1, number, -1, SQLITE_STATIC);
  return sqlite3_step (st) == SQLITE_ROW ? col (st, 0) : NULL;
}

static char *
s_list_cases_of_applicant (PlatformStorage *s, const char *id_number)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st
      = prep (self, "SELECT json_group_array(json(c)) FROM (SELECT json_set(" CASE_JSON ", '$.owed_materials',"
                    " json(coalesce(json_extract(payload, '$.owed_materials'), '[]'))) AS c FROM cases"
                    " WHERE applicant_id_number = ?1 ORDER BY received_at DESC, id DESC)");

  sqlite3_bind_text (st, 1, id_number, -1, SQLITE_STATIC);
  return sqlite3_step (st) == SQLITE_ROW ? col (st, 0) : g_strdup ("[]");
}

static char *
s_list_cases (PlatformStorage *s)
{
  SqliteStorage *self = (SqliteStorage *) s;
  /* With the case's materials and handling region as the kiosk sent them
   * (null when its body had none). */
  g_autoptr (CachedStmt) st
      = prep (self, "SELECT json_group_array(json(c)) FROM (SELECT json_set(" CASE_JSON ","
                    " '$.materials', payload -> '$.materials', '$.handling_region', payload -> '$.handling_region')"
                    " AS c FROM cases ORDER BY id)");

  return sqlite3_step (st) == SQLITE_ROW ? col (st, 0) : g_strdup ("[]");
}

/* ---- 证明打印 -------------------------------------------------------------- */

static gboolean
s_put_document (PlatformStorage *s, const char *code, const char *id_number, const char *json, GError **error)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st
      = prep (self, "INSERT OR REPLACE INTO documents (code, id_number, payload) VALUES (?1, ?2, json(?3))");

  sqlite3_bind_text (st, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, id_number, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, json, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "storage: %s", sqlite3_errmsg (self->db));
      return FALSE;
    }
  return TRUE;
}

static char *
s_list_documents_of_person (PlatformStorage *s, const char *id_number)
{
  SqliteStorage *self = (SqliteStorage *) s;
  /* The ID number matches with its check character in either case. Each
   * document with the kiosks' confirmed prints of it, in all and today
   * (local time), so a kiosk marks a copy printed elsewhere as 补打. */
  g_autoptr (CachedStmt) st = prep (
      self,
      "SELECT json_group_array(json(p)) FROM (SELECT json_set(d.payload, '$.prints',"
      " (SELECT count(DISTINCT json_extract(r.payload, '$.record_id')) FROM records r WHERE r.kind = 'print_record'"
      " AND json_extract(r.payload, '$.document_id') = 'certificate:' || d.code"
      " AND json_extract(r.payload, '$.counted') = 1), '$.printed_today',"
      " (SELECT count(DISTINCT json_extract(r.payload, '$.record_id')) FROM records r WHERE r.kind = 'print_record'"
      " AND json_extract(r.payload, '$.document_id') = 'certificate:' || d.code"
      " AND json_extract(r.payload, '$.counted') = 1"
      " AND date(json_extract(r.payload, '$.finished_at'), 'localtime') = date('now', 'localtime'))) AS p"
      " FROM documents d WHERE upper(d.id_number) = upper(?1)"
      " ORDER BY json_extract(d.payload, '$.issued_date') DESC, d.code)");

  sqlite3_bind_text (st, 1, id_number, -1, SQLITE_STATIC);
  return sqlite3_step (st) == SQLITE_ROW ? col (st, 0) : g_strdup ("[]");
}

static char *
s_get_document (PlatformStorage *s, const char *code)
{
  SqliteStorage *self = (SqliteStorage *) s;
  /* Prints: the kiosks' print records of "certificate:<code>" that the
   * printer confirmed (docs/platform-api.md, 证明打印). */
  g_autoptr (CachedStmt) st
      = prep (self, "SELECT json_set(d.payload, '$.prints', count(DISTINCT json_extract(r.payload, '$.record_id')), "
                    "'$.reprints', max(coalesce("
                    " json_extract(r.payload, '$.reprint_count'), 0)), '$.last_printed_at',"
                    " max(CAST(strftime('%s', json_extract(r.payload, '$.finished_at')) AS INTEGER)))"
                    " FROM documents d LEFT JOIN records r ON r.kind = 'print_record'"
                    " AND json_extract(r.payload, '$.document_id') = 'certificate:' || d.code"
                    " AND json_extract(r.payload, '$.counted') = 1 WHERE d.code = ?1 GROUP BY d.code");

  sqlite3_bind_text (st, 1, code, -1, SQLITE_STATIC);
  return sqlite3_step (st) == SQLITE_ROW ? col (st, 0) : NULL;
}

static gboolean
s_attachment_get (PlatformStorage *s, const char *sha256, gint64 *size, gint64 *received, gboolean *complete)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st = prep (self, "SELECT size, received, complete FROM attachments WHERE sha256 = ?1");

  sqlite3_bind_text (st, 1, sha256, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_ROW)
    return FALSE;
  *size = sqlite3_column_int64 (st, 0);
  *received = sqlite3_column_int64 (st, 1);
  *complete = sqlite3_column_int (st, 2);
  return TRUE;
}

static gboolean
set_attachment (SqliteStorage *self, const char *sha256, gint64 size, gint64 received, gboolean complete)
{
  g_autoptr (CachedStmt) st = prep (self, "INSERT INTO attachments (sha256, size, received, complete, created_at)"
                                          " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (sha256) DO UPDATE"
                                          " SET size = ?2, received = ?3, complete = ?4");

  sqlite3_bind_text (st, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, size);
  sqlite3_bind_int64 (st, 3, received);
  sqlite3_bind_int (st, 4, complete);
  sqlite3_bind_int64 (st, 5, g_get_real_time () / G_USEC_PER_SEC);
  return sqlite3_step (st) == SQLITE_DONE;
}

/* Forgets the stored bytes of @sha256 from @from on. */
static gboolean
drop_chunks (SqliteStorage *self, const char *sha256, gint64 from)
{
  g_autoptr (CachedStmt) st = prep (self, "DELETE FROM attachment_chunks WHERE sha256 = ?1 AND offset >= ?2");

  sqlite3_bind_text (st, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, from);
  return sqlite3_step (st) == SQLITE_DONE;
}

#define CHUNKS_IN_ORDER "SELECT data FROM attachment_chunks WHERE sha256 = ?1 ORDER BY offset"

/* The SHA-256 of the stored bytes of @sha256, and their number. */
static char *
stored_checksum (SqliteStorage *self, const char *sha256, gint64 *length)
{
  g_autoptr (CachedStmt) st = prep (self, CHUNKS_IN_ORDER);
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  *length = 0;
  sqlite3_bind_text (st, 1, sha256, -1, SQLITE_STATIC);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      int n = sqlite3_column_bytes (st, 0);
      g_checksum_update (sum, sqlite3_column_blob (st, 0), n);
      *length += n;
    }
  return g_strdup (g_checksum_get_string (sum));
}

static gboolean
s_attachment_append (PlatformStorage *s, const char *sha256, gint64 size, gint64 offset, const guint8 *data, gsize len,
                     gint64 *received, gboolean *complete, gboolean *checksum_ok, GError **error)
{
  SqliteStorage *self = (SqliteStorage *) s;

  gint64 stored_size = 0, stored_received = 0;
  gboolean stored_complete = FALSE;

  *checksum_ok = TRUE;
  *complete = FALSE;
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, error);
  /* The offset is checked inside the transaction: another process on this
   * file may have appended since the handler looked. */
  if (s_attachment_get (s, sha256, &stored_size, &stored_received, &stored_complete)
      && (stored_complete || stored_received != offset))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      *complete = stored_complete;
      *received = stored_complete ? stored_size : stored_received;
      if (stored_complete)
        return TRUE;
      g_set_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT,
                   "offset %" G_GINT64_FORMAT " is not the received count %" G_GINT64_FORMAT, offset, stored_received);
      return FALSE;
    }
  if (stored_received == 0 && offset != 0)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      *received = 0;
      g_set_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT, "nothing received yet");
      return FALSE;
    }
  *received = offset + (gint64) len;
  /* Anything stored from @offset on is replaced. */
  if (!drop_chunks (self, sha256, offset))
    return fail (self, error);
  if (len > 0)
    {
      g_autoptr (CachedStmt) st
          = prep (self, "INSERT INTO attachment_chunks (sha256, offset, data) VALUES (?1, ?2, ?3)");
      sqlite3_bind_text (st, 1, sha256, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (st, 2, offset);
      sqlite3_bind_blob64 (st, 3, data, len, SQLITE_STATIC);
      if (sqlite3_step (st) != SQLITE_DONE)
        return fail (self, error);
    }
  if (*received >= size)
    {
      g_autofree char *sum = NULL;
      gint64 stored = 0;

      /* The whole attachment came in this request (a page, usually): its
       * bytes are at hand; otherwise the stored chunks are read. */
      if (offset == 0)
        {
          sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
          stored = (gint64) len;
        }
      else
        sum = stored_checksum (self, sha256, &stored);
      if (stored != size || g_strcmp0 (sum, sha256) != 0)
        {
          /* Discard: the kiosk starts this attachment again. */
          if (!drop_chunks (self, sha256, 0))
            return fail (self, error);
          *checksum_ok = FALSE;
          *received = 0;
        }
      else
        *complete = TRUE;
    }
  if (!set_attachment (self, sha256, size, *received, *complete))
    return fail (self, error);
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, error);
  return TRUE;
}

static GBytes *
s_attachment_read (PlatformStorage *s, const char *sha256)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (GByteArray) bytes = NULL;
  gint64 size = 0, received = 0;
  gboolean complete = FALSE;

  if (!s_attachment_get (s, sha256, &size, &received, &complete) || !complete || size < 0 || size > G_MAXUINT)
    return NULL;
  bytes = g_byte_array_sized_new ((guint) size);
  {
    g_autoptr (CachedStmt) st = prep (self, CHUNKS_IN_ORDER);
    sqlite3_bind_text (st, 1, sha256, -1, SQLITE_STATIC);
    while (sqlite3_step (st) == SQLITE_ROW)
      g_byte_array_append (bytes, sqlite3_column_blob (st, 0), (guint) sqlite3_column_bytes (st, 0));
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static void
s_heartbeat (PlatformStorage *s, const char *kiosk_id, const char *payload)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st = prep (self, "INSERT OR REPLACE INTO heartbeats (kiosk_id, payload, received_at)"
                                          " VALUES (?1, ?2, ?3)");

  sqlite3_bind_text (st, 1, kiosk_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, payload, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_step (st);
}

static char *
s_fleet (PlatformStorage *s, gint64 day_start)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st = prep (
      self, "WITH k AS (SELECT kiosk_id FROM heartbeats UNION SELECT kiosk_id FROM cases WHERE received_at >= ?1"
            "   UNION SELECT kiosk_id FROM records WHERE kind = 'rating' AND received_at >= ?1),"
            " c AS (SELECT kiosk_id, count(*) AS n FROM cases WHERE received_at >= ?1 GROUP BY kiosk_id),"
            " r AS (SELECT kiosk_id, count(*) AS n FROM records WHERE kind = 'rating' AND received_at >= ?1"
            "   GROUP BY kiosk_id)"
            " SELECT json_group_array(json(o)) FROM (SELECT json_object('kiosk_id', k.kiosk_id,"
            "   'heartbeat_at', h.received_at, 'heartbeat', json(h.payload), 'cases_today', coalesce(c.n, 0),"
            "   'ratings_today', coalesce(r.n, 0)) AS o FROM k LEFT JOIN heartbeats h ON h.kiosk_id = k.kiosk_id"
            "   LEFT JOIN c ON c.kiosk_id = k.kiosk_id LEFT JOIN r ON r.kiosk_id = k.kiosk_id ORDER BY k.kiosk_id)");

  sqlite3_bind_int64 (st, 1, day_start);
  return sqlite3_step (st) == SQLITE_ROW ? col (st, 0) : NULL;
}

static void
s_count (PlatformStorage *s, const char *counter, gint64 delta)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st = prep (self, "INSERT INTO counters (name, value) VALUES (?1, ?2)"
                                          " ON CONFLICT (name) DO UPDATE SET value = value + ?2");

  sqlite3_bind_text (st, 1, counter, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, delta);
  sqlite3_step (st);
}

static char *
s_stats (PlatformStorage *s)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st = prep (
      self, "SELECT json_object("
            " 'cases', (SELECT count(*) FROM cases),"
            " 'duplicate_submissions', coalesce((SELECT value FROM counters WHERE name = 'duplicate_submissions'), 0),"
            " 'attachments', (SELECT count(*) FROM attachments WHERE complete),"
            " 'attachment_bytes', coalesce((SELECT sum(size) FROM attachments WHERE complete), 0),"
            " 'attachment_checksum_failures', coalesce((SELECT value FROM counters"
            "   WHERE name = 'attachment_checksum_failures'), 0),"
            " 'ratings', (SELECT count(*) FROM records WHERE kind = 'rating'),"
            " 'print_records', (SELECT count(*) FROM records WHERE kind = 'print_record'),"
            " 'proxy_authorisations', (SELECT count(*) FROM records WHERE kind = 'proxy_authorisation'),"
            " 'other_records', (SELECT count(*) FROM records WHERE kind NOT IN ('rating', 'print_record',"
            "   'proxy_authorisation')),"
            " 'heartbeats', coalesce((SELECT value FROM counters WHERE name = 'heartbeats'), 0),"
            " 'kiosks_seen', (SELECT count(*) FROM heartbeats),"
            " 'rejections', coalesce((SELECT value FROM counters WHERE name = 'rejections'), 0))");

  return sqlite3_step (st) == SQLITE_ROW ? col (st, 0) : g_strdup ("{}");
}

static int
s_schema_version (PlatformStorage *s)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st = prep (self, "PRAGMA user_version");

  return sqlite3_step (st) == SQLITE_ROW ? sqlite3_column_int (st, 0) : -1;
}

/* Applies the migrations the database lacks, each in its own transaction
 * that re-reads the version (another process may be migrating the same
 * file). */
static gboolean
migrate (SqliteStorage *self, GError **error)
{
  for (;;)
    {
      int version;

      if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail (self, error);
      version = s_schema_version (&self->parent);
      if (version < 0)
        return fail (self, error);
      if (version > (int) G_N_ELEMENTS (migrations))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          g_set_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_FAILED,
                       "the database has schema version %d, newer than this platform's %d", version,
                       (int) G_N_ELEMENTS (migrations));
          return FALSE;
        }
      if (version == (int) G_N_ELEMENTS (migrations))
        return sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK || fail (self, error);
      {
        g_autofree char *set = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
        if (sqlite3_exec (self->db, migrations[version], NULL, NULL, NULL) != SQLITE_OK
            || sqlite3_exec (self->db, set, NULL, NULL, NULL) != SQLITE_OK
            || sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
          return fail (self, error);
      }
      g_debug ("storage: migrated to schema version %d", version + 1);
    }
}

static void
s_free (PlatformStorage *s)
{
  SqliteStorage *self = (SqliteStorage *) s;

  if (self->stmts)
    g_hash_table_destroy (self->stmts); /* finalizes them */
  sqlite3_close_v2 (self->db);
  g_free (self);
}

/* ---- forwarding to the province (platform-forward.c) ------------------- */

#define FORWARD_DUE " forward_state = 0 AND forward_next_at <= ?1 AND forward_lease_until <= ?1"

/* The items due at ?1, at most ?2, in a stable order (the same set for the
 * SELECT and the UPDATEs of one transaction). */
#define FORWARD_BATCH                                                                                       \
  "WITH due AS (SELECT 'case' AS t, id, 'case' AS kind, payload, forward_attempts AS attempts, received_at" \
  " FROM cases WHERE" FORWARD_DUE                                                                           \
  " UNION ALL SELECT 'record', id, kind, payload, forward_attempts, received_at FROM records"               \
  " WHERE kind IN ('rating', 'print_record') AND" FORWARD_DUE " ORDER BY received_at, t, id LIMIT ?2) "

static char *
s_forward_claim (PlatformStorage *s, gint64 now, int limit, int lease_seconds)
{
  SqliteStorage *self = (SqliteStorage *) s;
  static const char *const lease[] = {
    FORWARD_BATCH "UPDATE cases SET forward_lease_until = ?3 WHERE id IN (SELECT id FROM due WHERE t = 'case')",
    FORWARD_BATCH "UPDATE records SET forward_lease_until = ?3 WHERE id IN (SELECT id FROM due WHERE t = 'record')",
  };
  g_autofree char *json = NULL;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return NULL;
  {
    g_autoptr (CachedStmt) st
        = prep (self, FORWARD_BATCH "SELECT json_group_array(json_object('table', t, 'id', id, 'kind', kind,"
                                    " 'payload', payload, 'attempts', attempts)) FROM due");
    sqlite3_bind_int64 (st, 1, now);
    sqlite3_bind_int (st, 2, limit);
    if (sqlite3_step (st) != SQLITE_ROW)
      {
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
        return NULL;
      }
    json = g_strdup ((const char *) sqlite3_column_text (st, 0));
  }
  for (guint i = 0; i < G_N_ELEMENTS (lease); i++)
    {
      g_autoptr (CachedStmt) st = prep (self, lease[i]);
      sqlite3_bind_int64 (st, 1, now);
      sqlite3_bind_int (st, 2, limit);
      sqlite3_bind_int64 (st, 3, now + lease_seconds);
      if (sqlite3_step (st) != SQLITE_DONE)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return NULL;
        }
    }
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return NULL;
    }
  return g_steal_pointer (&json);
}

static gboolean
s_forward_done (PlatformStorage *s, const char *table, gint64 id, int state, gint64 next_at, const char *reason,
                const char *reply, GError **error)
{
  SqliteStorage *self = (SqliteStorage *) s;
  const char *sql;

  if (g_strcmp0 (table, "case") == 0)
    sql = "UPDATE cases SET forward_state = ?2, forward_attempts = forward_attempts + (?2 = 0),"
          " forward_next_at = ?3, forward_lease_until = 0, forward_reason = ?4, forward_reply = ?5 WHERE id = ?1";
  else if (g_strcmp0 (table, "record") == 0)
    sql = "UPDATE records SET forward_state = ?2, forward_attempts = forward_attempts + (?2 = 0),"
          " forward_next_at = ?3, forward_lease_until = 0, forward_reason = ?4, forward_reply = ?5 WHERE id = ?1";
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no forwarded table %s", table);
      return FALSE;
    }
  {
    g_autoptr (CachedStmt) st = prep (self, sql);
    sqlite3_bind_int64 (st, 1, id);
    sqlite3_bind_int (st, 2, state);
    sqlite3_bind_int64 (st, 3, next_at);
    sqlite3_bind_text (st, 4, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text (st, 5, reply, -1, SQLITE_STATIC);
    if (sqlite3_step (st) != SQLITE_DONE)
      return fail (self, error);
  }
  return TRUE;
}

static char *
s_forward_stats (PlatformStorage *s)
{
  SqliteStorage *self = (SqliteStorage *) s;
  g_autoptr (CachedStmt) st
      = prep (self, "WITH f AS (SELECT forward_state AS state, received_at FROM cases UNION ALL"
                    " SELECT forward_state, received_at FROM records WHERE kind IN ('rating', 'print_record'))"
                    " SELECT json_object('forwarded', (SELECT count(*) FROM f WHERE state = 1),"
                    " 'pending', (SELECT count(*) FROM f WHERE state = 0),"
                    " 'rejected', (SELECT count(*) FROM f WHERE state = 2),"
                    " 'oldest_pending_received_at', (SELECT min(received_at) FROM f WHERE state = 0))");

  if (sqlite3_step (st) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (st, 0));
}

static const PlatformStorageClass sqlite_class = {
  .lookup_reply = s_lookup_reply,
  .find_case_by_provisional = s_find_case_by_provisional,
  .insert_case = s_insert_case,
  .insert_record = s_insert_record,
  .get_case = s_get_case,
  .get_case_applicant = s_get_case_applicant,
  .list_cases_of_applicant = s_list_cases_of_applicant,
  .list_cases = s_list_cases,
  .put_document = s_put_document,
  .list_documents_of_person = s_list_documents_of_person,
  .get_document = s_get_document,
  .attachment_get = s_attachment_get,
  .attachment_append = s_attachment_append,
  .attachment_read = s_attachment_read,
  .heartbeat = s_heartbeat,
  .fleet = s_fleet,
  .count = s_count,
  .stats = s_stats,
  .schema_version = s_schema_version,
  .forward_claim = s_forward_claim,
  .forward_done = s_forward_done,
  .forward_stats = s_forward_stats,
  .free = s_free,
};

PlatformStorage *
platform_storage_sqlite_new (const char *path, GError **error)
{
  SqliteStorage *self = g_new0 (SqliteStorage, 1);

  self->parent.klass = &sqlite_class;
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stmt_finalize);
  /* The busy timeout first: switching a new file to WAL takes a lock that
   * another process opening it at the same moment may hold. */
  if (sqlite3_open (path, &self->db) != SQLITE_OK || sqlite3_busy_timeout (self->db, 5000) != SQLITE_OK
      || sqlite3_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", NULL, NULL, NULL)
             != SQLITE_OK)
    {
      g_set_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_FAILED, "%s: %s", path,
                   sqlite3_errmsg (self->db));
      s_free (&self->parent);
      return NULL;
    }
  if (!migrate (self, error))
    {
      g_prefix_error (error, "%s: ", path);
      s_free (&self->parent);
      return NULL;
    }
  return &self->parent;
}
