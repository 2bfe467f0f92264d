/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-journey"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-agent-journey.h"
#include "kiosk-apply-journey.h"
#include "kiosk-cert-journey.h"
#include "kiosk-guide-journey.h"
#include "kiosk-journey-registry.h"
#include "kiosk-progress-journey.h"

/* Every journey of the kiosk, in menu order: the one place a journey is
 * declared (docs/architecture.md, "Adding a journey"). */
static const KioskJourneyInfo registry[] = {
  {
      .id = "guide",
      .title = N_ ("Service guide"),
      .icon = "kiosk-help-browser-symbolic",
      .description = N_ ("What to bring, time limits and fees for each item"),
      .requires_identity = FALSE,
      .devices = KIOSK_JOURNEY_USES_PRINTER,
      .camera_mode = KIOSK_JOURNEY_CAMERA_NONE,
      .create = kiosk_guide_journey_new,
  },
  {
      .id = "apply",
      .title = N_ ("Apply"),
      .icon = "kiosk-document-edit-symbolic",
      .description = N_ ("Fill in and hand in an application yourself"),
      .requires_identity = TRUE,
      .devices = KIOSK_JOURNEY_USES_IDCARD | KIOSK_JOURNEY_USES_CAMERA | KIOSK_JOURNEY_USES_PRINTER,
      .camera_mode = KIOSK_JOURNEY_CAMERA_PAGE,
      /* Only the 居民身份证: the village items (../shared/domain/
       * village-items.md) are for registered residents and ask for the
       * 居民身份证 with the 户口簿 (养老保险, 医保 and 低保 registration,
       * 高龄津贴 ...), and the form is filled from its 18-digit number,
       * nation and address. A foreign permanent resident card has none of
       * these, and a 港澳台居民居住证 holder has no 户口 here: they are
       * told at once to use a resident card or ask the staff, instead of
       * failing at a form they cannot finish. */
      .cards = KIOSK_JOURNEY_CARD (KIOSK_CARD_RESIDENT),
      .create = kiosk_apply_journey_new,
  },
  {
      .id = "certificate",
      .title = N_ ("Print certificates"),
      .icon = "kiosk-printer-symbolic",
      .description = N_ ("Print certificates and proofs on the spot"),
      .requires_identity = TRUE,
      .devices = KIOSK_JOURNEY_USES_IDCARD | KIOSK_JOURNEY_USES_PRINTER,
      .camera_mode = KIOSK_JOURNEY_CAMERA_NONE,
      /* The platform knows a person's documents by the 居民身份证 number. */
      .cards = KIOSK_JOURNEY_CARD (KIOSK_CARD_RESIDENT),
      .create = kiosk_cert_journey_new,
  },
  {
      .id = "progress",
      .title = N_ ("Check progress"),
      .icon = "kiosk-system-search-symbolic",
      .description = N_ ("See how far your application has got"),
      .requires_identity = FALSE,
      .devices = KIOSK_JOURNEY_USES_CAMERA,
      .camera_mode = KIOSK_JOURNEY_CAMERA_BARCODE,
      .create = kiosk_progress_journey_new,
  },
  {
      .id = "proxy",
      .title = N_ ("Agent service"),
      .icon = "kiosk-system-users-symbolic",
      .description = N_ ("Let the station's agent handle it for you"),
      .requires_identity = TRUE,
      .devices = KIOSK_JOURNEY_USES_IDCARD | KIOSK_JOURNEY_USES_CAMERA | KIOSK_JOURNEY_USES_PRINTER,
      .camera_mode = KIOSK_JOURNEY_CAMERA_PAGE,
      .create = kiosk_agent_journey_new,
  },
};

const KioskJourneyInfo *
kiosk_journey_registry (guint *n_journeys)
{
  if (n_journeys)
    *n_journeys = G_N_ELEMENTS (registry);
  return registry;
}

const KioskJourneyInfo *
kiosk_journey_registry_lookup (const char *id)
{
  for (gsize i = 0; id && i < G_N_ELEMENTS (registry); i++)
    if (g_str_equal (registry[i].id, id))
      return &registry[i];
  return NULL;
}

gboolean
kiosk_journey_info_accepts_card (const KioskJourneyInfo *info, KioskCardType type)
{
  if (info == NULL || info->cards == KIOSK_JOURNEY_CARDS_ANY)
    return TRUE;
  return (info->cards & KIOSK_JOURNEY_CARD (type)) != 0;
}

gboolean
kiosk_journey_accepts_card (KioskJourney *journey, KioskCardType type)
{
  g_return_val_if_fail (KIOSK_IS_JOURNEY (journey), TRUE);
  return kiosk_journey_info_accepts_card (kiosk_journey_get_info (journey), type);
}

KioskJourney *
kiosk_journey_registry_create (const KioskJourneyInfo *info, KioskCore *core)
{
  KioskJourney *j;

  g_return_val_if_fail (info != NULL, NULL);
  j = info->create ? info->create (core)
                   : kiosk_journey_new_placeholder (info->id, info->title, info->requires_identity);
  /* The row is the truth: a constructor cannot disagree with it. */
  g_warn_if_fail (g_str_equal (kiosk_journey_get_id (j), info->id));
  _kiosk_journey_set_info (j, info);
  return j;
}
