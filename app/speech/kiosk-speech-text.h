/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the voice says for an on-screen text (pure: no I/O, fuzzable).
 *
 * - Masked personal data is never spoken: every word holding a mask
 *   character (*, ＊, •, ●, ×) is left out whole ("张*" and
 *   "1101**********1234" say nothing), so the voice cannot give away
 *   what the screen hides.
 * - Numbers of three digits or more and codes mixing letters and digits
 *   (受理编号 "KS-20261203-0007", phones, years) are read one character at
 *   a time; in Chinese the digits become 零一二…九 (一 read yāo in
 *   phone-like runs is left to the voice). Shorter numbers ("12月3日",
 *   "第 2 页") stay numbers.
 * - Whitespace is collapsed; markup is not expected (plain text in).
 *
 * @language: "zh_CN" or "en" (anything not starting with "zh" is English).
 * Returns a newly allocated UTF-8 string, "" when nothing is left. Invalid
 * UTF-8 is replaced, never passed on. */
char *kiosk_speech_text_prepare (const char *text, const char *language);

/* TRUE when @text would leave something to say. */
gboolean kiosk_speech_text_is_speakable (const char *text);

G_END_DECLS
