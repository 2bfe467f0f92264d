/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared between the files of app/domain only. */

#include "kiosk-case-draft.h"
#include "kiosk-catalog-item.h"

G_BEGIN_DECLS

KioskCatalogItem *_kiosk_catalog_item_new (void);

/* For the codec (decode): restores state without the rules' checks. */
void _kiosk_case_draft_restore_material (KioskCaseDraft *self, guint index, KioskMaterialState state, const char *due);
void _kiosk_case_draft_restore_page (KioskCaseDraft *self, guint index, const char *media_type, const char *sha256,
                                     gsize size);
void _kiosk_case_draft_restore_commitment (KioskCaseDraft *self, KioskCommitmentChoice choice,
                                           const char *signature_sha256);
void _kiosk_case_draft_restore_delivery (KioskCaseDraft *self, KioskDelivery method, const char *address);

G_END_DECLS
