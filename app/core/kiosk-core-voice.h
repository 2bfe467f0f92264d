/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-core.h"

G_BEGIN_DECLS

/* The kiosk's voice, as the UI reaches it (issue #16). The core owns the
 * speech engine (app/speech: espeak-ng in a worker thread); the UI says
 * what a screen asks of the resident and the core decides whether it is
 * heard: [voice] mode (elder: while 长辈模式 is on; always; off), the
 * quiet hours, and the resident's own switch for this session. The wipe
 * stops the voice and forgets the switch and the last text.
 *
 * Masked personal data is never spoken (kiosk-speech-text.h); callers
 * still pass prompts and messages only, never a field's value. */

/* Whether the voice speaks for this session now. */
gboolean kiosk_core_get_voice_on (KioskCore *self);
/* Whether what is said is heard: the voice is on and its last utterance
 * did not fail for want of a sound card (or espeak-ng's data). */
gboolean kiosk_core_get_voice_heard (KioskCore *self);
/* The resident's switch (any mode): TRUE on, FALSE off, for this session. */
void kiosk_core_set_voice_on (KioskCore *self, gboolean on);

/* Says @text in the session's language when the voice is on; replaces
 * what is being said. Returns whether it was queued. */
gboolean kiosk_core_say (KioskCore *self, const char *text);
/* The same in @language ("zh_CN", "en"): a text written in one language
 * whatever the session's (the platform's notices are Chinese). */
gboolean kiosk_core_say_in (KioskCore *self, const char *text, const char *language);
/* 重听: says the last text again (even if said before the voice was
 * switched on, so switching it on and pressing 重听 works). */
gboolean kiosk_core_say_again (KioskCore *self);

/* The prepared form of the last text the UI asked to say, heard or not
 * (tests); NULL after the wipe. */
const char *kiosk_core_get_last_prompt (KioskCore *self);

G_END_DECLS
