/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-apply-journey.h"
#include "kiosk-catalog-item.h"
#include "kiosk-journey.h"

G_BEGIN_DECLS

typedef struct _KioskCore KioskCore;

/* 代办服务 (agent mode), the journey's core: no GTK. The county's procedure
 * (../shared/domain/service-station.md):
 *
 *   login          the agent's own ID card (the session's card, or one
 *                  placed now) and PIN, checked against the station's list
 *                  kept in the store (works offline) in a worker thread;
 *                  wrong PINs wait longer each time, the 5th locks
 *                  (kiosk-agent-auth.h), and a locked agent is told to call
 *                  the station's phone ([kiosk] phone)
 *   menu           a new proxy case, or the agent's open cases
 *   resident       the resident's own card, read now (not the agent's)
 *   item           an item the kiosk takes and 代办 is not excluded for
 *   authorisation  the 代办服务委托书 (the item, both parties, the scope and
 *                  the time limit), signed on the screen by the resident,
 *                  or printed, signed on paper and scanned back; confirmed,
 *                  it is a store record (proxy_authorisation)
 *   apply          only then: 自助申报 for the resident (the embedded
 *                  KioskApplyJourney in proxy mode: the resident the
 *                  applicant, the agent the handler, channel 代办); what is
 *                  missing is listed at once (一次性告知) and printable
 *   cases          the agent's open proxy cases with deadlines (the item's
 *                  time limit from acceptance, or the platform's promised
 *                  date), late ones first
 *   feedback       hand-over and 服务意见反馈: the resident's own card read
 *                  at that moment, the case's applicant, confirms the result
 *                  and rates the agent; records proxy_handover and
 *                  proxy_feedback
 *
 * Observe "changed" (emitted after every change of what is shown) and
 * read the getters. Messages are msgids (show them with _()). The wipe
 * drops the agent, the resident, the signature and the scan. */

typedef enum {
  KIOSK_AGENT_STAGE_LOGIN,
  KIOSK_AGENT_STAGE_MENU,
  KIOSK_AGENT_STAGE_RESIDENT,
  KIOSK_AGENT_STAGE_ITEM,
  KIOSK_AGENT_STAGE_AUTHORISATION,
  KIOSK_AGENT_STAGE_APPLY,
  KIOSK_AGENT_STAGE_CASES,
  KIOSK_AGENT_STAGE_FEEDBACK,
} KioskAgentStage;

typedef enum {
  KIOSK_AGENT_LOGIN_LOADING,   /* reading the station's list */
  KIOSK_AGENT_LOGIN_NO_LIST,   /* no list downloaded yet: call the staff */
  KIOSK_AGENT_LOGIN_CARD,      /* the agent places their own ID card */
  KIOSK_AGENT_LOGIN_NOT_AGENT, /* that card is no agent of this station */
  KIOSK_AGENT_LOGIN_PIN,       /* type the PIN */
  KIOSK_AGENT_LOGIN_CHECKING,  /* the PIN is being checked */
  KIOSK_AGENT_LOGIN_WRONG,     /* wrong: get_wait_seconds, get_tries_left */
  KIOSK_AGENT_LOGIN_LOCKED,    /* locked: call get_phone */
  KIOSK_AGENT_LOGIN_DONE,
} KioskAgentLoginState;

typedef enum {
  KIOSK_AGENT_AUTH_UNSIGNED,
  KIOSK_AGENT_AUTH_SIGNED_SCREEN, /* signed on the screen */
  KIOSK_AGENT_AUTH_PRINTING,      /* the paper form is printing */
  KIOSK_AGENT_AUTH_PRINTED,       /* printed: sign it and put it under the camera */
  KIOSK_AGENT_AUTH_SCANNED,       /* the signed paper was scanned back */
  KIOSK_AGENT_AUTH_SAVING,        /* being recorded */
  KIOSK_AGENT_AUTH_RECORDED,      /* in the store: acting may start */
} KioskAgentAuthState;

#define KIOSK_AGENT_ERROR (kiosk_agent_error_quark ())
GQuark kiosk_agent_error_quark (void);

typedef enum {
  KIOSK_AGENT_ERROR_NOT_NOW,          /* not at this stage, or busy */
  KIOSK_AGENT_ERROR_WAIT,             /* wait before the next PIN */
  KIOSK_AGENT_ERROR_LOCKED,           /* locked after too many wrong PINs */
  KIOSK_AGENT_ERROR_INVALID,          /* bad argument (PIN length, item, level) */
  KIOSK_AGENT_ERROR_NOT_AUTHORISED,   /* no signed, recorded 代办服务委托书 */
  KIOSK_AGENT_ERROR_NO_RESIDENT_CARD, /* the resident's own card was not read */
} KioskAgentError;

/* One of the agent's proxy cases. */
typedef struct {
  char *number;      /* the official number when known, else the provisional one */
  char *provisional; /* 受理编号 on this kiosk */
  char *item_code;
  char *item_name;   /* or the code */
  char *status_text; /* the platform's, or NULL */
  char *deadline;    /* YYYY-MM-DD, or NULL (no time limit stated) */
  gboolean late;     /* the deadline passed and the case is not completed */
  gboolean handed_over;
  char *agent_id, *agent_name;
} KioskAgentCase;

void kiosk_agent_case_free (KioskAgentCase *c);

#define KIOSK_TYPE_AGENT_JOURNEY (kiosk_agent_journey_get_type ())
G_DECLARE_FINAL_TYPE (KioskAgentJourney, kiosk_agent_journey, KIOSK, AGENT_JOURNEY, KioskJourney)

/* The registry's constructor (id "proxy"). */
KioskJourney *kiosk_agent_journey_new (KioskCore *core);

KioskAgentStage kiosk_agent_journey_get_stage (KioskAgentJourney *self);
KioskAgentLoginState kiosk_agent_journey_get_login_state (KioskAgentJourney *self);
/* After a wrong PIN: seconds before the next try (0: now) and tries left
 * before the lock. */
int kiosk_agent_journey_get_wait_seconds (KioskAgentJourney *self);
int kiosk_agent_journey_get_tries_left (KioskAgentJourney *self);
/* The station's phone ([kiosk] phone), or NULL. */
const char *kiosk_agent_journey_get_phone (KioskAgentJourney *self);
/* A message for the current stage (msgid), or NULL. */
const char *kiosk_agent_journey_get_message (KioskAgentJourney *self);

/* The logged-in agent (id, name), or NULL. */
const char *kiosk_agent_journey_get_agent_id (KioskAgentJourney *self);
const char *kiosk_agent_journey_get_agent_name (KioskAgentJourney *self);
/* The resident read at the resident stage, or NULL. Personal. */
const KioskIdentity *kiosk_agent_journey_get_resident (KioskAgentJourney *self);

/* login: the typed PIN; checked in a worker thread ("changed" on the
 * answer). Refused while waiting, locked or checking. */
gboolean kiosk_agent_journey_submit_pin (KioskAgentJourney *self, const char *pin, GError **error);

/* menu */
gboolean kiosk_agent_journey_new_case (KioskAgentJourney *self, GError **error);
gboolean kiosk_agent_journey_show_cases (KioskAgentJourney *self, GError **error);

/* item: the items an agent may file here (the kiosk takes them, 代办 not
 * excluded), KioskCatalogItem* owned by the journey; empty while loading. */
GPtrArray *kiosk_agent_journey_get_items (KioskAgentJourney *self);
KioskCatalogItem *kiosk_agent_journey_get_item (KioskAgentJourney *self);
gboolean kiosk_agent_journey_choose_item (KioskAgentJourney *self, const char *code, GError **error);

/* authorisation */
KioskAgentAuthState kiosk_agent_journey_get_auth_state (KioskAgentJourney *self);
/* The 代办服务委托书 as printed (drivers/printer/README.md,
 * "proxy-authorisation"): full names and ID numbers. Personal. */
JsonObject *kiosk_agent_journey_dup_authorisation (KioskAgentJourney *self);
/* The resident's signature drawn on the screen (PNG); NULL clears. */
gboolean kiosk_agent_journey_set_signature (KioskAgentJourney *self, GBytes *png, GError **error);
/* Prints the form for a signature on paper; its scan comes from the camera. */
gboolean kiosk_agent_journey_print_authorisation (KioskAgentJourney *self, GError **error);
/* Records the signed authorisation (store, worker thread), then goes on to
 * apply. Refused (NOT_AUTHORISED) without a signature or a scan. */
gboolean kiosk_agent_journey_confirm_authorisation (KioskAgentJourney *self, GError **error);
/* The authorisation's id once recorded, else NULL. */
const char *kiosk_agent_journey_get_authorisation_id (KioskAgentJourney *self);

/* apply: the embedded 自助申报 (its page shows it). Acting starts only
 * through confirm_authorisation. */
KioskApplyJourney *kiosk_agent_journey_get_apply (KioskAgentJourney *self);
/* 一次性告知: every material still missing in the resident's application
 * and how to get it, "name\thow" (how: the catalog's note, or a msgid). */
GPtrArray *kiosk_agent_journey_dup_missing (KioskAgentJourney *self);
/* Prints that list for the resident. */
gboolean kiosk_agent_journey_print_missing (KioskAgentJourney *self, GError **error);

/* cases: the agent's open proxy cases, late ones first, then by deadline
 * (KioskAgentCase*, owned by the journey; read in a worker thread). */
GPtrArray *kiosk_agent_journey_get_cases (KioskAgentJourney *self);
/* The case to hand over: the feedback stage waits for the resident's card. */
gboolean kiosk_agent_journey_choose_case (KioskAgentJourney *self, const char *number, GError **error);
const KioskAgentCase *kiosk_agent_journey_get_case (KioskAgentJourney *self);
/* feedback: whether the case's applicant placed their card now. */
gboolean kiosk_agent_journey_get_resident_confirmed (KioskAgentJourney *self);
/* Hand-over and 服务意见反馈: @confirmed the result received, @level 1–5
 * (5 非常满意). Refused (NO_RESIDENT_CARD) until the case's applicant's own
 * card was read at this stage. */
gboolean kiosk_agent_journey_submit_feedback (KioskAgentJourney *self, gboolean confirmed, int level, GError **error);

/* The satisfaction levels as the page names them (msgids), 1–5. */
const char *kiosk_agent_level_name (int level);

/* The proxy cases held in @store (of the agent @agent_id, or of every
 * agent when NULL), with deadlines and late as of @today, late ones first;
 * @open_only leaves out those handed over. Blocking (the store): a worker
 * thread or a tool. KioskAgentCase*. */
typedef struct _KioskStore KioskStore;
GPtrArray *kiosk_agent_list_cases (KioskStore *store, const char *agent_id, const GDate *today, gboolean open_only);

/* Tests: the clock for PIN delays (unix µs, 0: the real one). */
void _kiosk_agent_journey_set_now (KioskAgentJourney *self, gint64 now);

G_END_DECLS
