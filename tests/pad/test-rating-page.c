/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rating page under Xvfb: a full rating with a bad level and a reason,
 * with screenshots (rating-1-ask.png, rating-2-reasons.png,
 * rating-3-reason-missing.png, rating-4-filled.png, rating-5-pad-unplugged.png in the
 * build folder of this test). Skips (77) without a display. */
#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "kiosk-rating-page.h"
#include "kiosk-ui.h"
#include "pad-device.h"

#define CONF                                                                                             \
  "[kiosk]\nid=k1\nstation=测试站\nregion-code=330106001\n[store]\npath=/nonexistent/kiosk-test.db\n" \
  "[platform]\nurl=https://p.example/\n[session]\nidle-warning-seconds=600\n"                            \
  "[pad]\nbackend=sim\n[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[printer]\nbackend=sim\n"           \
  "[rating]\ntimeout-seconds=120\nanonymous-allowed=true\n"

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

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
settle (guint ms)
{
  gboolean done = FALSE;
  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
screenshot (GtkWidget *window, const char *name)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (KIOSK_RATING_SHOT_DIR, name, NULL);
  GtkSnapshot *snapshot;
  int w, h;

  settle (400); /* crossfade of the stack, first frame */
  w = gtk_widget_get_width (window);
  h = gtk_widget_get_height (window);
  g_assert_cmpint (w, >, 0);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s", path);
}

/* The page leaves RATE from an idle callback: on a loaded machine (or under
 * ASan) drawing may delay it past a fixed pause, so wait for it (bounded). */
static void
wait_for_end (KioskSession *session)
{
  for (int i = 0; i < 500 && kiosk_session_get_state (session) != KIOSK_SESSION_END; i++)
    settle (10);
  g_assert_cmpint (kiosk_session_get_state (session), ==, KIOSK_SESSION_END);
}

static void
click (GtkWidget *page, const char *name)
{
  GtkWidget *w = find_named (page, name);
  g_assert_nonnull (w);
  g_assert_true (gtk_widget_is_visible (w));
  g_assert_true (gtk_widget_is_sensitive (w));
  g_signal_emit_by_name (w, "clicked");
}

static void
test_bad_rating_with_reason (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config = kiosk_config_new_from_data (CONF, NULL, &error);
  g_autoptr (KioskCore) core = NULL;
  g_autoptr (KioskRatingMemorySink) sink = kiosk_rating_memory_sink_new ();
  g_autoptr (KioskServiceEvent) event = kiosk_service_event_new ("K1-20261122-000017X", "330000-001-01", "apply");
  g_autoptr (JsonParser) parser = json_parser_new ();
  KioskSession *session;
  KioskPadDevice *pad;
  GtkWidget *window, *page, *button, *stack;
  JsonObject *o;
  int wipes_before;

  g_assert_no_error (error);
  /* Rated by the case's applicant (nobody else may rate a case). */
  event->rater_id_number = g_strdup ("11010519491231002X");
  event->applicant_id_number = g_strdup ("11010519491231002X");
  kiosk_rating_sink_set_default (KIOSK_RATING_SINK (sink));
  core = kiosk_core_new (config);
  session = kiosk_core_get_session (core);
  kiosk_session_set_manual_clock (session, TRUE);
  pad = kiosk_pad_device_from_device (kiosk_device_manager_get (kiosk_core_get_devices (core), "pad"));
  g_assert_nonnull (pad);
  kiosk_device_start (KIOSK_DEVICE (pad));

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  page = kiosk_rating_page_new (core);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  kiosk_rating_flow_set_manual_clock (kiosk_rating_page_get_flow (KIOSK_RATING_PAGE (page)), TRUE);

  /* A service event: menu → a journey → done with the event → RATE. */
  g_assert_true (kiosk_session_touch (session));
  g_assert_true (kiosk_session_select_journey (session, "guide"));
  g_assert_true (kiosk_session_journey_done_with_event (session, event));
  g_assert_cmpint (kiosk_session_get_state (session), ==, KIOSK_SESSION_RATE);
  stack = gtk_widget_get_first_child (page);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "ask");

  /* Every level button is a large touch target. */
  for (int l = KIOSK_RATING_VERY_SATISFIED; l <= KIOSK_RATING_VERY_DISSATISFIED; l++)
    {
      g_autofree char *name = g_strdup_printf ("rating-level-%s", kiosk_rating_level_to_string (l));
      button = find_named (page, name);
      g_assert_nonnull (button);
      /* the first allocation may take a while on a loaded machine */
      for (int i = 0; i < 250 && gtk_widget_get_height (button) == 0; i++)
        settle (20);
      g_assert_cmpint (gtk_widget_get_height (button), >=, 64);
      g_assert_cmpint (gtk_widget_get_width (button), >=, 64);
    }
  screenshot (window, "rating-1-ask.png");

  /* 不满意 on the screen: reasons are asked for. */
  click (page, "rating-level-dissatisfied");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "reasons");
  /* the pad pressed at the same moment changes nothing */
  g_assert_true (kiosk_pad_device_sim_press (pad, KIOSK_PAD_KEY_VERY_SATISFIED));
  screenshot (window, "rating-2-reasons.png");

  /* Submit without a reason: refused, said on screen, nothing recorded. */
  click (page, "rating-submit");
  g_assert_cmpint (kiosk_session_get_state (session), ==, KIOSK_SESSION_RATE);
  g_assert_cmpuint (kiosk_rating_memory_sink_get_items (sink)->len, ==, 0);
  screenshot (window, "rating-3-reason-missing.png");

  /* One reason, a comment and a phone; then submit (twice: one record). */
  button = find_named (page, "rating-reason-1");
  g_assert_nonnull (button);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (find_named (page, "rating-text")), "等了四十分钟");
  gtk_editable_set_text (GTK_EDITABLE (find_named (page, "rating-phone")), "13800138000");
  screenshot (window, "rating-4-filled.png");
  click (page, "rating-submit");
  g_signal_emit_by_name (find_named (page, "rating-submit"), "clicked");
  wait_for_end (session);
  g_assert_cmpuint (kiosk_rating_memory_sink_get_items (sink)->len, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, kiosk_rating_memory_sink_get_items (sink)->pdata[0], -1, &error));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "level"), ==, "4");
  g_assert_cmpstr (json_object_get_string_member (o, "case_number"), ==, "K1-20261122-000017X");
  g_assert_cmpstr (json_object_get_string_member (o, "item_code"), ==, "330000-001-01");
  g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "screen");
  g_assert_cmpstr (json_object_get_string_member (o, "text"), ==, "等了四十分钟");
  g_assert_cmpstr (json_object_get_string_member (o, "contact_phone"), ==, "13800138000");
  g_assert_cmpstr (json_object_get_string_member (o, "region_code"), ==, "330106001");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "reasons"), 0), ==, "服务态度不好");

  /* The next resident: wipe clears the fields. */
  wipes_before = 0;
  kiosk_session_wipe (session);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (page, "rating-text"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (page, "rating-phone"))), ==, "");
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_named (page, "rating-reason-1"))));
  (void) wipes_before;

  /* A second event answered on the pad alone. */
  g_assert_true (kiosk_session_touch (session));
  g_assert_true (kiosk_session_select_journey (session, "guide"));
  g_assert_true (kiosk_session_journey_done_with_event (session, event));
  g_assert_false (gtk_widget_get_visible (find_named (page, "rating-pad-note")));
  kiosk_pad_device_sim_set_connected (pad, FALSE);
  settle (50);
  g_assert_true (gtk_widget_get_visible (find_named (page, "rating-pad-note")));
  screenshot (window, "rating-5-pad-unplugged.png");
  kiosk_pad_device_sim_set_connected (pad, TRUE);
  settle (50);
  g_assert_false (gtk_widget_get_visible (find_named (page, "rating-pad-note")));
  g_assert_true (kiosk_pad_device_sim_press (pad, KIOSK_PAD_KEY_SATISFIED));
  wait_for_end (session);
  g_assert_cmpuint (kiosk_rating_memory_sink_get_items (sink)->len, ==, 2);

  /* The window rebuilds its pages mid-question (language switch): the new
   * page continues the same question, and there is still one record. */
  kiosk_session_wipe (session);
  g_assert_true (kiosk_session_touch (session));
  g_assert_true (kiosk_session_select_journey (session, "guide"));
  g_assert_true (kiosk_session_journey_done_with_event (session, event));
  click (page, "rating-level-very-dissatisfied");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (page, "rating-reason-0")), TRUE);
  page = kiosk_rating_page_new (core);
  gtk_window_set_child (GTK_WINDOW (window), page); /* the old page goes */
  settle (50);
  g_assert_cmpuint (kiosk_rating_memory_sink_get_items (sink)->len, ==, 2);
  stack = gtk_widget_get_first_child (page);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "reasons");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_named (page, "rating-reason-0"))));
  click (page, "rating-submit");
  wait_for_end (session);
  g_assert_cmpuint (kiosk_rating_memory_sink_get_items (sink)->len, ==, 3);
  g_assert_nonnull (strstr (kiosk_rating_memory_sink_get_items (sink)->pdata[2], "\"level\":\"5\""));

  /* Wiped while asking: "not rated" is recorded, once. */
  kiosk_session_wipe (session);
  g_assert_true (kiosk_session_touch (session));
  g_assert_true (kiosk_session_select_journey (session, "guide"));
  g_assert_true (kiosk_session_journey_done (session, TRUE));
  kiosk_session_wipe (session);
  g_assert_cmpuint (kiosk_rating_memory_sink_get_items (sink)->len, ==, 4);
  g_assert_nonnull (strstr (kiosk_rating_memory_sink_get_items (sink)->pdata[3], "\"rated\":false"));

  kiosk_device_stop (KIOSK_DEVICE (pad));
  gtk_window_destroy (GTK_WINDOW (window));
  settle (50);
  kiosk_rating_sink_set_default (NULL);
}

int
main (int argc, char **argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      fprintf (stderr, "no display: skipped\n");
      return 77;
    }
  /* The kiosk's renderer and no GL (Mesa's EGL driver leaks under LSan). */
  kiosk_ui_preinit ();
  /* No accessibility bus in the test machine (it would warn, fatally). */
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, KIOSK_BUILD_DIR "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  kiosk_ui_init ();
  g_test_add_func ("/rating/page/bad-rating-with-reason", test_bad_rating_with_reason);
  return g_test_run ();
}
