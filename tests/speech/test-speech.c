/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's voice (issue #16): what is said for a text (masked data
 * never, codes one character at a time), prompts rendered to WAV by
 * espeak-ng in Chinese and English and found not silent, the worker thread
 * (a newer text replaces an older one; reports on the main loop), and when
 * the kiosk speaks at all. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "kiosk-speech-text.h"
#include "kiosk-speech.h"

/* ---- text ------------------------------------------------------------------ */

static void
assert_said (const char *text, const char *language, const char *expected)
{
  g_autofree char *said = kiosk_speech_text_prepare (text, language);

  if (g_strcmp0 (said, expected) != 0)
    g_error ("\"%s\" (%s) said \"%s\", expected \"%s\"", text, language, said, expected);
}

static void
test_text_masks (void)
{
  assert_said ("姓名：张*", "zh_CN", "姓名：");
  assert_said ("110101********1234", "zh_CN", "");
  assert_said ("身份证号 110101********1234 请核对", "zh_CN", "身份证号 请核对");
  assert_said ("Name: Z*** San", "en", "Name: San");
  assert_said ("张＊三", "zh_CN", "");
  assert_said ("电话 138●●●●5678", "zh_CN", "电话");
  /* The whole token goes, not only the mask. */
  {
    g_autofree char *said = kiosk_speech_text_prepare ("申请人：王*明，请取回身份证", "zh_CN");

    g_assert_null (strstr (said, "王"));
    g_assert_null (strstr (said, "明"));
    g_assert_nonnull (strstr (said, "请取回身份证"));
  }
  g_assert_false (kiosk_speech_text_is_speakable ("张* 110101********1234"));
  g_assert_true (kiosk_speech_text_is_speakable ("请放置身份证"));
}

static void
test_text_digits (void)
{
  assert_said ("受理编号 KS-20261203-0007", "zh_CN", "受理编号 K S 二 零 二 六 一 二 零 三 零 零 零 七");
  assert_said ("Case KS-2026-0007", "en", "Case K S 2 0 2 6 0 0 0 7");
  assert_said ("电话：0571-88886666", "zh_CN", "电话： 零 五 七 一 八 八 八 八 六 六 六 六");
  /* Short numbers stay numbers. */
  assert_said ("12月3日前补交", "zh_CN", "12月3日前补交");
  assert_said ("第 2 页", "zh_CN", "第 2 页");
  /* Full-width digits too. */
  assert_said ("编号１２３", "zh_CN", "编号 一 二 三");
  assert_said ("  多余   空格\t换行\n", "zh_CN", "多余 空格 换行");
}

static void
test_text_hostile (void)
{
  static const char bad[] = { 'a', (char) 0xff, 'b', (char) 0xc3, 0 };
  g_autofree char *said = kiosk_speech_text_prepare (bad, "en");

  g_assert_true (g_utf8_validate (said, -1, NULL));
  g_free (kiosk_speech_text_prepare (NULL, "zh_CN"));
  g_free (kiosk_speech_text_prepare ("", NULL));
  /* A bidi override or zero-width joiner says nothing. */
  assert_said ("请\u202e放置\u200d身份证", "zh_CN", "请 放置 身份证");
}

/* ---- WAV -------------------------------------------------------------------- */

typedef struct {
  int rate;
  gsize samples;
  double rms;
  double peak;
} Wav;

static gboolean
read_wav (const char *path, Wav *wav)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  const guint8 *p;
  double sum = 0;

  memset (wav, 0, sizeof *wav);
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >=, 44);
  p = (const guint8 *) data;
  g_assert_cmpmem (p, 4, "RIFF", 4);
  g_assert_cmpmem (p + 8, 8, "WAVEfmt ", 8);
  g_assert_cmpuint (p[20] | p[21] << 8, ==, 1);  /* PCM */
  g_assert_cmpuint (p[22] | p[23] << 8, ==, 1);  /* mono */
  g_assert_cmpuint (p[34] | p[35] << 8, ==, 16); /* bits */
  g_assert_cmpmem (p + 36, 4, "data", 4);
  wav->rate = (int) (p[24] | p[25] << 8 | p[26] << 16 | (guint32) p[27] << 24);
  g_assert_cmpuint ((guint32) (p[40] | p[41] << 8 | p[42] << 16 | (guint32) p[43] << 24), ==, len - 44);
  wav->samples = (len - 44) / 2;
  for (gsize i = 0; i < wav->samples; i++)
    {
      gint16 s = (gint16) (p[44 + 2 * i] | p[45 + 2 * i] << 8);

      sum += (double) s * s;
      wav->peak = MAX (wav->peak, fabs ((double) s));
    }
  wav->rms = wav->samples > 0 ? sqrt (sum / (double) wav->samples) : 0;
  return TRUE;
}

/* Not silence: at least 0.5 s of sound, well above the noise floor. */
static void
assert_spoken (const char *path, const char *what)
{
  Wav wav;

  read_wav (path, &wav);
  g_test_message ("%s: %.2f s at %d Hz, RMS %.0f, peak %.0f", what, (double) wav.samples / wav.rate, wav.rate, wav.rms,
                  wav.peak);
  g_assert_cmpint (wav.rate, >=, 8000);
  g_assert_cmpfloat ((double) wav.samples / wav.rate, >=, 0.5);
  g_assert_cmpfloat (wav.rms, >=, 300);
  g_assert_cmpfloat (wav.peak, >=, 3000);
}

static char *tmpdir;

static void
test_render (void)
{
  static const struct {
    const char *language, *text;
  } prompts[] = {
    { "zh_CN", "请将身份证放在感应区" },
    { "zh_CN", "您的受理编号是 KS-20261203-0007" },
    { "en", "Please place your ID card on the reader" },
    { "en", "Your case number is KS-20261203-0007" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (prompts); i++)
    {
      g_autofree char *name = g_strdup_printf ("prompt-%u.wav", i);
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_autoptr (GError) error = NULL;

      if (!kiosk_speech_render_wav (prompts[i].text, prompts[i].language, 150, 80, path, &error))
        g_error ("%s: %s", prompts[i].text, error->message);
      assert_spoken (path, prompts[i].text);
    }

  /* Masked data alone: an empty (silent) file, nothing sent to the voice. */
  {
    g_autofree char *path = g_build_filename (tmpdir, "masked.wav", NULL);
    g_autoptr (GError) error = NULL;
    Wav wav;

    g_assert_true (kiosk_speech_render_wav ("张* 110101********1234", "zh_CN", 150, 80, path, &error));
    g_assert_no_error (error);
    read_wav (path, &wav);
    g_assert_cmpuint (wav.samples, ==, 0);
  }

  /* Volume 0 is silence: the check above can fail. */
  {
    g_autofree char *path = g_build_filename (tmpdir, "mute.wav", NULL);
    Wav wav;

    g_assert_true (kiosk_speech_render_wav ("请将身份证放在感应区", "zh_CN", 150, 0, path, NULL));
    read_wav (path, &wav);
    g_assert_cmpfloat (wav.rms, <, 300);
  }
}

/* ---- the worker ------------------------------------------------------------- */

static KioskConfig *
make_config (const char *voice)
{
  g_autofree char *conf
      = g_strdup_printf ("[kiosk]\nid=kiosk-test\nstation=测试站\n"
                         "[store]\npath=%s/kiosk.db\n[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n"
                         "[voice]\n%s\n",
                         tmpdir, voice);
  g_autoptr (GError) error = NULL;
  KioskConfig *config = kiosk_config_new_from_data (conf, tmpdir, &error);

  g_assert_no_error (error);
  return config;
}

typedef struct {
  guint completed, replaced;
  GPtrArray *texts;
  GThread *thread;
} Spoken;

static void
on_spoken (KioskSpeech *speech, const char *text, gboolean completed, gpointer data)
{
  Spoken *s = data;

  (void) speech;
  g_assert_true (g_thread_self () == s->thread); /* reported on the main loop */
  if (completed)
    s->completed++;
  else
    s->replaced++;
  g_ptr_array_add (s->texts, g_strdup (text));
}

static void
on_failed (KioskSpeech *speech, const char *message, gpointer data)
{
  (void) speech;
  (void) data;
  g_error ("the voice failed: %s", message);
}

static guint
count_wavs (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, ".wav");
  return n;
}

static void
test_worker (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "voice", NULL);
  g_autofree char *line = g_strdup_printf ("mode=always\nwav-dir=%s", dir);
  g_autoptr (KioskConfig) config = make_config (line);
  g_autoptr (KioskSpeech) speech = kiosk_speech_new (config);
  Spoken s = { 0, 0, g_ptr_array_new_with_free_func (g_free), g_thread_self () };
  g_autofree char *first = NULL;

  g_signal_connect (speech, "spoken", G_CALLBACK (on_spoken), &s);
  g_signal_connect (speech, "failed", G_CALLBACK (on_failed), NULL);

  /* Ten texts at once: the last one is said whole; each older one is
   * either replaced or, if the worker got to it first, said. */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *text = g_strdup_printf ("第 %u 条：请将身份证放在感应区", i);

      kiosk_speech_say (speech, text, "zh_CN");
    }
  while (s.completed + s.replaced < 10)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (s.replaced, >=, 1);
  g_assert_cmpstr (g_ptr_array_index (s.texts, 9), ==, "第 9 条：请将身份证放在感应区");
  g_assert_cmpuint (count_wavs (dir), ==, s.completed);
  g_assert_cmpuint (s.completed, >=, 1);
  {
    g_autofree char *name = g_strdup_printf ("%04u.wav", s.completed);
    g_autofree char *path = g_build_filename (dir, name, NULL);

    assert_spoken (path, "worker's last");
  }

  /* 重听: the same text again. */
  first = g_strdup (kiosk_speech_get_last (speech));
  g_assert_true (kiosk_speech_repeat (speech));
  while (s.completed + s.replaced < 11)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (g_ptr_array_index (s.texts, 10), ==, first);

  /* Masked data only: nothing is queued at all. */
  kiosk_speech_say (speech, "张* 110101********1234", "zh_CN");
  g_assert_cmpstr (kiosk_speech_get_last (speech), ==, first);

  /* The session ends: nothing left to repeat. */
  kiosk_speech_stop (speech);
  g_assert_null (kiosk_speech_get_last (speech));
  g_assert_false (kiosk_speech_repeat (speech));
  g_ptr_array_unref (s.texts);
}

/* Finalizing while it speaks: the worker stops, no report reaches a freed
 * object (ASan would say). */
static void
test_worker_finalize (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "voice-fin", NULL);
  g_autofree char *line = g_strdup_printf ("wav-dir=%s", dir);
  g_autoptr (KioskConfig) config = make_config (line);
  KioskSpeech *speech = kiosk_speech_new (config);

  kiosk_speech_say (speech, "请将身份证放在感应区，然后按照屏幕上的提示办理", "zh_CN");
  g_usleep (20 * 1000);
  g_object_unref (speech);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_should_speak (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) noon = g_date_time_new (utc, 2026, 12, 3, 12, 0, 0);
  g_autoptr (GDateTime) night = g_date_time_new (utc, 2026, 12, 3, 23, 30, 0);
  g_autoptr (GDateTime) dawn = g_date_time_new (utc, 2026, 12, 3, 6, 59, 0);
  g_autoptr (GDateTime) seven = g_date_time_new (utc, 2026, 12, 3, 7, 0, 0);

  {
    g_autoptr (KioskConfig) config = make_config ("");
    g_autoptr (KioskSpeech) speech = kiosk_speech_new (config);

    g_assert_cmpint (kiosk_speech_get_mode (speech), ==, KIOSK_SPEECH_MODE_ELDER);
    g_assert_true (kiosk_speech_should_speak (speech, TRUE, -1, noon));
    g_assert_false (kiosk_speech_should_speak (speech, FALSE, -1, noon));
    /* Switchable in any mode. */
    g_assert_true (kiosk_speech_should_speak (speech, FALSE, 1, noon));
    g_assert_false (kiosk_speech_should_speak (speech, TRUE, 0, noon));
  }
  {
    g_autoptr (KioskConfig) config = make_config ("mode=always\nquiet-hours=22:00-07:00");
    g_autoptr (KioskSpeech) speech = kiosk_speech_new (config);

    g_assert_true (kiosk_speech_should_speak (speech, FALSE, -1, noon));
    g_assert_false (kiosk_speech_should_speak (speech, TRUE, 1, night));
    g_assert_false (kiosk_speech_should_speak (speech, TRUE, 1, dawn));
    g_assert_true (kiosk_speech_should_speak (speech, TRUE, 1, seven));
  }
  {
    g_autoptr (KioskConfig) config = make_config ("mode=off");
    g_autoptr (KioskSpeech) speech = kiosk_speech_new (config);

    g_assert_false (kiosk_speech_should_speak (speech, TRUE, 1, noon));
  }
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *conf
        = g_strdup_printf ("[kiosk]\nid=k\nstation=s\n[store]\npath=%s/k.db\n"
                           "[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n[voice]\nquiet-hours=25:00-07:00\n",
                           tmpdir);
    KioskConfig *config = kiosk_config_new_from_data (conf, tmpdir, &error);

    g_assert_null (config);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "quiet-hours"));
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("kiosk-speech-XXXXXX", NULL);
  g_test_add_func ("/speech/text/masks", test_text_masks);
  g_test_add_func ("/speech/text/digits", test_text_digits);
  g_test_add_func ("/speech/text/hostile", test_text_hostile);
  g_test_add_func ("/speech/render", test_render);
  g_test_add_func ("/speech/worker", test_worker);
  g_test_add_func ("/speech/worker-finalize", test_worker_finalize);
  g_test_add_func ("/speech/should-speak", test_should_speak);
  status = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmpdir);
  }
  g_free (tmpdir);
  return status;
}
