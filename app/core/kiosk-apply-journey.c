/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-apply"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-apply-journey.h"
#include "kiosk-core.h"

/* Skeleton: the type and its constructor; the steps and intents follow. */

struct _KioskApplyJourney {
  KioskJourney parent_instance;
  KioskCore *core; /* weak: the core owns the journeys */
};

G_DEFINE_FINAL_TYPE (KioskApplyJourney, kiosk_apply_journey, KIOSK_TYPE_JOURNEY)

G_DEFINE_QUARK (kiosk-apply-error-quark, kiosk_apply_error)

static void
kiosk_apply_journey_class_init (KioskApplyJourneyClass *klass)
{
}

static void
kiosk_apply_journey_init (KioskApplyJourney *self)
{
}

KioskJourney *
kiosk_apply_journey_new (KioskCore *core)
{
  KioskApplyJourney *self = g_object_new (KIOSK_TYPE_APPLY_JOURNEY, "id", "apply", "title", N_ ("Apply"),
                                          "requires-identity", TRUE, "available", TRUE, NULL);
  self->core = core;
  return KIOSK_JOURNEY (self);
}
