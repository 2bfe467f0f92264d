/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The voice as the core gives it to the UI (issue #16): heard in 长辈模式
 * by default, switchable by the resident in any mode, silent when the
 * configuration says so, forgotten at the wipe, and never given masked
 * personal data. The kiosk writes each utterance as a WAV file here
 * ([voice] wav-dir), so what is "heard" is checked for real. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kiosk-core-voice.h"

static char *tmpdir;

static KioskCore *
make_core (const char *voice, const char *wav_dir)
{
  g_autofree char *conf = g_strdup_printf ("[kiosk]\nid=kiosk-test\nstation=测试站\n"
                                           "[store]\npath=%s/kiosk.db\n"
                                           "[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n"
                                           "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n"
                                           "[printer]\nbackend=sim\n[voice]\n%s\nwav-dir=%s\n",
                                           tmpdir, voice, wav_dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config = kiosk_config_new_from_data (conf, tmpdir, &error);

  g_assert_no_error (error);
  return kiosk_core_new (config);
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
wait_wavs (const char *dir, guint n)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (count_wavs (dir) < n && g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10 * 1000);
    }
  g_assert_cmpuint (count_wavs (dir), ==, n);
}

static void
test_elder_default (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "elder", NULL);
  g_autoptr (KioskCore) core = make_core ("", dir);
  KioskSession *session = kiosk_core_get_session (core);

  /* Normal mode: silent, but the prompt is kept for 重听. */
  g_assert_false (kiosk_core_get_voice_on (core));
  g_assert_false (kiosk_core_say (core, "请将身份证放在读卡区"));
  g_assert_cmpstr (kiosk_core_get_last_prompt (core), ==, "请将身份证放在读卡区");

  /* 长辈模式: heard. */
  kiosk_session_set_elder_mode (session, TRUE);
  g_assert_true (kiosk_core_get_voice_on (core));
  g_assert_true (kiosk_core_say (core, "请选择要办理的业务"));
  wait_wavs (dir, 1);

  /* The resident switches it off, even in 长辈模式. */
  kiosk_core_set_voice_on (core, FALSE);
  g_assert_false (kiosk_core_say (core, "请选择要办理的业务"));
  g_assert_false (kiosk_core_say_again (core));

  /* The wipe forgets the switch and the text; 长辈模式 is the session's. */
  kiosk_session_wipe (session);
  g_assert_null (kiosk_core_get_last_prompt (core));
  g_assert_false (kiosk_core_say_again (core));
  g_assert_false (kiosk_session_get_elder_mode (session));
  g_assert_false (kiosk_core_get_voice_on (core));

  /* Switched on in normal mode: heard. */
  kiosk_core_set_voice_on (core, TRUE);
  g_assert_true (kiosk_core_say (core, "请将身份证放在读卡区"));
  wait_wavs (dir, 2);
}

static void
test_off (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "off", NULL);
  g_autoptr (KioskCore) core = make_core ("mode=off", dir);

  kiosk_session_set_elder_mode (kiosk_core_get_session (core), TRUE);
  kiosk_core_set_voice_on (core, TRUE);
  g_assert_false (kiosk_core_get_voice_on (core));
  g_assert_false (kiosk_core_say (core, "请选择要办理的业务"));
  g_usleep (200 * 1000);
  g_assert_cmpuint (count_wavs (dir), ==, 0);
}

static void
test_privacy (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "privacy", NULL);
  g_autoptr (KioskCore) core = make_core ("mode=always", dir);

  g_assert_true (kiosk_core_say (core, "申请人：张*，身份证号：110101********1234，请核对"));
  g_assert_null (strstr (kiosk_core_get_last_prompt (core), "张"));
  g_assert_null (strstr (kiosk_core_get_last_prompt (core), "1234"));
  g_assert_nonnull (strstr (kiosk_core_get_last_prompt (core), "请核对"));
  /* Nothing left to say: nothing is queued, the last prompt stays. */
  g_assert_false (kiosk_core_say (core, "张*"));
  g_assert_nonnull (strstr (kiosk_core_get_last_prompt (core), "请核对"));
  wait_wavs (dir, 1);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("kiosk-core-voice-XXXXXX", NULL);
  g_test_add_func ("/core-voice/elder-default", test_elder_default);
  g_test_add_func ("/core-voice/off", test_off);
  g_test_add_func ("/core-voice/privacy", test_privacy);
  status = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmpdir);
  }
  g_free (tmpdir);
  return status;
}
