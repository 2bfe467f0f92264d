/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kiosk-session.h"

#define CONF                                                                            \
  "[kiosk]\nid=k1\nstation=s\n[store]\npath=a.db\n[platform]\nurl=https://p.example/\n" \
  "[session]\nidle-warning-seconds=5\nidle-countdown-seconds=3\nend-screen-seconds=2\n" \
  "elder-idle-warning-seconds=5\nelder-idle-countdown-seconds=3\n"

typedef struct {
  KioskConfig *config;
  KioskSession *session;
  int wipes;
  gboolean identity_at_wipe;
} Fixture;

static void
wipe_cb (KioskSession *s, Fixture *f)
{
  f->wipes++;
  f->identity_at_wipe = kiosk_session_get_identity (s) != NULL;
}

static KioskIdentity *
make_identity (const char *name)
{
  KioskIdentity *id = kiosk_identity_new ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup (name);
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  return id;
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  f->config = kiosk_config_new_from_data (CONF, NULL, &error);
  g_assert_no_error (error);
  f->session = kiosk_session_new (f->config);
  kiosk_session_set_manual_clock (f->session, TRUE);
  kiosk_session_register_journey (f->session, kiosk_journey_new_placeholder ("guide", "Service guide", FALSE));
  /* An available journey that needs identity. */
  kiosk_session_register_journey (f->session, g_object_new (KIOSK_TYPE_JOURNEY, "id", "apply", "title", "Apply",
                                                            "requires-identity", TRUE, "available", TRUE, NULL));
  g_signal_connect (f->session, "wipe", G_CALLBACK (wipe_cb), f);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_object_unref (f->session);
  kiosk_config_unref (f->config);
}

static void
test_full_path (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskIdentity) id = make_identity ("张三");
  KioskSession *s = f->session;

  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_ATTRACT);
  g_assert_true (kiosk_session_touch (s));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_MENU);
  g_assert_null (kiosk_session_get_identity (s));

  /* A journey that needs identity goes through identify first. */
  g_assert_true (kiosk_session_select_journey (s, "apply"));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_IDENTIFY);
  g_assert_cmpstr (kiosk_journey_get_id (kiosk_session_get_pending_journey (s)), ==, "apply");
  g_assert_true (kiosk_session_identity_read (s, id));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_JOURNEY);
  g_assert_cmpstr (kiosk_journey_get_id (kiosk_session_get_journey (s)), ==, "apply");
  g_assert_cmpstr (kiosk_session_get_identity (s)->name, ==, "张三");

  /* A card placed mid-journey does not change who the session is for. */
  {
    g_autoptr (KioskIdentity) other = make_identity ("李四");
    g_assert_false (kiosk_session_identity_read (s, other));
    g_assert_cmpstr (kiosk_session_get_identity (s)->name, ==, "张三");
  }

  g_assert_true (kiosk_session_journey_done (s, TRUE));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_RATE);
  g_assert_false (kiosk_session_select_journey (s, "guide"));
  g_assert_true (kiosk_session_rating_done (s));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_END);

  /* The thank-you screen times out into a wipe. */
  kiosk_session_tick (s);
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_END);
  kiosk_session_tick (s);
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_ATTRACT);
  g_assert_cmpint (f->wipes, ==, 1);
  g_assert_true (f->identity_at_wipe == FALSE);
  g_assert_null (kiosk_session_get_identity (s));
}

static void
test_invalid_transitions (Fixture *f, gconstpointer data)
{
  KioskSession *s = f->session;

  g_assert_false (kiosk_session_select_journey (s, "guide")); /* not from attract */
  g_assert_false (kiosk_session_back (s));
  g_assert_false (kiosk_session_journey_done (s, TRUE));
  g_assert_false (kiosk_session_rating_done (s));
  g_assert_false (kiosk_session_finish (s));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_ATTRACT);

  kiosk_session_touch (s);
  g_assert_false (kiosk_session_select_journey (s, "no-such-journey"));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_MENU);
  /* A placeholder journey opens (its page says it is not available yet). */
  g_assert_true (kiosk_session_select_journey (s, "guide"));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_JOURNEY);
  g_assert_true (kiosk_session_back (s));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_MENU);
  g_assert_true (kiosk_session_journey_done (s, FALSE) == FALSE);

  /* Identify, then back: menu, pending journey dropped. */
  g_assert_true (kiosk_session_select_journey (s, "apply"));
  g_assert_true (kiosk_session_back (s));
  g_assert_null (kiosk_session_get_pending_journey (s));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_MENU);

  /* Finishing a journey without a service event goes back to the menu. */
  g_assert_true (kiosk_session_select_journey (s, "guide"));
  g_assert_true (kiosk_session_journey_done (s, FALSE));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_MENU);
}

static void
test_card_on_attract (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskIdentity) id = make_identity ("王五");
  g_autoptr (KioskIdentity) id2 = make_identity ("赵六");
  KioskSession *s = f->session;

  g_assert_true (kiosk_session_identity_read (s, id));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_MENU);
  g_assert_nonnull (kiosk_session_get_identity (s));
  /* Identified already: apply goes straight into the journey. */
  g_assert_true (kiosk_session_select_journey (s, "apply"));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_JOURNEY);
  g_assert_true (kiosk_session_back (s));
  /* A different card in the menu starts over for the new person. */
  g_assert_true (kiosk_session_identity_read (s, id2));
  g_assert_cmpint (f->wipes, ==, 1);
  g_assert_cmpstr (kiosk_session_get_identity (s)->name, ==, "赵六");
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_MENU);
}

static void
test_expired_card (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskIdentity) id = make_identity ("张三");
  KioskSession *s = f->session;

  id->expired = TRUE;
  g_assert_false (kiosk_session_identity_read (s, id));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_ATTRACT);
  kiosk_session_touch (s);
  g_assert_true (kiosk_session_select_journey (s, "apply"));
  g_assert_false (kiosk_session_identity_read (s, id));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_IDENTIFY);
  g_assert_null (kiosk_session_get_identity (s));
  id->expired = FALSE;
  g_assert_true (kiosk_session_identity_read (s, id));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_JOURNEY);
}

/* What a card did reaches the screen as a notice (issue 13: 1, 2). */
static void
notice_cb (KioskSession *s, int notice, GArray *notices)
{
  g_array_append_val (notices, notice);
}

static void
waiting_cb (KioskSession *s, int *count)
{
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_ATTRACT);
  (*count)++;
}

static int
notice_at (GArray *notices, guint i)
{
  g_assert_cmpuint (notices->len, >, i);
  return g_array_index (notices, int, i);
}

static void
test_card_notices (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskIdentity) id = make_identity ("张三");
  g_autoptr (GArray) notices = g_array_new (FALSE, FALSE, sizeof (int));
  KioskSession *s = f->session;
  int waiting = 0;

  g_signal_connect (s, "card-notice", G_CALLBACK (notice_cb), notices);
  g_signal_connect (s, "card-waiting", G_CALLBACK (waiting_cb), &waiting);

  /* An expired card at the attract screen and at the menu: refused, and
   * said (it used to be a log line only). */
  id->expired = TRUE;
  g_assert_false (kiosk_session_identity_read (s, id));
  g_assert_cmpuint (notices->len, ==, 1);
  g_assert_cmpint (notice_at (notices, 0), ==, KIOSK_CARD_NOTICE_EXPIRED);
  kiosk_session_touch (s);
  g_assert_false (kiosk_session_identity_read (s, id));
  g_assert_cmpint (notice_at (notices, 1), ==, KIOSK_CARD_NOTICE_EXPIRED);
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_MENU);

  /* The reader's own events go through as they are, and count as activity. */
  for (int i = 0; i < 4; i++)
    kiosk_session_tick (s);
  kiosk_session_card_notice (s, KIOSK_CARD_NOTICE_REMOVED);
  g_assert_cmpint (notice_at (notices, 2), ==, KIOSK_CARD_NOTICE_REMOVED);
  kiosk_session_tick (s);
  g_assert_false (kiosk_session_get_idle_warning (s));
  g_assert_cmpint (waiting, ==, 0);
}

static void
test_second_card (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskIdentity) id = make_identity ("张三");
  g_autoptr (KioskIdentity) other = make_identity ("李四");
  g_autoptr (GArray) notices = g_array_new (FALSE, FALSE, sizeof (int));
  KioskSession *s = f->session;
  int waiting = 0;

  g_free (other->id_number);
  other->id_number = g_strdup ("440304199001011233");
  g_signal_connect (s, "card-notice", G_CALLBACK (notice_cb), notices);
  g_signal_connect (s, "card-waiting", G_CALLBACK (waiting_cb), &waiting);

  g_assert_true (kiosk_session_identity_read (s, id));
  g_assert_true (kiosk_session_select_journey (s, "apply"));
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_JOURNEY);

  /* The session's own card put back: nothing to say. */
  g_assert_false (kiosk_session_identity_read (s, id));
  g_assert_cmpuint (notices->len, ==, 0);

  /* Someone else's card mid-journey: not switched, but not swallowed. */
  g_assert_false (kiosk_session_identity_read (s, other));
  g_assert_cmpstr (kiosk_session_get_identity (s)->name, ==, "张三");
  g_assert_cmpuint (notices->len, ==, 1);
  g_assert_cmpint (notice_at (notices, 0), ==, KIOSK_CARD_NOTICE_BUSY);
  g_assert_cmpint (waiting, ==, 0);

  /* The session ends: its owner is asked for the card again, and the core
   * is told to read the card still on the reader. */
  g_assert_true (kiosk_session_finish (s));
  kiosk_session_tick (s);
  kiosk_session_tick (s);
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_ATTRACT);
  g_assert_cmpint (waiting, ==, 1);
  g_assert_cmpuint (notices->len, ==, 2);
  g_assert_cmpint (notice_at (notices, 1), ==, KIOSK_CARD_NOTICE_PLACE_AGAIN);

  /* Once: the next wipe owes nobody a read. */
  g_assert_true (kiosk_session_identity_read (s, other));
  kiosk_session_wipe (s);
  g_assert_cmpint (waiting, ==, 1);
  g_assert_cmpuint (notices->len, ==, 2);
}

static void
test_idle_wipe (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskIdentity) id = make_identity ("张三");
  KioskSession *s = f->session;

  kiosk_session_set_elder_mode (s, TRUE);
  kiosk_session_set_language (s, "en");
  kiosk_session_identity_read (s, id);
  kiosk_session_select_journey (s, "apply");
  for (int i = 0; i < 4; i++)
    kiosk_session_tick (s);
  g_assert_false (kiosk_session_get_idle_warning (s));
  kiosk_session_tick (s); /* 5 s: the warning starts with the full countdown */
  g_assert_true (kiosk_session_get_idle_warning (s));
  g_assert_cmpint (kiosk_session_get_idle_remaining (s), ==, 3);

  /* A touch cancels the warning and restarts the idle time. */
  kiosk_session_touch (s);
  g_assert_false (kiosk_session_get_idle_warning (s));
  for (int i = 0; i < 5; i++)
    kiosk_session_tick (s);
  g_assert_true (kiosk_session_get_idle_warning (s));
  kiosk_session_tick (s);
  g_assert_cmpint (kiosk_session_get_idle_remaining (s), ==, 2);
  kiosk_session_tick (s);
  g_assert_cmpint (kiosk_session_get_idle_remaining (s), ==, 1);
  g_assert_cmpint (f->wipes, ==, 0);
  kiosk_session_tick (s);

  g_assert_cmpint (f->wipes, ==, 1);
  g_assert_cmpint (kiosk_session_get_state (s), ==, KIOSK_SESSION_ATTRACT);
  g_assert_null (kiosk_session_get_identity (s));
  g_assert_null (kiosk_session_get_journey (s));
  g_assert_false (kiosk_session_get_idle_warning (s));
  /* Per-resident choices go back to the configured defaults. */
  g_assert_false (kiosk_session_get_elder_mode (s));
  g_assert_cmpstr (kiosk_session_get_language (s), ==, "zh_CN");

  /* Attract never times out. */
  for (int i = 0; i < 100; i++)
    kiosk_session_tick (s);
  g_assert_cmpint (f->wipes, ==, 1);
}

static void
test_mask (void)
{
  g_autofree char *a = kiosk_mask_name ("张三");
  g_autofree char *b = kiosk_mask_name ("欧阳娜娜");
  g_autofree char *c = kiosk_mask_id_number ("11010519491231002X");
  g_autofree char *d = kiosk_mask_name ("张");
  g_autofree char *e = kiosk_mask_id_number ("证号１２３４５６７８９０");
  g_autofree char *f = kiosk_mask_id_number ("\xe8\xaf\x81\xff"
                                             "12345678");
  g_autofree char *g = kiosk_mask_id_number ("1234");
  g_assert_cmpstr (a, ==, "张*");
  g_assert_cmpstr (b, ==, "欧***");
  g_assert_cmpstr (c, ==, "1101**********002X");
  g_assert_cmpstr (d, ==, "张*");
  /* Masked by characters, never inside a UTF-8 sequence. */
  g_assert_cmpstr (e, ==, "证号１２****７８９０");
  g_assert_true (g_utf8_validate (e, -1, NULL));
  g_assert_cmpstr (f, ==, "*");
  g_assert_cmpstr (g, ==, "****");
}

/* 长辈模式 gives more time before the warning and during the countdown
 * ([session] elder-idle-*), never less than normal mode. */
static void
test_elder_idle (void)
{
  g_autoptr (GError) error = NULL;
  KioskConfig *config = kiosk_config_new_from_data (
      "[kiosk]\nid=k1\nstation=s\n[store]\npath=a.db\n[platform]\nurl=https://p.example/\n"
      "[session]\nidle-warning-seconds=5\nidle-countdown-seconds=3\n"
      "elder-idle-warning-seconds=12\nelder-idle-countdown-seconds=6\n",
      NULL, &error);
  KioskSession *s;
  int wipes = 0;

  g_assert_no_error (error);
  s = kiosk_session_new (config);
  kiosk_session_set_manual_clock (s, TRUE);
  g_signal_connect_swapped (s, "wipe", G_CALLBACK (g_atomic_int_inc), &wipes);
  kiosk_session_touch (s);
  kiosk_session_set_elder_mode (s, TRUE);
  for (int i = 0; i < 11; i++)
    kiosk_session_tick (s);
  g_assert_false (kiosk_session_get_idle_warning (s));
  kiosk_session_tick (s);
  g_assert_true (kiosk_session_get_idle_warning (s));
  g_assert_cmpint (kiosk_session_get_idle_remaining (s), ==, 6);
  for (int i = 0; i < 5; i++)
    kiosk_session_tick (s);
  g_assert_cmpint (wipes, ==, 0);
  kiosk_session_tick (s);
  g_assert_cmpint (wipes, ==, 1);
  /* The wipe ends 长辈模式: the next resident gets the normal times. */
  g_assert_false (kiosk_session_get_elder_mode (s));
  kiosk_session_touch (s);
  for (int i = 0; i < 5; i++)
    kiosk_session_tick (s);
  g_assert_true (kiosk_session_get_idle_warning (s));
  g_assert_cmpint (kiosk_session_get_idle_remaining (s), ==, 3);
  g_object_unref (s);
  kiosk_config_unref (config);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/session/full-path", Fixture, NULL, setup, test_full_path, teardown);
  g_test_add ("/session/invalid-transitions", Fixture, NULL, setup, test_invalid_transitions, teardown);
  g_test_add ("/session/card-on-attract", Fixture, NULL, setup, test_card_on_attract, teardown);
  g_test_add ("/session/expired-card", Fixture, NULL, setup, test_expired_card, teardown);
  g_test_add ("/session/idle-wipe", Fixture, NULL, setup, test_idle_wipe, teardown);
  g_test_add ("/session/card-notices", Fixture, NULL, setup, test_card_notices, teardown);
  g_test_add ("/session/second-card", Fixture, NULL, setup, test_second_card, teardown);
  g_test_add_func ("/session/mask", test_mask);
  g_test_add_func ("/session/elder-idle", test_elder_idle);
  return g_test_run ();
}
