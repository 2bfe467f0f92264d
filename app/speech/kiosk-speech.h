/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-config.h"

G_BEGIN_DECLS

/* The kiosk's voice (issue #16): espeak-ng (Mandarin "cmn", English "en")
 * in one worker thread that owns it; nothing of it runs on the main loop.
 *
 * kiosk_speech_say() replaces whatever is being said (a resident who
 * touches on does not wait for the old prompt); kiosk_speech_repeat() says
 * the last text again (the 重听 button). Texts go through
 * kiosk_speech_text_prepare() first: masked data is never spoken, codes and
 * long numbers are read one character at a time.
 *
 * Configuration ([voice]): mode = elder (speaks while 长辈模式 is on, the
 * default) | always | off; rate (words per minute); volume (0-100);
 * quiet-hours = "HH:MM-HH:MM" (a hall at night: nothing is spoken then);
 * wav-dir = a folder: each utterance is written there as NNNN.wav instead
 * of played (tests, and a kiosk without a sound card to check by ear).
 *
 * Signals, on the main context the object was made on:
 *   "spoken" (const char *text, gboolean completed): an utterance ended,
 *   completed or replaced; "failed" (const char *message): the voice
 *   cannot speak (no espeak-ng data, no audio device), said once per
 *   cause, for the technician (the text is never in it). */
#define KIOSK_TYPE_SPEECH (kiosk_speech_get_type ())
G_DECLARE_FINAL_TYPE (KioskSpeech, kiosk_speech, KIOSK, SPEECH, GObject)

typedef enum {
  KIOSK_SPEECH_MODE_ELDER,
  KIOSK_SPEECH_MODE_ALWAYS,
  KIOSK_SPEECH_MODE_OFF,
} KioskSpeechMode;

KioskSpeech *kiosk_speech_new (KioskConfig *config);

KioskSpeechMode kiosk_speech_get_mode (KioskSpeech *self);

/* Whether the voice speaks now, for a session in @elder_mode, given the
 * resident's own switch (@resident_choice: -1 none, 0 off, 1 on) and the
 * quiet hours at @now (NULL: the current local time). */
gboolean kiosk_speech_should_speak (KioskSpeech *self, gboolean elder_mode, int resident_choice, GDateTime *now);

/* Queues @text in @language ("zh_CN", "en"); replaces what is being said.
 * Nothing is said when the prepared text is empty. */
void kiosk_speech_say (KioskSpeech *self, const char *text, const char *language);
/* Says the last text again; FALSE when there is none. */
gboolean kiosk_speech_repeat (KioskSpeech *self);
/* Stops at once (the session ended): the last text is forgotten too. */
void kiosk_speech_stop (KioskSpeech *self);
/* The prepared form of the last text said (for tests); NULL when none. */
const char *kiosk_speech_get_last (KioskSpeech *self);

/* Renders @text to a 16-bit mono WAV file, synchronously, in the calling
 * thread (tests, kioskctl): not for the kiosk's main loop, and not while
 * a KioskSpeech of the same process is speaking (espeak-ng is global). */
gboolean kiosk_speech_render_wav (const char *text, const char *language, int rate, int volume, const char *path,
                                  GError **error);

/* The espeak-ng voice for a UI language. */
const char *kiosk_speech_voice_for (const char *language);

G_END_DECLS
