/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-osk.h"

G_BEGIN_DECLS

/* One field of a form (自助申报): its label, the value, and a message under
 * it. The value is typed on the page's on-screen keyboard (never a physical
 * one), in the layout the kind asks for; a choice is a row of large toggle
 * buttons. The message line always keeps its height, so nothing moves when
 * a message appears or goes.
 *
 * A prefilled field (from the ID card) is read-only, showing the value and
 * a 修改 (Edit) button; Edit turns it into the entry, targeted by the
 * keyboard. Its accessible name is the visible label; the message is its
 * accessible description, and the field is marked invalid while one shows.
 *
 * Checking is the domain's: a KioskFormFieldValidator returns NULL (fine) or
 * an English msgid, which the field shows translated. The field checks as
 * it is typed; "valid" says whether the value passes (and, for a required
 * field, is not empty); "changed" is emitted after every change of the
 * value (typed, chosen, set or cleared). */

typedef enum {
  KIOSK_FORM_FIELD_TEXT,      /* Chinese (pinyin) or letters */
  KIOSK_FORM_FIELD_NUMBER,    /* digits only */
  KIOSK_FORM_FIELD_DATE,      /* digits, shown as YYYY-MM-DD */
  KIOSK_FORM_FIELD_CHOICE,    /* large toggle buttons (kiosk_form_field_new_choice) */
  KIOSK_FORM_FIELD_PHONE,     /* digits, + - and space */
  KIOSK_FORM_FIELD_ADDRESS,   /* Chinese (pinyin) or letters */
  KIOSK_FORM_FIELD_ID_NUMBER, /* 17 digits and a check character 0-9 or X */
} KioskFormFieldKind;

/* NULL when @text ("" for an empty field) is fine, else the msgid of a short message saying what
 * is wrong (static, English, translated by the field: e.g.
 * N_("Enter the 18 characters of the ID number.")). Never logs @text.
 * The message has one line (ellipsized when longer, whole in the entry's
 * accessible description): short messages, and fields wide enough for
 * them in 长辈模式 (about 24 Chinese characters at 900 px). */
typedef const char *(*KioskFormFieldValidator) (const char *text, gpointer user_data);

/* The C type is KioskFormFieldWidget, not KioskFormField: that name is the
 * catalog's field description (app/domain/kiosk-catalog-item.h), which a
 * page builds these widgets from; the functions are kiosk_form_field_*. */
#define KIOSK_TYPE_FORM_FIELD (kiosk_form_field_get_type ())
G_DECLARE_FINAL_TYPE (KioskFormFieldWidget, kiosk_form_field, KIOSK, FORM_FIELD, GtkWidget)

/* @label is shown (already translated). Not for KIOSK_FORM_FIELD_CHOICE. */
GtkWidget *kiosk_form_field_new (KioskFormFieldKind kind, const char *label);
/* A choice among @n options: @values are what get_text returns, @labels
 * what the buttons show (already translated). Nothing is chosen at first. */
GtkWidget *kiosk_form_field_new_choice (const char *label, const char *const *values, const char *const *labels,
                                        guint n);

KioskFormFieldKind kiosk_form_field_get_kind (KioskFormFieldWidget *self);
const char *kiosk_form_field_get_label (KioskFormFieldWidget *self);
/* The keyboard layout this kind of field asks for. */
KioskOskLayout kiosk_form_field_get_osk_layout (KioskFormFieldWidget *self);

/* Binds the field's entry to the page's keyboard (one per page), in the
 * kind's layout. Choices need none. */
void kiosk_form_field_set_osk (KioskFormFieldWidget *self, KioskOsk *osk);

/* The value: what was typed (dates as YYYY-MM-DD), or the chosen option's
 * value ("" when none). */
const char *kiosk_form_field_get_text (KioskFormFieldWidget *self);
/* Sets the value (editable). For a choice, selects the option of that value
 * (none when no option has it). */
void kiosk_form_field_set_text (KioskFormFieldWidget *self, const char *text);

/* Prefilled, read-only, with an Edit button: @text is the value, @shown
 * what the screen shows (NULL: @text; e.g. a masked ID number). */
void kiosk_form_field_set_prefilled (KioskFormFieldWidget *self, const char *text, const char *shown);
gboolean kiosk_form_field_get_read_only (KioskFormFieldWidget *self);
/* Leaves the read-only state: the entry (or the choice) is shown, and the
 * keyboard (if any) types into it. What the Edit button does. */
void kiosk_form_field_edit (KioskFormFieldWidget *self);

void kiosk_form_field_set_validator (KioskFormFieldWidget *self, KioskFormFieldValidator validator, gpointer user_data,
                                     GDestroyNotify destroy);
/* A required field is not valid while empty, whatever the validator says
 * (default: FALSE). */
void kiosk_form_field_set_required (KioskFormFieldWidget *self, gboolean required);
gboolean kiosk_form_field_get_valid (KioskFormFieldWidget *self);
/* Checks now and shows the message, also for an empty field (while typing,
 * an emptied field shows none); a required field left empty that the
 * validator lets pass says "This must be filled in." (the page's Next
 * button). Returns "valid". */
gboolean kiosk_form_field_check (KioskFormFieldWidget *self);
/* The message shown (translated), or NULL. */
const char *kiosk_form_field_get_message (KioskFormFieldWidget *self);

/* Empties the value, the prefilled value and the message (the session's
 * wipe); the field becomes editable again. */
void kiosk_form_field_clear (KioskFormFieldWidget *self);

/* Parts, for tests and pages. */
GtkWidget *kiosk_form_field_get_entry (KioskFormFieldWidget *self);         /* NULL for a choice */
GtkWidget *kiosk_form_field_get_message_label (KioskFormFieldWidget *self); /* always there */
GtkWidget *kiosk_form_field_get_edit_button (KioskFormFieldWidget *self);   /* shown when read-only */
GtkWidget *kiosk_form_field_get_choice_button (KioskFormFieldWidget *self, const char *value);

G_END_DECLS
