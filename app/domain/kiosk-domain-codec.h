/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-case-draft.h"
#include "kiosk-catalog-item.h"

G_BEGIN_DECLS

/* The one JSON codec for what the platform sends and receives
 * (docs/platform-api.md): pure functions, bytes in and structs out, no I/O,
 * fuzzed (tests/fuzz/fuzz-domain.c).
 *
 * Input is refused whole (KIOSK_DOMAIN_ERROR) when it is not UTF-8, holds
 * a NUL, nests deeper than KIOSK_DOMAIN_MAX_DEPTH or is larger than its
 * cap. Every string must be UTF-8 without control characters (C0, DEL, C1)
 * and without bidi or other invisible format characters; only the long
 * texts (legal basis, notes, the commitment notice, sources) may hold a
 * line break. Every string and list has a cap (the table in
 * kiosk-domain-codec.c, KIOSK_DOMAIN_MAX_*). On failure @error is always
 * set, and names the member (never a value: case data is personal). */

#define KIOSK_DOMAIN_ERROR (kiosk_domain_error_quark ())
GQuark kiosk_domain_error_quark (void);

typedef enum {
  KIOSK_DOMAIN_ERROR_SYNTAX,     /* not JSON, or not the expected shape */
  KIOSK_DOMAIN_ERROR_ENCODING,   /* not UTF-8, NUL, control or format characters */
  KIOSK_DOMAIN_ERROR_TOO_LARGE,  /* a size, length, count or depth cap */
  KIOSK_DOMAIN_ERROR_MISSING,    /* a required member is absent or null */
  KIOSK_DOMAIN_ERROR_INVALID,    /* a member has the wrong type or value */
  KIOSK_DOMAIN_ERROR_INCOMPLETE, /* a draft is not ready to submit (rules) */
} KioskDomainError;

#define KIOSK_DOMAIN_MAX_CATALOG_BYTES (8 * 1024 * 1024) /* as the HTTP adapter's cap */
#define KIOSK_DOMAIN_MAX_ITEM_BYTES (256 * 1024)
#define KIOSK_DOMAIN_MAX_CASE_BYTES (64 * 1024)
#define KIOSK_DOMAIN_MAX_DEPTH 16
#define KIOSK_DOMAIN_MAX_ITEMS 2000
#define KIOSK_DOMAIN_MAX_MATERIALS 64
#define KIOSK_DOMAIN_MAX_FIELDS 64
#define KIOSK_DOMAIN_MAX_CHOICES 64
#define KIOSK_DOMAIN_MAX_ALIASES 32
#define KIOSK_DOMAIN_MAX_PAGES 64        /* scanned pages of one material */
#define KIOSK_DOMAIN_MAX_VALUE_CHARS 200 /* a form value typed on the kiosk */

/* The catalog document {"version", "items": [...], ...}. An item that does
 * not decode is left out, and its code (or index) and the reason go to
 * @skipped (may be NULL; "RS-001: materials[2].provided_by: unknown value");
 * the document itself failing (not JSON, not UTF-8, too large, no "items")
 * is an error. */
KioskCatalog *kiosk_catalog_decode (const char *data, gsize len, GPtrArray **skipped, GError **error);
/* One item object. */
KioskCatalogItem *kiosk_catalog_item_decode (const char *data, gsize len, GError **error);
/* The item back to JSON, with the members the platform sent (those the
 * codec knows); decoding it again gives an equal item. */
char *kiosk_catalog_item_encode (const KioskCatalogItem *item);
gboolean kiosk_catalog_item_equal (const KioskCatalogItem *a, const KioskCatalogItem *b);

/* The application as the store takes it (kiosk_store_submit_case's
 * @case_json: "item_code", "applicant", "form", "commitment",
 * "owed_materials", "delivery", "proxy_authorisation", "agent", and the new
 * "materials" and "handling_region"); the store adds "provisional_number",
 * "kiosk_id", "created_at" and "attachments" to make the POST /v1/cases
 * body. @today dates nothing here (owed deadlines are in the draft).
 * Refuses a draft whose values break the caps or encoding rules. Personal
 * data: the result must be freed with kiosk_secure_free(). */
char *kiosk_case_draft_encode (const KioskCaseDraft *draft, GError **error);
/* The reverse, for round trips and for reading a stored case: a draft of
 * @item (whose code must match "item_code") with the applicant, values,
 * choices and owed materials of @data. Scanned pages come back as
 * references (sha256, size) without their bytes. */
KioskCaseDraft *kiosk_case_draft_decode (KioskCatalogItem *item, const char *data, gsize len, GError **error);

/* Text checks the codec applies, for callers with other text. */
gboolean kiosk_domain_text_ok (const char *s, gboolean allow_newline);

G_END_DECLS
