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

/* Normalises what a resident typed or a QR code carried into a case number:
 * trims, upper-cases, and takes the number out of a URL's "case=" parameter.
 * NULL when nothing usable is left. */
char *kiosk_progress_normalise_number (const char *text);

G_END_DECLS
