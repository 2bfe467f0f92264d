/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-platform-adapter.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

/* The sync engine: delivers the outbox to the platform in creation order,
 * exactly once (Idempotency-Key per item), attachments first and resumably;
 * retries transient failures with exponential backoff and jitter (honouring
 * Retry-After), the link's and each item's apart (see
 * kiosk_sync_set_backoff()); marks rejections (4xx) for the technician; keeps the catalog
 * and notices current (ETag); sends a heartbeat.
 *
 * kiosk_sync_start() runs it in its own thread. Signals are emitted on the
 * GMainContext that was thread-default when the KioskSync was created (the
 * GTK main loop for the app), so handlers may touch the UI/core:
 *   "backlog-changed"  (int pending)       -> kiosk_core_set_backlog()
 *   "item-rejected"    (gint64 outbox id, const char *kind, const char *reason)
 *   "catalog-changed"  ()                  -> reload kiosk_store_get_catalog()
 *   "notices-changed"  ()                  -> reload kiosk_store_get_notices()
 *   "online-changed"   (gboolean online)   last request reached the platform
 */

#define KIOSK_TYPE_SYNC (kiosk_sync_get_type ())
G_DECLARE_FINAL_TYPE (KioskSync, kiosk_sync, KIOSK, SYNC, GObject)

/* Creates adapters in the engine's thread (an adapter is thread-bound). */
typedef KioskPlatformAdapter *(*KioskAdapterFactory) (gpointer data, GError **error);

KioskSync *kiosk_sync_new (KioskStore *store, KioskAdapterFactory factory, gpointer factory_data,
                           GDestroyNotify factory_data_free);
/* The HTTP adapter from [platform]; heartbeat-seconds from the config. */
KioskSync *kiosk_sync_new_from_config (KioskStore *store, KioskConfig *config);

/* Backoff: delay = min(max, base * 2^(n-1)) scaled by a random factor in
 * [0.5, 1.0], and never less than the server's Retry-After. Defaults 1 s
 * and 300 s.
 * The LINK backs off as a whole: n counts the requests in a row that got no
 * answer (refused, reset, timed out, cut short) or a 408/425/429/502/503/504;
 * while it waits nothing is sent, and any other answer of the platform
 * (even a 4xx for one item) resets it. The first reset or refusal after an
 * answer is retried at once, once (on a fresh connection).
 * An ITEM that fails for its own reasons (another 5xx, a 409 for its pages,
 * an answer the store cannot take) waits with n = its failures in a row; for
 * its first aside_after - 1 failures it holds the queue, then it steps aside:
 * later items go first, except those that name it (its rating), which wait
 * with it, and it comes back when due. */
void kiosk_sync_set_backoff (KioskSync *self, guint base_ms, guint max_ms);
/* Failures of its own after which an item steps aside (default 3). */
void kiosk_sync_set_aside_after (KioskSync *self, guint attempts);
/* Items delivered at once, each over a connection of its own (a case
 * with its pages, in order, on one connection; an item naming one being
 * delivered waits for it). kiosk_sync_new(): 1; kiosk_sync_new_from_config():
 * KIOSK_SYNC_DEFAULT_CONNECTIONS. At most KIOSK_SYNC_MAX_CONNECTIONS. */
#define KIOSK_SYNC_DEFAULT_CONNECTIONS 3
#define KIOSK_SYNC_MAX_CONNECTIONS 8
void kiosk_sync_set_connections (KioskSync *self, guint connections);
/* Bytes per attachment upload request (default 256 KiB). */
void kiosk_sync_set_chunk_size (KioskSync *self, gsize bytes);
/* Seconds between heartbeats (and catalog/notice checks); 0 disables. */
void kiosk_sync_set_heartbeat_interval (KioskSync *self, guint seconds);
/* JSON object of device states for the heartbeat ({"idcard":"ready",...});
 * may be called from any thread. */
void kiosk_sync_set_device_states (KioskSync *self, const char *json);
/* JSON object of each device's reason for the technician
 * ({"printer":"media-empty",...}, from kiosk_device_get_reason: never
 * personal data), sent as the heartbeat's "device_reasons"; any thread. */
void kiosk_sync_set_device_reasons (KioskSync *self, const char *json);

/* Background operation. wake() after an enqueue to skip waiting. */
void kiosk_sync_start (KioskSync *self);
void kiosk_sync_stop (KioskSync *self);
void kiosk_sync_wake (KioskSync *self);
/* Real time (µs, g_get_real_time) of the last request the platform
 * answered (any answer); 0 when none has been. Any thread. */
gint64 kiosk_sync_get_last_contact (KioskSync *self);

/* Foreground operation (kioskctl, tests), in the calling thread.
 * run_once: delivers every item that is due now (each at most once), in
 * creation order except for items that stepped aside; stops when the link
 * or the queue must wait; returns TRUE when the outbox has nothing pending
 * at the end.
 * run_until_empty: keeps going (sleeping through backoff) until nothing is
 * pending, @timeout_seconds passes (0 = no limit; FALSE with
 * G_IO_ERROR_TIMED_OUT) or @cancellable fires. Rejected items do not count
 * as pending. */
gboolean kiosk_sync_run_once (KioskSync *self, GCancellable *cancellable, GError **error);
gboolean kiosk_sync_run_until_empty (KioskSync *self, double timeout_seconds, GCancellable *cancellable,
                                     GError **error);

/* Downloads catalog and notices when changed (If-None-Match). Calling thread. */
gboolean kiosk_sync_refresh_documents (KioskSync *self, GCancellable *cancellable, GError **error);
/* Sends one heartbeat now. Calling thread. */
gboolean kiosk_sync_send_heartbeat (KioskSync *self, GCancellable *cancellable, GError **error);

/* Where a progress answer came from. */
typedef enum {
  KIOSK_CASE_STATUS_PLATFORM,   /* the platform answered just now */
  KIOSK_CASE_STATUS_LOCAL_COPY, /* this kiosk's own copy, as of @as_of */
} KioskCaseStatusSource;

typedef struct {
  KioskCaseStatusSource source;
  /* The platform answered this request (FALSE: unreachable, timed out,
   * broken answer, or no adapter). A local copy with platform_reached is a
   * case the platform does not hold yet (still queued on this kiosk). */
  gboolean platform_reached;
  /* Unix microseconds: when the status was known to be true (now for the
   * platform's answer; the last status from the platform, else the
   * acknowledgement, else the filing time for a local copy). */
  gint64 as_of;
  /* Platform not reached: seconds a resident should wait before asking
   * again (the platform's Retry-After when it sent one). */
  int retry_seconds;
} KioskCaseStatusOrigin;

/* Progress query: asks the platform for the case's status (by provisional
 * or official number), records it in the store and returns the updated
 * KioskCaseInfo with @origin->source PLATFORM. When the platform cannot be
 * reached, returns the kiosk's own copy from the store (LOCAL_COPY, with
 * its date), or NULL with G_IO_ERROR_HOST_UNREACHABLE when the store has
 * none either; a
 * number neither holds is KIOSK_STORE_ERROR_NOT_FOUND only when the
 * platform answered that it does not know it. Runs in the calling thread. */
KioskCaseInfo *kiosk_sync_query_case_status (KioskSync *self, const char *number, KioskCaseStatusOrigin *origin,
                                             GCancellable *cancellable, GError **error);
/* 我的办件: one case of a person as the platform knows it. */
typedef struct {
  char *status;      /* "received", "in_review", ... */
  char *status_text; /* 已受理, ... */
  gint64 at;         /* unix seconds */
} KioskCaseStep;

typedef struct {
  char *name;
  char *due; /* YYYY-MM-DD or NULL */
} KioskOwedMaterial;

typedef struct {
  KioskCaseInfo *info; /* numbers, item, status, due date; created_at from the platform */
  gboolean late;       /* past the promised date and not completed */
  GPtrArray *steps;    /* KioskCaseStep, oldest first, each with its date */
  GPtrArray *owed;     /* KioskOwedMaterial: still owed under 容缺 */
} KioskApplicantCase;

void kiosk_applicant_case_free (KioskApplicantCase *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskApplicantCase, kiosk_applicant_case_free)

/* The cases of the applicant with @id_number, newest first, from the
 * platform (the number travels in the request body only, and is never
 * logged). NULL with G_IO_ERROR_HOST_UNREACHABLE when the platform cannot be
 * reached. Calling thread. */
GPtrArray *kiosk_sync_fetch_cases_of_applicant (KioskSync *self, const char *id_number, GCancellable *cancellable,
                                                GError **error);
/* What 我的办件 shows: the platform's list of the applicant's cases with the
 * cases held here that it does not list (not sent yet), newest first. With
 * the platform unreachable, the cases held here, *offline set; NULL with
 * G_IO_ERROR_HOST_UNREACHABLE only when there are none. Calling thread. */
GPtrArray *kiosk_sync_list_cases_of_applicant (KioskSync *self, const char *id_number, gboolean *offline,
                                               GCancellable *cancellable, GError **error);

/* The same without the origin (kioskctl, tests). Runs in a worker thread
 * (async) or the calling thread. */
void kiosk_sync_fetch_case_status_async (KioskSync *self, const char *number, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
KioskCaseInfo *kiosk_sync_fetch_case_status_finish (KioskSync *self, GAsyncResult *result, GError **error);
KioskCaseInfo *kiosk_sync_fetch_case_status (KioskSync *self, const char *number, GCancellable *cancellable,
                                             GError **error);

/* Counters since creation (tests, kioskctl). */
typedef struct {
  guint delivered;
  guint rejected;
  guint transient_failures;
  guint attachments_uploaded;
  guint64 bytes_uploaded;
} KioskSyncStats;
void kiosk_sync_get_stats (KioskSync *self, KioskSyncStats *stats);

G_END_DECLS
