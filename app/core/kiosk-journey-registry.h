/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-identity.h"
#include "kiosk-journey.h"

G_BEGIN_DECLS

typedef struct _KioskCore KioskCore;

/* The devices a journey uses (the registry's "devices"). */
typedef enum {
  KIOSK_JOURNEY_USES_IDCARD = 1 << 0,
  KIOSK_JOURNEY_USES_CAMERA = 1 << 1,
  KIOSK_JOURNEY_USES_PAD = 1 << 2,
  KIOSK_JOURNEY_USES_PRINTER = 1 << 3,
} KioskJourneyDevices;

/* What the document camera does while the journey is current. */
typedef enum {
  KIOSK_JOURNEY_CAMERA_NONE,
  KIOSK_JOURNEY_CAMERA_BARCODE, /* codes: "barcode" vfunc */
  KIOSK_JOURNEY_CAMERA_PAGE,    /* pages, auto-captured: "page_captured" vfunc */
} KioskJourneyCameraMode;

/* The kinds of card a journey takes (the registry's "cards"): a set of
 * KIOSK_JOURNEY_CARD (KioskCardType) bits; 0 takes every card the reader
 * knows. */
#define KIOSK_JOURNEY_CARD(type) (1u << (guint) (type))
#define KIOSK_JOURNEY_CARDS_ANY 0u

typedef KioskJourney *(*KioskJourneyConstructor) (KioskCore *core);

/* One journey: a row of the registry, in menu order. */
struct _KioskJourneyInfo {
  const char *id;
  const char *title;       /* msgid */
  const char *icon;        /* icon name (ui/icons) */
  const char *description; /* msgid, one line for the menu tile */
  gboolean requires_identity;
  KioskJourneyDevices devices;
  KioskJourneyCameraMode camera_mode;
  /* Cards it takes, KIOSK_JOURNEY_CARD bits; KIOSK_JOURNEY_CARDS_ANY: all. */
  guint cards;
  /* NULL: not built yet (the menu says 暂未开通). */
  KioskJourneyConstructor create;
};

/* The registry, in menu order; *n_journeys gets its length. */
const KioskJourneyInfo *kiosk_journey_registry (guint *n_journeys);
/* One row by id, or NULL. */
const KioskJourneyInfo *kiosk_journey_registry_lookup (const char *id);
/* Whether @info's journey takes a card of @type (TRUE for a NULL @info). */
gboolean kiosk_journey_info_accepts_card (const KioskJourneyInfo *info, KioskCardType type);
/* The same for a journey object, by its row. */
gboolean kiosk_journey_accepts_card (KioskJourney *journey, KioskCardType type);
/* A journey object for @info: its constructor's, or a placeholder. */
KioskJourney *kiosk_journey_registry_create (const KioskJourneyInfo *info, KioskCore *core);

G_END_DECLS
