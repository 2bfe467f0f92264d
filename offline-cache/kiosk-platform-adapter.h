/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-config.h"

G_BEGIN_DECLS

/* The seam between the sync engine and a platform's wire protocol. The
 * engine only knows these operations and their outcomes; the reference
 * adapter (kiosk-platform-http.c) speaks docs/platform-api.md (/v1) over
 * libsoup. A province's own platform gets another adapter.
 *
 * Every operation is synchronous and called from the sync engine's thread
 * only; an adapter instance belongs to the thread that created it. */

typedef enum {
  /* Done. For submit: only when the answer is the documented success
   * (docs/platform-api.md: 201, or 200 replayed, JSON, for a case its
   * official number and the provisional number sent; for a record
   * "received": true and its kind); the body then carries that answer. */
  KIOSK_PLATFORM_OK,
  KIOSK_PLATFORM_NOT_MODIFIED, /* conditional GET: our copy is current */
  KIOSK_PLATFORM_TRANSIENT,    /* network, timeout, 5xx, 429, broken reply: retry later */
  KIOSK_PLATFORM_REJECTED,     /* 4xx with the platform's error body: this request will never succeed as is */
} KioskPlatformOutcome;

const char *kiosk_platform_outcome_to_string (KioskPlatformOutcome outcome);

/* How long to wait before attempt @attempts + 1 of something that did not
 * get through: @base_ms doubled per attempt up to @max_ms, then "equal
 * jitter" (between half and all of it, so a fleet coming back online does
 * not hammer the platform in step), never less than @retry_after_ms (the
 * platform's Retry-After; -1 when none). The kiosk's sync and the
 * platform's forwarding to the province follow this one rule. */
gint64 kiosk_platform_backoff_ms (guint base_ms, guint max_ms, int attempts, gint64 retry_after_ms);

typedef struct {
  KioskPlatformOutcome outcome;
  int http_status;       /* 0 when no HTTP answer arrived */
  gint64 retry_after_ms; /* from Retry-After, -1 when absent */
  char *message;         /* technician's reason (no personal data, no control characters) */
  char *error_code;      /* the platform's machine code ("checksum_mismatch", ...) or NULL */
  char *body;            /* JSON answer, or NULL */
  char *etag;            /* conditional GETs */
  gint64 offset;         /* attachments: bytes the platform holds */
  gboolean complete;     /* attachments: fully received and verified */
} KioskPlatformResult;

void kiosk_platform_result_clear (KioskPlatformResult *result);

/* Text the platform (or anything between it and us) sent, made fit to show
 * or log: invalid UTF-8 repaired, control characters (C0, DEL, C1), format
 * characters (bidi overrides and isolates, zero-width characters) and line
 * or paragraph separators removed; tabs and newlines become spaces unless
 * @keep_newlines (documents). Cut at a character boundary after at most
 * @max_bytes bytes (0: no limit), "…" appended. NULL only for NULL. */
char *kiosk_platform_text_sanitize (const char *text, gsize max_bytes, gboolean keep_newlines);

/* A deadline for a blocking operation: a cancellable that a watchdog
 * thread cancels after @seconds, or when @parent (may be NULL) is
 * cancelled. Unlike an I/O timeout it is not reset by a peer that sends a
 * byte now and then. */
typedef struct _KioskDeadline KioskDeadline;

KioskDeadline *kiosk_deadline_new (double seconds, GCancellable *parent);
GCancellable *kiosk_deadline_get_cancellable (KioskDeadline *self);
/* TRUE once the time ran out (not when @parent was cancelled). */
gboolean kiosk_deadline_expired (KioskDeadline *self);
/* Cancels at once (an answer refused half-way). */
void kiosk_deadline_cancel (KioskDeadline *self);
void kiosk_deadline_free (KioskDeadline *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskDeadline, kiosk_deadline_free)

typedef struct _KioskPlatformAdapter KioskPlatformAdapter;

typedef struct {
  /* Delivers one outbox item. @kind: "case", "rating", "print_record",
   * "proxy_authorisation", ...; @payload: JSON; @idempotency_key: the same
   * on every retry of this item. */
  void (*submit) (KioskPlatformAdapter *self, const char *kind, const char *idempotency_key, const char *payload,
                  GCancellable *cancellable, KioskPlatformResult *out);
  /* How many bytes of the attachment @sha256 (@size bytes in total) the
   * platform holds: out->offset, out->complete. */
  void (*attachment_status) (KioskPlatformAdapter *self, const char *sha256, gint64 size, GCancellable *cancellable,
                             KioskPlatformResult *out);
  /* Appends @len bytes at @offset. out->offset is the new offset; once the
   * last byte arrived the platform verifies the SHA-256 (out->complete, or
   * REJECTED/TRANSIENT with error_code "checksum_mismatch"). */
  void (*attachment_append) (KioskPlatformAdapter *self, const char *sha256, gint64 size, gint64 offset,
                             const guint8 *data, gsize len, GCancellable *cancellable, KioskPlatformResult *out);
  /* Conditional download of "catalog" or "notices"; out->body, out->etag. */
  void (*fetch_document) (KioskPlatformAdapter *self, const char *what, const char *etag, GCancellable *cancellable,
                          KioskPlatformResult *out);
  /* Progress of a case by official or provisional number; out->body. */
  void (*case_status) (KioskPlatformAdapter *self, const char *number, GCancellable *cancellable,
                       KioskPlatformResult *out);
  /* 我的办件: the cases of the applicant with @id_number, newest first
   * (POST /v1/cases/of-applicant, the number in the body only); out->body
   * is the answer with clean text. NULL in an adapter that cannot. */
  void (*cases_of_applicant) (KioskPlatformAdapter *self, const char *id_number, GCancellable *cancellable,
                              KioskPlatformResult *out);
  /* Heartbeat: @payload JSON (app version, device states, backlog). */
  void (*heartbeat) (KioskPlatformAdapter *self, const char *payload, GCancellable *cancellable,
                     KioskPlatformResult *out);
  void (*free) (KioskPlatformAdapter *self);
  /* 证明打印: the documents the platform holds for the person with
   * @id_number (POST /v1/documents/of-person, the number in the body
   * only); out->body is the answer with clean text (newlines kept). NULL
   * in an adapter that cannot. */
  void (*documents_of_person) (KioskPlatformAdapter *self, const char *id_number, GCancellable *cancellable,
                               KioskPlatformResult *out);
} KioskPlatformAdapterClass;

struct _KioskPlatformAdapter {
  const KioskPlatformAdapterClass *klass;
};

void kiosk_platform_adapter_free (KioskPlatformAdapter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskPlatformAdapter, kiosk_platform_adapter_free)

/* The reference HTTP adapter (docs/platform-api.md). @base_url is the
 * platform's root (the adapter adds /v1/...). https:// uses @ca_file as the
 * only trusted CA when given (pinned) and @client_cert/@client_key for
 * mutual TLS when given; http:// is refused unless @allow_http. */
typedef struct {
  const char *base_url;
  const char *kiosk_id;
  gboolean allow_http;
  const char *ca_file;
  const char *client_cert;
  const char *client_key;
  int timeout_seconds;
  /* The kiosk's token, sent as "Authorization: Bearer TOKEN" with every
   * request (a platform started with --kiosk-tokens); NULL: none. */
  const char *token;
} KioskHttpAdapterOptions;

KioskPlatformAdapter *kiosk_http_adapter_new (const KioskHttpAdapterOptions *options, GError **error);
/* From [platform] url, allow-http, ca-file, client-cert, client-key,
 * timeout-seconds, token and [kiosk] id. */
KioskPlatformAdapter *kiosk_http_adapter_new_from_config (KioskConfig *config, GError **error);

/* kiosk_http_adapter_new() loads the kiosk module "kiosk-platform-http"
 * (app/kiosk-module.h) and forwards to this table. */
#define KIOSK_HTTP_MODULE "offline-cache/kiosk-platform-http"
#define KIOSK_HTTP_MODULE_SYMBOL "kiosk_http_module"
#define KIOSK_HTTP_API_VERSION 3 /* 2: documents_of_person in the adapter class; 3: token in the options */

typedef struct {
  int version; /* KIOSK_HTTP_API_VERSION */
  KioskPlatformAdapter *(*adapter_new) (const KioskHttpAdapterOptions *options, GError **error);
} KioskHttpApi;

G_END_DECLS
