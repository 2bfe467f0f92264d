/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* 证明打印: a document the platform holds for a person and the kiosk may
 * print (POST /v1/documents/of-person, docs/platform-api.md), typed. Made
 * only by kiosk_certificate_list_decode() from what the platform sent;
 * read only afterwards. The body and the fields are personal data: the
 * journey frees them on wipe and nothing logs them. */

typedef struct {
  char *label;
  char *value;
} KioskCertificateField;

typedef struct {
  char *code;          /* verification code (验证编号), [A-Za-z0-9-]{4,64} */
  char *kind;          /* [a-z_]+ */
  char *title;         /* ≤ 64 characters */
  char *department;    /* issuing department, ≤ 100 */
  char *issued_date;   /* YYYY-MM-DD */
  char *body;          /* paragraphs separated by '\n' */
  GPtrArray *fields;   /* KioskCertificateField: the document's data */
  guint prints;        /* confirmed prints the platform knows of (any kiosk), 0 when not said */
  guint printed_today; /* of which today */
} KioskCertificate;

void kiosk_certificate_free (KioskCertificate *cert);
KioskCertificate *kiosk_certificate_copy (const KioskCertificate *cert);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCertificate, kiosk_certificate_free)

/* Caps (docs/platform-api.md; the certificate template's caps in
 * drivers/printer/README.md hold what these let through). */
#define KIOSK_CERTIFICATE_MAX_DOCUMENTS 50
#define KIOSK_CERTIFICATE_MAX_FIELDS 20

/* Decodes the answer {"documents": [...]}: a KioskCertificate array, in
 * the platform's order. A document that breaks a rule (a missing or
 * mistyped member, a code or kind out of its alphabet, a string over its
 * cap, a control or format character, a body with the fields over 30
 * lines) is left out and counted in @skipped (may be NULL). NULL with
 * @error when the answer is not such an object, or lists more than
 * KIOSK_CERTIFICATE_MAX_DOCUMENTS. Pure: no I/O, no logging. */
GPtrArray *kiosk_certificate_list_decode (const char *json, guint *skipped, GError **error);

/* The print data of the "certificate" template (drivers/printer/README.md)
 * for @cert: title, body (the body, then one "label：value" line per
 * field), issuer, issued_date, verification_ref (the code, which the QR
 * code carries) and the watermark line 仅供办理政务服务事项时使用; with
 * @reprint_reason (NULL for a first print) the reason printed in the 补打
 * box. */
JsonObject *kiosk_certificate_to_print_data (const KioskCertificate *cert, const char *reprint_reason);

/* The watermark line every printed certificate carries. */
#define KIOSK_CERTIFICATE_WATERMARK "仅供办理政务服务事项时使用"

/* The not_offered list of the catalog (docs/platform-api.md): TRUE when
 * @text (what a resident searched for) names a proof village committees
 * no longer issue (@where NULL) or an item applied for in person only
 * (@where: where, from the catalog); @matched gets the list's name. Both
 * may be NULL. @not_offered_json: the catalog's "not_offered" object
 * ({"rule", "proofs": [...], "in_person_only": [{"name", "where"}]}).
 * Pure. */
gboolean kiosk_certificate_not_offered (const char *not_offered_json, const char *text, char **matched, char **where);

G_END_DECLS
