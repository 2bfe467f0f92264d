/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 好差评 flow: every level, reasons mandatory for bad ratings, one record
 * per service event (double presses, pad and screen together), timeout and
 * wipe give "not rated", sequence numbers, anonymity, proxy cases, and
 * nothing lost when the sink fails. */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "kiosk-rating-flow.h"
#include "pad-device.h"

#define CONF                                                                                                   \
  "[kiosk]\nid=k1\nstation=s\nregion-code=330106001\n[store]\npath=a.db\n[platform]\nurl=https://p.example/\n" \
  "[pad]\nbackend=sim\n[rating]\ntimeout-seconds=10\nreasons=slow:等太久;rude:态度差;其他\n"

typedef struct {
  KioskConfig *config;
  KioskRatingFlow *flow;
  KioskRatingMemorySink *sink;
  KioskPadDevice *pad;
  GPtrArray *records;
} Fixture;

static void
recorded_cb (KioskRatingFlow *flow, const KioskRatingRecord *r, Fixture *f)
{
  g_ptr_array_add (f->records, kiosk_rating_record_copy (r));
}

static void
setup_with (Fixture *f, const char *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_strconcat (CONF, extra, NULL);

  f->config = kiosk_config_new_from_data (data, NULL, &error);
  g_assert_no_error (error);
  f->flow = kiosk_rating_flow_new (f->config, &error);
  g_assert_no_error (error);
  kiosk_rating_flow_set_manual_clock (f->flow, TRUE);
  f->sink = kiosk_rating_memory_sink_new ();
  kiosk_rating_flow_set_sink (f->flow, KIOSK_RATING_SINK (f->sink));
  f->pad = KIOSK_PAD_DEVICE (kiosk_pad_device_new (f->config, &error));
  g_assert_no_error (error);
  kiosk_device_start (KIOSK_DEVICE (f->pad));
  kiosk_rating_flow_attach_pad (f->flow, KIOSK_DEVICE (f->pad));
  f->records = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_rating_record_free);
  g_signal_connect (f->flow, "recorded", G_CALLBACK (recorded_cb), f);
}

static void
setup (Fixture *f, gconstpointer data)
{
  setup_with (f, data ? data : "");
}

static void
teardown (Fixture *f, gconstpointer data)
{
  kiosk_device_stop (KIOSK_DEVICE (f->pad));
  g_object_unref (f->pad);
  g_object_unref (f->flow);
  g_object_unref (f->sink);
  g_ptr_array_unref (f->records);
  kiosk_config_unref (f->config);
}

#define APPLICANT "11010519491231002X"

/* An event rated by its applicant. */
static KioskServiceEvent *
event (const char *case_number)
{
  KioskServiceEvent *e = kiosk_service_event_new (case_number, "330000-001-01", "apply");
  e->rater_id_number = g_strdup (APPLICANT);
  e->applicant_id_number = g_strdup (APPLICANT);
  return e;
}

static GPtrArray *
items (Fixture *f)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return kiosk_rating_memory_sink_get_items (f->sink);
}

static JsonObject *
item (Fixture *f, guint i, JsonParser **parser)
{
  GPtrArray *a = items (f);
  g_assert_cmpuint (i, <, a->len);
  *parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (*parser, a->pdata[i], -1, NULL));
  return json_node_get_object (json_parser_get_root (*parser));
}

static void
test_every_level (Fixture *f, gconstpointer data)
{
  for (int l = KIOSK_RATING_VERY_SATISFIED; l <= KIOSK_RATING_VERY_DISSATISFIED; l++)
    {
      g_autoptr (KioskServiceEvent) e = event ("C-1");
      g_autoptr (JsonParser) parser = NULL;
      g_autofree char *code = g_strdup_printf ("%d", l);
      JsonObject *o;

      kiosk_rating_flow_begin (f->flow, e);
      g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_ASKING);
      g_assert_true (kiosk_rating_flow_choose (f->flow, l, KIOSK_RATING_SOURCE_SCREEN));
      if (kiosk_rating_level_is_bad (l))
        {
          g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_REASONS);
          g_assert_true (kiosk_rating_flow_set_reason_selected (f->flow, 1, TRUE));
          g_assert_true (kiosk_rating_flow_submit (f->flow, NULL));
        }
      g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_DONE);
      g_assert_cmpuint (f->records->len, ==, (guint) l);
      o = item (f, l - 1, &parser);
      g_assert_cmpstr (json_object_get_string_member (o, "level"), ==, code);
      g_assert_cmpint (json_object_get_int_member (o, "sequence"), ==, l); /* the l-th rating of C-1 */
      g_assert_cmpstr (json_object_get_string_member (o, "region_code"), ==, "330106001");
      g_assert_cmpstr (json_object_get_string_member (o, "channel"), ==, "政务大厅其他终端");
      g_assert_true (g_regex_match_simple ("^[0-9]{8}T[0-9]{6}$", json_object_get_string_member (o, "time"), 0, 0));
      if (kiosk_rating_level_is_bad (l))
        {
          JsonArray *reasons = json_object_get_array_member (o, "reasons");
          g_assert_cmpuint (json_array_get_length (reasons), ==, 1);
          g_assert_cmpstr (json_array_get_string_element (reasons, 0), ==, "态度差");
          g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "reason_codes"), 0), ==,
                           "rude");
        }
      else
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "reasons")), ==, 0);
    }
}

static void
test_reasons_mandatory (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = event ("C-2");
  g_autoptr (GError) error = NULL;

  kiosk_rating_flow_begin (f->flow, e);
  g_assert_true (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_VERY_DISSATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  kiosk_rating_flow_set_text (f->flow, "  窗口没人  ");
  g_assert_false (kiosk_rating_flow_submit (f->flow, &error));
  g_assert_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_cmpuint (f->records->len, ==, 0);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_REASONS);
  /* select then unselect: still nothing */
  kiosk_rating_flow_set_reason_selected (f->flow, 0, TRUE);
  kiosk_rating_flow_set_reason_selected (f->flow, 0, FALSE);
  g_assert_false (kiosk_rating_flow_submit (f->flow, &error));
  g_assert_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  /* the pad's confirm key cannot skip the reason either */
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_CONFIRM));
  g_assert_cmpuint (f->records->len, ==, 0);
  /* a bad phone is refused */
  kiosk_rating_flow_set_reason_selected (f->flow, 2, TRUE);
  kiosk_rating_flow_set_phone (f->flow, "call me");
  g_assert_false (kiosk_rating_flow_submit (f->flow, &error));
  g_assert_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_BAD_PHONE);
  kiosk_rating_flow_set_phone (f->flow, "138 0013 8000");
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_CONFIRM));
  g_assert_cmpuint (f->records->len, ==, 1);
  {
    KioskRatingRecord *r = f->records->pdata[0];
    g_assert_cmpint (r->level, ==, KIOSK_RATING_VERY_DISSATISFIED);
    g_assert_cmpstr (r->reasons[0], ==, "其他");
    g_assert_cmpstr (r->reason_codes[0], ==, "3"); /* plain entries are numbered */
    g_assert_cmpstr (r->text, ==, "窗口没人");
    g_assert_cmpstr (r->phone, ==, "138 0013 8000");
    g_assert_cmpint (r->source, ==, KIOSK_RATING_SOURCE_SCREEN); /* the level came from the screen */
  }
  g_assert_false (kiosk_rating_flow_submit (f->flow, NULL)); /* once */
  g_assert_cmpuint (items (f)->len, ==, 1);
}

static void
test_double_press (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = event ("C-3");

  kiosk_rating_flow_begin (f->flow, e);
  g_assert_true (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_SATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  g_assert_false (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_SATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  g_assert_false (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_VERY_DISSATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  /* the pad pressed twice (press, release, press, release) */
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_BASIC));
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_BASIC));
  g_assert_cmpuint (f->records->len, ==, 1);
  g_assert_cmpuint (items (f)->len, ==, 1);
  g_assert_cmpint (((KioskRatingRecord *) f->records->pdata[0])->level, ==, KIOSK_RATING_SATISFIED);

  /* a bad level pressed twice on the pad: one question for reasons, one record */
  kiosk_rating_flow_begin (f->flow, e);
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_DISSATISFIED));
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_DISSATISFIED));
  kiosk_rating_flow_set_reason_selected (f->flow, 0, TRUE);
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_CONFIRM));
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_CONFIRM));
  g_assert_cmpuint (f->records->len, ==, 2);
  g_assert_cmpuint (items (f)->len, ==, 2);
}

static void
test_pad_and_screen_together (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = event ("C-4");
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o;

  /* pad first, screen a moment later: the pad's answer stands */
  kiosk_rating_flow_begin (f->flow, e);
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_VERY_SATISFIED));
  g_assert_false (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_VERY_DISSATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  g_assert_cmpuint (f->records->len, ==, 1);
  o = item (f, 0, &parser);
  g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "pad");
  g_assert_cmpstr (json_object_get_string_member (o, "level"), ==, "1");

  /* screen first (bad), then the pad (good): still the screen's answer */
  kiosk_rating_flow_begin (f->flow, e);
  g_assert_true (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_DISSATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_VERY_SATISFIED));
  g_assert_cmpint (kiosk_rating_flow_get_level (f->flow), ==, KIOSK_RATING_DISSATISFIED);
  kiosk_rating_flow_set_reason_selected (f->flow, 0, TRUE);
  g_assert_true (kiosk_rating_flow_submit (f->flow, NULL));
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_SATISFIED));
  g_assert_cmpuint (f->records->len, ==, 2);
  g_assert_cmpuint (items (f)->len, ==, 2);
  g_assert_cmpint (((KioskRatingRecord *) f->records->pdata[1])->level, ==, KIOSK_RATING_DISSATISFIED);
  g_assert_cmpint (((KioskRatingRecord *) f->records->pdata[1])->sequence, ==, 2);

  /* after a rating is done, pad presses do nothing until the next event */
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_BASIC));
  g_assert_cmpuint (f->records->len, ==, 2);
}

static void
test_cancel_changes_the_level (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = event ("C-5");

  kiosk_rating_flow_begin (f->flow, e);
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_VERY_DISSATISFIED));
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_REASONS);
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_CANCEL));
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_ASKING);
  g_assert_true (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_BASIC, KIOSK_RATING_SOURCE_SCREEN));
  g_assert_cmpuint (f->records->len, ==, 1);
  g_assert_cmpint (((KioskRatingRecord *) f->records->pdata[0])->level, ==, KIOSK_RATING_BASIC);
}

static void
test_timeout_not_rated (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = event ("C-6");
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o;

  kiosk_rating_flow_begin (f->flow, e);
  for (int i = 0; i < 9; i++)
    kiosk_rating_flow_tick (f->flow);
  g_assert_cmpint (kiosk_rating_flow_get_remaining (f->flow), ==, 1);
  g_assert_cmpuint (f->records->len, ==, 0);
  kiosk_rating_flow_tick (f->flow);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_DONE);
  g_assert_cmpuint (f->records->len, ==, 1);
  o = item (f, 0, &parser);
  g_assert_false (json_object_get_boolean_member (o, "rated"));
  g_assert_true (json_object_get_null_member (o, "level"));
  g_assert_cmpstr (json_object_get_string_member (o, "level_name"), ==, "not-rated");
  /* late answers after the timeout are ignored, more ticks do nothing */
  g_assert_false (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_SATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  kiosk_rating_flow_tick (f->flow);
  g_assert_cmpuint (items (f)->len, ==, 1);
}

/* Issue 13: 8. A slow resident on the reasons page: the chosen level is never
 * thrown away. The level question's timer stops once a level is chosen; when
 * the session ends (idle wipe), what was chosen and typed is recorded. */
static void
test_timeout_in_reasons (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = event ("C-7");
  KioskRatingRecord *r;

  /* a bad level without a reason yet, then a long silence (10 × the timeout) */
  kiosk_rating_flow_begin (f->flow, e);
  kiosk_rating_flow_choose (f->flow, KIOSK_RATING_DISSATISFIED, KIOSK_RATING_SOURCE_SCREEN);
  for (int i = 0; i < 100; i++)
    kiosk_rating_flow_tick (f->flow);
  g_assert_cmpuint (f->records->len, ==, 0);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_REASONS);
  /* typing goes on; then the session is wiped: the level as given */
  kiosk_rating_flow_set_text (f->flow, "等了很久");
  kiosk_rating_flow_set_phone (f->flow, "138"); /* half typed: dropped, not refused */
  kiosk_rating_flow_abandon (f->flow);
  g_assert_cmpuint (f->records->len, ==, 1);
  r = f->records->pdata[0];
  g_assert_cmpint (r->level, ==, KIOSK_RATING_DISSATISFIED);
  g_assert_cmpuint (g_strv_length (r->reasons), ==, 0);
  g_assert_cmpstr (r->text, ==, "等了很久");
  g_assert_null (r->phone);
  g_assert_cmpuint (items (f)->len, ==, 1);

  /* with a reason and a valid phone: recorded as given, also on a new event */
  kiosk_rating_flow_begin (f->flow, e);
  kiosk_rating_flow_choose (f->flow, KIOSK_RATING_VERY_DISSATISFIED, KIOSK_RATING_SOURCE_SCREEN);
  kiosk_rating_flow_set_reason_selected (f->flow, 0, TRUE);
  kiosk_rating_flow_set_phone (f->flow, "13800138000");
  for (int i = 0; i < 100; i++)
    kiosk_rating_flow_tick (f->flow);
  g_assert_cmpuint (f->records->len, ==, 1);
  kiosk_rating_flow_begin (f->flow, e);
  g_assert_cmpuint (f->records->len, ==, 2);
  r = f->records->pdata[1];
  g_assert_cmpint (r->level, ==, KIOSK_RATING_VERY_DISSATISFIED);
  g_assert_cmpstr (r->reason_codes[0], ==, "slow");
  g_assert_cmpstr (r->phone, ==, "13800138000");

  /* back to the level question: its timer runs again */
  kiosk_rating_flow_choose (f->flow, KIOSK_RATING_DISSATISFIED, KIOSK_RATING_SOURCE_SCREEN);
  kiosk_rating_flow_back (f->flow);
  for (int i = 0; i < 10; i++)
    kiosk_rating_flow_tick (f->flow);
  g_assert_cmpuint (f->records->len, ==, 3);
  g_assert_cmpint (((KioskRatingRecord *) f->records->pdata[2])->level, ==, KIOSK_RATING_NOT_RATED);
}

/* Issue 13: 9. Only a case's applicant rates it; for a proxy case the
 * resident the journey identified at feedback (never the agent). */
static void
test_only_the_applicant (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) other = event ("ZW2026030900000017");
  g_autoptr (KioskServiceEvent) unknown = event ("ZW2026030900000018");
  g_autoptr (KioskServiceEvent) mine = event ("ZW2026030900000019");
  g_autoptr (KioskServiceEvent) no_case = kiosk_service_event_new (NULL, NULL, "guide");
  g_autoptr (KioskServiceEvent) proxy = kiosk_service_event_new ("ZW2026030900000020", "330000-002-01", "proxy");
  g_autoptr (GError) error = NULL;

  /* someone else's case, found by its number */
  g_free (other->rater_id_number);
  other->rater_id_number = g_strdup ("330106198001010016");
  kiosk_rating_flow_begin (f->flow, other);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_NOT_ALLOWED);
  g_assert_false (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_VERY_DISSATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_VERY_DISSATISFIED));
  kiosk_rating_flow_tick (f->flow);
  kiosk_rating_flow_abandon (f->flow);
  g_assert_cmpuint (f->records->len, ==, 0);

  /* the applicant is not known to the kiosk: it cannot check, so it does not ask */
  g_clear_pointer (&unknown->applicant_id_number, g_free);
  kiosk_rating_flow_begin (f->flow, unknown);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_NOT_ALLOWED);
  /* nobody identified */
  g_clear_pointer (&mine->rater_id_number, g_free);
  kiosk_rating_flow_begin (f->flow, mine);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_NOT_ALLOWED);
  g_assert_cmpuint (f->records->len, ==, 0);

  /* the applicant (a lower-case check character is the same number) */
  mine->rater_id_number = g_strdup ("11010519491231002x");
  kiosk_rating_flow_begin (f->flow, mine);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_ASKING);
  g_assert_true (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_SATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  g_assert_cmpuint (f->records->len, ==, 1);

  /* a service without a case: whoever received it */
  kiosk_rating_flow_begin (f->flow, no_case);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_ASKING);
  g_assert_true (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_BASIC, KIOSK_RATING_SOURCE_SCREEN));
  g_assert_cmpuint (f->records->len, ==, 2);

  /* a proxy case: the agent is identified, the resident is not: not asked;
   * the resident's card read at feedback names the rater: asked */
  proxy->proxy = TRUE;
  proxy->agent_id = g_strdup ("agent-07");
  proxy->applicant_id_number = g_strdup ("33010619800101001X");
  kiosk_rating_flow_begin (f->flow, proxy);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_NOT_ALLOWED);
  proxy->rater_id_number = g_strdup ("33010619800101001X");
  kiosk_rating_flow_begin (f->flow, proxy);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_ASKING);
  g_assert_false (kiosk_rating_flow_get_anonymous_allowed (f->flow));
  g_assert_true (kiosk_rating_flow_choose (f->flow, KIOSK_RATING_VERY_SATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  g_assert_cmpuint (f->records->len, ==, 3);
  g_assert_cmpstr (((KioskRatingRecord *) f->records->pdata[2])->rater_id_number, ==, "33010619800101001X");
  g_assert_cmpuint (items (f)->len, ==, 3);
}

static void
test_abandon_and_new_event (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) a = event ("C-8");
  g_autoptr (KioskServiceEvent) b = event ("C-9");

  /* wipe while asking: one "not rated", then nothing personal is left */
  kiosk_rating_flow_begin (f->flow, a);
  kiosk_rating_flow_abandon (f->flow);
  kiosk_rating_flow_abandon (f->flow);
  g_assert_cmpuint (f->records->len, ==, 1);
  g_assert_cmpint (kiosk_rating_flow_get_state (f->flow), ==, KIOSK_RATING_FLOW_IDLE);
  g_assert_null (kiosk_rating_flow_get_event (f->flow));
  g_assert_null (kiosk_rating_flow_get_record (f->flow));

  /* a new event while the last is unanswered closes the last one first */
  kiosk_rating_flow_begin (f->flow, a);
  kiosk_rating_flow_begin (f->flow, b);
  g_assert_cmpuint (f->records->len, ==, 2);
  g_assert_cmpstr (((KioskRatingRecord *) f->records->pdata[1])->case_number, ==, "C-8");
  g_assert_cmpint (((KioskRatingRecord *) f->records->pdata[1])->sequence, ==, 2);
  kiosk_rating_flow_choose (f->flow, KIOSK_RATING_SATISFIED, KIOSK_RATING_SOURCE_SCREEN);
  g_assert_cmpstr (((KioskRatingRecord *) f->records->pdata[2])->case_number, ==, "C-9");
  g_assert_cmpint (((KioskRatingRecord *) f->records->pdata[2])->sequence, ==, 1);
  g_assert_cmpuint (items (f)->len, ==, 3);
}

static void
test_sequence_from_event (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = event ("C-10");
  e->sequence = 2; /* 承诺件: the platform says this is the second rating */
  kiosk_rating_flow_begin (f->flow, e);
  kiosk_rating_flow_choose (f->flow, KIOSK_RATING_SATISFIED, KIOSK_RATING_SOURCE_SCREEN);
  g_assert_cmpint (((KioskRatingRecord *) f->records->pdata[0])->sequence, ==, 2);
  e->sequence = 0;
  kiosk_rating_flow_begin (f->flow, e);
  kiosk_rating_flow_choose (f->flow, KIOSK_RATING_SATISFIED, KIOSK_RATING_SOURCE_SCREEN);
  g_assert_cmpint (((KioskRatingRecord *) f->records->pdata[1])->sequence, ==, 3);
}

static void
test_anonymous_not_allowed (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = event ("C-11");
  g_autoptr (GError) error = NULL;

  kiosk_rating_flow_begin (f->flow, e);
  g_assert_false (kiosk_rating_flow_get_anonymous_allowed (f->flow));
  g_assert_false (kiosk_rating_flow_set_anonymous (f->flow, TRUE, &error));
  g_assert_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_NOT_ALLOWED);
  kiosk_rating_flow_choose (f->flow, KIOSK_RATING_SATISFIED, KIOSK_RATING_SOURCE_SCREEN);
  g_assert_cmpstr (((KioskRatingRecord *) f->records->pdata[0])->rater_id_number, ==, "11010519491231002X");
  g_assert_false (((KioskRatingRecord *) f->records->pdata[0])->anonymous);
}

static void
test_anonymous_allowed (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) c = event ("C-12");
  g_autoptr (KioskServiceEvent) e = event (NULL);
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *o;

  /* a case's rating names its applicant (the platform checks it) */
  kiosk_rating_flow_begin (f->flow, c);
  g_assert_false (kiosk_rating_flow_get_anonymous_allowed (f->flow));
  g_assert_false (kiosk_rating_flow_set_anonymous (f->flow, TRUE, &error));
  g_assert_error (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_NOT_ALLOWED);

  /* a service without a case may be rated anonymously (the case above is
   * closed "not rated": item 0) */
  kiosk_rating_flow_begin (f->flow, e);
  g_assert_true (kiosk_rating_flow_get_anonymous_allowed (f->flow));
  kiosk_rating_flow_choose (f->flow, KIOSK_RATING_VERY_DISSATISFIED, KIOSK_RATING_SOURCE_SCREEN);
  kiosk_rating_flow_set_reason_selected (f->flow, 0, TRUE);
  kiosk_rating_flow_set_phone (f->flow, "13800138000");
  g_assert_true (kiosk_rating_flow_set_anonymous (f->flow, TRUE, NULL));
  g_assert_true (kiosk_rating_flow_submit (f->flow, NULL));
  o = item (f, 1, &parser);
  g_assert_true (json_object_get_boolean_member (o, "anonymous"));
  g_assert_true (json_object_get_null_member (o, "rater_id_number"));
  g_assert_true (json_object_get_null_member (o, "contact_phone"));
  g_assert_null (strstr (items (f)->pdata[1], "11010519491231002X"));
}

static void
test_proxy_rated_by_resident (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = kiosk_service_event_new ("C-13", "330000-002-01", "proxy");
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o;

  e->proxy = TRUE;
  e->agent_id = g_strdup ("agent-07");
  e->rater_id_number = g_strdup ("33010619800101001X"); /* the resident, not the agent */
  e->applicant_id_number = g_strdup ("33010619800101001X");
  kiosk_rating_flow_begin (f->flow, e);
  kiosk_rating_flow_choose (f->flow, KIOSK_RATING_VERY_SATISFIED, KIOSK_RATING_SOURCE_SCREEN);
  o = item (f, 0, &parser);
  g_assert_true (json_object_get_boolean_member (o, "proxy"));
  g_assert_cmpstr (json_object_get_string_member (o, "agent_id"), ==, "agent-07");
  g_assert_cmpstr (json_object_get_string_member (o, "rater_id_number"), ==, "33010619800101001X");
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "proxy");
}

static void
test_sink_failure_loses_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = event ("C-14");

  kiosk_rating_memory_sink_set_failing (f->sink, TRUE);
  g_test_expect_message ("kiosk-rating", G_LOG_LEVEL_WARNING, "rating not stored yet*");
  kiosk_rating_flow_begin (f->flow, e);
  kiosk_rating_flow_choose (f->flow, KIOSK_RATING_SATISFIED, KIOSK_RATING_SOURCE_SCREEN);
  g_assert_cmpuint (items (f)->len, ==, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (kiosk_rating_flow_get_unsent (f->flow), ==, 1);
  kiosk_rating_memory_sink_set_failing (f->sink, FALSE);
  kiosk_rating_flow_set_sink (f->flow, KIOSK_RATING_SINK (f->sink)); /* flushes at once */
  g_assert_cmpuint (items (f)->len, ==, 1);
  g_assert_cmpuint (kiosk_rating_flow_get_unsent (f->flow), ==, 0);
}

static void
test_provincial_profile_flow (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskServiceEvent) e = event ("C-15");
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o;

  kiosk_rating_flow_begin (f->flow, e);
  g_assert_true (kiosk_pad_device_sim_press (f->pad, KIOSK_PAD_KEY_VERY_SATISFIED));
  o = item (f, 0, &parser);
  g_assert_cmpint (json_object_get_int_member (o, "level"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "pf"), ==, 4); /* pad-channel=hall-tablet */
  g_assert_cmpstr (json_object_get_string_member (o, "profile"), ==, "provincial-pf");
}

static void
test_bad_config (void)
{
  const char *bad[] = {
    "[rating]\nreasons=\n",
    "[rating]\nreasons=:x\n",
    "[rating]\nprofile=/nonexistent/profile.conf\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *data
          = g_strconcat ("[kiosk]\nid=k1\nstation=s\n[store]\npath=a.db\n[platform]\nurl=https://p/\n", bad[i], NULL);
      g_autoptr (KioskConfig) config = kiosk_config_new_from_data (data, NULL, &error);
      g_assert_no_error (error);
      g_assert_null (kiosk_rating_flow_new (config, &error));
      g_assert_nonnull (error);
    }
  g_assert_true (kiosk_rating_phone_is_valid ("+86 138-0013-8000"));
  g_assert_true (kiosk_rating_phone_is_valid ("0571-88888888"));
  g_assert_false (kiosk_rating_phone_is_valid ("1234"));
  g_assert_false (kiosk_rating_phone_is_valid ("13800138000; DROP"));
  g_assert_false (kiosk_rating_phone_is_valid (""));
}

int
main (int argc, char **argv)
{
  g_autofree char *provincial = NULL;

  g_test_init (&argc, &argv, NULL);
  provincial = g_strdup_printf ("profile=%s/app/rating/profiles/provincial-pf.conf\npad-channel=hall-tablet\n",
                                KIOSK_SOURCE_DIR);
#define T(path, func, data) g_test_add ("/rating/flow/" path, Fixture, data, setup, func, teardown)
  T ("every-level", test_every_level, NULL);
  T ("reasons-mandatory", test_reasons_mandatory, NULL);
  T ("double-press", test_double_press, NULL);
  T ("pad-and-screen-together", test_pad_and_screen_together, NULL);
  T ("cancel-changes-the-level", test_cancel_changes_the_level, NULL);
  T ("timeout-not-rated", test_timeout_not_rated, NULL);
  T ("timeout-in-reasons", test_timeout_in_reasons, NULL);
  T ("only-the-applicant", test_only_the_applicant, NULL);
  T ("abandon-and-new-event", test_abandon_and_new_event, NULL);
  T ("sequence-from-event", test_sequence_from_event, NULL);
  T ("anonymous-not-allowed", test_anonymous_not_allowed, NULL);
  T ("anonymous-allowed", test_anonymous_allowed, "anonymous-allowed=true\n");
  T ("proxy-rated-by-resident", test_proxy_rated_by_resident, NULL);
  T ("sink-failure-loses-nothing", test_sink_failure_loses_nothing, NULL);
  T ("provincial-profile", test_provincial_profile_flow, provincial);
#undef T
  g_test_add_func ("/rating/flow/bad-config", test_bad_config);
  return g_test_run ();
}
