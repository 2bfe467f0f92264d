/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The voice on screen under Xvfb (issue #16): each screen's prompt is said
 * when the screen appears, in Chinese and in English, and what is heard
 * (espeak-ng writing WAV files through [voice] wav-dir) is not silence;
 * 长辈模式 turns the voice on, the 语音 switch turns it on or off in any
 * mode, 重听 says the prompt again; a card notice is heard; the resident's
 * name is never said; the controls are named by their labels and 64 px.
 * Screenshots in KIOSK_SCREENSHOT_DIR. Skips (77) without a display. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "kiosk-core-voice.h"
#include "kiosk-progress-journey.h"
#include "kiosk-shell.h"
#include "kiosk-store.h"
#include "kiosk-ui-test.h"
#include "kiosk-voice-bar.h"
#include "kiosk-window.h"

static struct {
  char *dir, *wavs;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
} T;

static guint
count_wavs (void)
{
  g_autoptr (GDir) d = g_dir_open (T.wavs, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, ".wav");
  return n;
}

/* RMS of WAV file number @n (16-bit mono, after the 44-byte header). */
static double
wav_rms (guint n, double *seconds)
{
  g_autofree char *name = g_strdup_printf ("%04u.wav", n);
  g_autofree char *path = g_build_filename (T.wavs, name, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  double sum = 0;
  gsize samples;
  const guint8 *p;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >=, 44);
  p = (const guint8 *) data;
  samples = (len - 44) / 2;
  for (gsize i = 0; i < samples; i++)
    {
      gint16 s = (gint16) (p[44 + 2 * i] | p[45 + 2 * i] << 8);
      sum += (double) s * s;
    }
  *seconds = (double) samples / (double) (p[24] | p[25] << 8 | p[26] << 16);
  return samples ? sqrt (sum / (double) samples) : 0;
}

/* The screen's prompt is heard: one more WAV file, not silence, and the
 * core's last prompt contains @expected. */
static void
assert_heard (guint *n, const char *expected, const char *what)
{
  double seconds, rms;

  KIOSK_UI_TEST_WAIT_FOR (count_wavs () >= *n + 1, 60);
  (*n)++;
  g_assert_cmpuint (count_wavs (), ==, *n);
  rms = wav_rms (*n, &seconds);
  g_test_message ("%s: \"%s\" %.2f s, RMS %.0f", what, kiosk_core_get_last_prompt (T.core), seconds, rms);
  g_assert_cmpfloat (seconds, >=, 0.5);
  g_assert_cmpfloat (rms, >=, 300);
  if (strstr (kiosk_core_get_last_prompt (T.core), expected) == NULL)
    g_error ("%s: said \"%s\", expected \"%s\"", what, kiosk_core_get_last_prompt (T.core), expected);
}

/* 进度查询 entered by an identified resident: its prompt is heard, and
 * the message that 我的办件 cannot be listed (no platform here) with it or
 * just after, as the list's answer comes before or after the first
 * frame; both are waited for. */
static void
assert_heard_progress (guint *n, const char *what)
{
  KioskProgressJourney *progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session));

  assert_heard (n, "受理编号", what);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_progress_journey_get_mine_state (progress) != KIOSK_PROGRESS_MINE_LOADING, 30);
  KIOSK_UI_TEST_WAIT_FOR (strstr (kiosk_core_get_last_prompt (T.core), "连不上") != NULL, 10);
  kiosk_ui_test_settle (300);
  *n = count_wavs ();
}

/* Nothing more is heard for a moment. */
static void
assert_silent (guint n)
{
  kiosk_ui_test_settle (600);
  g_assert_cmpuint (count_wavs (), ==, n);
}

static KioskIdentity *
resident (void)
{
  KioskIdentity *id = kiosk_identity_new ();

  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("王秀英");
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  id->birth_date = g_strdup ("1949-12-31");
  return id;
}

static void
test_controls (void)
{
  GtkWidget *repeat, *sw;
  graphene_rect_t r;

  /* Not on the attract screen (no header there: its 长辈模式 pill turns
   * the voice on); on every screen of a session. */
  kiosk_ui_test_wait_frame ();
  g_assert_null (kiosk_ui_test_button ("重听"));
  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  repeat = kiosk_ui_test_button ("重听");
  sw = kiosk_ui_test_button ("语音：关");

  g_assert_nonnull (repeat);
  g_assert_nonnull (sw);
  /* Named by their visible labels. */
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (repeat)), ==, "重听");
  g_assert_true (gtk_widget_compute_bounds (repeat, repeat, &r));
  g_assert_cmpfloat (r.size.height, >=, 64);
  g_assert_cmpfloat (r.size.width, >=, 64);
  g_assert_true (gtk_widget_compute_bounds (sw, sw, &r));
  g_assert_cmpfloat (r.size.height, >=, 64);
  kiosk_ui_test_screenshot ("menu-voice-off");
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

static void
test_walk (void)
{
  guint n = 0;
  g_autoptr (KioskIdentity) id = resident ();

  /* Normal mode: the prompt is kept, nothing heard. */
  g_assert_false (kiosk_core_get_voice_on (T.core));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_last_prompt (T.core) != NULL, 5);
  g_assert_nonnull (strstr (kiosk_core_get_last_prompt (T.core), "请将身份证放在读卡区"));
  assert_silent (0);

  /* 长辈模式 turns it on and says where the resident is. */
  kiosk_session_set_elder_mode (T.session, TRUE);
  assert_heard (&n, "请将身份证放在读卡区", "attract (长辈模式)");

  /* A card: the menu; the name on the header chip is never said. */
  g_assert_true (kiosk_session_identity_read (T.session, id));
  assert_heard (&n, "请选择要办理的业务", "menu");
  g_assert_null (strstr (kiosk_core_get_last_prompt (T.core), "王"));
  kiosk_ui_test_wait_frame ();
  g_assert_nonnull (kiosk_ui_test_button ("语音：开"));
  kiosk_ui_test_screenshot ("menu-elder-voice-on");

  g_assert_true (kiosk_session_select_journey (T.session, "guide"));
  assert_heard (&n, "办事指南", "办事指南");
  kiosk_ui_test_screenshot ("guide-elder-voice");
  g_assert_true (kiosk_session_back (T.session));
  assert_heard (&n, "请选择要办理的业务", "menu again");
  g_assert_true (kiosk_session_select_journey (T.session, "progress"));
  assert_heard_progress (&n, "进度查询");

  /* Choices read out as they are touched (real clicks through the X
   * server): the first touch on 返回 says it and goes no further, the
   * second chooses it. */
  {
    GtkWidget *home = kiosk_ui_test_button ("返回");
    graphene_point_t c;

    g_assert_nonnull (home);
    g_assert_true (gtk_widget_compute_point (
        home, GTK_WIDGET (T.window),
        &GRAPHENE_POINT_INIT (gtk_widget_get_width (home) / 2.0, gtk_widget_get_height (home) / 2.0), &c));
    if (kiosk_ui_test_x_click ((int) c.x, (int) c.y))
      {
        assert_heard (&n, "返回", "first touch on 返回");
        g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_JOURNEY);
        g_assert_true (kiosk_ui_test_x_click ((int) c.x, (int) c.y));
        KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_MENU, 10);
        assert_heard (&n, "请选择要办理的业务", "menu after the second touch");
        g_assert_true (kiosk_session_select_journey (T.session, "progress"));
        assert_heard_progress (&n, "进度查询 again");
      }
    else
      g_test_message ("no XTest here: the touch-to-hear path is not clicked for real");
  }

  /* 重听. */
  kiosk_ui_test_click ("重听");
  assert_heard (&n, "受理编号", "重听");

  /* A card notice is heard. */
  kiosk_session_card_notice (T.session, KIOSK_CARD_NOTICE_READ_FAILED);
  assert_heard (&n, "读卡失败", "card notice");

  /* The resident switches it off: nothing more, even in 长辈模式. */
  kiosk_ui_test_click ("语音：开");
  kiosk_ui_test_wait_frame ();
  g_assert_nonnull (kiosk_ui_test_button ("语音：关"));
  g_assert_true (kiosk_session_back (T.session));
  assert_silent (n);

  /* The wipe: back to the configured default (長辈模式 off: silent). */
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
  assert_silent (n);
  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  assert_silent (n);

  /* Switched on in normal mode (重听 of the menu), then English. */
  kiosk_ui_test_click ("语音：关");
  assert_heard (&n, "请选择要办理的业务", "menu, switched on");

  kiosk_session_set_language (T.session, "en");
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_settle (100);
  /* The switch is the session's: still on after the language changed. */
  assert_heard (&n, "Choose what you want to do", "menu in English");
  g_assert_nonnull (kiosk_ui_test_button ("Voice: on"));
  kiosk_ui_test_screenshot ("menu-en-voice-on");
  g_assert_true (kiosk_session_select_journey (T.session, "guide"));
  assert_heard (&n, "service guide", "办事指南 in English");
  kiosk_session_set_language (T.session, "zh_CN");
  kiosk_session_wipe (T.session);
}

/* A message a screen shows is said when it appears ("every error speaks
 * its plain message"): 进度查询 with the platform out of reach, and a
 * message added to a screen, with the screen's prompt or alone. */
static void
test_alerts (void)
{
  guint n = count_wavs ();
  GtkWidget *box, *alert;

  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
  g_assert_true (kiosk_session_touch (T.session));
  kiosk_core_set_voice_on (T.core, TRUE);
  g_assert_true (kiosk_session_select_journey (T.session, "progress"));
  assert_heard (&n, "受理编号", "进度查询");
  kiosk_progress_journey_query (KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session)),
                                "RP-01-20261203-000001K");
  assert_heard (&n, "现在连不上政务服务平台", "the platform out of reach");
  kiosk_ui_test_screenshot ("progress-unreachable-said");

  /* Shown on its own, later: said alone, once. */
  box = kiosk_ui_test_find_type (NULL, GTK_TYPE_BOX);
  alert = gtk_label_new ("打印机缺纸，请联系工作人员。");
  gtk_widget_add_css_class (alert, "print-problem");
  gtk_box_append (GTK_BOX (box), alert);
  assert_heard (&n, "打印机缺纸", "a message that appears");
  g_assert_null (strstr (kiosk_core_get_last_prompt (T.core), "受理编号"));
  kiosk_ui_test_wait_frame ();
  assert_silent (n);
  /* A message that changes to a mere symbol says nothing. */
  gtk_label_set_text (GTK_LABEL (alert), "—");
  kiosk_ui_test_wait_frame ();
  assert_silent (n);
  gtk_box_remove (GTK_BOX (box), alert);
  kiosk_session_wipe (T.session);
}

static void
enqueued_cb (KioskStore *store, gint64 id, const char *kind, gint64 *staff_call)
{
  if (g_strcmp0 (kind, "staff_call") == 0)
    *staff_call = id;
}

/* 呼叫工作人员 on every session screen, also with the voice off: the call is
 * a store record for the platform (nothing personal in it), and the screen
 * shows the station's phone large. */
static void
test_call_staff (void)
{
  g_autoptr (KioskIdentity) id = resident ();
  KioskStore *store = kiosk_core_get_store (T.core);
  gint64 staff_call = 0;
  gulong handler;

  g_assert_nonnull (store);
  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_identity_read (T.session, id));
  g_assert_true (kiosk_session_select_journey (T.session, "guide"));
  kiosk_ui_test_wait_frame ();
  handler = g_signal_connect (store, "enqueued", G_CALLBACK (enqueued_cb), &staff_call);
  kiosk_ui_test_click ("呼叫工作人员");
  KIOSK_UI_TEST_WAIT_FOR (
      staff_call > 0 && kiosk_shell_get_card_notice (KIOSK_SHELL (kiosk_window_get_shell (T.window))) != NULL, 10);
  g_signal_handler_disconnect (store, handler);
  g_assert_cmpstr (kiosk_shell_get_card_notice (KIOSK_SHELL (kiosk_window_get_shell (T.window))), ==, "已呼叫工作人员");
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("0571-88886666");
  kiosk_ui_test_screenshot ("call-staff");
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (KioskOutboxItem) item = kiosk_store_outbox_head (store, &error);

    /* The only item queued in this test: what the platform will get. */
    g_assert_no_error (error);
    g_assert_nonnull (item);
    g_assert_cmpint (item->id, ==, staff_call);
    g_test_message ("staff_call: %s", item->payload);
    g_assert_nonnull (strstr (item->payload, "\"screen\":\"journey:guide\""));
    g_assert_nonnull (strstr (item->payload, "\"kiosk_id\":\"kiosk-test\""));
    g_assert_null (strstr (item->payload, "王"));
    g_assert_null (strstr (item->payload, "110105"));
  }
  kiosk_session_wipe (T.session);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  int status;

  kiosk_ui_test_init (&argc, &argv);
  T.dir = g_dir_make_tmp ("kiosk-ui-voice-XXXXXX", &error);
  g_assert_no_error (error);
  T.wavs = g_build_filename (T.dir, "voice", NULL);
  conf = g_strdup_printf ("[kiosk]\nid=kiosk-test\nstation=测试村便民服务站\nphone=0571-88886666\n"
                          "[store]\npath=%s/kiosk.db\n[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n"
                          "[session]\nidle-warning-seconds=600\nidle-countdown-seconds=60\nend-screen-seconds=2\n"
                          "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n"
                          "[printer]\nbackend=sim\n[voice]\nmode=elder\nwav-dir=%s\n",
                          T.dir, T.wavs);
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  T.window = kiosk_ui_test_open_window (T.core, TRUE, KIOSK_SCREENSHOT_DIR);
  kiosk_core_start (T.core);

  g_test_add_func ("/voice/controls", test_controls);
  g_test_add_func ("/voice/walk", test_walk);
  g_test_add_func ("/voice/call-staff", test_call_staff);
  g_test_add_func ("/voice/alerts", test_alerts);
  status = g_test_run ();

  kiosk_ui_test_close_window ();
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  kiosk_config_unref (T.config);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", T.dir);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", T.dir);
  }
  g_free (T.wavs);
  g_free (T.dir);
  return status;
}
