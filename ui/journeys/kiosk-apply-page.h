/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-catalog-item.h"
#include "kiosk-core.h"
#include "kiosk-identity.h"
#include "kiosk-osk.h"

G_BEGIN_DECLS

/* 自助申报's page (issue 14: 3, 4), registered in the page factory
 * (ui/journeys/kiosk-journey-pages.c) for the journey "apply": the journey
 * header (返回, 结束办理), the step indicator (KioskSteps) following the
 * journey's steps, one scrolling box per step (named by the step's id)
 * shown as the journey moves, and below them the page's one on-screen
 * keyboard, which comes up when a field of the step is touched, with Next
 * at its right (提交 at review; none on the receipt).
 *
 * With a KioskApplyJourney each step is built from the journey and sends
 * only its intents: the items (those the kiosk does not take say where to
 * go), the form (kiosk_apply_form_new), 告知承诺 with the signature pad
 * (its PNG to the journey), materials (拍摄, 重拍, 容缺后补, the camera
 * gone), delivery (pickup or post, the address on the keyboard), review
 * (修改 per part, every problem at once) and the receipt (the case number,
 * print state, 重新打印, 完成). A refused Next lists what keeps the step
 * from going on at its top. With another journey (tests of the widgets)
 * the boxes stay empty for the caller to fill. The session's wipe empties
 * every form field, entry and signature pad of the page, also those a
 * rebuilt step lets go, and the keyboard's composition. */
GtkWidget *kiosk_apply_page_new (KioskCore *core, KioskJourney *journey);

/* The box of the step with @step_id (empty at first), or NULL. */
GtkWidget *kiosk_apply_page_get_step_box (GtkWidget *page, const char *step_id);
/* The page's keyboard (bind the step's fields to it). */
KioskOsk *kiosk_apply_page_get_osk (GtkWidget *page);

/* The form of @item: one field widget (KioskFormFieldWidget) per
 * form_fields entry, in order, named "field-<id>": its label, the kind for
 * its type, required as the catalog says, checked as typed by the
 * domain's rules (kiosk_field_validate), choices as large toggles, and
 * prefilled read-only (with Edit) from @identity (may be NULL) where the
 * field asks for card data, names and ID numbers shown masked. Bound to
 * @osk. The form keeps a reference to @item. */
GtkWidget *kiosk_apply_form_new (const KioskCatalogItem *item, const KioskIdentity *identity, KioskOsk *osk);
/* The field widget for @field_id, or NULL. */
GtkWidget *kiosk_apply_form_get_field (GtkWidget *form, const char *field_id);
/* Checks every field and shows each message (the step's Next): TRUE when
 * all pass. */
gboolean kiosk_apply_form_check (GtkWidget *form);
/* Empties every field (the wipe). */
void kiosk_apply_form_clear (GtkWidget *form);

G_END_DECLS
