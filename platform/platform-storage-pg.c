/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-platform"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "platform-storage.h"

/* PostgreSQL storage: several receivers (processes, machines) on one
 * database, each with one connection. Exactly-once is the database's:
 *
 *  - replies.idempotency_key, cases (kiosk_id, provisional_number) and
 *    cases.official_number are unique keys; a case, its official number
 *    and its reply are one transaction. Of two receivers storing the same
 *    request, the second fails on a unique key (SQLSTATE 23505) and
 *    returns PLATFORM_STORAGE_ERROR_CONFLICT; the handler then answers
 *    with the reply the first stored.
 *  - Official numbers come from the counter row 'case_sequence', updated
 *    in the inserting transaction (the row lock orders the inserts; a
 *    rolled-back insert gives its number back, so numbers have no gaps).
 *  - An attachment grows only where it ends: the appending transaction
 *    locks its row (SELECT ... FOR UPDATE) and appends only when the
 *    received count equals the offset; the chunk's (sha256, offset) is a
 *    primary key too.
 *
 * Transactions run at READ COMMITTED; a serialization failure or deadlock
 * (40001, 40P01) is retried, a unique violation is the caller's conflict.
 * Statements are prepared once per connection (PQprepare, named by the
 * order they were first used); a lost connection is reset between calls
 * (never inside a transaction) and the statements prepared again.
 * Error texts are the primary message only: a DETAIL may quote a row. */

typedef struct {
  PlatformStorage parent;
  PGconn *conn;
  GHashTable *prepared; /* SQL text -> statement name */
  guint n_prepared;
  gboolean in_tx;
  gboolean retry; /* the last error was a serialization failure or deadlock */
} PgStorage;

/* Migrations, applied in order in one transaction under an advisory lock
 * (receivers starting together migrate once); table schema_version holds
 * the versions applied. Never edit one that shipped: add the next, in
 * step with the SQLite engine's (same numbers, same meaning).
 * tests/platform/test-storage.c opens a version 1 database made from its
 * own copy of that SQL. */
static const char *const migrations[] = {
  /* 1: the tables of the SQLite engine's version 1. Payloads are json
   * (kept as the kiosk sent them). kiosk_epoch: unix seconds of an ISO
   * 8601 text, NULL when it is none (a kiosk's malformed date must not
   * fail a query). */
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
  " BEGIN RETURN floor(extract(epoch FROM t::timestamptz))::bigint; EXCEPTION WHEN others THEN RETURN NULL; END $$;",
  /* 2: as the SQLite engine's 2. */
  "ALTER TABLE cases ADD COLUMN applicant_id_number text;"
  "UPDATE cases SET applicant_id_number = payload -> 'applicant' ->> 'id_number';"
  "CREATE INDEX cases_applicant ON cases (applicant_id_number);"
  "CREATE INDEX cases_received ON cases (received_at);"
  "CREATE INDEX records_kind_received ON records (kind, received_at);",
  /* 3: as the SQLite engine's 3 (forwarding to the province). */
  "ALTER TABLE cases ADD COLUMN forward_state integer NOT NULL DEFAULT 0,"
  "  ADD COLUMN forward_attempts integer NOT NULL DEFAULT 0, ADD COLUMN forward_next_at bigint NOT NULL DEFAULT 0,"
  "  ADD COLUMN forward_lease_until bigint NOT NULL DEFAULT 0, ADD COLUMN forward_reason text,"
  "  ADD COLUMN forward_reply text;"
  "ALTER TABLE records ADD COLUMN forward_state integer NOT NULL DEFAULT 0,"
  "  ADD COLUMN forward_attempts integer NOT NULL DEFAULT 0, ADD COLUMN forward_next_at bigint NOT NULL DEFAULT 0,"
  "  ADD COLUMN forward_lease_until bigint NOT NULL DEFAULT 0, ADD COLUMN forward_reason text,"
  "  ADD COLUMN forward_reply text;"
  "CREATE INDEX cases_forward ON cases (forward_state, forward_next_at);"
  "CREATE INDEX records_forward ON records (forward_state, forward_next_at);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == PLATFORM_STORAGE_SCHEMA_VERSION);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
has_state (const PGresult *res, const char *state)
{
  const char *s = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  return s && g_str_equal (s, state);
}

static gboolean
ok (const PGresult *res)
{
  ExecStatusType st = res ? PQresultStatus (res) : PGRES_FATAL_ERROR;
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* Sets @error from @res (or the connection), the primary message only: a
 * unique key taken meanwhile is PLATFORM_STORAGE_ERROR_CONFLICT; a
 * serialization failure or deadlock sets self->retry. */
static void
set_error (PgStorage *self, const PGresult *res, GError **error)
{
  const char *msg = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

  self->retry = has_state (res, "40001") || has_state (res, "40P01");
  if (msg == NULL)
    msg = PQerrorMessage (self->conn);
  g_set_error (error, PLATFORM_STORAGE_ERROR,
               has_state (res, "23505") ? PLATFORM_STORAGE_ERROR_CONFLICT : PLATFORM_STORAGE_ERROR_FAILED,
               "storage: %s", msg && *msg ? msg : "no connection to the database");
}

static PGresult *
exec_prepared (PgStorage *self, const char *sql, int n, const char *const *values, const int *lengths,
               const int *formats, int result_format)
{
  const char *name = g_hash_table_lookup (self->prepared, sql);

  if (name == NULL)
    {
      char *new_name = g_strdup_printf ("k%u", self->n_prepared++);
      PGresult *res = PQprepare (self->conn, new_name, sql, n, NULL);

      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          g_free (new_name);
          return res;
        }
      PQclear (res);
      g_hash_table_insert (self->prepared, g_strdup (sql), new_name);
      name = new_name;
    }
  return PQexecPrepared (self->conn, name, n, values, lengths, formats, result_format);
}

/* Runs the prepared @sql with text parameters (binary where @lengths and
 * @formats say so). Outside a transaction, a connection found broken is
 * reset once and the statement run again. */
static PGresult *
q_full (PgStorage *self, const char *sql, int n, const char *const *values, const int *lengths, const int *formats,
        int result_format)
{
  PGresult *res = exec_prepared (self, sql, n, values, lengths, formats, result_format);

  if (!self->in_tx && !ok (res) && PQstatus (self->conn) == CONNECTION_BAD)
    {
      PQclear (res);
      g_message ("storage: connection to the database lost; reconnecting");
      PQreset (self->conn);
      g_hash_table_remove_all (self->prepared);
      res = exec_prepared (self, sql, n, values, lengths, formats, result_format);
    }
  return res;
}

/* Q (self, sql, text parameters...): a parameter may be NULL (SQL NULL). */
#define Q_ARGS(...) ((const char *const[]){ __VA_ARGS__ })
#define Q(self, sql, ...)                                                                                         \
  q_full ((self), (sql), (int) (sizeof Q_ARGS (__VA_ARGS__) / sizeof (const char *)), Q_ARGS (__VA_ARGS__), NULL, \
          NULL, 0)
#define Q0(self, sql) q_full ((self), (sql), 0, NULL, NULL, NULL, 0)

static gboolean
simple (PgStorage *self, const char *sql, GError **error)
{
  g_autoptr (PGresult) res = NULL;

  if (g_str_equal (sql, "BEGIN") && !self->in_tx && PQstatus (self->conn) == CONNECTION_BAD)
    {
      PQreset (self->conn);
      g_hash_table_remove_all (self->prepared);
    }
  res = PQexec (self->conn, sql);
  if (!ok (res))
    {
      set_error (self, res, error);
      return FALSE;
    }
  self->in_tx = g_str_equal (sql, "BEGIN");
  return TRUE;
}

static gboolean
begin (PgStorage *self, GError **error)
{
  return simple (self, "BEGIN", error);
}

static gboolean
commit (PgStorage *self, GError **error)
{
  gboolean done = simple (self, "COMMIT", error);

  self->in_tx = FALSE;
  return done;
}

/* Rolls back and sets @error from @res; FALSE. */
static gboolean
rollback (PgStorage *self, const PGresult *res, GError **error)
{
  if (error && *error == NULL)
    set_error (self, res, error);
  PQclear (PQexec (self->conn, "ROLLBACK"));
  self->in_tx = FALSE;
  return FALSE;
}

static char *
val (const PGresult *res, int row, int col)
{
  return PQntuples (res) > row && !PQgetisnull (res, row, col) ? g_strdup (PQgetvalue (res, row, col)) : NULL;
}

static char *
int_text (gint64 v)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, v);
}

/* ---- Replies and cases -------------------------------------------------- */

static gboolean
p_lookup_reply (PlatformStorage *s, const char *key, PlatformStoredReply *out)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res
      = Q (self, "SELECT kind, request_hash, status, response FROM replies WHERE idempotency_key = $1", key);

  if (!ok (res) || PQntuples (res) != 1)
    return FALSE;
  out->kind = val (res, 0, 0);
  out->request_hash = val (res, 0, 1);
  out->status = (int) g_ascii_strtoll (PQgetvalue (res, 0, 2), NULL, 10);
  out->response = val (res, 0, 3);
  return TRUE;
}

static char *
p_find_case_by_provisional (PlatformStorage *s, const char *kiosk_id, const char *provisional)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res = Q (
      self, "SELECT official_number FROM cases WHERE kiosk_id = $1 AND provisional_number = $2", kiosk_id, provisional);

  return ok (res) ? val (res, 0, 0) : NULL;
}

static gboolean
insert_reply (PgStorage *self, const char *key, const char *kind, const char *hash, int status, const char *response,
              GError **error)
{
  g_autofree char *status_s = int_text (status);
  g_autofree char *now = int_text (now_s ());
  g_autoptr (PGresult) res = Q (self,
                                "INSERT INTO replies (idempotency_key, kind, request_hash, status, response,"
                                " created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                                key, kind, hash, status_s, response, now);

  if (!ok (res))
    return rollback (self, res, error);
  return TRUE;
}

static gboolean
p_insert_case (PlatformStorage *s, const char *key, const char *hash, const char *kiosk_id, const char *provisional,
               const char *item_code, const char *payload, const char *attachments_json, const char *due_date,
               const char *reply_template, char **official_number, char **reply, GError **error)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y%m%d");
  g_autofree char *received = int_text (now_s ());

  for (int attempt = 1;; attempt++)
    {
      g_autofree char *official = NULL;
      g_autofree char *response = NULL;
      g_autoptr (GError) local = NULL;

      self->retry = FALSE;
      if (!begin (self, error))
        return FALSE;
      {
        g_autoptr (PGresult) res = Q0 (self, "INSERT INTO counters (name, value) VALUES ('case_sequence', 1)"
                                             " ON CONFLICT (name) DO UPDATE SET value = counters.value + 1"
                                             " RETURNING value");
        if (!ok (res) || PQntuples (res) != 1)
          {
            rollback (self, res, &local);
            goto failed;
          }
        /* 办件编号: "ZW" + date + 8-digit sequence (at most 50 characters). */
        official = g_strdup_printf ("ZW%s%08" G_GINT64_FORMAT, day, g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10));
      }
      {
        g_auto (GStrv) parts = g_strsplit (reply_template, "%OFFICIAL%", -1);
        response = g_strjoinv (official, parts);
      }
      {
        g_autoptr (PGresult) res
            = Q (self,
                 "INSERT INTO cases (official_number, kiosk_id, provisional_number, item_code, payload, attachments,"
                 " received_at, due_date, applicant_id_number) VALUES ($1, $2, $3, $4, $5::json,"
                 " CASE json_typeof($6::json) WHEN 'array' THEN $6::json ELSE '[]'::json END, $7, $8,"
                 " $5::json -> 'applicant' ->> 'id_number')",
                 official, kiosk_id, provisional, item_code, payload, attachments_json, received, due_date);
        if (!ok (res))
          {
            rollback (self, res, &local);
            goto failed;
          }
      }
      if (!insert_reply (self, key, "case", hash, 201, response, &local) || !commit (self, &local))
        goto failed;
      *official_number = g_steal_pointer (&official);
      *reply = g_steal_pointer (&response);
      return TRUE;

    failed:
      if (self->in_tx)
        rollback (self, NULL, &local);
      /* A unique key is the caller's to answer; a serialization failure
       * or deadlock is tried again here. */
      if (!self->retry || attempt == 5)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
}

static gboolean
p_insert_record (PlatformStorage *s, const char *kind, const char *key, const char *hash, const char *kiosk_id,
                 const char *payload, const char *reply, GError **error)
{
  PgStorage *self = (PgStorage *) s;
  g_autofree char *now = int_text (now_s ());

  if (!begin (self, error))
    return FALSE;
  {
    g_autoptr (PGresult) res = Q (self,
                                  "INSERT INTO records (kind, kiosk_id, payload, received_at)"
                                  " VALUES ($1, $2, $3::json, $4)",
                                  kind, kiosk_id, payload, now);
    if (!ok (res))
      return rollback (self, res, error);
  }
  if (!insert_reply (self, key, kind, hash, 201, reply, error))
    return FALSE;
  return commit (self, error);
}

#define CASE_JSON                                                                                      \
  "jsonb_build_object('official_number', official_number, 'provisional_number', provisional_number,"   \
  " 'kiosk_id', kiosk_id, 'item_code', item_code, 'received_at', received_at, 'due_date', due_date,"   \
  " 'attachments', (SELECT coalesce(jsonb_agg(e ->> 'sha256'), '[]'::jsonb) FROM json_array_elements(" \
  "   CASE json_typeof(attachments) WHEN 'array' THEN attachments ELSE '[]'::json END) e))"

static char *
p_get_case (PlatformStorage *s, const char *number)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res = Q (self,
                                "SELECT " CASE_JSON " FROM cases WHERE official_number = $1 OR provisional_number = $1"
                                " ORDER BY id LIMIT 1",
                                number);

  return ok (res) ? val (res, 0, 0) : NULL;
}

static char *
p_get_case_applicant (PlatformStorage *s, const char *number)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res = Q (self,
                                "SELECT applicant_id_number FROM cases WHERE official_number = $1"
                                " OR provisional_number = $1 ORDER BY id LIMIT 1",
                                number);

  return ok (res) ? val (res, 0, 0) : NULL;
}

static char *
p_list_cases_of_applicant (PlatformStorage *s, const char *id_number)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res
      = Q (self,
           "SELECT coalesce(jsonb_agg(c ORDER BY received_at DESC, id DESC), '[]'::jsonb) FROM (SELECT received_at, id,"
           " " CASE_JSON " || jsonb_build_object('owed_materials',"
           " coalesce((payload -> 'owed_materials')::jsonb, '[]'::jsonb)) AS c"
           " FROM cases WHERE applicant_id_number = $1) x",
           id_number);

  return ok (res) ? val (res, 0, 0) : g_strdup ("[]");
}

static char *
p_list_cases (PlatformStorage *s)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res
      = Q0 (self, "SELECT coalesce(jsonb_agg(c ORDER BY id), '[]'::jsonb) FROM (SELECT id,"
                  " " CASE_JSON " || jsonb_build_object('materials', (payload -> 'materials')::jsonb,"
                  " 'handling_region', (payload -> 'handling_region')::jsonb) AS c FROM cases) x");

  return ok (res) ? val (res, 0, 0) : g_strdup ("[]");
}

/* ---- 证明打印 -------------------------------------------------------------- */

static gboolean
p_put_document (PlatformStorage *s, const char *code, const char *id_number, const char *json, GError **error)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res = Q (self,
                                "INSERT INTO documents (code, id_number, payload) VALUES ($1, $2, $3::json)"
                                " ON CONFLICT (code) DO UPDATE SET id_number = $2, payload = $3::json",
                                code, id_number, json);

  if (!ok (res))
    {
      set_error (self, res, error);
      return FALSE;
    }
  return TRUE;
}

/* The kiosks' confirmed print records of the document d.code. */
#define PRINTS_OF_D                                                                                         \
  "FROM records r WHERE r.kind = 'print_record' AND r.payload ->> 'document_id' = 'certificate:' || d.code" \
  " AND r.payload ->> 'counted' IN ('true', '1')"

static char *
p_list_documents_of_person (PlatformStorage *s, const char *id_number)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                          g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (midnight, 1);
  g_autofree char *from = int_text (g_date_time_to_unix (midnight));
  g_autofree char *to = int_text (g_date_time_to_unix (tomorrow));
  /* Printed today: finished between the local midnights. */
  g_autoptr (PGresult) res
      = Q (self,
           "SELECT coalesce(jsonb_agg(p ORDER BY issued DESC NULLS LAST, code), '[]'::jsonb) FROM (SELECT d.code,"
           " d.payload ->> 'issued_date' AS issued, d.payload::jsonb || jsonb_build_object("
           " 'prints', (SELECT count(DISTINCT r.payload ->> 'record_id') " PRINTS_OF_D "),"
           " 'printed_today', (SELECT count(DISTINCT r.payload ->> 'record_id') " PRINTS_OF_D
           " AND kiosk_epoch(r.payload ->> 'finished_at') >= $2 AND kiosk_epoch(r.payload ->> 'finished_at') < $3))"
           " AS p FROM documents d WHERE upper(d.id_number) = upper($1)) x",
           id_number, from, to);

  return ok (res) ? val (res, 0, 0) : g_strdup ("[]");
}

static char *
p_get_document (PlatformStorage *s, const char *code)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res
      = Q (self,
           "SELECT d.payload::jsonb || jsonb_build_object('prints', count(DISTINCT r.payload ->> 'record_id'),"
           " 'reprints', max(coalesce(CASE WHEN r.payload ->> 'reprint_count' ~ '^-?[0-9]{1,18}$'"
           "   THEN (r.payload ->> 'reprint_count')::bigint END, 0)),"
           " 'last_printed_at', max(kiosk_epoch(r.payload ->> 'finished_at')))"
           " FROM documents d LEFT JOIN records r ON r.kind = 'print_record'"
           " AND r.payload ->> 'document_id' = 'certificate:' || d.code AND r.payload ->> 'counted' IN ('true', '1')"
           " WHERE d.code = $1 GROUP BY d.code",
           code);

  return ok (res) ? val (res, 0, 0) : NULL;
}

/* ---- Attachments ---------------------------------------------------------- */

static gboolean
p_attachment_get (PlatformStorage *s, const char *sha256, gint64 *size, gint64 *received, gboolean *complete)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res = Q (self, "SELECT size, received, complete FROM attachments WHERE sha256 = $1", sha256);

  if (!ok (res) || PQntuples (res) != 1)
    return FALSE;
  *size = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  *received = g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10);
  *complete = PQgetvalue (res, 0, 2)[0] == 't';
  return TRUE;
}

#define CHUNKS_IN_ORDER "SELECT data FROM attachment_chunks WHERE sha256 = $1 ORDER BY off"

/* The stored chunks of @sha256 in order (binary results); NULL on error. */
static PGresult *
chunks (PgStorage *self, const char *sha256)
{
  const char *const values[] = { sha256 };
  PGresult *res = q_full (self, CHUNKS_IN_ORDER, 1, values, NULL, NULL, 1);

  if (!ok (res))
    {
      PQclear (res);
      return NULL;
    }
  return res;
}

static gboolean
drop_chunks (PgStorage *self, const char *sha256, gint64 from, GError **error)
{
  g_autofree char *from_s = int_text (from);
  g_autoptr (PGresult) res = Q (self, "DELETE FROM attachment_chunks WHERE sha256 = $1 AND off >= $2", sha256, from_s);

  return ok (res) || rollback (self, res, error);
}

static gboolean
p_attachment_append (PlatformStorage *s, const char *sha256, gint64 size, gint64 offset, const guint8 *data, gsize len,
                     gint64 *received, gboolean *complete, gboolean *checksum_ok, GError **error)
{
  PgStorage *self = (PgStorage *) s;
  g_autofree char *size_s = int_text (size);
  g_autofree char *offset_s = int_text (offset);
  g_autofree char *now = int_text (now_s ());
  gint64 stored_size, stored_received;

  *checksum_ok = TRUE;
  *complete = FALSE;
  if (!begin (self, error))
    return FALSE;
  /* The row exists and is locked: a second receiver appending to the same
   * attachment waits here and then sees what this one stored. */
  {
    g_autoptr (PGresult) res = Q (self,
                                  "INSERT INTO attachments (sha256, size, received, complete, created_at)"
                                  " VALUES ($1, $2, 0, false, $3) ON CONFLICT (sha256) DO NOTHING",
                                  sha256, size_s, now);
    if (!ok (res))
      return rollback (self, res, error);
  }
  {
    g_autoptr (PGresult) res
        = Q (self, "SELECT size, received, complete FROM attachments WHERE sha256 = $1 FOR UPDATE", sha256);
    if (!ok (res) || PQntuples (res) != 1)
      return rollback (self, res, error);
    stored_size = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
    stored_received = g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10);
    if (PQgetvalue (res, 0, 2)[0] == 't')
      {
        *complete = TRUE;
        *received = stored_size;
        return commit (self, error);
      }
  }
  if (stored_received != offset)
    {
      *received = stored_received;
      g_set_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_CONFLICT,
                   "offset %" G_GINT64_FORMAT " is not the received count %" G_GINT64_FORMAT, offset, stored_received);
      return rollback (self, NULL, error);
    }
  *received = offset + (gint64) len;
  /* Anything stored from @offset on is replaced. */
  if (!drop_chunks (self, sha256, offset, error))
    return FALSE;
  if (len > 0)
    {
      const char *const values[] = { sha256, offset_s, (const char *) data };
      const int lengths[] = { 0, 0, (int) len };
      const int formats[] = { 0, 0, 1 };
      g_autoptr (PGresult) res = q_full (self, "INSERT INTO attachment_chunks (sha256, off, data) VALUES ($1, $2, $3)",
                                         3, values, lengths, formats, 0);
      if (!ok (res))
        return rollback (self, res, error);
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
        {
          g_autoptr (PGresult) res = chunks (self, sha256);
          g_autoptr (GChecksum) cs = g_checksum_new (G_CHECKSUM_SHA256);

          if (res == NULL)
            return rollback (self, NULL, error);
          for (int i = 0; i < PQntuples (res); i++)
            {
              g_checksum_update (cs, (const guchar *) PQgetvalue (res, i, 0), PQgetlength (res, i, 0));
              stored += PQgetlength (res, i, 0);
            }
          sum = g_strdup (g_checksum_get_string (cs));
        }
      if (stored != size || g_strcmp0 (sum, sha256) != 0)
        {
          /* Discard: the kiosk starts this attachment again. */
          if (!drop_chunks (self, sha256, 0, error))
            return FALSE;
          *checksum_ok = FALSE;
          *received = 0;
        }
      else
        *complete = TRUE;
    }
  {
    g_autofree char *received_s = int_text (*received);
    g_autoptr (PGresult) res
        = Q (self, "UPDATE attachments SET size = $2, received = $3, complete = $4 WHERE sha256 = $1", sha256, size_s,
             received_s, *complete ? "true" : "false");
    if (!ok (res))
      return rollback (self, res, error);
  }
  return commit (self, error);
}

static GBytes *
p_attachment_read (PlatformStorage *s, const char *sha256)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (GByteArray) bytes = NULL;
  g_autoptr (PGresult) res = NULL;
  gint64 size = 0, received = 0;
  gboolean complete = FALSE;

  if (!p_attachment_get (s, sha256, &size, &received, &complete) || !complete || size < 0 || size > G_MAXUINT)
    return NULL;
  res = chunks (self, sha256);
  if (res == NULL)
    return NULL;
  bytes = g_byte_array_sized_new ((guint) size);
  for (int i = 0; i < PQntuples (res); i++)
    g_byte_array_append (bytes, (const guint8 *) PQgetvalue (res, i, 0), (guint) PQgetlength (res, i, 0));
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* ---- Kiosks, counters ----------------------------------------------------- */

static void
p_heartbeat (PlatformStorage *s, const char *kiosk_id, const char *payload)
{
  PgStorage *self = (PgStorage *) s;
  g_autofree char *now = int_text (now_s ());
  g_autoptr (PGresult) res = Q (self,
                                "INSERT INTO heartbeats (kiosk_id, payload, received_at) VALUES ($1, $2::json, $3)"
                                " ON CONFLICT (kiosk_id) DO UPDATE SET payload = $2::json, received_at = $3",
                                kiosk_id, payload, now);

  if (!ok (res))
    g_debug ("storage: heartbeat not stored: %s", PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY));
}

static char *
p_fleet (PlatformStorage *s, gint64 day_start)
{
  PgStorage *self = (PgStorage *) s;
  g_autofree char *from = int_text (day_start);
  g_autoptr (PGresult) res
      = Q (self,
           "WITH k AS (SELECT kiosk_id FROM heartbeats UNION SELECT kiosk_id FROM cases WHERE received_at >= $1"
           "   UNION SELECT kiosk_id FROM records WHERE kind = 'rating' AND received_at >= $1),"
           " c AS (SELECT kiosk_id, count(*) AS n FROM cases WHERE received_at >= $1 GROUP BY kiosk_id),"
           " r AS (SELECT kiosk_id, count(*) AS n FROM records WHERE kind = 'rating' AND received_at >= $1"
           "   GROUP BY kiosk_id)"
           " SELECT coalesce(json_agg(json_build_object('kiosk_id', k.kiosk_id, 'heartbeat_at', h.received_at,"
           "   'heartbeat', h.payload, 'cases_today', coalesce(c.n, 0), 'ratings_today', coalesce(r.n, 0))"
           "   ORDER BY k.kiosk_id), '[]'::json)"
           " FROM k LEFT JOIN heartbeats h ON h.kiosk_id = k.kiosk_id"
           " LEFT JOIN c ON c.kiosk_id = k.kiosk_id LEFT JOIN r ON r.kiosk_id = k.kiosk_id",
           from);

  return ok (res) ? val (res, 0, 0) : NULL;
}

static void
p_count (PlatformStorage *s, const char *counter, gint64 delta)
{
  PgStorage *self = (PgStorage *) s;
  g_autofree char *delta_s = int_text (delta);
  g_autoptr (PGresult) res = Q (self,
                                "INSERT INTO counters (name, value) VALUES ($1, $2)"
                                " ON CONFLICT (name) DO UPDATE SET value = counters.value + $2",
                                counter, delta_s);

  if (!ok (res))
    g_debug ("storage: counter not updated: %s", PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY));
}

static char *
p_stats (PlatformStorage *s)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res = Q0 (
      self, "SELECT json_build_object("
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

  return ok (res) ? val (res, 0, 0) : g_strdup ("{}");
}

/* ---- Schema --------------------------------------------------------------- */

static int
p_schema_version (PlatformStorage *s)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res = Q0 (self, "SELECT coalesce(max(version), 0) FROM schema_version");

  return ok (res) && PQntuples (res) == 1 ? (int) g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) : -1;
}

/* Applies the missing migrations in one transaction, under an advisory
 * lock so that receivers starting together migrate once. */
static gboolean
migrate (PgStorage *self, GError **error)
{
  int version;

  if (!begin (self, error))
    return FALSE;
  {
    g_autoptr (PGresult) res = PQexec (self->conn, "SELECT pg_advisory_xact_lock(7418502196);"
                                                   "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY"
                                                   " KEY, applied_at timestamptz NOT NULL DEFAULT now())");
    if (!ok (res))
      return rollback (self, res, error);
  }
  version = p_schema_version (&self->parent);
  if (version < 0)
    return rollback (self, NULL, error);
  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_FAILED,
                   "the database has schema version %d, newer than this platform's %d", version,
                   (int) G_N_ELEMENTS (migrations));
      return rollback (self, NULL, error);
    }
  for (; version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *insert = g_strdup_printf ("INSERT INTO schema_version (version) VALUES (%d)", version + 1);
      g_autoptr (PGresult) res = PQexec (self->conn, migrations[version]);
      g_autoptr (PGresult) res2 = NULL;

      if (!ok (res))
        {
          g_set_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_FAILED, "migration %d: %s", version + 1,
                       PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY));
          return rollback (self, NULL, error);
        }
      res2 = PQexec (self->conn, insert);
      if (!ok (res2))
        return rollback (self, res2, error);
      g_debug ("storage: migrated to schema version %d", version + 1);
    }
  return commit (self, error);
}

static void
p_free (PlatformStorage *s)
{
  PgStorage *self = (PgStorage *) s;

  g_clear_pointer (&self->prepared, g_hash_table_destroy);
  g_clear_pointer (&self->conn, PQfinish);
  g_free (self);
}

/* ---- Forwarding to the province (platform-forward.c) ------------------- */

#define PG_FORWARD_DUE " forward_state = 0 AND forward_next_at <= $1 AND forward_lease_until <= $1"

static char *
p_forward_claim (PlatformStorage *s, gint64 now, int limit, int lease_seconds)
{
  PgStorage *self = (PgStorage *) s;
  g_autofree char *now_t = int_text (now);
  g_autofree char *limit_t = int_text (limit);
  g_autofree char *until_t = int_text (now + lease_seconds);
  /* One statement: rows locked by another receiver's claim are skipped,
   * the rest leased and returned. */
  g_autoptr (PGresult) res
      = Q (self,
           "WITH dc AS (SELECT id FROM cases WHERE" PG_FORWARD_DUE
           "   ORDER BY received_at, id LIMIT $2 FOR UPDATE SKIP LOCKED),"
           " dr AS (SELECT id FROM records WHERE kind IN ('rating', 'print_record') AND" PG_FORWARD_DUE
           "   ORDER BY received_at, id LIMIT $2 FOR UPDATE SKIP LOCKED),"
           " lc AS (UPDATE cases c SET forward_lease_until = $3 FROM dc WHERE c.id = dc.id RETURNING 'case'::text AS t,"
           "   c.id, 'case'::text AS kind, c.payload::text AS payload, c.forward_attempts AS attempts, c.received_at),"
           " lr AS (UPDATE records r SET forward_lease_until = $3 FROM dr WHERE r.id = dr.id RETURNING 'record'::text,"
           "   r.id, r.kind, r.payload::text, r.forward_attempts, r.received_at)"
           " SELECT coalesce(json_agg(json_build_object('table', t, 'id', id, 'kind', kind, 'payload', payload,"
           "   'attempts', attempts) ORDER BY received_at, t, id), '[]'::json)"
           " FROM (SELECT * FROM lc UNION ALL SELECT * FROM lr) x",
           now_t, limit_t, until_t);

  return ok (res) ? val (res, 0, 0) : NULL;
}

static gboolean
p_forward_done (PlatformStorage *s, const char *table, gint64 id, int state, gint64 next_at, const char *reason,
                const char *reply, GError **error)
{
  PgStorage *self = (PgStorage *) s;
  g_autofree char *id_t = int_text (id);
  g_autofree char *state_t = int_text (state);
  g_autofree char *next_t = int_text (next_at);
  g_autoptr (PGresult) res = NULL;

  if (g_strcmp0 (table, "case") == 0)
    res = Q (self,
             "UPDATE cases SET forward_state = $2::integer, forward_attempts = forward_attempts"
             " + CASE WHEN $2::integer = 0 THEN 1 ELSE 0 END, forward_next_at = $3::bigint, forward_lease_until = 0,"
             " forward_reason = $4, forward_reply = $5 WHERE id = $1::bigint",
             id_t, state_t, next_t, reason, reply);
  else if (g_strcmp0 (table, "record") == 0)
    res = Q (self,
             "UPDATE records SET forward_state = $2::integer, forward_attempts = forward_attempts"
             " + CASE WHEN $2::integer = 0 THEN 1 ELSE 0 END, forward_next_at = $3::bigint, forward_lease_until = 0,"
             " forward_reason = $4, forward_reply = $5 WHERE id = $1::bigint",
             id_t, state_t, next_t, reason, reply);
  else
    {
      g_set_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_FAILED, "no forwarded table %s", table);
      return FALSE;
    }
  if (!ok (res))
    {
      set_error (self, res, error);
      return FALSE;
    }
  return TRUE;
}

static char *
p_forward_stats (PlatformStorage *s)
{
  PgStorage *self = (PgStorage *) s;
  g_autoptr (PGresult) res
      = Q0 (self, "WITH f AS (SELECT forward_state AS state, received_at FROM cases UNION ALL"
                  " SELECT forward_state, received_at FROM records WHERE kind IN ('rating', 'print_record'))"
                  " SELECT json_build_object('forwarded', count(*) FILTER (WHERE state = 1),"
                  " 'pending', count(*) FILTER (WHERE state = 0), 'rejected', count(*) FILTER (WHERE state = 2),"
                  " 'oldest_pending_received_at', min(received_at) FILTER (WHERE state = 0)) FROM f");

  return ok (res) ? val (res, 0, 0) : NULL;
}

static const PlatformStorageClass pg_class = {
  .lookup_reply = p_lookup_reply,
  .find_case_by_provisional = p_find_case_by_provisional,
  .insert_case = p_insert_case,
  .insert_record = p_insert_record,
  .get_case = p_get_case,
  .get_case_applicant = p_get_case_applicant,
  .list_cases_of_applicant = p_list_cases_of_applicant,
  .list_cases = p_list_cases,
  .put_document = p_put_document,
  .list_documents_of_person = p_list_documents_of_person,
  .get_document = p_get_document,
  .attachment_get = p_attachment_get,
  .attachment_append = p_attachment_append,
  .attachment_read = p_attachment_read,
  .heartbeat = p_heartbeat,
  .fleet = p_fleet,
  .count = p_count,
  .stats = p_stats,
  .schema_version = p_schema_version,
  .forward_claim = p_forward_claim,
  .forward_done = p_forward_done,
  .forward_stats = p_forward_stats,
  .free = p_free,
};

/* NOTICEs (an IF NOT EXISTS that skipped) are not the log's business. */
static void
quiet_notices (void *arg, const char *message)
{
}

PlatformStorage *
platform_storage_pg_new (const char *uri, GError **error)
{
  PgStorage *self = g_new0 (PgStorage, 1);

  self->parent.klass = &pg_class;
  self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->conn = PQconnectdb (uri);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      /* libpq's message names host and user, never the password. */
      g_set_error (error, PLATFORM_STORAGE_ERROR, PLATFORM_STORAGE_ERROR_FAILED, "PostgreSQL: %s",
                   g_strchomp (PQerrorMessage (self->conn)));
      p_free (&self->parent);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, quiet_notices, NULL);
  if (!migrate (self, error))
    {
      g_prefix_error (error, "PostgreSQL: ");
      p_free (&self->parent);
      return NULL;
    }
  return &self->parent;
}
