/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-identity.h"

G_BEGIN_DECLS

/* A journey is one thing a resident comes to do (办事指南, 自助申报, 证明打印,
 * 进度查询, 代办服务). Every journey is one row of the registry
 * (kiosk-journey-registry.c): id, title, icon, description, whether it needs
 * an identity, the devices it uses and the camera mode it wants. The core
 * creates one object per row and registers it with the session; the menu
 * is built from them.
 *
 * The core forwards device events to the current journey through the
 * vfuncs below without knowing its type; a journey overrides those it
 * cares about. A journey with several steps exposes them ("steps", a list
 * model of KioskJourneyStep, and "step", the current index) and may handle
 * Back inside them. The UI shows a page for each journey id it knows, and
 * an honest "not available yet" page for a journey whose "available" is
 * FALSE. */

typedef struct _KioskJourneyInfo KioskJourneyInfo;

/* One step of a journey, as the step indicator shows it. */
#define KIOSK_TYPE_JOURNEY_STEP (kiosk_journey_step_get_type ())
G_DECLARE_FINAL_TYPE (KioskJourneyStep, kiosk_journey_step, KIOSK, JOURNEY_STEP, GObject)

KioskJourneyStep *kiosk_journey_step_new (const char *id, const char *title);
const char *kiosk_journey_step_get_id (KioskJourneyStep *self);
/* Untranslated msgid; the UI translates it. */
const char *kiosk_journey_step_get_title (KioskJourneyStep *self);

/* What became of a document a journey printed (print_progress). */
typedef enum {
  KIOSK_JOURNEY_PRINT_SENT,   /* rendered and sent to the printer */
  KIOSK_JOURNEY_PRINT_DONE,   /* the printer confirmed it */
  KIOSK_JOURNEY_PRINT_FAILED, /* not printed: @message says why, for the resident */
} KioskJourneyPrintState;

#define KIOSK_TYPE_JOURNEY (kiosk_journey_get_type ())
G_DECLARE_DERIVABLE_TYPE (KioskJourney, kiosk_journey, KIOSK, JOURNEY, GObject)

struct _KioskJourneyClass {
  GObjectClass parent_class;

  /* The session entered this journey. */
  void (*begin) (KioskJourney *self);
  /* The session is being wiped: drop every piece of personal data. */
  void (*wipe) (KioskJourney *self);

  /* Device events while this journey is the session's current one. */
  /* A card was read: TRUE when the journey took it (e.g. the resident's
   * card in 代办); FALSE leaves it to the session. */
  gboolean (*identity_read) (KioskJourney *self, const KioskIdentity *identity);
  /* The document camera read a code (registry camera mode BARCODE). */
  void (*barcode) (KioskJourney *self, const char *format, const char *text);
  /* The document camera took a processed page (camera mode PAGE): the
   * JPEG and its size; @jpeg is NULL when taking it failed, @message then
   * says why (for the resident). */
  void (*page_captured) (KioskJourney *self, GBytes *jpeg, int width, int height, int dpi, const char *message);
  /* A document this journey printed (kiosk_journey_print) went on. */
  void (*print_progress) (KioskJourney *self, const char *document, KioskJourneyPrintState state, const char *message);
  /* A key of the evaluation pad outside the rating (pad-device.h codes). */
  void (*pad_key) (KioskJourney *self, guint key);
  /* Back: TRUE when handled inside the journey's steps; FALSE lets the
   * session leave the journey. The default steps back while "step" > 0. */
  gboolean (*back) (KioskJourney *self);

  gpointer padding[4];
};

const char *kiosk_journey_get_id (KioskJourney *self);
/* Untranslated msgid; the UI translates it. */
const char *kiosk_journey_get_title (KioskJourney *self);
gboolean kiosk_journey_get_requires_identity (KioskJourney *self);
gboolean kiosk_journey_get_available (KioskJourney *self);
/* The registry row the journey was made from (NULL for one made by hand,
 * e.g. in a test). */
const KioskJourneyInfo *kiosk_journey_get_info (KioskJourney *self);
/* From the registry row: icon name and one-line description (msgid, or
 * NULL). */
const char *kiosk_journey_get_icon_name (KioskJourney *self);
const char *kiosk_journey_get_description (KioskJourney *self);

/* The journey's steps (KioskJourneyStep), empty for a one-screen journey,
 * and the current one ("step", notified). */
GListModel *kiosk_journey_get_steps (KioskJourney *self);
guint kiosk_journey_get_step (KioskJourney *self);

/* A journey that exists in the menu but is not built yet. */
KioskJourney *kiosk_journey_new_placeholder (const char *id, const char *title, gboolean requires_identity);

/* For subclasses: the steps (NULL-terminated pairs of id and msgid title:
 * "identify", N_("Identify"), ..., NULL), and moving between them (the
 * current step is reset to 0 by begin and wipe). */
void kiosk_journey_set_steps (KioskJourney *self, const char *const *ids_and_titles);
void kiosk_journey_set_step (KioskJourney *self, guint step);

/* The core and the session call these. */
void _kiosk_journey_set_info (KioskJourney *self, const KioskJourneyInfo *info);
void _kiosk_journey_begin (KioskJourney *self);
void _kiosk_journey_wipe (KioskJourney *self);
gboolean _kiosk_journey_identity_read (KioskJourney *self, const KioskIdentity *identity);
void _kiosk_journey_barcode (KioskJourney *self, const char *format, const char *text);
void _kiosk_journey_page_captured (KioskJourney *self, GBytes *jpeg, int width, int height, int dpi,
                                   const char *message);
void _kiosk_journey_print_progress (KioskJourney *self, const char *document, KioskJourneyPrintState state,
                                    const char *message);
void _kiosk_journey_pad_key (KioskJourney *self, guint key);
gboolean _kiosk_journey_back (KioskJourney *self);

G_END_DECLS
