/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Storage of the platform, behind an interface with two engines: SQLite
 * (platform-storage-sqlite.c: the demo, the tests that need no server) and
 * PostgreSQL (platform-storage-pg.c: a county, several receivers on one
 * database). All calls run on the server's main loop. JSON travels as
 * strings.
 *
 * Exactly-once is the database's: idempotency keys, (kiosk, provisional
 * number) and official numbers are unique keys, the official number comes
 * from a counter row updated in the inserting transaction, and an
 * attachment grows only at its received count, checked in the appending
 * transaction. A call that lost a race with another receiver fails with
 * PLATFORM_STORAGE_ERROR_CONFLICT and changes nothing; the caller looks the
 * first answer up again.
 *
 * Schema: versioned migrations applied in order when the storage opens
 * (SQLite: PRAGMA user_version; PostgreSQL: table schema_version). */

#define PLATFORM_STORAGE_ERROR (platform_storage_error_quark ())
GQuark platform_storage_error_quark (void);

typedef enum {
  PLATFORM_STORAGE_ERROR_FAILED,
  /* A concurrent writer got there first (unique key, serialization
   * failure, attachment offset moved): nothing was stored. */
  PLATFORM_STORAGE_ERROR_CONFLICT,
} PlatformStorageError;

/* The schema version both engines migrate to. */
#define PLATFORM_STORAGE_SCHEMA_VERSION 3

typedef struct _PlatformStorage PlatformStorage;

typedef struct {
  char *kind;
  char *request_hash;
  int status;
  char *response;
} PlatformStoredReply;

void platform_stored_reply_clear (PlatformStoredReply *r);

typedef struct {
  /* Idempotency: the reply first given for @key, if any. */
  gboolean (*lookup_reply) (PlatformStorage *s, const char *key, PlatformStoredReply *out);
  /* A case whose (kiosk, provisional number) is already stored: its
   * official number, else NULL. */
  char *(*find_case_by_provisional) (PlatformStorage *s, const char *kiosk_id, const char *provisional);
  /* Stores a new case and the reply for @key atomically. @attachments_json
   * is the case's "attachments" array. The official number is allocated
   * inside and substituted for "%OFFICIAL%" in @reply_template.
   * PLATFORM_STORAGE_ERROR_CONFLICT: @key or (@kiosk_id, @provisional) was
   * stored meanwhile (by another receiver). */
  gboolean (*insert_case) (PlatformStorage *s, const char *key, const char *request_hash, const char *kiosk_id,
                           const char *provisional, const char *item_code, const char *payload,
                           const char *attachments_json, const char *due_date, const char *reply_template,
                           char **official_number, char **reply, GError **error);
  /* Other records (rating, print_record, ...) with their reply (conflict
   * as insert_case). */
  gboolean (*insert_record) (PlatformStorage *s, const char *kind, const char *key, const char *request_hash,
                             const char *kiosk_id, const char *payload, const char *reply, GError **error);
  /* Case by official number, or by provisional number (any kiosk):
   * a JSON object with official_number, provisional_number, kiosk_id,
   * item_code, received_at (unix s), due_date, attachments [sha256...]. */
  char *(*get_case) (PlatformStorage *s, const char *number);
  /* The ID number of the applicant of the case with this official or
   * provisional number, or NULL (unknown case, or none given). */
  char *(*get_case_applicant) (PlatformStorage *s, const char *number);
  /* The cases whose applicant has @id_number, newest first, as a JSON
   * array of such objects with their "owed_materials" (容缺) added. */
  char *(*list_cases_of_applicant) (PlatformStorage *s, const char *id_number);
  /* All cases as a JSON array of such objects (admin). */
  char *(*list_cases) (PlatformStorage *s);

  /* 证明打印: documents the platform holds for a person. put_document
   * stores (or replaces) the document @code of the holder @id_number
   * (@json: the document as served, holder included). */
  gboolean (*put_document) (PlatformStorage *s, const char *code, const char *id_number, const char *json,
                            GError **error);
  /* The documents of @id_number as a JSON array (by date, newest first). */
  char *(*list_documents_of_person) (PlatformStorage *s, const char *id_number);
  /* The document @code as a JSON object, with "prints" (confirmed print
   * records naming it) and "last_printed_at" (unix s or null); NULL when
   * unknown. */
  char *(*get_document) (PlatformStorage *s, const char *code);

  /* Attachments: received bytes and completion. */
  gboolean (*attachment_get) (PlatformStorage *s, const char *sha256, gint64 *size, gint64 *received,
                              gboolean *complete);
  /* Appends at @offset, which must equal the received count when the
   * transaction runs: otherwise PLATFORM_STORAGE_ERROR_CONFLICT with
   * *received the stored count (nothing appended); an attachment already
   * complete is left as it is (*complete TRUE, *received its size). On the
   * last byte verifies the SHA-256: *checksum_ok FALSE discards the partial
   * upload (*received 0). */
  gboolean (*attachment_append) (PlatformStorage *s, const char *sha256, gint64 size, gint64 offset, const guint8 *data,
                                 gsize len, gint64 *received, gboolean *complete, gboolean *checksum_ok,
                                 GError **error);
  GBytes *(*attachment_read) (PlatformStorage *s, const char *sha256);

  void (*heartbeat) (PlatformStorage *s, const char *kiosk_id, const char *payload);
  /* Fleet view (issue #18, platform-fleet.c): a JSON array with one object
   * per kiosk that sent a heartbeat, or a case or rating since @day_start
   * (unix s, the local midnight of today), ordered by kiosk_id:
   * {"kiosk_id", "heartbeat_at": unix s of its last heartbeat or null,
   *  "heartbeat": that heartbeat's body (an object) or null,
   *  "cases_today": cases with received_at >= @day_start,
   *  "ratings_today": records of kind "rating" with received_at >= @day_start}. */
  char *(*fleet) (PlatformStorage *s, gint64 day_start);
  /* Counters: "duplicate_submissions", "attachment_checksum_failures", ... */
  void (*count) (PlatformStorage *s, const char *counter, gint64 delta);
  /* {"cases":N, "duplicate_submissions":N, ...} */
  char *(*stats) (PlatformStorage *s);
  /* The schema version of the opened database. */
  int (*schema_version) (PlatformStorage *s);
  /* Forwarding to the province (platform-forward.h). The state of each
   * case and of each record of kind rating or print_record is kept on its
   * row (migration 3): forward_state 0 pending, 1 forwarded, 2 refused.
   *
   * forward_claim: the items due at @now (unix s): pending, their next
   * attempt due and not leased, oldest first, at most @limit cases and
   * @limit records, each leased
   * until @now + @lease_seconds in the same transaction (another receiver
   * skips them). A JSON array of {"table": "case"|"record", "id", "kind":
   * "case"|"rating"|"print_record", "payload": "<the JSON text>",
   * "attempts"}; NULL on a storage error. */
  char *(*forward_claim) (PlatformStorage *s, gint64 now, int limit, int lease_seconds);
  /* The outcome of a claimed item: @state 1 (@reply kept) or 2 (@reason
   * kept), or 0 again: one more attempt counted, the next at @next_at,
   * @reason kept. The lease ends either way. */
  gboolean (*forward_done) (PlatformStorage *s, const char *table, gint64 id, int state, gint64 next_at,
                            const char *reason, const char *reply, GError **error);
  /* {"forwarded", "pending", "rejected", "oldest_pending_received_at"}. */
  char *(*forward_stats) (PlatformStorage *s);
  void (*free) (PlatformStorage *s);
} PlatformStorageClass;

struct _PlatformStorage {
  const PlatformStorageClass *klass;
};

/* @target: a postgresql:// or postgres:// connection URI (PostgreSQL), or
 * a file path (SQLite). */
PlatformStorage *platform_storage_open (const char *target, GError **error);
gboolean platform_storage_target_is_pg (const char *target);
PlatformStorage *platform_storage_sqlite_new (const char *path, GError **error);
PlatformStorage *platform_storage_pg_new (const char *uri, GError **error);

G_END_DECLS
