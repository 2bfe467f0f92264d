/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-config.h"

G_BEGIN_DECLS

/* The offline store: one SQLite database (WAL, synchronous=FULL, foreign
 * keys) plus a folder of attachment files next to it ("<db>.attachments/").
 *
 * Everything the kiosk must deliver to the platform goes through the
 * OUTBOX: one row per item, with a kind ("case", "rating", "print_record",
 * "proxy_authorisation", ...), a JSON payload, an Idempotency-Key and its
 * creation order. A record and its outbox row always commit in one
 * transaction; once a function below returns TRUE the item is on disk
 * (fsynced) and will be delivered exactly once by the sync engine
 * (kiosk-sync.h), even across crashes and power cuts.
 *
 * Thread safety: a KioskStore may be used from any thread (calls are
 * serialised by an internal mutex); several processes may open the same
 * database (the sync engine and kioskctl do). Each call does blocking disk
 * I/O (an fsync per commit, a few milliseconds): from the GTK main thread use
 * the _async variants. */

#define KIOSK_STORE_ERROR (kiosk_store_error_quark ())
GQuark kiosk_store_error_quark (void);

typedef enum {
  KIOSK_STORE_ERROR_FAILED,
  KIOSK_STORE_ERROR_DISK_FULL, /* no space: new applications are refused */
  KIOSK_STORE_ERROR_IO,        /* read/write error on the disk */
  KIOSK_STORE_ERROR_CORRUPT,   /* the database or an attachment is damaged */
  KIOSK_STORE_ERROR_TOO_NEW,   /* written by a newer version of the kiosk */
  KIOSK_STORE_ERROR_NOT_FOUND,
  KIOSK_STORE_ERROR_INVALID, /* bad argument (not JSON, unknown kind, ...) */
  KIOSK_STORE_ERROR_FOREIGN, /* the file is another program's database: never touched */
} KioskStoreError;

/* The latest schema version; migrations run at open from any earlier one. */
#define KIOSK_STORE_SCHEMA_VERSION 5
/* PRAGMA application_id of a kiosk store ("KSTO"), set when it is created. */
#define KIOSK_STORE_APPLICATION_ID 1263752271

#define KIOSK_TYPE_STORE (kiosk_store_get_type ())
G_DECLARE_FINAL_TYPE (KioskStore, kiosk_store, KIOSK, STORE, GObject)

/* Signal "enqueued" (gint64 id, const char *kind): an item was committed to
 * the outbox; emitted on the enqueuing thread after the commit. */

/* Opens (creating if needed) the database at @path and migrates it.
 * @kiosk_id goes into provisional case numbers and idempotency keys.
 * @path must name a file (not a folder); nothing is created before that is
 * checked. A database of another program is refused (KIOSK_STORE_ERROR_FOREIGN)
 * and left as it is. The database, its -wal/-shm files and the attachments
 * are made mode 0600 and the folders the store creates 0700, whatever the
 * umask (existing files are corrected at open). Next to the database,
 * "<db>.reserve" (KIOSK_STORE_RESERVE_BYTES) is kept while there is room and
 * given up when the disk is full, so that the store still opens, delivers
 * its queue and purges on a full disk (see kiosk_store_check_space()). The
 * free-space floor is 64 MB (kiosk_store_set_min_free_bytes()). */
KioskStore *kiosk_store_open (const char *path, const char *kiosk_id, GError **error);
/* [store] path, retention-days, min-free-mb and [kiosk] id. */
KioskStore *kiosk_store_open_from_config (KioskConfig *config, GError **error);

const char *kiosk_store_get_path (KioskStore *self);
const char *kiosk_store_get_kiosk_id (KioskStore *self);
const char *kiosk_store_get_attachment_dir (KioskStore *self);
int kiosk_store_get_schema_version (KioskStore *self);
/* PRAGMA integrity_check; TRUE when "ok". */
gboolean kiosk_store_check_integrity (KioskStore *self, GError **error);

/* The space reserve kept next to the database (see kiosk_store_open()). */
#define KIOSK_STORE_RESERVE_BYTES (2 * 1024 * 1024)

/* ---- Accepting new applications (disk space) ---------------------------
 * Below the free-space floor, or after a write failed with ENOSPC/SQLITE_FULL,
 * the store refuses new cases (KIOSK_STORE_ERROR_DISK_FULL, with a message
 * for the resident) until kiosk_store_check_space() finds room again.
 * While the space reserve is spent, the floor grows by its size: new
 * applications never take the room the queue needs to leave. Nothing
 * already accepted is touched. The "accepting" property notifies (on the
 * thread that changed it). */
void kiosk_store_set_min_free_bytes (KioskStore *self, guint64 bytes);
gboolean kiosk_store_is_accepting (KioskStore *self);
/* Re-checks free space (and re-creates the space reserve when there is
 * room for it twice); returns the new accepting state. */
gboolean kiosk_store_check_space (KioskStore *self);

/* ---- Cases (applications) ----------------------------------------------- */

/* One scanned page or other file of a case, handed over in memory. */
typedef struct {
  const char *name;       /* e.g. "户口簿 p1" (material name); not personal */
  const char *media_type; /* "image/jpeg", "application/pdf", ... */
  GBytes *data;
} KioskAttachmentDraft;

/* Stores an application: @case_json is a JSON object with members
 *   "item_code"      (string, required): catalog item code
 *   "applicant"      (object, required): name, id_number, phone, address ...
 *   "form"           (object): the item's form fields
 *   "commitment"     (object or null): signed 告知承诺 {"signed":true,
 *                     "signature":"<attachment name>", "text_version":...}
 *   "owed_materials" (array): 容缺 materials owed [{"name","due"}]
 *   "delivery"       (object): {"method":"pickup"|"post","address":...}
 *   "proxy_authorisation" (string or null): provisional id of a 代办委托书
 *   "agent"          (object or null): the 代办员 who filed it
 *   "materials"      (array, may be absent): every material of the item,
 *                     [{"name","state","pages":[{"name","media_type",
 *                     "size","sha256"}]}]; at most 64 materials of 64
 *                     pages, names 200 characters; each page must be one of
 *                     @attachments (same name, size and SHA-256)
 *   "handling_region" (object or null): {"code"?,"name"} of a cross-region
 *                     item; code at most 12 digits, name 100 characters
 * Anything else in "materials" or "handling_region" (another type, an
 * unknown member or state, a cap passed) is refused with
 * KIOSK_STORE_ERROR_INVALID naming the member, and nothing is stored.
 * @attachments (may be NULL): KioskAttachmentDraft*, in order. Each file is
 * written and fsynced with its SHA-256 before the case row commits; the case
 * and its outbox entry commit in one transaction.
 * Returns the provisional case number (print it on the receipt), or NULL
 * with KIOSK_STORE_ERROR_DISK_FULL / _IO / _INVALID. */
char *kiosk_store_submit_case (KioskStore *self, const char *case_json, GPtrArray *attachments, GError **error);
/* The same in a worker thread; @attachments is referenced. */
void kiosk_store_submit_case_async (KioskStore *self, const char *case_json, GPtrArray *attachments,
                                    GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
char *kiosk_store_submit_case_finish (KioskStore *self, GAsyncResult *result, GError **error);

/* Provisional case numbers: "<kiosk id>-<YYYYMMDD>-<6-digit sequence><check>"
 * where the check character is ISO/IEC 7064 MOD 37,36 over the letters and
 * digits before it (case-insensitive). Unique per kiosk (the sequence never
 * repeats within a store). */
char *kiosk_case_number_make (const char *kiosk_id, GDateTime *when, guint sequence);
gboolean kiosk_case_number_is_valid (const char *number);

typedef enum {
  KIOSK_CASE_QUEUED,    /* accepted offline, not yet delivered */
  KIOSK_CASE_SUBMITTED, /* acknowledged by the platform (official number known) */
  KIOSK_CASE_REJECTED,  /* the platform refused it; see status_text */
} KioskCaseSyncState;

typedef struct {
  gint64 id;
  char *provisional_number;
  char *official_number; /* NULL until the platform acknowledged */
  char *item_code;
  KioskCaseSyncState sync_state;
  char *status;      /* the platform's progress status ("accepted", "in_review", "completed", ...) or NULL */
  char *status_text; /* human-readable status or rejection reason */
  gint64 created_at; /* unix microseconds */
  gint64 acknowledged_at;
  gint64 status_updated_at;
  gboolean purged; /* personal data and attachments removed (retention) */
  char *due_date;  /* promised completion date (YYYY-MM-DD) from the platform, or NULL */
} KioskCaseInfo;

void kiosk_case_info_free (KioskCaseInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCaseInfo, kiosk_case_info_free)

/* Finds a case by its provisional OR official number (both stay searchable,
 * also after purging). NULL with KIOSK_STORE_ERROR_NOT_FOUND. */
KioskCaseInfo *kiosk_store_find_case (KioskStore *self, const char *number, GError **error);
/* The cases held here whose applicant has @id_number (personal: never
 * logged), newest first (KioskCaseInfo); purged cases are not among them. */
GPtrArray *kiosk_store_find_cases_of_applicant (KioskStore *self, const char *id_number, GError **error);
/* 代办: the cases filed by an agent (a proxy authorisation named), of the
 * agent with @agent_id (the case's "agent"."id"), or of every agent when
 * NULL; oldest first (KioskCaseInfo); purged cases are not among them. */
GPtrArray *kiosk_store_find_proxy_cases (KioskStore *self, const char *agent_id, GError **error);
/* The full case JSON as submitted (NULL once purged). Personal data. */
char *kiosk_store_get_case_json (KioskStore *self, gint64 case_id, GError **error);
/* Records a progress status fetched from the platform. */
gboolean kiosk_store_set_case_status (KioskStore *self, const char *number, const char *status, const char *status_text,
                                      const char *due_date, GError **error);

typedef struct {
  gint64 id;
  gint64 case_id;
  int position;
  char *name;
  char *media_type;
  char *path; /* absolute; NULL once purged */
  gint64 size;
  char *sha256; /* lowercase hex */
  gboolean uploaded;
  gboolean upload_started; /* an attempt began sending it: the platform may hold part of it */
} KioskAttachmentInfo;

void kiosk_attachment_info_free (KioskAttachmentInfo *info);
/* KioskAttachmentInfo*, in position order. */
GPtrArray *kiosk_store_list_attachments (KioskStore *self, gint64 case_id, GError **error);
gboolean kiosk_store_mark_attachment_uploaded (KioskStore *self, gint64 attachment_id, GError **error);
/* Before its first byte leaves: from then on the sync engine asks the
 * platform how much it holds before sending any (not fsynced: see below). */
gboolean kiosk_store_mark_attachment_started (KioskStore *self, gint64 attachment_id, GError **error);
/* The same for every page of a case not tried yet, in one commit. */
gboolean kiosk_store_mark_attachments_started (KioskStore *self, gint64 case_id, GError **error);

/* ---- Other records: ratings, print records, proxy authorisations --------
 * Each is stored in its own table and queued in the outbox in one
 * transaction. @json is a JSON object (see docs/platform-api.md for the
 * members the platform expects). Returns the outbox id (> 0) or 0 on error.
 * These are accepted even when new applications are refused for space, as
 * long as SQLite can still write. */
gint64 kiosk_store_enqueue_rating (KioskStore *self, const char *json, GError **error);
gint64 kiosk_store_enqueue_print_record (KioskStore *self, const char *json, GError **error);
gint64 kiosk_store_enqueue_proxy_authorisation (KioskStore *self, const char *json, GError **error);
/* Generic form: @kind is one of "rating", "print_record",
 * "proxy_authorisation" (stored in their tables as above) or any other
 * lowercase [a-z_]+ kind, stored in the outbox only. Not for "case" (use
 * kiosk_store_submit_case). */
gint64 kiosk_store_enqueue (KioskStore *self, const char *kind, const char *json, GError **error);
void kiosk_store_enqueue_async (KioskStore *self, const char *kind, const char *json, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
gint64 kiosk_store_enqueue_finish (KioskStore *self, GAsyncResult *result, GError **error);

/* ---- The outbox (for the sync engine and the technician) ---------------- */

typedef enum {
  KIOSK_OUTBOX_PENDING,  /* waiting or being retried */
  KIOSK_OUTBOX_DONE,     /* acknowledged by the platform */
  KIOSK_OUTBOX_REJECTED, /* refused by the platform (4xx): kept, shown, not retried */
} KioskOutboxState;

const char *kiosk_outbox_state_to_string (KioskOutboxState state);

typedef struct {
  gint64 id; /* creation order */
  char *kind;
  char *idempotency_key;
  char *payload;  /* JSON */
  gint64 case_id; /* 0 unless kind == "case" */
  KioskOutboxState state;
  int attempts;
  gint64 created_at;      /* unix microseconds */
  gint64 next_attempt_at; /* unix microseconds */
  int last_status;        /* HTTP status of the last answer, 0 if none */
  char *last_error;       /* technician's reason, no personal data */
} KioskOutboxItem;

void kiosk_outbox_item_free (KioskOutboxItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskOutboxItem, kiosk_outbox_item_free)

/* The oldest pending item (regardless of its next_attempt_at), or NULL with
 * no error when none is pending. */
KioskOutboxItem *kiosk_store_outbox_head (KioskStore *self, GError **error);
/* What the sync engine sends next at @now (unix µs): the oldest pending
 * item that is due, passing over items that wait for a later attempt and
 * the items that name one of them (a case by its provisional number, e.g.
 * in a rating's "case_number"; another item by its "provisional_number" or
 * "id"), which wait with it. NULL with no error when nothing is due; then
 * *@next_due (may be NULL) is the earliest next attempt of a pending item,
 * 0 when nothing is pending. */
KioskOutboxItem *kiosk_store_outbox_next (KioskStore *self, gint64 now, gint64 *next_due, GError **error);
/* The same, with the @n_busy items @busy (outbox ids) being delivered by
 * another connection of the sync engine: they are not returned, the items
 * that name one of them wait with it, and *@next_due leaves them out. */
KioskOutboxItem *kiosk_store_outbox_next_except (KioskStore *self, gint64 now, const gint64 *busy, guint n_busy,
                                                 gint64 *next_due, GError **error);
/* Delivered: @response_json is the platform's answer. For a case it carries
 * "official_number" (and "status", "due_date"), recorded in the same
 * transaction. An official number that another case holds already is an
 * answer the store cannot take: FALSE with KIOSK_STORE_ERROR_INVALID,
 * nothing changed. Marks of the sync engine (done, retry, rejected,
 * attachment uploaded) are not fsynced each: a power cut may undo the last
 * ones, and the item is then sent again under its Idempotency-Key. */
gboolean kiosk_store_outbox_mark_done (KioskStore *self, gint64 id, const char *response_json, GError **error);
/* Transient failure: try again at @next_attempt_at (unix µs). */
gboolean kiosk_store_outbox_mark_retry (KioskStore *self, gint64 id, gint64 next_attempt_at, int http_status,
                                        const char *reason, GError **error);
/* Rejection: kept and shown to the technician, never retried automatically. */
gboolean kiosk_store_outbox_mark_rejected (KioskStore *self, gint64 id, int http_status, const char *reason,
                                           GError **error);
/* Technician: put a rejected item back in the queue (kioskctl). */
gboolean kiosk_store_outbox_requeue (KioskStore *self, gint64 id, GError **error);

typedef struct {
  int pending;
  int done;
  int rejected;
  gint64 oldest_pending_created_at; /* unix µs, 0 when nothing is pending */
} KioskQueueCounts;

gboolean kiosk_store_queue_counts (KioskStore *self, KioskQueueCounts *counts, GError **error);
/* Pending items, i.e. the backlog the UI shows; -1 on error. */
int kiosk_store_get_backlog (KioskStore *self);
/* KioskOutboxItem*, rejected items oldest first (at most @limit, 0 = all). */
GPtrArray *kiosk_store_list_rejected (KioskStore *self, int limit, GError **error);
/* KioskOutboxItem*, pending items whose last attempt failed (the sync
 * engine retries them), with attempts, status and reason; oldest first, at
 * most @limit (0 = all); no payload. */
GPtrArray *kiosk_store_list_failing (KioskStore *self, int limit, GError **error);

/* ---- Catalog and notices (downloaded from the platform) ---------------- */

/* Replaces the whole catalog / notice list with @json (the platform's
 * document: {"items":[...]} / {"notices":[...]}) and remembers @etag. */
gboolean kiosk_store_set_catalog (KioskStore *self, const char *json, const char *etag, GError **error);
gboolean kiosk_store_set_notices (KioskStore *self, const char *json, const char *etag, GError **error);
/* The ETag of the stored copy, or NULL. */
char *kiosk_store_get_catalog_etag (KioskStore *self);
char *kiosk_store_get_notices_etag (KioskStore *self);
/* JSON array of catalog items (each as the platform sent it), "[]" if none. */
char *kiosk_store_get_catalog (KioskStore *self, GError **error);
/* One item's JSON object by "code", NULL with NOT_FOUND. */
char *kiosk_store_get_catalog_item (KioskStore *self, const char *code, GError **error);
/* The catalog's "not_offered" object as JSON (proofs village committees no
 * longer issue, items applied for in person only), NULL when it has none. */
char *kiosk_store_get_catalog_not_offered (KioskStore *self, GError **error);
/* JSON array of notices currently valid, "[]" if none. */
char *kiosk_store_get_notices (KioskStore *self, GError **error);
/* Real time (µs, g_get_real_time) at which the notice list was stored
 * (fetched from the platform), kept with it; 0 when none ever was. */
gint64 kiosk_store_get_notices_fetched_at (KioskStore *self);

/* ---- Small settings ------------------------------------------------------
 * A key/value table kept with the store (not synced): e.g. the station's
 * agents as downloaded ("agents", "agents_etag") and each agent's PIN
 * failures. Keys and values are text; @value NULL deletes. Blocking. */
gboolean kiosk_store_set_meta (KioskStore *self, const char *key, const char *value, GError **error);
/* The value, or NULL (no such key, or an error). */
char *kiosk_store_get_meta (KioskStore *self, const char *key, GError **error);

/* ---- Retention ---------------------------------------------------------- */

/* Removes personal data (applicant, form, signatures) and attachment files
 * of cases the platform acknowledged more than @retention_days ago (at
 * @now, unix µs), keeping numbers, item, status and dates for progress
 * queries; same for delivered ratings, print records and proxy
 * authorisations. Also removes stray attachment files left by a crash.
 * The purged data leaves the files at once: the store runs with
 * secure_delete on, and the WAL is checkpointed and truncated after a purge
 * that changed anything.
 * Returns the number of cases purged, -1 on error. */
int kiosk_store_purge (KioskStore *self, int retention_days, gint64 now, GError **error);
int kiosk_store_get_retention_days (KioskStore *self);
void kiosk_store_set_retention_days (KioskStore *self, int days);

G_END_DECLS
