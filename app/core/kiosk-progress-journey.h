/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-journey.h"
#include "kiosk-rating.h"

G_BEGIN_DECLS

typedef struct _KioskCore KioskCore;

/* 进度查询: the resident gives a case number (typed, or read from the
 * receipt's QR code) and sees the case's progress. Asks the platform through
 * the sync engine; offline, shows the last status the store knows. */

typedef enum {
  KIOSK_PROGRESS_IDLE,
  KIOSK_PROGRESS_QUERYING,
  KIOSK_PROGRESS_FOUND,
  KIOSK_PROGRESS_NOT_FOUND,   /* the platform answered that it does not know the number */
  KIOSK_PROGRESS_INVALID,     /* not a case number */
  KIOSK_PROGRESS_ERROR,       /* store unavailable */
  KIOSK_PROGRESS_UNREACHABLE, /* not on this kiosk, and the platform cannot be reached */
} KioskProgressState;

/* What became of the last code the camera read ("scan-notice"). */
typedef enum {
  KIOSK_PROGRESS_SCAN_NONE,
  KIOSK_PROGRESS_SCAN_FOREIGN,   /* a code that is not a receipt's 受理编号 */
  KIOSK_PROGRESS_SCAN_HELD_BACK, /* a receipt read while the resident was typing: not used */
} KioskProgressScanNotice;

/* 我的办件: the identified resident's own cases ("mine-state"). */
typedef enum {
  KIOSK_PROGRESS_MINE_NONE, /* anonymous: nothing to list */
  KIOSK_PROGRESS_MINE_LOADING,
  KIOSK_PROGRESS_MINE_READY,       /* get_my_cases (may be empty) */
  KIOSK_PROGRESS_MINE_UNREACHABLE, /* the platform cannot be reached */
} KioskProgressMineState;

/* What the page shows of a case: the journey's own copy of what the store
 * or the platform said (the UI sees no store type). */
typedef enum {
  KIOSK_PROGRESS_CASE_QUEUED,    /* accepted here, not yet delivered */
  KIOSK_PROGRESS_CASE_SUBMITTED, /* acknowledged by the platform */
  KIOSK_PROGRESS_CASE_REJECTED,  /* refused by the platform; see status_text */
} KioskProgressCaseSync;

typedef struct {
  char *status;      /* "received", "in_review", ... */
  char *status_text; /* 已受理, ... */
  gint64 at;         /* unix seconds */
} KioskProgressStep;

typedef struct {
  char *name;
  char *due; /* YYYY-MM-DD or NULL */
} KioskProgressOwed;

typedef struct {
  char *provisional_number;
  char *official_number; /* NULL until the platform acknowledged */
  char *item_code;
  KioskProgressCaseSync sync_state;
  char *status;      /* the platform's progress status, or NULL */
  char *status_text; /* human-readable status or rejection reason */
  gint64 created_at; /* unix microseconds */
  char *due_date;    /* promised completion (YYYY-MM-DD), or NULL */
  gboolean late;     /* 我的办件: past the promised date and not completed */
  GPtrArray *steps;  /* 我的办件: KioskProgressStep, oldest first (else empty) */
  GPtrArray *owed;   /* 我的办件: KioskProgressOwed still owed under 容缺 (else empty) */
} KioskProgressCase;

/* Where an answer came from. */
typedef enum {
  KIOSK_PROGRESS_FROM_PLATFORM,   /* the platform answered just now */
  KIOSK_PROGRESS_FROM_LOCAL_COPY, /* this kiosk's own copy, as of as_of */
} KioskProgressSource;

typedef struct {
  KioskProgressSource source;
  gboolean platform_reached; /* the platform answered this request */
  gint64 as_of;              /* unix microseconds: when the status was known true */
  int retry_seconds;         /* platform not reached: wait this long before asking again */
} KioskProgressOrigin;

#define KIOSK_TYPE_PROGRESS_JOURNEY (kiosk_progress_journey_get_type ())
G_DECLARE_FINAL_TYPE (KioskProgressJourney, kiosk_progress_journey, KIOSK, PROGRESS_JOURNEY, KioskJourney)

KioskJourney *kiosk_progress_journey_new (KioskCore *core);

/* Starts a query (async); "state" notifies as it goes. */
void kiosk_progress_journey_query (KioskProgressJourney *self, const char *number);
/* A code the camera read (the receipt's QR code): queried when it holds a
 * case number, and then "number" changes so the page shows it. It never
 * replaces what the resident is typing (see set_draft): then the scan is
 * held back and "scan-notice" says so; a code that is no case number sets
 * "scan-notice" to FOREIGN. */
void kiosk_progress_journey_scanned (KioskProgressJourney *self, const char *text);
/* What the resident has typed so far and not yet queried ("" or NULL when
 * the field is empty). */
void kiosk_progress_journey_set_draft (KioskProgressJourney *self, const char *typed);
KioskProgressScanNotice kiosk_progress_journey_get_scan_notice (KioskProgressJourney *self);
/* The number last queried (normalised), or NULL. */
const char *kiosk_progress_journey_get_number (KioskProgressJourney *self);
KioskProgressState kiosk_progress_journey_get_state (KioskProgressJourney *self);
/* The case found (FOUND), else NULL. */
const KioskProgressCase *kiosk_progress_journey_get_case (KioskProgressJourney *self);
/* The catalog name of the found case's item, or NULL. */
const char *kiosk_progress_journey_get_item_name (KioskProgressJourney *self);
/* The answer came from the store only (the platform was not reachable). */
gboolean kiosk_progress_journey_get_offline (KioskProgressJourney *self);
/* Where the found case's status comes from and how old it is, and (FOUND
 * offline, UNREACHABLE) how long to wait before trying again. */
const KioskProgressOrigin *kiosk_progress_journey_get_origin (KioskProgressJourney *self);

/* 我的办件: listed as soon as the journey begins with a resident identified
 * by their ID card (from the platform, newest first). */
KioskProgressMineState kiosk_progress_journey_get_mine_state (KioskProgressJourney *self);
/* KioskProgressCase, newest first (MINE_READY), else NULL. */
GPtrArray *kiosk_progress_journey_get_my_cases (KioskProgressJourney *self);
/* The catalog name of an item of the listed cases, or NULL. */
/* The service event of the case found, to be rated (NULL when none was
 * found): its applicant is the identified resident when the platform
 * listed the case among theirs (我的办件), unknown otherwise. */
KioskServiceEvent *kiosk_progress_journey_make_event (KioskProgressJourney *self);
/* TRUE when 我的办件 lists only the cases held on this kiosk (the platform
 * could not be reached). */
gboolean kiosk_progress_journey_get_mine_offline (KioskProgressJourney *self);
const char *kiosk_progress_journey_get_mine_item_name (KioskProgressJourney *self, const char *code);

/* 重新打印回执 (补打): the 受理回执 of a case handed in at this kiosk, and
 * its 容缺受理通知书 when materials are owed, printed again for its
 * applicant ("reprint-state"). Offered only to the identified resident for
 * their own cases held on this kiosk's store (never to someone else who
 * typed the number, nor to anonymous residents). Printed with the official
 * number once the platform gave one, else the provisional number with its
 * 临时编号 notice; the documents carry the 补打 mark and the print records
 * name the reprint. A reprint counts once the printer confirmed the job. */
typedef enum {
  KIOSK_PROGRESS_REPRINT_IDLE,
  KIOSK_PROGRESS_REPRINT_PREPARING, /* the case read from the store */
  KIOSK_PROGRESS_REPRINT_PRINTING,  /* sent, not yet confirmed */
  KIOSK_PROGRESS_REPRINT_PRINTED,   /* the printer confirmed every document */
  KIOSK_PROGRESS_REPRINT_FAILED,    /* get_reprint_message says why */
} KioskProgressReprintState;

#define KIOSK_PROGRESS_JOURNEY_ERROR (kiosk_progress_journey_error_quark ())
GQuark kiosk_progress_journey_error_quark (void);

typedef enum {
  KIOSK_PROGRESS_JOURNEY_ERROR_NOT_APPLICANT, /* not the identified resident's own case (or nobody identified) */
  KIOSK_PROGRESS_JOURNEY_ERROR_NOT_HELD,      /* not handed in at this kiosk: no receipt here to print again */
  KIOSK_PROGRESS_JOURNEY_ERROR_BUSY,          /* a reprint is under way */
} KioskProgressJourneyError;

/* Whether 重新打印回执 is offered for @c (a case of get_case or
 * get_my_cases). */
gboolean kiosk_progress_journey_can_reprint (KioskProgressJourney *self, const KioskProgressCase *c);
/* Prints the receipt (and notice) of the case @number (its provisional or
 * official number) again; FALSE with KIOSK_PROGRESS_JOURNEY_ERROR when it is not
 * offered. The outcome comes as "reprint-state". */
gboolean kiosk_progress_journey_reprint (KioskProgressJourney *self, const char *number, GError **error);
KioskProgressReprintState kiosk_progress_journey_get_reprint_state (KioskProgressJourney *self);
/* The provisional number of the case being (or last) reprinted, or NULL. */
const char *kiosk_progress_journey_get_reprint_number (KioskProgressJourney *self);
/* FAILED: a plain message for the resident (a msgid or the printer's own
 * words), else NULL. */
const char *kiosk_progress_journey_get_reprint_message (KioskProgressJourney *self);
/* Documents reprinted in this session that the printer confirmed. */
guint kiosk_progress_journey_get_reprints_printed (KioskProgressJourney *self);

/* Normalises what a resident typed or a QR code carried into a case number:
 * trims, upper-cases, and takes the number out of a URL's "case=" parameter.
 * NULL when nothing usable is left. */
char *kiosk_progress_normalise_number (const char *text);

G_END_DECLS
