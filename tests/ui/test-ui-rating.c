/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 好差评 in the kiosk shell under Xvfb (issue 13: 8, 9, 10):
 * - the comment and the phone are typed through the on-screen keyboard's
 *   own buttons, and the keyboard never moves nor resizes while it is used;
 * - a resident who stays on the reasons page long after choosing 不满意
 *   keeps the level: no "not rated" countdown runs there, and when the
 *   session's idle countdown (shown) ends, the level and what was typed
 *   are recorded;
 * - a case is rated only by its applicant: anyone else identified is told
 *   so and nothing is recorded.
 * A screenshot of each screen goes to screenshots-rating/. Skips (77)
 * without a display. */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "kiosk-osk.h"
#include "kiosk-rating-page.h"
#include "kiosk-shell.h"
#include "kiosk-ui-test.h"
#include "kiosk-ui.h"
#include "kiosk-window.h"

#define APPLICANT "11010519491231002X"
#define STRANGER "330106198001010016"
#define CASE_NUMBER "ZW2026030900000017"

#define CONF                                                                                    \
  "[kiosk]\nid=kiosk-test\nstation=测试村便民服务站\nregion-code=330106001\n"           \
  "[store]\npath=test.db\n[platform]\nurl=https://platform.example/\n"                          \
  "[session]\nidle-warning-seconds=5\nidle-countdown-seconds=3\nend-screen-seconds=2\n"         \
  "elder-idle-warning-seconds=5\nelder-idle-countdown-seconds=3\n"                              \
  "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n[printer]\nbackend=sim\n" \
  "[rating]\ntimeout-seconds=60\nreasons=slow:办理时间太长;attitude:服务态度不好;other:其他\n"

static struct {
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  KioskRatingMemorySink *sink;
} T;

/* ---- helpers ----------------------------------------------------------- */

static void
assert_page (const char *name)
{
  g_assert_cmpstr (kiosk_shell_get_page_name (KIOSK_SHELL (kiosk_window_get_shell (T.window))), ==, name);
}

static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
named (const char *name)
{
  GtkWidget *w = find_named (GTK_WIDGET (T.window), name);
  if (w == NULL)
    g_error ("no widget named %s", name);
  return w;
}

static KioskOsk *
osk (void)
{
  return KIOSK_OSK (named ("rating-osk"));
}

static KioskRatingFlow *
flow (void)
{
  GtkWidget *page = kiosk_ui_test_find_type (NULL, KIOSK_TYPE_RATING_PAGE);
  g_assert_nonnull (page);
  return kiosk_rating_page_get_flow (KIOSK_RATING_PAGE (page));
}

/* Where @w is drawn, in window coordinates. */
static graphene_rect_t
bounds (GtkWidget *w)
{
  graphene_rect_t r;
  g_assert_true (gtk_widget_compute_bounds (w, GTK_WIDGET (T.window), &r));
  return r;
}

static void
assert_same_place (const graphene_rect_t *a, const graphene_rect_t *b, const char *what)
{
  if (!graphene_rect_equal (a, b))
    g_error ("%s moved: %.0f,%.0f %.0fx%.0f -> %.0f,%.0f %.0fx%.0f", what, a->origin.x, a->origin.y, a->size.width,
             a->size.height, b->origin.x, b->origin.y, b->size.width, b->size.height);
}

/* Presses the keyboard's key @key (its button's "clicked", as a touch
 * does), after checking that it is drawn, large and enabled. */
static void
press (const char *key)
{
  GtkWidget *button = kiosk_osk_get_key (osk (), key);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_drawable (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_cmpint (gtk_widget_get_width (button), >=, 64);
  g_assert_cmpint (gtk_widget_get_height (button), >=, 64);
  g_signal_emit_by_name (button, "clicked");
}

static void
type (const char *keys)
{
  for (const char *k = keys; *k; k++)
    {
      char key[2] = { *k, 0 };
      press (*k == ' ' ? "space" : key);
    }
}

static KioskIdentity *
identity (const char *id_number)
{
  KioskIdentity *id = kiosk_identity_new ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("欧阳娜娜");
  id->id_number = g_strdup (id_number);
  id->id_number_valid = TRUE;
  return id;
}

/* A resident identified as @who finishes a journey on the case of
 * APPLICANT: the rating page follows. */
static void
case_done_by (const char *who)
{
  g_autoptr (KioskIdentity) id = identity (who);
  g_autoptr (KioskServiceEvent) event = kiosk_service_event_new (CASE_NUMBER, "330000-001-01", "progress");

  event->applicant_id_number = g_strdup (APPLICANT);
  kiosk_window_activity (T.window);
  g_assert_true (kiosk_session_identity_read (T.session, id));
  g_assert_true (kiosk_session_select_journey (T.session, "guide"));
  g_assert_true (kiosk_session_journey_done_with_event (T.session, event));
  kiosk_ui_test_wait_frame ();
  assert_page ("rate");
}

static JsonObject *
item (guint i, JsonParser *parser)
{
  GPtrArray *items;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  items = kiosk_rating_memory_sink_get_items (T.sink);
  g_assert_cmpuint (i, <, items->len);
  g_assert_true (json_parser_load_from_data (parser, items->pdata[i], -1, NULL));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
back_to_attract (void)
{
  if (g_strcmp0 (kiosk_shell_get_page_name (KIOSK_SHELL (kiosk_window_get_shell (T.window))), "attract") != 0)
    kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
  assert_page ("attract");
}

/* ---- tests --------------------------------------------------------------- */

/* 10: the comment and the phone through the on-screen keyboard. */
static void
test_keyboard (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  GtkWidget *text = NULL, *phone = NULL;
  graphene_rect_t kb, kb_after, submit, submit_after, key_q, key_q_after;
  JsonObject *o;

  case_done_by (APPLICANT);
  kiosk_ui_test_screenshot ("ask");
  g_signal_emit_by_name (kiosk_ui_test_button ("不满意"), "clicked");
  kiosk_ui_test_wait_frame ();
  text = named ("rating-text");
  phone = named ("rating-phone");

  /* The keyboard is there from the start, aimed at the comment, in pinyin
   * (Chinese first). */
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (osk ())));
  g_assert_true (kiosk_osk_get_target (osk ()) == text);
  g_assert_true (kiosk_osk_get_layout_available (osk (), KIOSK_OSK_LAYOUT_PINYIN));
  g_assert_cmpint (kiosk_osk_get_layout (osk ()), ==, KIOSK_OSK_LAYOUT_PINYIN);
  kiosk_ui_test_assert_touch_targets (64);
  kb = bounds (GTK_WIDGET (osk ()));
  submit = bounds (named ("rating-submit"));
  key_q = bounds (kiosk_osk_get_key (osk (), "q"));
  kiosk_ui_test_screenshot ("reasons-keyboard");

  /* The comment: letters (英文), a space, digits, a correction. */
  press ("letters");
  g_assert_cmpint (kiosk_osk_get_layout (osk ()), ==, KIOSK_OSK_LAYOUT_LETTERS);
  type ("waited ");
  press ("digits");
  g_assert_cmpint (kiosk_osk_get_layout (osk ()), ==, KIOSK_OSK_LAYOUT_DIGITS);
  kiosk_ui_test_wait_frame ();
  kb_after = bounds (GTK_WIDGET (osk ()));
  assert_same_place (&kb, &kb_after, "the keyboard (digits)");
  type ("45");
  press ("backspace");
  type ("0");
  press ("letters");
  type (" min");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (text)), ==, "waited 40 min");

  /* Touching the phone field aims the keyboard at it, with digits. */
  gtk_widget_grab_focus (phone);
  kiosk_ui_test_wait_frame ();
  g_assert_true (kiosk_osk_get_target (osk ()) == phone);
  g_assert_cmpint (kiosk_osk_get_layout (osk ()), ==, KIOSK_OSK_LAYOUT_DIGITS);
  type ("138001380009");
  press ("backspace");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (phone)), ==, "13800138000");
  /* the comment was left alone */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (text)), ==, "waited 40 min");
  kiosk_ui_test_wait_frame ();

  /* Nothing moved under the finger while typing and switching layouts. */
  kb_after = bounds (GTK_WIDGET (osk ()));
  submit_after = bounds (named ("rating-submit"));
  assert_same_place (&kb, &kb_after, "the keyboard");
  assert_same_place (&submit, &submit_after, "the submit button");
  press ("letters");
  kiosk_ui_test_wait_frame ();
  key_q_after = bounds (kiosk_osk_get_key (osk (), "q"));
  assert_same_place (&key_q, &key_q_after, "the q key");
  press ("digits");
  kiosk_ui_test_screenshot ("reasons-typed");

  /* A reason, submit: what was typed on the keyboard is in the record. */
  g_signal_emit_by_name (named ("rating-reason-0"), "clicked");
  g_signal_emit_by_name (named ("rating-submit"), "clicked");
  kiosk_ui_test_wait_frame ();
  o = item (0, parser);
  g_assert_cmpstr (json_object_get_string_member (o, "level"), ==, "4");
  g_assert_cmpstr (json_object_get_string_member (o, "text"), ==, "waited 40 min");
  g_assert_cmpstr (json_object_get_string_member (o, "contact_phone"), ==, "13800138000");
  g_assert_cmpstr (json_object_get_string_member (o, "rater_id_number"), ==, APPLICANT);
  back_to_attract ();
  /* and the next resident finds the fields empty */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named ("rating-text"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named ("rating-phone"))), ==, "");
}

/* 10: Chinese through pinyin, with the candidate bar (libpinyin's model
 * loads in a worker thread; the keyboard never moves). */
static void
test_pinyin (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  guint before = kiosk_rating_memory_sink_get_items (T.sink)->len;
  GtkWidget *text, *zhang = NULL;
  graphene_rect_t kb, kb_after;
  g_autofree char *preedit = NULL;
  JsonObject *o;

  case_done_by (APPLICANT);
  g_signal_emit_by_name (kiosk_ui_test_button ("非常不满意"), "clicked");
  kiosk_ui_test_wait_frame ();
  text = named ("rating-text");
  g_assert_cmpint (kiosk_osk_get_layout (osk ()), ==, KIOSK_OSK_LAYOUT_PINYIN);
  kb = bounds (GTK_WIDGET (osk ()));

  /* letters typed before the model is there are kept */
  type ("zh");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_osk_get_pinyin_loaded (osk ()), 60);
  type ("ang");
  preedit = kiosk_osk_get_preedit (osk ());
  g_assert_cmpstr (preedit, ==, "zhang");
  kiosk_ui_test_wait_frame ();
  /* 张 among the first five candidates */
  for (guint i = 0; i < 5 && zhang == NULL; i++)
    {
      g_autofree char *key = g_strdup_printf ("candidate-%u", i);
      GtkWidget *c = kiosk_osk_get_key (osk (), key);
      if (gtk_widget_get_visible (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), "张") == 0)
        zhang = c;
    }
  g_assert_nonnull (zhang);
  kiosk_ui_test_screenshot ("reasons-pinyin");
  kb_after = bounds (GTK_WIDGET (osk ()));
  assert_same_place (&kb, &kb_after, "the keyboard (candidates shown)");
  g_assert_cmpint (gtk_widget_get_height (zhang), >=, 64);
  g_signal_emit_by_name (zhang, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (text)), ==, "张");
  /* space takes the first candidate; nothing is left composing */
  type ("tai");
  press ("space");
  g_free (preedit);
  preedit = kiosk_osk_get_preedit (osk ());
  g_assert_cmpstr (preedit, ==, "");
  g_assert_cmpint (g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (text)), -1), >=, 2);
  g_assert_true (g_str_has_prefix (gtk_editable_get_text (GTK_EDITABLE (text)), "张"));
  /* letters still composing when the resident leaves are not kept */
  type ("hen");
  g_signal_emit_by_name (named ("rating-reason-1"), "clicked");
  g_signal_emit_by_name (named ("rating-submit"), "clicked");
  kiosk_ui_test_wait_frame ();
  o = item (before, parser);
  g_assert_cmpstr (json_object_get_string_member (o, "level"), ==, "5");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "text"), "张"));
  back_to_attract ();
  g_free (preedit);
  preedit = kiosk_osk_get_preedit (osk ());
  g_assert_cmpstr (preedit, ==, "");
}

/* 长辈模式: larger text, the same keyboard, and the reasons page still fits
 * the screen (the screenshot helper fails otherwise). */
static void
test_elder_fits (void)
{
  case_done_by (APPLICANT);
  kiosk_session_set_elder_mode (T.session, TRUE);
  kiosk_ui_test_wait_frame ();
  g_signal_emit_by_name (kiosk_ui_test_button ("不满意"), "clicked");
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot ("reasons-elder");
  kiosk_session_set_elder_mode (T.session, FALSE);
  back_to_attract ();
}

/* 8: a slow resident on the reasons page keeps the chosen level. */
static void
test_slow_resident (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  guint before = kiosk_rating_memory_sink_get_items (T.sink)->len;
  JsonObject *o;

  case_done_by (APPLICANT);
  kiosk_rating_flow_set_manual_clock (flow (), TRUE);
  g_signal_emit_by_name (kiosk_ui_test_button ("不满意"), "clicked");
  kiosk_ui_test_wait_frame ();
  press ("letters");
  type ("slow");

  /* Three times the rating timeout on the reasons page: still there. */
  for (int i = 0; i < 180; i++)
    kiosk_rating_flow_tick (flow ());
  kiosk_ui_test_wait_frame ();
  assert_page ("rate");
  g_assert_true (gtk_widget_is_drawable (named ("rating-text")));
  g_assert_cmpuint (kiosk_rating_memory_sink_get_items (T.sink)->len, ==, before);

  /* The session's idle warning comes, with its countdown on screen. */
  for (int i = 0; i < 6; i++)
    kiosk_session_tick (T.session);
  g_assert_true (kiosk_session_get_idle_warning (T.session));
  kiosk_ui_test_screenshot ("reasons-idle-warning");
  /* and at zero the session ends: the level and the text are recorded */
  while (kiosk_session_get_state (T.session) != KIOSK_SESSION_ATTRACT)
    kiosk_session_tick (T.session);
  kiosk_ui_test_wait_frame ();
  assert_page ("attract");
  g_assert_cmpuint (kiosk_rating_memory_sink_get_items (T.sink)->len, ==, before + 1);
  o = item (before, parser);
  g_assert_true (json_object_get_boolean_member (o, "rated"));
  g_assert_cmpstr (json_object_get_string_member (o, "level"), ==, "4");
  g_assert_cmpstr (json_object_get_string_member (o, "text"), ==, "slow");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named ("rating-text"))), ==, "");
}

/* 9: someone else's case, found by its number, cannot be rated. */
static void
test_not_the_applicant (void)
{
  guint before = kiosk_rating_memory_sink_get_items (T.sink)->len;

  case_done_by (STRANGER);
  kiosk_ui_test_assert_shown ("只有申请人本人可以评价此办件");
  g_assert_null (kiosk_ui_test_button ("非常不满意"));
  kiosk_ui_test_screenshot ("not-the-applicant");
  /* the kiosk goes on by itself, and nothing was recorded */
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_END, 15);
  g_assert_cmpuint (kiosk_rating_memory_sink_get_items (T.sink)->len, ==, before);
  back_to_attract ();

  /* the applicant herself is asked */
  case_done_by (APPLICANT);
  g_assert_nonnull (kiosk_ui_test_button ("非常不满意"));
  g_signal_emit_by_name (kiosk_ui_test_button ("满意"), "clicked");
  kiosk_ui_test_wait_frame ();
  g_assert_cmpuint (kiosk_rating_memory_sink_get_items (T.sink)->len, ==, before + 1);
  back_to_attract ();
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  kiosk_ui_test_init (&argc, &argv);
  T.sink = kiosk_rating_memory_sink_new ();
  kiosk_rating_sink_set_default (KIOSK_RATING_SINK (T.sink));
  T.config = kiosk_config_new_from_data (CONF, NULL, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);

  T.window = kiosk_ui_test_open_window (T.core, TRUE, KIOSK_SCREENSHOT_DIR);

  g_test_add_func ("/ui/rating/keyboard", test_keyboard);
  g_test_add_func ("/ui/rating/pinyin", test_pinyin);
  g_test_add_func ("/ui/rating/elder-fits", test_elder_fits);
  g_test_add_func ("/ui/rating/slow-resident", test_slow_resident);
  g_test_add_func ("/ui/rating/not-the-applicant", test_not_the_applicant);
  status = g_test_run ();

  kiosk_ui_test_close_window ();
  g_object_unref (T.core);
  kiosk_config_unref (T.config);
  kiosk_rating_sink_set_default (NULL);
  g_object_unref (T.sink);
  return status;
}
