/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-config.h"
#include "kiosk-identity.h"
#include "kiosk-journey.h"
#include "kiosk-rating.h"

G_BEGIN_DECLS

/* The states a resident passes through. */
typedef enum {
  KIOSK_SESSION_ATTRACT,  /* nobody there: date, time, station, notices */
  KIOSK_SESSION_IDENTIFY, /* "place your ID card" (a journey needs identity) */
  KIOSK_SESSION_MENU,     /* the home menu */
  KIOSK_SESSION_JOURNEY,  /* inside one journey */
  KIOSK_SESSION_RATE,     /* 好差评 after a service event */
  KIOSK_SESSION_END,      /* thank-you screen; then wipe and attract */
} KioskSessionState;

const char *kiosk_session_state_to_string (KioskSessionState state);

/* What a resident's card did that the screen must say, large, wherever the
 * session is ("card-notice" signal). */
typedef enum {
  KIOSK_CARD_NOTICE_EXPIRED,     /* an expired card: it identifies nobody */
  KIOSK_CARD_NOTICE_UNREADABLE,  /* not a card the reader can read */
  KIOSK_CARD_NOTICE_READ_FAILED, /* reading failed: place it again */
  KIOSK_CARD_NOTICE_REMOVED,     /* taken away before it was read */
  KIOSK_CARD_NOTICE_BUSY,        /* placed during someone else's session: read when it ends */
  KIOSK_CARD_NOTICE_PLACE_AGAIN, /* that session ended: place the card again */
  KIOSK_CARD_NOTICE_WRONG_CARD,  /* a kind of card the chosen journey does not take (the
                                  * registry's "cards"; today: it needs the 居民身份证) */
  KIOSK_CARD_NOTICE_EID_FAILED,  /* an e-ID QR code identified nobody (kiosk_eid_get_message says why) */
} KioskCardNotice;

#define KIOSK_TYPE_SESSION (kiosk_session_get_type ())
G_DECLARE_FINAL_TYPE (KioskSession, kiosk_session, KIOSK, SESSION, GObject)

KioskSession *kiosk_session_new (KioskConfig *config);

void kiosk_session_register_journey (KioskSession *self, KioskJourney *journey);
/* Journeys in menu order (element type KioskJourney). */
GListModel *kiosk_session_get_journeys (KioskSession *self);
KioskJourney *kiosk_session_find_journey (KioskSession *self, const char *id);

KioskSessionState kiosk_session_get_state (KioskSession *self);
KioskJourney *kiosk_session_get_journey (KioskSession *self);         /* current, or NULL */
KioskJourney *kiosk_session_get_pending_journey (KioskSession *self); /* waiting for identity */
const KioskIdentity *kiosk_session_get_identity (KioskSession *self); /* NULL when anonymous */
gboolean kiosk_session_get_idle_warning (KioskSession *self);
int kiosk_session_get_idle_remaining (KioskSession *self); /* seconds left in the warning */
const char *kiosk_session_get_language (KioskSession *self);
gboolean kiosk_session_get_elder_mode (KioskSession *self);

/* Intents from the resident (through the UI) and events from devices. Each
 * returns FALSE, and changes nothing, when it makes no sense in the current
 * state. Every intent counts as activity for the idle timer. */
gboolean kiosk_session_touch (KioskSession *self);
gboolean kiosk_session_identity_read (KioskSession *self, const KioskIdentity *identity);
/* A card event from the reader (through the core): emits "card-notice" and
 * counts as activity. Cards refused by kiosk_session_identity_read emit
 * their own notice.
 *
 *   "card-notice" (int KioskCardNotice)
 *   "card-waiting" ()   a card refused during someone else's session is
 *                       owed a read: emitted once that session has ended
 *                       (after the wipe, at attract), after the
 *                       KIOSK_CARD_NOTICE_PLACE_AGAIN notice; the core asks
 *                       the reader to read the card again when it can. */
void kiosk_session_card_notice (KioskSession *self, KioskCardNotice notice);
gboolean kiosk_session_select_journey (KioskSession *self, const char *id);
/* In a journey: the journey's own Back first (a step back inside it, see
 * KioskJourneyClass.back); when it has none left, back to the menu. */
gboolean kiosk_session_back (KioskSession *self);
/* The journey finished; @service_event: something was done that is rated. */
gboolean kiosk_session_journey_done (KioskSession *self, gboolean service_event);
/* The journey finished with a service event to rate (一次一评): as
 * kiosk_session_journey_done (self, TRUE), and a copy of @event (case number,
 * item code, channel, proxy ...) is kept for the rating page until the next
 * journey_done or the wipe. */
gboolean kiosk_session_journey_done_with_event (KioskSession *self, const KioskServiceEvent *event);
/* The event being rated (in RATE), or NULL when the journey gave none. */
const KioskServiceEvent *kiosk_session_get_service_event (KioskSession *self);
gboolean kiosk_session_rating_done (KioskSession *self);
gboolean kiosk_session_finish (KioskSession *self);
void kiosk_session_set_language (KioskSession *self, const char *language);
void kiosk_session_set_elder_mode (KioskSession *self, gboolean elder_mode);

/* Clears everything personal and returns to attract at once ("wipe" signal). */
void kiosk_session_wipe (KioskSession *self);

/* Tests drive the clock themselves: no timer runs, kiosk_session_tick()
 * advances one second. */
void kiosk_session_set_manual_clock (KioskSession *self, gboolean manual);
void kiosk_session_tick (KioskSession *self);

G_END_DECLS
