/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-catalog-item.h"
#include "kiosk-core.h"
#include "kiosk-identity.h"
#include "kiosk-osk.h"

G_BEGIN_DECLS

/* 自助申报's page (issue 14: 3, 4): the journey header (返回,
 * 首页), the step indicator (KioskSteps) bound to the journey's steps and
 * following its "step", one box per step (named by the step's id) shown
 * as the journey moves, and the page's one on-screen keyboard, its place
 * always kept below. What each step shows is filled in by the apply
 * journey's page code (kiosk_apply_page_get_step_box); the form step uses
 * kiosk_apply_form_new. The session's wipe empties every form field and
 * signature pad of the page and the keyboard's composition.
 *
 * Registered in the page factory (ui/journeys/kiosk-journey-pages.c) for
 * the journey "apply" (KioskApplyJourney): each step is built from the
 * journey (items, the form, 告知承诺 with the signature pad, materials,
 * delivery, review, the receipt) and sends its intents; a Next row under
 * every step but the receipt shows what keeps it from going on. */
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
