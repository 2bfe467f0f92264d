/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-core"

#include "config.h"

#include "kiosk-core-voice.h"
#include "kiosk-speech-text.h"
#include "kiosk-speech.h"

/* Kept on the core (one per core, made the first time a screen asks):
 * the kiosk that never speaks never loads espeak-ng. */
typedef struct {
  KioskCore *core; /* not a reference: owned by it */
  KioskSpeech *speech;
  int choice; /* the resident's switch: -1 none, 0 off, 1 on */
  char *last; /* prepared text of the last prompt (heard or not) */
  char *last_language;
  gboolean failing; /* the last utterance could not be heard (no sound card) */
} Voice;

static void
voice_free (gpointer data)
{
  Voice *v = data;

  /* Its handler on the session goes with it (g_signal_connect_object),
   * whichever of the two is finalized first. */
  g_clear_object (&v->speech);
  g_free (v->last);
  g_free (v->last_language);
  g_free (v);
}

static void
on_wipe (KioskSession *session, KioskSpeech *speech)
{
  Voice *v = g_object_get_data (G_OBJECT (speech), "kiosk-core-voice");

  (void) session;
  v->choice = -1;
  g_clear_pointer (&v->last, g_free);
  g_clear_pointer (&v->last_language, g_free);
  if (v->speech != NULL)
    kiosk_speech_stop (v->speech);
}

static void
on_spoken (KioskSpeech *speech, const char *text, gboolean completed, gpointer data)
{
  Voice *v = data;

  (void) speech;
  (void) text;
  if (completed)
    v->failing = FALSE;
}

static void
on_failed (KioskSpeech *speech, const char *message, gpointer data)
{
  Voice *v = data;

  (void) speech;
  v->failing = TRUE;
  /* For the technician; the resident's screen keeps its text. */
  g_message ("voice unavailable: %s", message);
}

static Voice *
get_voice (KioskCore *self)
{
  Voice *v = g_object_get_data (G_OBJECT (self), "kiosk-core-voice");

  if (v == NULL)
    {
      v = g_new0 (Voice, 1);
      v->core = self;
      v->choice = -1;
      v->speech = kiosk_speech_new (kiosk_core_get_config (self));
      g_signal_connect (v->speech, "failed", G_CALLBACK (on_failed), v);
      g_signal_connect (v->speech, "spoken", G_CALLBACK (on_spoken), v);
      g_object_set_data (G_OBJECT (v->speech), "kiosk-core-voice", v);
      g_signal_connect_object (kiosk_core_get_session (self), "wipe", G_CALLBACK (on_wipe), v->speech, 0);
      g_object_set_data_full (G_OBJECT (self), "kiosk-core-voice", v, voice_free);
    }
  return v;
}

gboolean
kiosk_core_get_voice_on (KioskCore *self)
{
  Voice *v;

  g_return_val_if_fail (KIOSK_IS_CORE (self), FALSE);
  v = get_voice (self);
  return kiosk_speech_should_speak (v->speech, kiosk_session_get_elder_mode (kiosk_core_get_session (self)), v->choice,
                                    NULL);
}

gboolean
kiosk_core_get_voice_heard (KioskCore *self)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), FALSE);
  return kiosk_core_get_voice_on (self) && !get_voice (self)->failing;
}

void
kiosk_core_set_voice_on (KioskCore *self, gboolean on)
{
  Voice *v;

  g_return_if_fail (KIOSK_IS_CORE (self));
  v = get_voice (self);
  v->choice = on ? 1 : 0;
  if (!on)
    kiosk_speech_stop (v->speech);
}

static gboolean
say (KioskCore *self, Voice *v)
{
  if (v->last == NULL || !kiosk_core_get_voice_on (self))
    return FALSE;
  kiosk_speech_say (v->speech, v->last, v->last_language);
  return TRUE;
}

gboolean
kiosk_core_say (KioskCore *self, const char *text)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), FALSE);
  return kiosk_core_say_in (self, text, kiosk_session_get_language (kiosk_core_get_session (self)));
}

gboolean
kiosk_core_say_in (KioskCore *self, const char *text, const char *language)
{
  Voice *v;
  g_autofree char *prepared = NULL;

  g_return_val_if_fail (KIOSK_IS_CORE (self), FALSE);
  g_return_val_if_fail (language != NULL, FALSE);
  v = get_voice (self);
  prepared = kiosk_speech_text_prepare (text, language);
  if (*prepared == '\0')
    return FALSE;
  g_free (v->last);
  v->last = g_steal_pointer (&prepared);
  g_free (v->last_language);
  v->last_language = g_strdup (language);
  return say (self, v);
}

gboolean
kiosk_core_say_again (KioskCore *self)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), FALSE);
  return say (self, get_voice (self));
}

const char *
kiosk_core_get_last_prompt (KioskCore *self)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), NULL);
  return get_voice (self)->last;
}
