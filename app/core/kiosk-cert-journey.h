/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-certificate.h"
#include "kiosk-journey.h"

G_BEGIN_DECLS

typedef struct _KioskCore KioskCore;

/* 证明打印: after the ID card, the documents the platform holds for the
 * resident (POST /v1/documents/of-person, asked in a worker thread), a
 * preview drawn by the print renderer itself, and the print: counted only
 * when the printer confirms the job (the printer's ledger), a second print
 * of a document an explicit 补打 with its reason, at most
 * [printer] certificate-daily-limit confirmed prints of one document a
 * day. Offline it says certificates need the network and offers to queue
 * a request (printed at the next visit, or posted) in the store's outbox
 * (kind "certificate_request", docs/platform-api.md). */

typedef enum {
  KIOSK_CERT_IDLE,
  KIOSK_CERT_LOADING,
  KIOSK_CERT_READY,   /* get_documents (may be empty) */
  KIOSK_CERT_OFFLINE, /* the platform cannot be reached: certificates need the network */
  KIOSK_CERT_ERROR,   /* no resident card, or the platform's answer was unusable */
} KioskCertState;

typedef enum {
  KIOSK_CERT_PRINT_NONE,
  KIOSK_CERT_PRINT_PRINTING,     /* sent; waiting for the printer to confirm */
  KIOSK_CERT_PRINT_DONE,         /* the printer confirmed it: counted */
  KIOSK_CERT_PRINT_FAILED,       /* not printed (get_print_message says why), not counted */
  KIOSK_CERT_PRINT_LIMIT,        /* the daily limit of this document is reached: not sent */
  KIOSK_CERT_PRINT_NEEDS_REASON, /* printed before: a reprint needs its reason */
} KioskCertPrintState;

typedef enum {
  KIOSK_CERT_QUEUE_NONE,
  KIOSK_CERT_QUEUE_SAVING,
  KIOSK_CERT_QUEUE_DONE,   /* durable in the store's outbox */
  KIOSK_CERT_QUEUE_FAILED, /* the store could not take it */
} KioskCertQueueState;

typedef enum {
  KIOSK_CERT_DELIVERY_NEXT_VISIT, /* printed at the resident's next visit */
  KIOSK_CERT_DELIVERY_POST,       /* posted to the card's address */
} KioskCertDelivery;

/* Reasons a resident may give for a reprint (msgids; the record carries
 * the Chinese text). */
typedef enum {
  KIOSK_CERT_REPRINT_LOST,        /* 原件遗失 */
  KIOSK_CERT_REPRINT_DAMAGED,     /* 原件污损 */
  KIOSK_CERT_REPRINT_MORE,        /* 需要多份 */
  KIOSK_CERT_REPRINT_PRINT_FAULT, /* 上次打印不清晰或未完成 */
  KIOSK_CERT_N_REPRINT_REASONS,
} KioskCertReprintReason;

const char *kiosk_cert_reprint_reason_msgid (KioskCertReprintReason reason);
/* The Chinese text printed in the 补打 box and sent in the record. */
const char *kiosk_cert_reprint_reason_text (KioskCertReprintReason reason);

#define KIOSK_TYPE_CERT_JOURNEY (kiosk_cert_journey_get_type ())
G_DECLARE_FINAL_TYPE (KioskCertJourney, kiosk_cert_journey, KIOSK, CERT_JOURNEY, KioskJourney)

KioskJourney *kiosk_cert_journey_new (KioskCore *core);

/* "state" (KioskCertState), notified. */
KioskCertState kiosk_cert_journey_get_state (KioskCertJourney *self);
/* Asks the platform again (after OFFLINE). */
void kiosk_cert_journey_reload (KioskCertJourney *self);
/* KioskCertificate, newest first (READY), else NULL. */
GPtrArray *kiosk_cert_journey_get_documents (KioskCertJourney *self);
/* Documents the platform sent that broke the rules and are not shown. */
guint kiosk_cert_journey_get_skipped (KioskCertJourney *self);

/* Chooses document @index of the list and moves to the preview step;
 * "preview" (a PNG of the page as it will be printed) is rendered in a
 * worker thread and notified. */
void kiosk_cert_journey_select (KioskCertJourney *self, guint index);
const KioskCertificate *kiosk_cert_journey_get_selected (KioskCertJourney *self);
/* PNG bytes of the selected document's page (NULL while rendering or after
 * a render error: get_preview_error then says why). */
GBytes *kiosk_cert_journey_get_preview (KioskCertJourney *self);
const char *kiosk_cert_journey_get_preview_error (KioskCertJourney *self);

/* The selected document was sent to a printer before (this kiosk's
 * ledger), or the platform counts confirmed prints of it (any kiosk): the
 * next print is a 补打 and needs a reason. */
gboolean kiosk_cert_journey_is_reprint (KioskCertJourney *self);
/* Confirmed prints of the selected document today (this kiosk's ledger,
 * or the platform's count when the list came, whichever is more), and the
 * daily limit. */
guint kiosk_cert_journey_get_printed_today (KioskCertJourney *self);
guint kiosk_cert_journey_get_daily_limit (KioskCertJourney *self);

/* Prints the selected document: a first print, or (is_reprint) a 补打 with
 * @reason (a KioskCertReprintReason; -1 for none: then "print-state"
 * becomes NEEDS_REASON and nothing is printed). "print-state" notifies. */
void kiosk_cert_journey_print (KioskCertJourney *self, int reason);
KioskCertPrintState kiosk_cert_journey_get_print_state (KioskCertJourney *self);
/* FAILED: a plain message for the resident (translated). */
const char *kiosk_cert_journey_get_print_message (KioskCertJourney *self);
/* DONE: the reprint number of the page just printed (0: a first print). */
int kiosk_cert_journey_get_last_reprint_count (KioskCertJourney *self);

/* OFFLINE: leaves a request in the store's outbox (every document of the
 * resident, @delivery). "queue-state" notifies. */
void kiosk_cert_journey_queue_request (KioskCertJourney *self, KioskCertDelivery delivery);
KioskCertQueueState kiosk_cert_journey_get_queue_state (KioskCertJourney *self);

/* A proof the resident searches for (typed): TRUE when the catalog's
 * not_offered list names it; @name gets the list's name and @where where
 * to go (NULL for a proof village committees no longer issue). From the
 * stored catalog's list, read with the documents (also offline). */
gboolean kiosk_cert_journey_search_not_offered (KioskCertJourney *self, const char *text, char **name, char **where);

/* Leaves the journey: rated when something was printed. */
void kiosk_cert_journey_finish (KioskCertJourney *self);

G_END_DECLS
