/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-speech"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "kiosk-module.h"
#include "kiosk-speech-module.h"
#include "kiosk-speech-text.h"
#include "kiosk-speech.h"

/* Shared by the object and its worker's reports: the reports run on the
 * object's main context, and the object clears @self there when it is
 * finalized, so a late report finds NULL instead of a freed object. */
typedef struct {
  gatomicrefcount ref;
  KioskSpeech *self;
} Bridge;

typedef struct {
  int generation;
  gboolean quit;
  char *text; /* prepared */
  char *language;
} Request;

struct _KioskSpeech {
  GObject parent_instance;

  KioskSpeechMode mode;
  int rate, volume;
  int quiet_from, quiet_to; /* minutes after midnight; -1: no quiet hours */
  char *wav_dir;

  GMainContext *context;
  Bridge *bridge;
  GThread *thread;
  GAsyncQueue *queue;
  int generation; /* atomic */

  char *last_text; /* prepared; main thread */
  char *last_language;
};

enum { SIGNAL_SPOKEN, SIGNAL_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KioskSpeech, kiosk_speech, G_TYPE_OBJECT)

static Bridge *
bridge_ref (Bridge *b)
{
  g_atomic_ref_count_inc (&b->ref);
  return b;
}

static void
bridge_unref (Bridge *b)
{
  if (g_atomic_ref_count_dec (&b->ref))
    g_free (b);
}

static void
request_free (Request *r)
{
  g_free (r->text);
  g_free (r->language);
  g_free (r);
}

const char *
kiosk_speech_voice_for (const char *language)
{
  return language == NULL || g_str_has_prefix (language, "zh") ? "cmn" : "en";
}

/* ---- reports to the main context ------------------------------------------- */

typedef struct {
  Bridge *bridge;
  guint signal;
  char *text;
  gboolean completed;
} Report;

static gboolean
report_dispatch (gpointer data)
{
  Report *r = data;

  if (r->bridge->self != NULL)
    {
      if (r->signal == SIGNAL_SPOKEN)
        g_signal_emit (r->bridge->self, signals[SIGNAL_SPOKEN], 0, r->text, r->completed);
      else
        g_signal_emit (r->bridge->self, signals[SIGNAL_FAILED], 0, r->text);
    }
  bridge_unref (r->bridge);
  g_free (r->text);
  g_free (r);
  return G_SOURCE_REMOVE;
}

static void
report (KioskSpeech *self, guint signal, const char *text, gboolean completed)
{
  Report *r = g_new0 (Report, 1);

  r->bridge = bridge_ref (self->bridge);
  r->signal = signal;
  r->text = g_strdup (text);
  r->completed = completed;
  /* Ownership of r passes to the main context (report_dispatch frees it). */
  g_main_context_invoke (self->context, report_dispatch, r);
  // cppcheck-suppress memleak
}

/* ---- the worker ------------------------------------------------------------ */

typedef struct {
  KioskSpeech *self;
  int generation;
  const KioskSpeechApi *api;
  KioskSpeechOutput *out;
  GByteArray *wav; /* when writing files */
  GError *error;
} Utterance;

static gboolean
utterance_samples (const gint16 *samples, gsize n, gpointer user_data)
{
  Utterance *u = user_data;

  if (g_atomic_int_get (&u->self->generation) != u->generation)
    return FALSE; /* replaced */
  if (u->wav != NULL)
    {
      g_byte_array_append (u->wav, (const guint8 *) samples, (guint) (n * sizeof (gint16)));
      return TRUE;
    }
  if (u->out != NULL && u->error == NULL)
    return u->api->output_write (u->out, samples, n, &u->error);
  return TRUE;
}

static void
put_le32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) v;
  p[1] = (guint8) (v >> 8);
  p[2] = (guint8) (v >> 16);
  p[3] = (guint8) (v >> 24);
}

static void
put_le16 (guint8 *p, guint16 v)
{
  p[0] = (guint8) v;
  p[1] = (guint8) (v >> 8);
}

/* A four-character chunk tag (no terminating NUL in the file). */
static void
put_tag (guint8 *p, const char tag[4])
{
  for (int i = 0; i < 4; i++)
    p[i] = (guint8) tag[i];
}

/* A canonical 44-byte RIFF/WAVE header for 16-bit mono PCM. */
static gboolean
write_wav (const char *path, int rate, const guint8 *pcm, gsize len, GError **error)
{
  g_autofree guint8 *file = NULL;
  guint8 *h;

  if (len > G_MAXUINT32 - 44)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: too long for a WAV file", path);
      return FALSE;
    }
  file = g_malloc (44 + len);
  h = file;
  put_tag (h, "RIFF");
  put_le32 (h + 4, (guint32) (36 + len));
  put_tag (h + 8, "WAVE");
  put_tag (h + 12, "fmt ");
  put_le32 (h + 16, 16);
  put_le16 (h + 20, 1); /* PCM */
  put_le16 (h + 22, 1); /* mono */
  put_le32 (h + 24, (guint32) rate);
  put_le32 (h + 28, (guint32) rate * 2);
  put_le16 (h + 32, 2);
  put_le16 (h + 34, 16);
  put_tag (h + 36, "data");
  put_le32 (h + 40, (guint32) len);
  if (len > 0)
    memcpy (file + 44, pcm, len);
  return g_file_set_contents_full (path, (const char *) file, (gssize) (44 + len), G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

static const KioskSpeechApi *
load_api (GError **error)
{
  return kiosk_module_lookup (KIOSK_SPEECH_MODULE, KIOSK_SPEECH_MODULE_SYMBOL, KIOSK_SPEECH_API_VERSION, error);
}

static void
fail_once (KioskSpeech *self, GHashTable *said, const char *message)
{
  if (g_hash_table_contains (said, message))
    return;
  g_hash_table_add (said, g_strdup (message));
  /* A kiosk without a sound card works on: a message, not a warning. */
  g_message ("speech: %s", message);
  report (self, SIGNAL_FAILED, message, FALSE);
}

static gpointer
worker (gpointer data)
{
  KioskSpeech *self = data;
  g_autoptr (GHashTable) said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const KioskSpeechApi *api = NULL;
  KioskSpeechOutput *out = NULL;
  guint n_files = 0;
  int sample_rate = 0;
  gint64 next_open = 0; /* no sound card: tried again after a while */

  for (;;)
    {
      Request *req = g_async_queue_pop (self->queue);
      Utterance u = { self, req->generation, NULL, NULL, NULL, NULL };
      g_autoptr (GError) error = NULL;
      gboolean completed = FALSE;

      if (req->quit)
        {
          request_free (req);
          break;
        }
      if (g_atomic_int_get (&self->generation) != req->generation)
        goto done; /* replaced before it began */
      if (api == NULL && (api = load_api (&error)) == NULL)
        {
          fail_once (self, said, error->message);
          goto done;
        }
      if (sample_rate == 0 && (sample_rate = api->init (&error)) == 0)
        {
          fail_once (self, said, error->message);
          goto done;
        }
      u.api = api;
      if (self->wav_dir != NULL)
        u.wav = g_byte_array_new ();
      else
        {
          if (out == NULL && g_get_monotonic_time () < next_open)
            goto done;
          if (out == NULL && (out = api->output_open (sample_rate, &error)) == NULL)
            {
              /* No sound card: nothing is heard; said once, tried again
               * half a minute later (a USB speaker may come back). */
              next_open = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
              fail_once (self, said, error->message);
              goto done;
            }
          api->output_flush (out); /* the tail of the text it replaces */
          u.out = out;
        }
      if (!api->synthesize (kiosk_speech_voice_for (req->language), self->rate, self->volume, req->text,
                            utterance_samples, &u, &error))
        fail_once (self, said, error->message);
      else if (u.error != NULL)
        {
          fail_once (self, said, u.error->message);
          /* The device went away: open it afresh next time. */
          api->output_close (out);
          out = NULL;
        }
      else
        completed = g_atomic_int_get (&self->generation) == req->generation;
      if (u.wav != NULL && completed)
        {
          g_autofree char *name = g_strdup_printf ("%04u.wav", ++n_files);
          g_autofree char *path = g_build_filename (self->wav_dir, name, NULL);
          g_autoptr (GError) werr = NULL;

          if (!write_wav (path, sample_rate, u.wav->data, u.wav->len, &werr))
            fail_once (self, said, werr->message);
        }
      if (u.wav != NULL)
        g_byte_array_unref (u.wav);
      g_clear_error (&u.error);
    done:
      report (self, SIGNAL_SPOKEN, req->text, completed);
      request_free (req);
    }
  if (out != NULL)
    api->output_close (out);
  return NULL;
}

/* ---- the object ------------------------------------------------------------ */

static void
kiosk_speech_finalize (GObject *object)
{
  KioskSpeech *self = KIOSK_SPEECH (object);

  if (self->thread != NULL)
    {
      Request *quit = g_new0 (Request, 1);

      g_atomic_int_inc (&self->generation);
      quit->quit = TRUE;
      g_async_queue_push_front (self->queue, quit);
      g_thread_join (self->thread);
    }
  if (self->queue != NULL)
    g_async_queue_unref (self->queue);
  self->bridge->self = NULL;
  bridge_unref (self->bridge);
  g_main_context_unref (self->context);
  g_free (self->wav_dir);
  g_free (self->last_text);
  g_free (self->last_language);
  G_OBJECT_CLASS (kiosk_speech_parent_class)->finalize (object);
}

static void
kiosk_speech_class_init (KioskSpeechClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_speech_finalize;
  signals[SIGNAL_SPOKEN] = g_signal_new ("spoken", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kiosk_speech_init (KioskSpeech *self)
{
  self->bridge = g_new0 (Bridge, 1);
  g_atomic_ref_count_init (&self->bridge->ref);
  self->bridge->self = self;
  self->context = g_main_context_ref_thread_default ();
  self->quiet_from = self->quiet_to = -1;
  self->rate = 175;
  self->volume = 80;
}

/* Two digits at @p as a number, or -1. */
static int
two_digits (const char *p)
{
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
    return -1;
  return (p[0] - '0') * 10 + (p[1] - '0');
}

/* "HH:MM-HH:MM" → minutes; FALSE when malformed (the schema checks it). */
static gboolean
parse_quiet_hours (const char *text, int *from, int *to)
{
  int h1, m1, h2, m2;

  if (text == NULL || strlen (text) != 11 || text[2] != ':' || text[5] != '-' || text[8] != ':')
    return FALSE;
  h1 = two_digits (text);
  m1 = two_digits (text + 3);
  h2 = two_digits (text + 6);
  m2 = two_digits (text + 9);
  if (h1 < 0 || h1 > 23 || h2 < 0 || h2 > 23 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59)
    return FALSE;
  *from = h1 * 60 + m1;
  *to = h2 * 60 + m2;
  return TRUE;
}

KioskSpeech *
kiosk_speech_new (KioskConfig *config)
{
  KioskSpeech *self = g_object_new (KIOSK_TYPE_SPEECH, NULL);
  g_autofree char *mode = NULL;
  g_autofree char *quiet = NULL;

  if (config != NULL)
    {
      mode = kiosk_config_get_string (config, "voice", "mode");
      quiet = kiosk_config_get_string (config, "voice", "quiet-hours");
      self->rate = kiosk_config_get_int (config, "voice", "rate");
      self->volume = kiosk_config_get_int (config, "voice", "volume");
      self->wav_dir = kiosk_config_get_path_value (config, "voice", "wav-dir");
      if (self->wav_dir != NULL && *self->wav_dir == '\0')
        g_clear_pointer (&self->wav_dir, g_free);
    }
  if (g_strcmp0 (mode, "always") == 0)
    self->mode = KIOSK_SPEECH_MODE_ALWAYS;
  else if (g_strcmp0 (mode, "off") == 0)
    self->mode = KIOSK_SPEECH_MODE_OFF;
  if (quiet != NULL && *quiet != '\0' && !parse_quiet_hours (quiet, &self->quiet_from, &self->quiet_to))
    g_warning ("speech: [voice] quiet-hours \"%s\" is not HH:MM-HH:MM; ignored", quiet);
  if (self->wav_dir != NULL)
    g_mkdir_with_parents (self->wav_dir, 0700);
  return self;
}

KioskSpeechMode
kiosk_speech_get_mode (KioskSpeech *self)
{
  g_return_val_if_fail (KIOSK_IS_SPEECH (self), KIOSK_SPEECH_MODE_OFF);
  return self->mode;
}

gboolean
kiosk_speech_should_speak (KioskSpeech *self, gboolean elder_mode, int resident_choice, GDateTime *now)
{
  g_return_val_if_fail (KIOSK_IS_SPEECH (self), FALSE);
  if (self->mode == KIOSK_SPEECH_MODE_OFF)
    return FALSE;
  if (self->quiet_from >= 0 && self->quiet_from != self->quiet_to)
    {
      g_autoptr (GDateTime) local = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_local ();
      int minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
      gboolean quiet = self->quiet_from < self->quiet_to ? minute >= self->quiet_from && minute < self->quiet_to
                                                         : minute >= self->quiet_from || minute < self->quiet_to;

      if (quiet)
        return FALSE;
    }
  if (resident_choice >= 0)
    return resident_choice > 0;
  return self->mode == KIOSK_SPEECH_MODE_ALWAYS || elder_mode;
}

static void
enqueue (KioskSpeech *self, const char *prepared, const char *language)
{
  Request *req = g_new0 (Request, 1);

  req->generation = g_atomic_int_add (&self->generation, 1) + 1;
  req->text = g_strdup (prepared);
  req->language = g_strdup (language);
  if (self->thread == NULL)
    {
      self->queue = g_async_queue_new ();
      self->thread = g_thread_new ("kiosk-speech", worker, self);
    }
  /* Ownership of req passes to the worker. */
  g_async_queue_push (self->queue, req);
  // cppcheck-suppress memleak
}

void
kiosk_speech_say (KioskSpeech *self, const char *text, const char *language)
{
  g_autofree char *prepared = NULL;

  g_return_if_fail (KIOSK_IS_SPEECH (self));
  prepared = kiosk_speech_text_prepare (text, language);
  if (*prepared == '\0')
    return;
  g_free (self->last_text);
  self->last_text = g_strdup (prepared);
  g_free (self->last_language);
  self->last_language = g_strdup (language);
  enqueue (self, prepared, language);
}

gboolean
kiosk_speech_repeat (KioskSpeech *self)
{
  g_return_val_if_fail (KIOSK_IS_SPEECH (self), FALSE);
  if (self->last_text == NULL)
    return FALSE;
  enqueue (self, self->last_text, self->last_language);
  return TRUE;
}

void
kiosk_speech_stop (KioskSpeech *self)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));
  g_atomic_int_inc (&self->generation);
  g_clear_pointer (&self->last_text, g_free);
  g_clear_pointer (&self->last_language, g_free);
}

const char *
kiosk_speech_get_last (KioskSpeech *self)
{
  g_return_val_if_fail (KIOSK_IS_SPEECH (self), NULL);
  return self->last_text;
}

/* ---- rendering for tests and kioskctl -------------------------------------- */

static gboolean
collect_samples (const gint16 *samples, gsize n, gpointer user_data)
{
  g_byte_array_append (user_data, (const guint8 *) samples, (guint) (n * sizeof (gint16)));
  return TRUE;
}

gboolean
kiosk_speech_render_wav (const char *text, const char *language, int rate, int volume, const char *path, GError **error)
{
  const KioskSpeechApi *api = load_api (error);
  g_autofree char *prepared = NULL;
  g_autoptr (GByteArray) pcm = NULL;
  int sample_rate;

  if (api == NULL || (sample_rate = api->init (error)) == 0)
    return FALSE;
  prepared = kiosk_speech_text_prepare (text, language);
  pcm = g_byte_array_new ();
  if (*prepared != '\0'
      && !api->synthesize (kiosk_speech_voice_for (language), rate, volume, prepared, collect_samples, pcm, error))
    return FALSE;
  return write_wav (path, sample_rate, pcm->data, pcm->len, error);
}
