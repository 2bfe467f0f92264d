/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-case-draft.h"
#include "kiosk-catalog-item.h"
#include "kiosk-identity.h"

G_BEGIN_DECLS

/* The pure rules of 自助申报, GLib only. Messages are English msgids marked
 * with N_() (translated in po/zh_CN.po): show them with _() / gettext(). */

/* Checks @value (may be NULL or "") for @field as typed:
 *   required         non-empty after trimming spaces
 *   text, address    at most KIOSK_DOMAIN_MAX_VALUE_CHARS characters, no
 *                    control characters
 *   number           digits, with at most one decimal point
 *   date             YYYY-MM-DD, a real date; a past_only date (a birth
 *                    date) not after @today
 *   phone            11 digits starting with 1 (a mobile number)
 *   choice           one of the field's choices
 *   id_number        18 characters, 17 digits then a digit or X, a real
 *                    birth date inside, the GB 11643 check character
 * @today (may be NULL: the local date). Returns NULL when the value is
 * fine, else the message msgid for under the field. */
const char *kiosk_field_validate (const KioskFormField *field, const char *value, GDate *today);

/* GB 11643-1999 ISO 7064 MOD 11-2 check character of the first 17 digits
 * ('0'-'9' or 'X'), or 0 when they are not 17 digits. */
char kiosk_id_number_check_char (const char *first17);
/* 18 characters, check character right (x counts as X), birth date real. */
gboolean kiosk_id_number_is_valid (const char *id_number);

/* What the card says for @prefill: a new string ("男"/"女" for gender;
 * for a choice field with @field given, the choice that matches), or NULL
 * when the card does not say. */
char *kiosk_identity_prefill_value (const KioskIdentity *identity, KioskPrefill prefill, const KioskFormField *field);
/* Fills every field of the draft's item that asks for card data and is
 * still empty, from the draft's applicant. Returns how many were filled. */
guint kiosk_case_draft_prefill (KioskCaseDraft *draft);

/* 告知承诺 may be chosen: the item allows it and the draft is filed by the
 * applicant (no agent). */
gboolean kiosk_commitment_allowed (const KioskCaseDraft *draft);
/* Whether material @index of @item may be owed under 容缺: the item allows
 * 容缺 (with a deadline), the material is deferrable, it is not met by the
 * card or the form, and the item's time limit is not same-day. */
gboolean kiosk_material_may_be_owed (const KioskCatalogItem *item, guint index);
/* The promised completion date: @today plus time_limit_days working days
 * (Saturdays and Sundays skipped, as the platform counts), or an invalid
 * (cleared) date when the item states none. */
void kiosk_item_promised_date (const KioskCatalogItem *item, GDate *today, GDate *out);
/* 容缺 due date of an owed material: @today + the deferral's deadline
 * days, never later than the promised completion date. FALSE when nothing
 * may be owed for this item. */
gboolean kiosk_deferral_due_date (const KioskCatalogItem *item, GDate *today, GDate *out);

/* Before submit: everything the platform needs is there. Every problem
 * is listed at once (一次性告知), as msgids with the thing they name:
 * @problems gets "msgid\tname" strings (name: a field label or material
 * name, may be empty), NULL when not wanted. TRUE when complete:
 *   - an applicant with a name and an ID number;
 *   - every field valid (required ones filled);
 *   - commitment decided where allowed, and a signature with COMMIT;
 *   - every required material met (card, e-licence, form, scanned,
 *     committed) or owed;
 *   - post with an address. */
gboolean kiosk_case_draft_check_complete (const KioskCaseDraft *draft, GDate *today, GPtrArray **problems);

G_END_DECLS
