/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The pinyin input method of the on-screen keyboard: letters in, hanzi
 * candidates out (libpinyin through kiosk-pinyin.h). No GTK.
 *
 * Threads: kiosk_pinyin_ime_new() is cheap (no file is read). The language
 * model is loaded by kiosk_pinyin_ime_load(), which blocks for tens of ms:
 * the keyboard runs it in a worker thread (GTask) when it is shown, and
 * meanwhile keeps using the IME on its own thread: letters typed before
 * the model is there are kept and get their candidates once it is (the IME
 * must not be freed while the load runs). Every other call is made from
 * one thread; a keystroke costs about 10 ms here, more for long inputs
 * (meson test --benchmark --suite catalog pinyin).
 *
 * Privacy: nothing typed is learned into a file, and
 * kiosk_pinyin_ime_reset() forgets the letters and the choices (call it when
 * the session is wiped). */
typedef struct _KioskPinyinIme KioskPinyinIme;

/* @user_dir: for libpinyin's user files, NULL for a private temporary
 * folder (removed by kiosk_pinyin_ime_free()). */
KioskPinyinIme *kiosk_pinyin_ime_new (const char *user_dir);
void kiosk_pinyin_ime_free (KioskPinyinIme *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskPinyinIme, kiosk_pinyin_ime_free)

/* Loads libpinyin's model (blocking; off the main thread). TRUE when
 * loaded (also when it already was). */
gboolean kiosk_pinyin_ime_load (KioskPinyinIme *self, GError **error);
gboolean kiosk_pinyin_ime_is_loaded (KioskPinyinIme *self);

/* Adds one letter a-z (upper case is folded; anything else is refused, as
 * is a letter beyond KIOSK_PINYIN_IME_MAX_LETTERS). */
#define KIOSK_PINYIN_IME_MAX_LETTERS 48
gboolean kiosk_pinyin_ime_feed (KioskPinyinIme *self, char letter);
/* Backspace: when candidates were chosen for part of the letters, undoes
 * those choices first; otherwise removes the last letter. FALSE when there
 * was nothing to remove. */
gboolean kiosk_pinyin_ime_backspace (KioskPinyinIme *self);
/* Forgets letters and choices. */
void kiosk_pinyin_ime_reset (KioskPinyinIme *self);

/* The letters typed (all of them). */
const char *kiosk_pinyin_ime_get_letters (KioskPinyinIme *self);
/* What the keyboard shows while composing: the hanzi chosen so far, then
 * the letters still to convert ("你hao"). */
char *kiosk_pinyin_ime_get_preedit (KioskPinyinIme *self);

/* Candidates for the letters not yet converted, best first (a phrase for
 * all of them first, then words and single hanzi). Owned by the IME, valid
 * until the next call that changes it. Empty before loading or without
 * letters. */
guint kiosk_pinyin_ime_get_n_candidates (KioskPinyinIme *self);
const char *kiosk_pinyin_ime_get_candidate (KioskPinyinIme *self, guint index);

/* Chooses candidate @index. When that converts every letter, returns the
 * text to insert (and the IME is empty again); otherwise returns NULL and
 * the candidates are those for the letters left. NULL too for a bad index. */
char *kiosk_pinyin_ime_choose (KioskPinyinIme *self, guint index);

G_END_DECLS
