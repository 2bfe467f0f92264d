/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Where a resident is in a journey: one box per step (its number and
 * title), the current one highlighted with its whole title, the others
 * sharing the rest of the row (titles ellipsized when it is short). Bound to a
 * GListModel of steps, each item with a "title" string property (a
 * GtkStringObject's "string" is taken too), and a current index. The
 * widget has one height whatever the steps (titles are one line,
 * ellipsized), and screen readers hear "Step 2 of 5: Fill in the form"
 * (第 2 步，共 5 步：填写表单) as its name. */

#define KIOSK_TYPE_STEPS (kiosk_steps_get_type ())
G_DECLARE_FINAL_TYPE (KioskSteps, kiosk_steps, KIOSK, STEPS, GtkWidget)

GtkWidget *kiosk_steps_new (GListModel *model);

/* The steps (NULL: none). The indicator follows the model's changes. */
void kiosk_steps_set_model (KioskSteps *self, GListModel *model);
GListModel *kiosk_steps_get_model (KioskSteps *self);

/* 0-based; past the last step: none is current. */
void kiosk_steps_set_current (KioskSteps *self, guint index);
guint kiosk_steps_get_current (KioskSteps *self);

/* What screen readers hear, translated: "Step 2 of 5: Fill in the form"
 * ("" without steps). */
const char *kiosk_steps_get_summary (KioskSteps *self);

/* The box of step @index (for tests). */
GtkWidget *kiosk_steps_get_step (KioskSteps *self, guint index);

G_END_DECLS
