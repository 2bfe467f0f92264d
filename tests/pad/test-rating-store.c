/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ratings reach the offline store's outbox (kind "rating") through the
 * store sink, once per service event, as the profile maps them. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "kiosk-rating-flow.h"
#include "kiosk-rating-store-sink.h"

#define CONF                                                                                                   \
  "[kiosk]\nid=k1\nstation=s\nregion-code=330106001\n[store]\npath=a.db\n[platform]\nurl=https://p.example/\n" \
  "[pad]\nbackend=none\n"

static void
test_outbox (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rating-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "kiosk.db", NULL);
  g_autoptr (KioskConfig) config = kiosk_config_new_from_data (CONF, NULL, &error);
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskRatingSink) sink = NULL;
  g_autoptr (KioskRatingFlow) flow = NULL;
  g_autoptr (KioskServiceEvent) event = kiosk_service_event_new ("K1-20261122-000017X", "330000-001-01", "apply");
  g_autoptr (KioskOutboxItem) head = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  KioskQueueCounts counts = { 0 };
  JsonObject *o;
  gint64 deadline;

  g_assert_no_error (error);
  store = kiosk_store_open (path, "k1", &error);
  g_assert_no_error (error);
  sink = kiosk_rating_store_sink_new (store);
  flow = kiosk_rating_flow_new (config, &error);
  g_assert_no_error (error);
  kiosk_rating_flow_set_manual_clock (flow, TRUE);
  kiosk_rating_flow_set_sink (flow, sink);

  /* rated by the case's applicant */
  event->rater_id_number = g_strdup ("11010519491231002X");
  event->applicant_id_number = g_strdup ("11010519491231002X");
  kiosk_rating_flow_begin (flow, event);
  g_assert_true (kiosk_rating_flow_choose (flow, KIOSK_RATING_VERY_DISSATISFIED, KIOSK_RATING_SOURCE_SCREEN));
  g_assert_false (kiosk_rating_flow_choose (flow, KIOSK_RATING_SATISFIED, KIOSK_RATING_SOURCE_PAD));
  kiosk_rating_flow_set_reason_selected (flow, 0, TRUE);
  g_assert_true (kiosk_rating_flow_submit (flow, NULL));
  g_assert_false (kiosk_rating_flow_submit (flow, NULL));

  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (kiosk_rating_flow_get_unsent (flow) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (kiosk_rating_flow_get_unsent (flow), ==, 0);

  g_assert_true (kiosk_store_queue_counts (store, &counts, &error));
  g_assert_cmpint (counts.pending, ==, 1);
  head = kiosk_store_outbox_head (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (head);
  g_assert_cmpstr (head->kind, ==, "rating");
  g_assert_true (json_parser_load_from_data (parser, head->payload, -1, &error));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "level"), ==, "5");
  g_assert_cmpstr (json_object_get_string_member (o, "case_number"), ==, "K1-20261122-000017X");
  g_assert_cmpint (json_object_get_int_member (o, "sequence"), ==, 1);

  g_clear_object (&flow);
  g_clear_object (&sink);
  g_clear_object (&store);
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        if (g_file_test (p, G_FILE_TEST_IS_DIR))
          g_rmdir (p);
        else
          g_unlink (p);
      }
  }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rating/store/outbox", test_outbox);
  return g_test_run ();
}
