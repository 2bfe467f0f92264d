/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The table of the kiosk-espeak module (app/kiosk-module.h): espeak-ng and
 * pcaudiolib are loaded the first time something is spoken, in the speech
 * worker thread, never before the kiosk's first frame. Only kiosk-espeak.c
 * includes their headers. espeak-ng keeps global state: every entry point
 * is called from one thread only (KioskSpeech's worker). Use it through
 * kiosk-speech.h. */
#define KIOSK_SPEECH_MODULE "app/speech/kiosk-espeak"
#define KIOSK_SPEECH_MODULE_SYMBOL "kiosk_speech_module"
#define KIOSK_SPEECH_API_VERSION 1

/* Receives synthesized 16-bit mono samples; returns FALSE to stop the
 * utterance at once (a newer one replaced it). */
typedef gboolean (*KioskSpeechSamplesFunc) (const gint16 *samples, gsize n_samples, gpointer user_data);

typedef struct _KioskSpeechOutput KioskSpeechOutput;

typedef struct {
  int version; /* KIOSK_SPEECH_API_VERSION */
  /* Initialises espeak-ng (its data from the system path); returns the
   * sample rate, or 0 with @error. Later calls return the same. */
  int (*init) (GError **error);
  /* Speaks @text (UTF-8, plain) with @voice ("cmn", "en"), @rate in words
   * per minute and @volume 0-100 into @func, synchronously. */
  gboolean (*synthesize) (const char *voice, int rate, int volume, const char *text, KioskSpeechSamplesFunc func,
                          gpointer user_data, GError **error);
  /* The default audio device (pcaudiolib: PulseAudio or ALSA); NULL with
   * @error when there is none. */
  KioskSpeechOutput *(*output_open) (int sample_rate, GError **error);
  gboolean (*output_write) (KioskSpeechOutput *out, const gint16 *samples, gsize n_samples, GError **error);
  /* Waits until what was written has been heard. */
  void (*output_drain) (KioskSpeechOutput *out);
  /* Drops what was written and not yet heard. */
  void (*output_flush) (KioskSpeechOutput *out);
  void (*output_close) (KioskSpeechOutput *out);
} KioskSpeechApi;

G_END_DECLS
