/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The kiosk's on-screen keyboard: no physical keyboard is ever needed.
 *
 * One widget serves every text field of a page: kiosk_osk_bind() each
 * GtkEditable with the layout it wants; touching a field makes it the
 * keyboard's target (the field's own focus is kept: the keys never take
 * it). Keys are large (at least 64 px, touch targets) and the keyboard has
 * one fixed size whatever the layout and whatever the candidate bar shows,
 * so nothing moves under a finger: a page gives it its place once and keeps
 * it (shown, or reserved). The candidate bar is part of that size when a
 * pinyin engine is set (set it when building the page, not while typing).
 *
 * Layouts: digits (phone numbers: 0–9, + - space), letters (a–z, space,
 * punctuation) and Chinese through pinyin: letters build a syllable string
 * shown in the candidate bar, whose buttons insert the chosen characters.
 * Candidates come from a provider (kiosk_osk_set_candidates_func); without
 * one the pinyin layout is unavailable and its switch key is not shown. */

typedef enum {
  KIOSK_OSK_LAYOUT_DIGITS,
  KIOSK_OSK_LAYOUT_LETTERS,
  KIOSK_OSK_LAYOUT_PINYIN,
} KioskOskLayout;

/* Up to @max candidates for @pinyin (lower-case ASCII letters), best first,
 * as a NULL-terminated array the keyboard frees with g_strfreev(), or NULL.
 * Called on the GTK main thread for each key: it must answer from memory
 * (an engine loads its data off the main thread and answers NULL until
 * then). */
typedef char **(*KioskOskCandidatesFunc) (const char *pinyin, guint max, gpointer user_data);

#define KIOSK_TYPE_OSK (kiosk_osk_get_type ())
G_DECLARE_FINAL_TYPE (KioskOsk, kiosk_osk, KIOSK, OSK, GtkWidget)

GtkWidget *kiosk_osk_new (void);

/* Touching @editable (a GtkEditable widget, e.g. a GtkEntry) makes it the
 * target, with @layout. The keyboard keeps no reference: a destroyed field
 * simply stops being the target. */
void kiosk_osk_bind (KioskOsk *self, GtkWidget *editable, KioskOskLayout layout);
/* Makes @editable (NULL: none; the keys then do nothing) the target now. */
void kiosk_osk_set_target (KioskOsk *self, GtkWidget *editable, KioskOskLayout layout);
GtkWidget *kiosk_osk_get_target (KioskOsk *self);

/* Falls back to letters when @layout is unavailable. */
void kiosk_osk_set_layout (KioskOsk *self, KioskOskLayout layout);
KioskOskLayout kiosk_osk_get_layout (KioskOsk *self);
gboolean kiosk_osk_get_layout_available (KioskOsk *self, KioskOskLayout layout);

/* The pinyin engine. NULL: Chinese input unavailable (the default). */
void kiosk_osk_set_candidates_func (KioskOsk *self, KioskOskCandidatesFunc func, gpointer user_data,
                                    GDestroyNotify destroy);
/* The pinyin typed and not yet turned into characters ("" when none). */
const char *kiosk_osk_get_preedit (KioskOsk *self);

/* The key button for @key in the layout shown: a character ("a", "7", "+",
 * ","), or "space", "backspace", "clear" (digits), "digits" (letters),
 * "letters" (digits), "pinyin"; candidates are "candidate-0" …. NULL when
 * the layout shown has no such key. For tests and pages that name keys. */
GtkWidget *kiosk_osk_get_key (KioskOsk *self, const char *key);

G_END_DECLS
