/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-case-draft.h"
#include "kiosk-catalog-item.h"
#include "kiosk-journey.h"
#include "kiosk-rating.h"

G_BEGIN_DECLS

typedef struct _KioskCore KioskCore;

/* 自助申报 (applying by oneself), the journey's core: no GTK. The page
 * (ui/journeys/kiosk-apply-page.c) observes it and sends it the resident's
 * intents; the core forwards the document camera's pages to it
 * (page_captured) and the printer's answers (print_progress).
 *
 * Steps (the journey's "steps" model and "step"; get_current_step gives
 * the one below):
 *   item        choose an item the kiosk accepts (others say where to go)
 *   form        the item's form, typed, prefilled from the ID card
 *   commitment  告知承诺, only for items that allow it: commit (and sign)
 *               or supply the proof
 *   materials   each material: scanned pages, e-licence, card, form, or
 *               owed under 容缺
 *   delivery    pickup, or post to an address (the card's, editable)
 *   review      everything at once; each part editable (go_to_step)
 *   done        handed in: the case number and the printed receipt
 * The step list is rebuilt when an item is chosen (commitment only where
 * the item allows it). Back steps back inside the journey; Back at "item"
 * leaves it; Back at "done" ends it (the rating follows).
 *
 * Everything the resident gives lives in one KioskCaseDraft (app/domain),
 * read through kiosk_apply_journey_get_draft and changed only through the
 * intents below. The wipe (idle timeout, session end) overwrites and frees
 * it, the signature and the scanned pages included: a half-finished
 * application is never saved. Submitting stores the finished case in the
 * offline store in a worker thread; the journey says ACCEPTED only once
 * the case is durable, online or not.
 *
 * Messages (get_*_message, field errors, problems) are untranslated
 * msgids: show them with _() / gettext(). */

/* The steps, by meaning (their ids in the "steps" model). */
typedef enum {
  KIOSK_APPLY_STEP_ITEM,       /* "item" */
  KIOSK_APPLY_STEP_FORM,       /* "form" */
  KIOSK_APPLY_STEP_COMMITMENT, /* "commitment" */
  KIOSK_APPLY_STEP_MATERIALS,  /* "materials" */
  KIOSK_APPLY_STEP_DELIVERY,   /* "delivery" */
  KIOSK_APPLY_STEP_REVIEW,     /* "review" */
  KIOSK_APPLY_STEP_DONE,       /* "done" */
} KioskApplyStep;

const char *kiosk_apply_step_to_id (KioskApplyStep step);
int kiosk_apply_step_from_id (const char *id); /* -1 when unknown */

/* Where the submission is ("submit-state"). */
typedef enum {
  KIOSK_APPLY_SUBMIT_IDLE,       /* not handed in yet */
  KIOSK_APPLY_SUBMIT_SUBMITTING, /* being written to the store */
  KIOSK_APPLY_SUBMIT_ACCEPTED,   /* durable in the store: get_case_number */
  KIOSK_APPLY_SUBMIT_FAILED,     /* not stored: get_submit_message says why */
} KioskApplySubmitState;

/* The receipt (and the 容缺受理通知书) on the printer ("print-state"). */
typedef enum {
  KIOSK_APPLY_PRINT_NONE,     /* nothing printed yet */
  KIOSK_APPLY_PRINT_PRINTING, /* sent, waiting for the printer */
  KIOSK_APPLY_PRINT_DONE,     /* every document printed */
  KIOSK_APPLY_PRINT_FAILED,   /* get_print_message: print again, or ask the staff */
} KioskApplyPrintState;

/* The document camera, as the materials step needs it ("camera-state"). */
typedef enum {
  KIOSK_APPLY_CAMERA_READY,
  KIOSK_APPLY_CAMERA_GONE, /* absent or in error: get_camera_message says what to do */
} KioskApplyCameraState;

#define KIOSK_APPLY_ERROR (kiosk_apply_error_quark ())
GQuark kiosk_apply_error_quark (void);

typedef enum {
  KIOSK_APPLY_ERROR_NOT_HERE,   /* the kiosk does not take the item: where_to_apply */
  KIOSK_APPLY_ERROR_NO_ITEM,    /* no such item / no item chosen */
  KIOSK_APPLY_ERROR_NOT_NOW,    /* not at this step, or already handed in */
  KIOSK_APPLY_ERROR_INCOMPLETE, /* the step is not finished: get_problems */
} KioskApplyError;

#define KIOSK_TYPE_APPLY_JOURNEY (kiosk_apply_journey_get_type ())
G_DECLARE_FINAL_TYPE (KioskApplyJourney, kiosk_apply_journey, KIOSK, APPLY_JOURNEY, KioskJourney)

/* The registry's constructor (id "apply"). */
KioskJourney *kiosk_apply_journey_new (KioskCore *core);

/* ---- observing ----------------------------------------------------------
 * Properties (all read only, notified):
 *   "loading"       gboolean  the catalog is being read from the store
 *   "item"          KioskCatalogItem (boxed) the chosen item, or NULL
 *   "submit-state"  KioskApplySubmitState (int)
 *   "print-state"   KioskApplyPrintState (int)
 *   "camera-state"  KioskApplyCameraState (int)
 *   "case-number"   string, the provisional number once ACCEPTED
 * and the journey's "step".
 * Signals:
 *   "items-changed" ()                   the catalog list was (re)loaded
 *   "draft-changed" (const char *part)   something in the draft changed:
 *       "form:<field id>", "form" (Next checked every field: read the
 *       field errors again), "commitment", "signature",
 *       "material:<index>", "delivery", or "all" (new item, wipe)
 *   "scan-failed" (const char *message)  a page could not be taken (a
 *       msgid, or the camera's words already translated: show it with _(),
 *       which leaves those as they are) */

gboolean kiosk_apply_journey_get_loading (KioskApplyJourney *self);
/* The catalog, every item in catalog order (the ones the kiosk cannot take
 * included: choosing them gives where_to_apply). */
guint kiosk_apply_journey_get_n_items (KioskApplyJourney *self);
KioskCatalogItem *kiosk_apply_journey_get_nth_item (KioskApplyJourney *self, guint index);
KioskCatalogItem *kiosk_apply_journey_lookup_item (KioskApplyJourney *self, const char *code);

KioskApplyStep kiosk_apply_journey_get_current_step (KioskApplyJourney *self);
/* Whether the current item's journey has @step (commitment: only where
 * the item allows it). */
gboolean kiosk_apply_journey_has_step (KioskApplyJourney *self, KioskApplyStep step);

/* The chosen item, or NULL. */
KioskCatalogItem *kiosk_apply_journey_get_item (KioskApplyJourney *self);
/* The application so far (read only: change it through the intents), or
 * NULL before an item is chosen. Personal data. */
const KioskCaseDraft *kiosk_apply_journey_get_draft (KioskApplyJourney *self);

/* The message under a form field (msgid), or NULL when its value is fine
 * or it has not been checked yet. */
const char *kiosk_apply_journey_get_field_error (KioskApplyJourney *self, const char *field_id);
/* What keeps the current step (or, at review, the case) from going on:
 * "msgid\tname" strings (name: a field label or material name, may be
 * empty), all at once (一次性告知). Empty when nothing does. Owned by the
 * journey, valid until the next intent. */
GPtrArray *kiosk_apply_journey_get_problems (KioskApplyJourney *self);

/* Whether material @index may be owed under 容缺 (kiosk_material_may_be_owed
 * for the chosen item), and the due date it would get today (YYYY-MM-DD,
 * newly allocated), or NULL. */
gboolean kiosk_apply_journey_can_owe (KioskApplyJourney *self, guint index);
char *kiosk_apply_journey_dup_owe_due (KioskApplyJourney *self, guint index);
/* The material the camera's pages go to, or -1 (none chosen). */
int kiosk_apply_journey_get_scan_target (KioskApplyJourney *self);

KioskApplyCameraState kiosk_apply_journey_get_camera_state (KioskApplyJourney *self);
/* With the camera gone: what the resident can do (msgid): owe the scans
 * under 容缺 where every missing one may be owed, else come back later.
 * NULL when the camera works. */
const char *kiosk_apply_journey_get_camera_message (KioskApplyJourney *self);

/* The address post goes to: the one set, else the card's (prefill), or
 * NULL. */
const char *kiosk_apply_journey_get_post_address (KioskApplyJourney *self);

KioskApplySubmitState kiosk_apply_journey_get_submit_state (KioskApplyJourney *self);
const char *kiosk_apply_journey_get_submit_message (KioskApplyJourney *self);
/* The provisional case number (受理编号) once ACCEPTED, else NULL. */
const char *kiosk_apply_journey_get_case_number (KioskApplyJourney *self);
KioskApplyPrintState kiosk_apply_journey_get_print_state (KioskApplyJourney *self);
/* Why printing failed (the printer's words for the resident, and that the
 * staff can print the receipt), or NULL. */
const char *kiosk_apply_journey_get_print_message (KioskApplyJourney *self);
/* With print FAILED: what to do instead (msgid: the case is handed in, the
 * staff can print the receipt), else NULL. */
const char *kiosk_apply_journey_get_print_hint (KioskApplyJourney *self);
/* A 容缺受理通知书 is (or was) printed with the receipt. */
gboolean kiosk_apply_journey_get_has_deferral_notice (KioskApplyJourney *self);

/* ---- intents ------------------------------------------------------------
 * Each counts as activity for the idle timer. Those returning gboolean
 * return FALSE, and change nothing, when refused (@error says why:
 * KIOSK_APPLY_ERROR or KIOSK_DOMAIN_ERROR, its message a msgid). */

/* item: choose @code; a new draft for the identified resident, prefilled
 * from the card; on to the form. An item the kiosk does not take is
 * refused with NOT_HERE (item->where_to_apply says where to go). Choosing
 * again (after Back) starts a new draft only for another item. */
gboolean kiosk_apply_journey_choose_item (KioskApplyJourney *self, const char *code, GError **error);

/* form: sets a value and checks it as typed; returns the message for under
 * the field (msgid) or NULL when it is fine. */
const char *kiosk_apply_journey_set_value (KioskApplyJourney *self, const char *field_id, const char *value);

/* commitment: COMMIT (only where allowed, by the applicant) or PROOF. */
gboolean kiosk_apply_journey_set_commitment (KioskApplyJourney *self, KioskCommitmentChoice choice, GError **error);
/* The applicant's signature drawn on the screen (PNG); NULL clears. Only
 * with COMMIT chosen. */
gboolean kiosk_apply_journey_set_signature (KioskApplyJourney *self, GBytes *png, GError **error);

/* materials: the camera's next pages go to material @index (a scan
 * material); -1 stops. */
gboolean kiosk_apply_journey_set_scan_target (KioskApplyJourney *self, int index, GError **error);
/* Retake: drops every page of material @index. */
void kiosk_apply_journey_retake (KioskApplyJourney *self, guint index);
/* Removes page @page of material @index (删除: its bytes are zeroed and
 * freed unless the page is held elsewhere). */
gboolean kiosk_apply_journey_remove_page (KioskApplyJourney *self, guint index, guint page);
/* 拍照: takes a picture now for the scan target (materials step, camera
 * ready); the page arrives like an automatic one. */
gboolean kiosk_apply_journey_take_picture (KioskApplyJourney *self, GError **error);
/* 重拍: drops the last page of material @index; the page on the mat is taken
 * again once it lies still. FALSE when it has no page. */
gboolean kiosk_apply_journey_retake_last (KioskApplyJourney *self, guint index);
/* 容缺: material @index owed (due date from the rules), or no longer. */
gboolean kiosk_apply_journey_owe_material (KioskApplyJourney *self, guint index, GError **error);
void kiosk_apply_journey_unowe_material (KioskApplyJourney *self, guint index);

/* delivery: PICKUP, or POST to @address (NULL: get_post_address, the
 * card's unless changed). */
gboolean kiosk_apply_journey_set_delivery (KioskApplyJourney *self, KioskDelivery method, const char *address,
                                           GError **error);

/* Next: checks the current step (form: every field; commitment: decided,
 * signed when committing; materials: every required one met or owed;
 * delivery: an address for post) and moves on; FALSE with INCOMPLETE and
 * get_problems filled otherwise. At review, Next is submit. */
gboolean kiosk_apply_journey_next (KioskApplyJourney *self, GError **error);
/* review: edit a part by going back to its step (any step before review
 * that the item has). */
gboolean kiosk_apply_journey_go_to_step (KioskApplyJourney *self, KioskApplyStep step, GError **error);
/* review: hands the case in (the store, in a worker thread; "submit-state"
 * goes SUBMITTING, then ACCEPTED or FAILED). The receipt (and the 容缺受理
 * 通知书 when something is owed) is printed once ACCEPTED. */
gboolean kiosk_apply_journey_submit (KioskApplyJourney *self, GError **error);
/* done: prints the receipt (and notice) again after a printer fault. */
gboolean kiosk_apply_journey_print_again (KioskApplyJourney *self, GError **error);
/* done: ends the journey; the session rates the case (一次一评). Once
 * every document printed, the journey does this by itself a few seconds
 * later; after a printer fault it waits for this (or Back / Next), so the
 * resident can note the case number. */
gboolean kiosk_apply_journey_finish (KioskApplyJourney *self);
/* The service event the session rates for the handed-in case, or NULL. */
KioskServiceEvent *kiosk_apply_journey_make_event (KioskApplyJourney *self);

/* 代办: the journey files for @resident (copied; the draft's applicant,
 * prefilled from that card) on behalf of the agent @agent_id / @agent_name
 * / @agent_id_number under the proxy authorisation @authorisation_id: the
 * case names them ("proxy_authorisation", "agent" with its id and the
 * channel 代办) and, once done, finish emits "finished" instead of ending
 * the session (the resident rates at hand-over). Set after begin (the wipe
 * clears it); NULL @resident clears. */
void kiosk_apply_journey_set_proxy (KioskApplyJourney *self, const KioskIdentity *resident, const char *agent_id,
                                    const char *agent_name, const char *agent_id_number, const char *authorisation_id);

/* Tests: the data of "receipt" or "deferral-notice" (drivers/printer/
 * README.md) for the handed-in case, as it is printed; NULL before
 * ACCEPTED, or for a notice with nothing owed. Personal data. */
JsonObject *_kiosk_apply_journey_dup_print_data (KioskApplyJourney *self, const char *template_name);

/* Tests: how long the receipt stays before the rating follows by itself
 * (0: at once, from an idle). */
void _kiosk_apply_journey_set_rating_delay (KioskApplyJourney *self, guint seconds);

/* Tests: the date the rules count from (容缺 due dates, promised date);
 * NULL: today. */
void _kiosk_apply_journey_set_today (KioskApplyJourney *self, const GDate *today);

G_END_DECLS
