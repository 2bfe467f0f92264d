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
 * Layouts: digits (phone numbers: 0–9, + - space), ID number (the digits
 * with X in place of +), letters (a–z, space,
 * punctuation) and Chinese through pinyin: letters go to a pinyin engine,
 * what is being composed and the engine's candidates show in the candidate
 * bar, whose buttons choose (space chooses the first). The engine is a
 * small interface (KioskOskPinyinEngine; kiosk-osk-pinyin.h plugs in the
 * kiosk's libpinyin IME); without one the pinyin layout is unavailable and
 * its switch key is not shown. */

typedef enum {
  KIOSK_OSK_LAYOUT_DIGITS,
  KIOSK_OSK_LAYOUT_LETTERS,
  KIOSK_OSK_LAYOUT_PINYIN,
  /* Digits with X in place of + (居民身份证号码: 17 digits and a check
   * character, 0-9 or X). */
  KIOSK_OSK_LAYOUT_ID_NUMBER,
} KioskOskLayout;

/* A pinyin engine, the keyboard's candidate provider. Every function but
 * load is called on the GTK main thread and must not block. */
typedef struct {
  /* Loads the engine's data (blocking; may be NULL): the keyboard runs it
   * once in a worker thread and meanwhile goes on calling the others, so
   * letters typed early get their candidates once it is done. */
  gboolean (*load) (gpointer engine, GError **error);
  gboolean (*feed) (gpointer engine, char letter); /* a-z */
  /* Undoes the last choice or letter; FALSE when nothing was composed. */
  gboolean (*backspace) (gpointer engine);
  void (*reset) (gpointer engine);        /* forgets letters and choices */
  char *(*get_preedit) (gpointer engine); /* what is composed ("" or NULL: nothing) */
  guint (*get_n_candidates) (gpointer engine);
  const char *(*get_candidate) (gpointer engine, guint index);
  /* The text to insert once every letter is converted, else NULL. */
  char *(*choose) (gpointer engine, guint index);
  void (*free) (gpointer engine);
} KioskOskPinyinEngine;

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

/* The pinyin engine, owned by the keyboard from now on (@klass static).
 * Set it once, when the page is built: the candidate bar then takes its
 * place for good. Its load runs in a worker thread when the keyboard is
 * first shown (never at start-up). NULL: Chinese input unavailable (the
 * default). */
void kiosk_osk_set_pinyin_engine (KioskOsk *self, const KioskOskPinyinEngine *klass, gpointer engine);
/* The engine's data is loaded (candidates can appear). */
gboolean kiosk_osk_get_pinyin_loaded (KioskOsk *self);
/* What is being composed and not inserted yet (newly allocated, "" when
 * nothing). */
char *kiosk_osk_get_preedit (KioskOsk *self);
/* Forgets what is being composed without inserting it (the session is
 * wiped). */
void kiosk_osk_reset (KioskOsk *self);

/* The key button for @key in the layout shown: a character ("a", "7", "+",
 * ","), or "space", "backspace", "clear" (digits), "digits" (letters and
 * pinyin), "letters" (digits and pinyin), "pinyin" (letters and digits);
 * candidates are "candidate-0" …. NULL when the layout shown has no such
 * key. For tests and pages that name keys. */
GtkWidget *kiosk_osk_get_key (KioskOsk *self, const char *key);

G_END_DECLS
