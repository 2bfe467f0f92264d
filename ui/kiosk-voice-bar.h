/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* The voice on screen (issue #16), in the header of every screen: a 重听
 * button that says the screen's prompt again and a 语音 switch (on by
 * default in 长辈模式, switchable in any mode; the configuration may
 * silence the kiosk altogether, then both are hidden). It says each
 * screen's prompt when the screen appears: the session's state, the
 * journey and its step decide which (kiosk_voice_bar_prompt_for()). */
#define KIOSK_TYPE_VOICE_BAR (kiosk_voice_bar_get_type ())
G_DECLARE_FINAL_TYPE (KioskVoiceBar, kiosk_voice_bar, KIOSK, VOICE_BAR, GtkWidget)

GtkWidget *kiosk_voice_bar_new (KioskCore *core);

/* Says @text (a notice or an error shown on screen) when the voice is on;
 * 重听 says it again until the next screen. */
void kiosk_voice_bar_say (KioskVoiceBar *self, const char *text);

/* In 长辈模式 with the voice on and heard, choices are read out as they are touched:
 * the first touch on a button says its text and goes no further (returns
 * FALSE), a second touch on the same one within 8 s chooses it (TRUE).
 * Keys of the keyboards, text fields and the voice's own buttons act at
 * once. The window's capture-phase gesture calls this for each press;
 * @target is the widget under the finger. */
gboolean kiosk_voice_bar_touch (KioskVoiceBar *self, GtkWidget *target);

/* The prompt (translated) for the current screen of @core's session. */
char *kiosk_voice_bar_prompt_for (KioskCore *core);

G_END_DECLS
