/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kiosk_session_journey_done_with_event(): the service event reaches RATE,
 * is replaced by the next journey_done, and goes with the wipe. */
#include "config.h"

#include "kiosk-session.h"

#define CONF "[kiosk]\nid=k1\nstation=s\n[store]\npath=a.db\n[platform]\nurl=https://p.example/\n"

static void
test_event (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config = kiosk_config_new_from_data (CONF, NULL, &error);
  g_autoptr (KioskSession) session = NULL;
  g_autoptr (KioskServiceEvent) event = kiosk_service_event_new ("C-1", "330000-001-01", "proxy");
  const KioskServiceEvent *got;

  g_assert_no_error (error);
  session = kiosk_session_new (config);
  kiosk_session_set_manual_clock (session, TRUE);
  kiosk_session_register_journey (session, kiosk_journey_new_placeholder ("guide", "Service guide", FALSE));

  /* Only from JOURNEY. */
  g_assert_false (kiosk_session_journey_done_with_event (session, event));
  g_assert_null (kiosk_session_get_service_event (session));

  event->proxy = TRUE;
  event->agent_id = g_strdup ("agent-07");
  kiosk_session_touch (session);
  g_assert_true (kiosk_session_select_journey (session, "guide"));
  g_assert_true (kiosk_session_journey_done_with_event (session, event));
  g_assert_cmpint (kiosk_session_get_state (session), ==, KIOSK_SESSION_RATE);
  got = kiosk_session_get_service_event (session);
  g_assert_nonnull (got);
  g_assert_true (got != event); /* a copy */
  g_assert_cmpstr (got->case_number, ==, "C-1");
  g_assert_cmpstr (got->item_code, ==, "330000-001-01");
  g_assert_true (got->proxy);
  g_assert_cmpstr (got->agent_id, ==, "agent-07");
  g_assert_true (kiosk_session_rating_done (session));

  /* The plain journey_done (TRUE) still rates, without an event. */
  kiosk_session_wipe (session);
  g_assert_null (kiosk_session_get_service_event (session));
  kiosk_session_touch (session);
  g_assert_true (kiosk_session_select_journey (session, "guide"));
  g_assert_true (kiosk_session_journey_done (session, TRUE));
  g_assert_cmpint (kiosk_session_get_state (session), ==, KIOSK_SESSION_RATE);
  g_assert_null (kiosk_session_get_service_event (session));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rating/session/journey-done-with-event", test_event);
  return g_test_run ();
}
