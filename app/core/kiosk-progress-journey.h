/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-journey.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

typedef struct _KioskCore KioskCore;

/* 进度查询: the resident gives a case number (typed, or read from the
 * receipt's QR code) and sees the case's progress. Asks the platform through
 * the sync engine; offline, shows the last status the store knows. */

typedef enum {
  KIOSK_PROGRESS_IDLE,
  KIOSK_PROGRESS_QUERYING,
  KIOSK_PROGRESS_FOUND,
  KIOSK_PROGRESS_NOT_FOUND,
  KIOSK_PROGRESS_INVALID, /* not a case number */
  KIOSK_PROGRESS_ERROR,   /* store unavailable */
} KioskProgressState;

#define KIOSK_TYPE_PROGRESS_JOURNEY (kiosk_progress_journey_get_type ())
G_DECLARE_FINAL_TYPE (KioskProgressJourney, kiosk_progress_journey, KIOSK, PROGRESS_JOURNEY, KioskJourney)

KioskJourney *kiosk_progress_journey_new (KioskCore *core);

/* Starts a query (async); "state" notifies as it goes. */
void kiosk_progress_journey_query (KioskProgressJourney *self, const char *number);
/* A code the camera read (the receipt's QR code): queried when it holds a
 * case number, and then "number" changes so the page shows it. */
void kiosk_progress_journey_scanned (KioskProgressJourney *self, const char *text);
/* The number last queried (normalised), or NULL. */
const char *kiosk_progress_journey_get_number (KioskProgressJourney *self);
KioskProgressState kiosk_progress_journey_get_state (KioskProgressJourney *self);
/* The case found (FOUND), else NULL. */
const KioskCaseInfo *kiosk_progress_journey_get_case (KioskProgressJourney *self);
/* The catalog name of the found case's item, or NULL. */
const char *kiosk_progress_journey_get_item_name (KioskProgressJourney *self);
/* The answer came from the store only (the platform was not reachable). */
gboolean kiosk_progress_journey_get_offline (KioskProgressJourney *self);

/* Normalises what a resident typed or a QR code carried into a case number:
 * trims, upper-cases, and takes the number out of a URL's "case=" parameter.
 * NULL when nothing usable is left. */
char *kiosk_progress_normalise_number (const char *text);

G_END_DECLS
