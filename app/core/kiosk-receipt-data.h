/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-case-draft.h"

G_BEGIN_DECLS

/* The data of the 受理回执 (template "receipt") and the 容缺受理通知书
 * ("deferral-notice") of a case, as drivers/printer/README.md describes
 * them, from the case as handed in (a KioskCaseDraft, its item attached).
 * Every field is capped as the printer's caps say. Personal data (the
 * applicant's name and ID number): the objects are for the printer only. */
typedef struct {
  const char *case_number;  /* printed, and what the QR code carries */
  gboolean provisional;     /* the kiosk's own number: the 临时编号 notice */
  const char *station;      /* [kiosk] station, or NULL */
  const char *office_phone; /* [kiosk] phone, or NULL */
  GDateTime *accepted_at;   /* when the case was handed in (local time) */
} KioskReceiptContext;

JsonObject *kiosk_receipt_data_new (const KioskCaseDraft *draft, const KioskReceiptContext *ctx);
/* NULL when nothing is owed under 容缺 (no notice then). */
JsonObject *kiosk_deferral_notice_data_new (const KioskCaseDraft *draft, const KioskReceiptContext *ctx);
gboolean kiosk_case_draft_has_owed (const KioskCaseDraft *draft);

G_END_DECLS
