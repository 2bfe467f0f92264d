/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A journey is one thing a resident comes to do (办事指南, 自助申报, 证明打印,
 * 进度查询, 代办服务). Journeys plug into the session: the session machine
 * only knows that a journey starts, may need an identity first, and ends
 * with or without a service event to rate. A later module subclasses
 * KioskJourney and registers it with kiosk_session_register_journey(); the
 * UI shows a page for each journey id it knows, and an honest "not available
 * yet" page for a journey whose "available" is FALSE. */

#define KIOSK_TYPE_JOURNEY (kiosk_journey_get_type ())
G_DECLARE_DERIVABLE_TYPE (KioskJourney, kiosk_journey, KIOSK, JOURNEY, GObject)

struct _KioskJourneyClass {
  GObjectClass parent_class;

  /* The session entered this journey. */
  void (*begin) (KioskJourney *self);
  /* The session is being wiped: drop every piece of personal data. */
  void (*wipe) (KioskJourney *self);

  gpointer padding[8];
};

const char *kiosk_journey_get_id (KioskJourney *self);
/* Untranslated msgid; the UI translates it. */
const char *kiosk_journey_get_title (KioskJourney *self);
gboolean kiosk_journey_get_requires_identity (KioskJourney *self);
gboolean kiosk_journey_get_available (KioskJourney *self);

/* A journey that exists in the menu but is not built yet. */
KioskJourney *kiosk_journey_new_placeholder (const char *id, const char *title, gboolean requires_identity);

void _kiosk_journey_begin (KioskJourney *self);
void _kiosk_journey_wipe (KioskJourney *self);

G_END_DECLS
