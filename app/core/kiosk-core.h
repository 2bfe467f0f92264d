/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-config.h"
#include "kiosk-device-manager.h"
#include "kiosk-rating-flow.h"
#include "kiosk-session.h"

/* ui/ is built with the core's headers only (app/meson.build,
 * kiosk_core_ui_dep): there the store and the sync engine are names, never
 * APIs. Tools and tests, built with kiosk_core_dep, get their headers. */
#if __has_include("kiosk-store.h")
#include "kiosk-store.h"
#include "kiosk-sync.h"
#else
typedef struct _KioskStore KioskStore;
typedef struct _KioskSync KioskSync;
#endif

G_BEGIN_DECLS

/* The application core: configuration, devices, the session machine and
 * the store's backlog, wired together. The UI holds one KioskCore, observes
 * it and sends it the resident's intents through the session. */

#define KIOSK_TYPE_CORE (kiosk_core_get_type ())
G_DECLARE_FINAL_TYPE (KioskCore, kiosk_core, KIOSK, CORE, GObject)

KioskCore *kiosk_core_new (KioskConfig *config);
KioskConfig *kiosk_core_get_config (KioskCore *self);
KioskSession *kiosk_core_get_session (KioskCore *self);
KioskDeviceManager *kiosk_core_get_devices (KioskCore *self);

/* Items waiting in the outbox; -1 while unknown (no store yet). */
int kiosk_core_get_backlog (KioskCore *self);
void kiosk_core_set_backlog (KioskCore *self, int backlog);

/* The offline store and the sync engine; NULL until the store has been
 * opened (kiosk_core_start opens it in a worker thread), or when it could not
 * be opened (then "store-error" says why and "accepting" is FALSE). */
KioskStore *kiosk_core_get_store (KioskCore *self);
KioskSync *kiosk_core_get_sync (KioskCore *self);
const char *kiosk_core_get_store_error (KioskCore *self);
/* FALSE while new applications must be refused (no store, disk full). */
gboolean kiosk_core_get_accepting (KioskCore *self);
/* The last platform request succeeded. */
gboolean kiosk_core_get_online (KioskCore *self);
/* Real time (µs) of the platform's last answer, 0 when none yet: "online"
 * is only as fresh as this (the sync engine asks every heartbeat). */
gint64 kiosk_core_get_last_contact (KioskCore *self);
/* Tests: as if the platform had last answered at @last_contact (real time,
 * µs) and the last request had (not) reached it; notifies "online". */
void _kiosk_core_set_platform_contact (KioskCore *self, gboolean online, gint64 last_contact);
/* Notices for the attract screen: from the platform when it sent any,
 * otherwise [kiosk] notices. A NULL-terminated array owned by the core. */
const char *const *kiosk_core_get_notices (KioskCore *self);
/* When the platform's notices were fetched (real time, µs): kept in the
 * store with them, so a restart offline still says it; 0 when the notices
 * are [kiosk] notices, the station's own. Read it on "notify::notices". */
gint64 kiosk_core_get_notices_fetched_at (KioskCore *self);

/* 好差评: the kiosk's one rating flow. The core begins it when the session
 * enters RATE (with the journey's service event and the resident as
 * rater), closes it when the session leaves RATE or is wiped, sends its
 * records to the store's outbox (or kiosk_rating_sink_get_default()), feeds
 * it the pad's keys, and leaves RATE once a rating is recorded (or after a
 * few seconds when the resident may not rate the case). The rating page
 * observes it and sends the resident's answers to it. NULL when the
 * [rating] configuration cannot be used (then get_rating_error says why). */
KioskRatingFlow *kiosk_core_get_rating_flow (KioskCore *self);
const char *kiosk_core_get_rating_error (KioskCore *self);
/* The evaluation pad when one is configured (its state and message are for
 * the screen), else NULL. */
KioskDevice *kiosk_core_get_pad (KioskCore *self);
/* The e-ID QR seam of the identify screen ([identity] eid-qr; see
 * kiosk-eid.h): where an identity provider is installed. */
typedef struct _KioskEid KioskEid;
KioskEid *kiosk_core_get_eid (KioskCore *self);

/* Prints @template_name with @data (drivers/printer/README.md) on the
 * kiosk's printer for @journey, in a worker thread; @document_id names the
 * document for duplicate control ("receipt:<case>"; NULL: a new one). The
 * journey hears how it went through its print_progress vfunc: SENT at
 * once, then DONE when the printer confirmed it, or FAILED with a message
 * for the resident (also when there is no printer, or on cancel). */
void kiosk_core_journey_print (KioskCore *self, KioskJourney *journey, const char *template_name, JsonObject *data,
                               const char *document_id, GCancellable *cancellable);
/* The same as an explicit, audited reprint of @document_id asked for by the
 * resident (the print record names "resident" and @reason): the driver
 * counts it and the document carries the 补打 mark. */
void kiosk_core_journey_reprint (KioskCore *self, KioskJourney *journey, const char *template_name, JsonObject *data,
                                 const char *document_id, const char *reason, GCancellable *cancellable);

/* The document camera's live picture for a journey's screen: packed R, G,
 * B bytes (@format RGB24; rows of @stride bytes), at most
 * KIOSK_CAMERA_PREVIEW_WIDTH wide, made on the camera's thread, with the
 * page found in it (@has_outline: its corners, x then y, in frame pixels). */
typedef enum {
  KIOSK_CAMERA_FRAME_RGB24,
} KioskCameraFrameFormat;

typedef struct {
  GBytes *pixels;
  int width, height, stride;
  KioskCameraFrameFormat format;
  gboolean has_outline;
  double outline[8];
} KioskCameraFrame;

#define KIOSK_CAMERA_PREVIEW_WIDTH 800
#define KIOSK_CAMERA_PREVIEW_FPS 10

#define KIOSK_TYPE_CAMERA_FRAME (kiosk_camera_frame_get_type ())
GType kiosk_camera_frame_get_type (void);
KioskCameraFrame *kiosk_camera_frame_copy (const KioskCameraFrame *frame);
void kiosk_camera_frame_free (KioskCameraFrame *frame);

/* Live preview for @journey's screen: the core emits "camera-preview"
 * (KioskCameraFrame *) on the main loop, at most KIOSK_CAMERA_PREVIEW_FPS a
 * second, while @on, @journey is the current journey and its camera mode is
 * PAGE; leaving the journey (or the wipe) stops it. */
void kiosk_core_set_camera_preview (KioskCore *self, KioskJourney *journey, gboolean on);
gboolean kiosk_core_get_camera_preview (KioskCore *self);

/* Starts devices, opens the store (off the main thread) and starts sync.
 * "ready" is emitted once the store has been opened or has failed. */
void kiosk_core_start (KioskCore *self);
void kiosk_core_stop (KioskCore *self);

G_END_DECLS
