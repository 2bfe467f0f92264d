/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-speech"

/* The kiosk-espeak module: the only file that includes espeak-ng's and
 * pcaudiolib's headers. Only kiosk_speech_module() is exported. Synthesis
 * runs in espeak-ng's synchronous mode: its callback hands us the samples,
 * which the caller writes to the audio device (or to a WAV file), and a
 * callback that returns 1 stops the utterance at once. */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>

#include <espeak-ng/speak_lib.h>
#include <pcaudiolib/audio.h>

#include "kiosk-speech-module.h"

struct _KioskSpeechOutput {
  struct audio_object *object;
};

static int sample_rate;
static char *init_error;
static KioskSpeechSamplesFunc current_func;
static gpointer current_data;
static gboolean current_stopped;

static int
synth_callback (short *wav, int numsamples, espeak_EVENT *events)
{
  (void) events;
  if (current_stopped)
    return 1;
  if (wav != NULL && numsamples > 0 && current_func != NULL
      && !current_func ((const gint16 *) wav, (gsize) numsamples, current_data))
    {
      current_stopped = TRUE;
      return 1;
    }
  return 0;
}

static int
speech_init (GError **error)
{
  if (sample_rate > 0)
    return sample_rate;
  if (init_error == NULL)
    {
      /* Synchronous: no playback thread of espeak-ng's own; NULL: the
       * data folder espeak-ng was built with. */
      int rate = espeak_Initialize (AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);

      if (rate > 0)
        {
          sample_rate = rate;
          espeak_SetSynthCallback (synth_callback);
          return sample_rate;
        }
      init_error = g_strdup ("espeak-ng could not be initialised (is espeak-ng-data installed?)");
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, init_error);
  return 0;
}

static gboolean
speech_synthesize (const char *voice, int rate, int volume, const char *text, KioskSpeechSamplesFunc func,
                   gpointer user_data, GError **error)
{
  espeak_ERROR err;

  if (speech_init (error) == 0)
    return FALSE;
  if (espeak_SetVoiceByName (voice) != EE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "espeak-ng has no voice \"%s\"", voice);
      return FALSE;
    }
  espeak_SetParameter (espeakRATE, CLAMP (rate, espeakRATE_MINIMUM, espeakRATE_MAXIMUM), 0);
  espeak_SetParameter (espeakVOLUME, CLAMP (volume, 0, 200), 0);
  current_func = func;
  current_data = user_data;
  current_stopped = FALSE;
  err = espeak_Synth (text, strlen (text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
  if (err == EE_OK)
    err = espeak_Synchronize ();
  current_func = NULL;
  current_data = NULL;
  if (err != EE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "espeak-ng failed to speak (error %d)", (int) err);
      return FALSE;
    }
  return TRUE;
}

static KioskSpeechOutput *
speech_output_open (int rate, GError **error)
{
  struct audio_object *object = create_audio_device_object (NULL, "kiosk", "speech");
  int err;
  KioskSpeechOutput *out;

  if (object == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no audio device (PulseAudio or ALSA)");
      return NULL;
    }
  err = audio_object_open (object, AUDIO_OBJECT_FORMAT_S16LE, (uint32_t) rate, 1);
  if (err != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "audio device: %s",
                   audio_object_strerror (object, err) ? audio_object_strerror (object, err) : g_strerror (ABS (err)));
      audio_object_destroy (object);
      return NULL;
    }
  out = g_new0 (KioskSpeechOutput, 1);
  out->object = object;
  return out;
}

static gboolean
speech_output_write (KioskSpeechOutput *out, const gint16 *samples, gsize n, GError **error)
{
  int err = audio_object_write (out->object, samples, n * sizeof (gint16));

  if (err != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "audio device: %s",
                   audio_object_strerror (out->object, err) ? audio_object_strerror (out->object, err)
                                                            : g_strerror (ABS (err)));
      return FALSE;
    }
  return TRUE;
}

static void
speech_output_drain (KioskSpeechOutput *out)
{
  audio_object_drain (out->object);
}

static void
speech_output_flush (KioskSpeechOutput *out)
{
  audio_object_flush (out->object);
}

static void
speech_output_close (KioskSpeechOutput *out)
{
  if (out == NULL)
    return;
  audio_object_close (out->object);
  audio_object_destroy (out->object);
  g_free (out);
}

static const KioskSpeechApi api = {
  .version = KIOSK_SPEECH_API_VERSION,
  .init = speech_init,
  .synthesize = speech_synthesize,
  .output_open = speech_output_open,
  .output_write = speech_output_write,
  .output_drain = speech_output_drain,
  .output_flush = speech_output_flush,
  .output_close = speech_output_close,
};

__attribute__ ((visibility ("default"))) const KioskSpeechApi *kiosk_speech_module (void);

const KioskSpeechApi *
kiosk_speech_module (void)
{
  return &api;
}
