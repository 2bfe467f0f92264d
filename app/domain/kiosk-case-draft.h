/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-catalog-item.h"
#include "kiosk-identity.h"

G_BEGIN_DECLS

/* An application (自助申报) being filled in at the kiosk: the item, the
 * applicant as the card read them, the form's values, the 告知承诺 choice
 * and signature, each material's state (scanned pages, e-licence, card,
 * owed under 容缺), delivery, the agent (代办) and the handling region.
 *
 * Personal data from end to end: never logged. kiosk_case_draft_wipe()
 * overwrites and frees everything personal (identity, values, signature,
 * page bytes, addresses, agent); the item stays. Page and signature bytes
 * are held in buffers the draft owns, zeroed when their last reference
 * goes. A draft is never saved: the store gets only a finished one
 * (kiosk_case_draft_encode, kiosk-domain-codec.h).
 *
 * The rules (what may be owed and until when, commitment only where
 * allowed, completeness) are in kiosk-domain-rules.h; the setters below
 * apply them and refuse with KIOSK_DOMAIN_ERROR. Not thread safe: the
 * main thread's. */

typedef struct _KioskCaseDraft KioskCaseDraft;

typedef enum {
  KIOSK_MATERIAL_MISSING,   /* nothing yet (a scan material not scanned) */
  KIOSK_MATERIAL_ID_CARD,   /* met by the card read */
  KIOSK_MATERIAL_E_LICENCE, /* the platform fetches the 电子证照 */
  KIOSK_MATERIAL_FORM,      /* the kiosk's own form */
  KIOSK_MATERIAL_SCANNED,   /* one or more pages attached */
  KIOSK_MATERIAL_OWED,      /* 容缺: owed, with a due date */
  KIOSK_MATERIAL_COMMITTED, /* the proof the signed 告知承诺 replaces */
} KioskMaterialState;

const char *kiosk_material_state_to_string (KioskMaterialState state); /* "missing", "id_card", ... */
int kiosk_material_state_from_string (const char *s);

typedef enum {
  KIOSK_COMMITMENT_UNDECIDED,
  KIOSK_COMMITMENT_COMMIT, /* 告知承诺: sign instead of the proof */
  KIOSK_COMMITMENT_PROOF,  /* the ordinary route: supply the proof */
} KioskCommitmentChoice;

/* One file of the case as the store takes it (KioskAttachmentDraft):
 * name ("户口簿 p1", "告知承诺书签名"), media type, bytes, SHA-256. */
typedef struct {
  char *name;
  char *media_type;
  GBytes *data; /* NULL for a page decoded from a stored case */
  char *sha256; /* lowercase hex */
  gsize size;
} KioskCaseAttachment;

void kiosk_case_attachment_free (KioskCaseAttachment *a);

/* A new draft of @item for @applicant (copied; may be NULL for tests of
 * the form alone). Materials start as their provided_by says: the card
 * material as ID_CARD when there is an applicant, e-licences as E_LICENCE,
 * the kiosk form as FORM, scans MISSING. The handling region is the item's
 * when it is cross-region. Delivery starts as pickup. */
KioskCaseDraft *kiosk_case_draft_new (KioskCatalogItem *item, const KioskIdentity *applicant);
/* Wipes, then frees. */
void kiosk_case_draft_free (KioskCaseDraft *self);
/* Overwrites and frees everything personal; afterwards the draft is as
 * new without an applicant. */
void kiosk_case_draft_wipe (KioskCaseDraft *self);

KioskCatalogItem *kiosk_case_draft_get_item (const KioskCaseDraft *self);
const KioskIdentity *kiosk_case_draft_get_applicant (const KioskCaseDraft *self);

/* Form values by field id; NULL or "" clears. The value is copied as
 * given; validate it with kiosk_field_validate() (kiosk-domain-rules.h).
 * Returns FALSE when the item has no such field. */
gboolean kiosk_case_draft_set_value (KioskCaseDraft *self, const char *field_id, const char *value);
const char *kiosk_case_draft_get_value (const KioskCaseDraft *self, const char *field_id);

/* 告知承诺. COMMIT is refused unless the item allows it (also an agent's
 * draft: only the applicant commits). Choosing COMMIT marks the materials
 * the commitment replaces (named by the notice's proof) COMMITTED; leaving
 * it returns them to MISSING and drops the signature. */
gboolean kiosk_case_draft_set_commitment (KioskCaseDraft *self, KioskCommitmentChoice choice, GError **error);
KioskCommitmentChoice kiosk_case_draft_get_commitment (const KioskCaseDraft *self);
/* The applicant's signature drawn on the screen, a PNG (checked by its
 * signature bytes, at most 2 MB). Only with COMMIT chosen. NULL clears. */
gboolean kiosk_case_draft_set_signature (KioskCaseDraft *self, GBytes *png, GError **error);
/* SHA-256 of the signature PNG (lowercase hex), or NULL. */
const char *kiosk_case_draft_get_signature_sha256 (const KioskCaseDraft *self);

/* Materials, by index in item->materials. */
KioskMaterialState kiosk_case_draft_get_material_state (const KioskCaseDraft *self, guint index);
/* A scanned page (JPEG or PNG) of a scan material: appended, the material
 * becomes SCANNED (no longer owed). At most KIOSK_DOMAIN_MAX_PAGES pages. */
gboolean kiosk_case_draft_add_page (KioskCaseDraft *self, guint index, const char *media_type, GBytes *bytes,
                                    GError **error);
/* Retake: drops every page of the material; it is MISSING again. */
void kiosk_case_draft_clear_pages (KioskCaseDraft *self, guint index);
guint kiosk_case_draft_get_n_pages (const KioskCaseDraft *self, guint index);
const KioskCaseAttachment *kiosk_case_draft_get_page (const KioskCaseDraft *self, guint index, guint page);
/* 容缺: marks the material owed, due kiosk_deferral_due_date (@today)
 * (kiosk-domain-rules.h), refused where the rules do not allow it; its
 * pages are dropped. */
gboolean kiosk_case_draft_owe_material (KioskCaseDraft *self, guint index, GDate *today, GError **error);
/* No longer owed: MISSING again. */
void kiosk_case_draft_unowe_material (KioskCaseDraft *self, guint index);
/* The due date of an owed material (YYYY-MM-DD), or NULL. */
const char *kiosk_case_draft_get_owed_due (const KioskCaseDraft *self, guint index);

/* Delivery: PICKUP, or POST with an address (refused when the item does
 * not offer it, or POST without an address). */
gboolean kiosk_case_draft_set_delivery (KioskCaseDraft *self, KioskDelivery method, const char *address,
                                        GError **error);
KioskDelivery kiosk_case_draft_get_delivery (const KioskCaseDraft *self);
const char *kiosk_case_draft_get_delivery_address (const KioskCaseDraft *self);

/* The 代办员 filing for the applicant (for 代办, later); NULL name clears. */
void kiosk_case_draft_set_agent (KioskCaseDraft *self, const char *name, const char *id_number);
const char *kiosk_case_draft_get_agent_name (const KioskCaseDraft *self);
const char *kiosk_case_draft_get_agent_id_number (const KioskCaseDraft *self);

/* Where the case is handled (cross-region items: the item's region unless
 * set otherwise); NULLs clear. */
void kiosk_case_draft_set_handling_region (KioskCaseDraft *self, const char *code, const char *name);
const KioskRegion *kiosk_case_draft_get_handling_region (const KioskCaseDraft *self);

/* Every file of the case in order (each scanned material's pages, named
 * "<material> p<N>", then the signature, "告知承诺书签名"), as new
 * references: KioskCaseAttachment*, free with the array. */
GPtrArray *kiosk_case_draft_get_attachments (const KioskCaseDraft *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCaseDraft, kiosk_case_draft_free)

G_END_DECLS
