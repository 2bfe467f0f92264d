/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Confirmed-print accounting. Every print attempt is a record, created
 * (and handed to the sink, i.e. the outbox) BEFORE anything goes to the
 * printer, and updated at each step. Only a job the printer reports
 * completed counts as printed. A document (document_id) that already has a
 * record which reached the printer is never printed again unless the caller
 * asks for an explicit reprint with who and why; certificates then carry a
 * reprint mark. */

typedef enum {
  KIOSK_PRINT_RECORD_PENDING,       /* created, not yet sent */
  KIOSK_PRINT_RECORD_NOT_SUBMITTED, /* never reached the printer (not ready, unreachable, render error) */
  KIOSK_PRINT_RECORD_SUBMITTED,     /* the printer accepted the job; following it */
  KIOSK_PRINT_RECORD_PRINTED,       /* the printer reported the job completed: counts */
  KIOSK_PRINT_RECORD_FAILED,        /* the printer aborted or cancelled the job */
  KIOSK_PRINT_RECORD_INTERRUPTED,   /* contact lost after submission: outcome unknown */
} KioskPrintRecordStatus;

const char *kiosk_print_record_status_to_string (KioskPrintRecordStatus status);

typedef struct {
  char *record_id;   /* UUID */
  char *document_id; /* e.g. "certificate:YLZM-2026-8F3K-7Q2M" */
  char *template_name;
  char *printer; /* URI or queue */
  char *kiosk_id;
  KioskPrintRecordStatus status;
  int job_id;        /* 0 until submitted */
  char *job_state;   /* last IPP job state seen */
  char *detail;      /* technician's reason for the last step */
  gint64 created_at; /* unix µs */
  gint64 submitted_at;
  gint64 finished_at;
  /* Reprint: set when this record is an explicit reprint. */
  int reprint_count; /* 0 for the first print */
  char *reprint_of;  /* record_id of the latest earlier record */
  char *reprint_by;  /* who asked (staff id / "resident") */
  char *reprint_reason;
} KioskPrintRecord;

KioskPrintRecord *kiosk_print_record_copy (const KioskPrintRecord *record);
void kiosk_print_record_free (KioskPrintRecord *record);
/* Parses kiosk_print_record_to_json() output. */
KioskPrintRecord *kiosk_print_record_from_json (const char *json, GError **error);
/* The JSON object queued in the outbox (kind "print_record"); no personal
 * data. */
char *kiosk_print_record_to_json (const KioskPrintRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskPrintRecord, kiosk_print_record_free)

/* Where records go: the store's outbox (kiosk_store_enqueue_print_record)
 * in the kiosk; tests pass their own. Called from the print worker thread
 * with each new version of a record (one call per transition). Returns
 * FALSE with @error when it could not store it durably. */
typedef gboolean (*KioskPrintRecordSink) (const char *record_json, gpointer user_data, GError **error);

/* The in-memory ledger: the latest version of each record, by document.
 * Thread-safe. */
typedef struct _KioskPrintLedger KioskPrintLedger;

KioskPrintLedger *kiosk_print_ledger_new (void);
void kiosk_print_ledger_free (KioskPrintLedger *self);
void kiosk_print_ledger_set_sink (KioskPrintLedger *self, KioskPrintRecordSink sink, gpointer user_data,
                                  GDestroyNotify destroy);
/* Keeps the ledger in a journal file too (JSON lines, fsynced per line), so
 * duplicate control survives a restart: loads it, and turns records left
 * pending or submitted by a kiosk that stopped mid-job into INTERRUPTED
 * (their transitions go to the sink like any other). @recovered (may be
 * NULL) gets how many. */
gboolean kiosk_print_ledger_open_journal (KioskPrintLedger *self, const char *path, guint *recovered, GError **error);
/* Stores @record (copied): appends it to the journal, then hands its JSON to
 * the sink. FALSE when it is not stored durably anywhere (no journal and the
 * sink refused): then nothing must be printed. With a journal, transitions
 * the sink refuses are kept and handed over at the next put. */
gboolean kiosk_print_ledger_put (KioskPrintLedger *self, const KioskPrintRecord *record, GError **error);
/* Transitions the sink has not taken yet (after trying once more). */
guint kiosk_print_ledger_unsynced (KioskPrintLedger *self);
/* Copies of all records of @document_id, oldest first. */
GPtrArray *kiosk_print_ledger_list (KioskPrintLedger *self, const char *document_id);
/* All records, oldest first. */
GPtrArray *kiosk_print_ledger_list_all (KioskPrintLedger *self);
/* How many records of @document_id are PRINTED. */
guint kiosk_print_ledger_count_printed (KioskPrintLedger *self, const char *document_id);
/* The latest record of @document_id that reached the printer (SUBMITTED,
 * PRINTED, FAILED, INTERRUPTED), or NULL: a new print of it must be an
 * explicit reprint. */
KioskPrintRecord *kiosk_print_ledger_find_sent (KioskPrintLedger *self, const char *document_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskPrintLedger, kiosk_print_ledger_free)

G_END_DECLS
