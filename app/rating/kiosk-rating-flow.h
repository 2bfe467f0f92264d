/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-config.h"
#include "kiosk-device.h"
#include "kiosk-rating-profile.h"
#include "kiosk-rating-sink.h"
#include "kiosk-rating.h"

G_BEGIN_DECLS

/* One 好差评 question after one service event (一次一评), whatever answers it:
 * the screen's buttons and the pad's keys both call in here, and the first
 * answer wins. A good level is recorded at once; a bad level (不满意,
 * 非常不满意) waits for at least one reason (plus optional free text, contact
 * phone, anonymity where [rating] anonymous-allowed). No answer within
 * [rating] timeout-seconds records "not rated". A chosen level is never
 * thrown away: once a bad level is chosen the flow's timer stops (the
 * session's idle countdown, shown on screen, is what ends a silent
 * resident's visit), and an abandoned question records the level with what
 * was chosen and typed so far. Each event gives at most one record, emitted
 * as "recorded" and handed to the sink (the store's outbox).
 *
 * A case is rated only by its applicant (for a proxy case, the resident the
 * journey identified at feedback, never the agent): an event with a case
 * number whose rater_id_number is not its applicant_id_number (or either is
 * unknown) is NOT_ALLOWED: nothing is asked, nothing is recorded.
 *
 *   IDLE --begin--> ASKING --good level--> DONE (recorded)
 *     |               |  \--bad level--> REASONS --submit--> DONE
 *     |               |                    |  \--back--> ASKING
 *     |               \--timeout----------)--> DONE ("not rated")
 *     |                  abandon ----------+--> DONE (the bad level as given)
 *     \--begin (not the applicant)--> NOT_ALLOWED
 */

typedef enum {
  KIOSK_RATING_FLOW_IDLE,        /* nothing to rate */
  KIOSK_RATING_FLOW_ASKING,      /* waiting for a level */
  KIOSK_RATING_FLOW_REASONS,     /* bad level chosen: waiting for reasons and submit */
  KIOSK_RATING_FLOW_DONE,        /* recorded */
  KIOSK_RATING_FLOW_NOT_ALLOWED, /* the event's case is not the rater's: not asked */
} KioskRatingFlowState;

const char *kiosk_rating_flow_state_to_string (KioskRatingFlowState state);

#define KIOSK_RATING_FLOW_ERROR (kiosk_rating_flow_error_quark ())
GQuark kiosk_rating_flow_error_quark (void);

typedef enum {
  KIOSK_RATING_FLOW_ERROR_STATE,           /* not waiting for that (already answered, ...) */
  KIOSK_RATING_FLOW_ERROR_REASON_REQUIRED, /* a bad rating needs at least one reason */
  KIOSK_RATING_FLOW_ERROR_BAD_PHONE,       /* the contact phone is not a phone number */
  KIOSK_RATING_FLOW_ERROR_NOT_ALLOWED,     /* anonymity is not allowed here */
  KIOSK_RATING_FLOW_ERROR_CONFIG,          /* [rating] configuration or profile broken */
} KioskRatingFlowError;

#define KIOSK_TYPE_RATING_FLOW (kiosk_rating_flow_get_type ())
G_DECLARE_FINAL_TYPE (KioskRatingFlow, kiosk_rating_flow, KIOSK, RATING_FLOW, GObject)

/* Reads [rating] (reasons, timeout, anonymity, channels, profile) and
 * [kiosk] region-code. NULL with an error when the profile cannot be used. */
KioskRatingFlow *kiosk_rating_flow_new (KioskConfig *config, GError **error);

/* NULL: kiosk_rating_sink_get_default() at the time of recording. */
void kiosk_rating_flow_set_sink (KioskRatingFlow *self, KioskRatingSink *sink);
/* Listens to a pad device's "key" signal and sends it feedback; a device
 * that is not a pad (backend none) is ignored. NULL detaches. */
void kiosk_rating_flow_attach_pad (KioskRatingFlow *self, KioskDevice *pad);

KioskRatingProfile *kiosk_rating_flow_get_profile (KioskRatingFlow *self);
KioskRatingFlowState kiosk_rating_flow_get_state (KioskRatingFlow *self);
KioskRatingLevel kiosk_rating_flow_get_level (KioskRatingFlow *self);
const KioskServiceEvent *kiosk_rating_flow_get_event (KioskRatingFlow *self);
/* Seconds left before "not rated" (counts down only while ASKING). */
int kiosk_rating_flow_get_remaining (KioskRatingFlow *self);
/* [rating] anonymous-allowed, and the open event names no case (a case's
 * rating names its applicant, for the platform's check). */
gboolean kiosk_rating_flow_get_anonymous_allowed (KioskRatingFlow *self);
/* The configured reasons (texts shown to the resident), in order. */
guint kiosk_rating_flow_get_n_reasons (KioskRatingFlow *self);
const char *kiosk_rating_flow_get_reason (KioskRatingFlow *self, guint index);
gboolean kiosk_rating_flow_get_reason_selected (KioskRatingFlow *self, guint index);
/* The last record made (until the next begin or reset), or NULL. */
const KioskRatingRecord *kiosk_rating_flow_get_record (KioskRatingFlow *self);
/* Records not yet accepted by the sink (kept and retried). */
guint kiosk_rating_flow_get_unsent (KioskRatingFlow *self);

/* A service event to rate. When the previous question is still open it is
 * closed first (as on abandon). @event NULL: an event without a case. An
 * event naming a case that the rater may not rate gives NOT_ALLOWED. */
void kiosk_rating_flow_begin (KioskRatingFlow *self, const KioskServiceEvent *event);
/* The resident's answer. FALSE (and nothing changes) unless ASKING: the first
 * answer wins, later presses from the screen or the pad are ignored. */
gboolean kiosk_rating_flow_choose (KioskRatingFlow *self, KioskRatingLevel level, KioskRatingSource source);
/* Whether the person @rater_id_number may rate @event (any event without a
 * case number; a case only by its applicant). */
gboolean kiosk_rating_event_rater_allowed (const KioskServiceEvent *event);
gboolean kiosk_rating_flow_set_reason_selected (KioskRatingFlow *self, guint index, gboolean selected);
gboolean kiosk_rating_flow_set_text (KioskRatingFlow *self, const char *text);
gboolean kiosk_rating_flow_set_phone (KioskRatingFlow *self, const char *phone);
gboolean kiosk_rating_flow_set_anonymous (KioskRatingFlow *self, gboolean anonymous, GError **error);
/* REASONS → DONE. Fails with REASON_REQUIRED or BAD_PHONE (state kept). */
gboolean kiosk_rating_flow_submit (KioskRatingFlow *self, GError **error);
/* REASONS → ASKING: the resident wants to change the level. */
gboolean kiosk_rating_flow_back (KioskRatingFlow *self);
/* The session is going away (wipe): an open question is closed (a chosen
 * level is recorded with the reasons, text and valid phone given so far;
 * no level: "not rated"), then everything personal is cleared and the flow
 * is IDLE. */
void kiosk_rating_flow_abandon (KioskRatingFlow *self);

/* Tests drive the clock: no timer runs, tick() is one second. */
void kiosk_rating_flow_set_manual_clock (KioskRatingFlow *self, gboolean manual);
void kiosk_rating_flow_tick (KioskRatingFlow *self);

/* A contact phone the flow accepts: 5–20 digits, optionally with '+', '-'
 * and spaces (mainland mobile, landline with area code, extension). */
gboolean kiosk_rating_phone_is_valid (const char *phone);

G_END_DECLS
