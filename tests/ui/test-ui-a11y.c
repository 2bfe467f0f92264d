/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What an assistive technology finds (issue #16, point 3), screen after
 * screen: attract, identify, the menu, every journey's first screen, the
 * rating page and the thank-you screen, in normal mode and in 长辈模式,
 * and the maintenance screen (its PIN prompt, then open).
 * Every control drawn (button, toggle, check button, switch, text field,
 * scale, drop-down) must carry an accessible name (an accessible label or
 * a labelled-by relation, read through GTK's test AT context: GTK_A11Y=test)
 * and be at least 64 px both ways, 80 px in 长辈模式; every screen has a
 * heading (a drawn label whose accessible role is heading). A test of the
 * test: a deliberately unnamed icon button, a small one and a screen
 * without a heading are found. Screenshots in KIOSK_SCREENSHOT_DIR. Skips (77)
 * without a display. */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "kiosk-a11y.h"
#include "kiosk-maint.h"
#include "kiosk-pin.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"

static struct {
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
} T;

static gboolean
is_control (GtkWidget *w)
{
  return GTK_IS_BUTTON (w) || GTK_IS_SWITCH (w) || GTK_IS_CHECK_BUTTON (w) || GTK_IS_TEXT (w) || GTK_IS_ENTRY (w)
         || GTK_IS_SCALE (w) || GTK_IS_DROP_DOWN (w) || GTK_IS_SPIN_BUTTON (w) || GTK_IS_TEXT_VIEW (w);
}

static gboolean
drawn_control (GtkWidget *w, gpointer data)
{
  return is_control (w) && gtk_widget_is_drawable (w);
}

static gboolean
named (GtkWidget *w)
{
  /* A GtkText inside an entry: the entry is what is announced. */
  if (GTK_IS_TEXT (w) && gtk_widget_get_parent (w) != NULL
      && (GTK_IS_ENTRY (gtk_widget_get_parent (w)) || GTK_IS_SPIN_BUTTON (gtk_widget_get_parent (w))))
    return TRUE;
  /* A button with its text set as its label is named by GTK from it (over
   * AT-SPI too: ui/atspi hears it). */
  if (GTK_IS_BUTTON (w) && gtk_button_get_label (GTK_BUTTON (w)) != NULL && *gtk_button_get_label (GTK_BUTTON (w)))
    return TRUE;
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL)
         || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static const char *
shown_text (GtkWidget *w)
{
  if (GTK_IS_LABEL (w))
    return gtk_label_get_text (GTK_LABEL (w));
  if (GTK_IS_EDITABLE (w) && !GTK_IS_TEXT (w))
    return gtk_editable_get_text (GTK_EDITABLE (w));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *t = shown_text (c);

      if (t != NULL && *t != '\0')
        return t;
    }
  return "";
}

/* The findings on the widgets below @root, one line each. */
static guint
check_tree (GtkWidget *root, const char *screen, int minimum, GString *findings)
{
  g_autoptr (GPtrArray) controls = g_ptr_array_new ();
  guint n = 0;

  kiosk_ui_test_collect (root, drawn_control, NULL, controls);
  for (guint i = 0; i < controls->len; i++)
    {
      GtkWidget *w = controls->pdata[i];
      graphene_rect_t r;

      if (!named (w))
        {
          g_string_append_printf (findings, "%s: %s \"%s\" has no accessible name\n", screen, G_OBJECT_TYPE_NAME (w),
                                  shown_text (w));
          n++;
        }
      if (GTK_IS_TEXT (w) || GTK_IS_TEXT_VIEW (w) || !gtk_widget_compute_bounds (w, w, &r))
        continue;
      if (r.size.width < 64 || r.size.height < 64)
        {
          g_string_append_printf (findings, "%s: %s \"%s\" is %.0fx%.0f px, under 64\n", screen, G_OBJECT_TYPE_NAME (w),
                                  shown_text (w), r.size.width, r.size.height);
          n++;
        }
      else if (r.size.width < minimum || r.size.height < minimum)
        {
          g_string_append_printf (findings, "%s: %s \"%s\" is %.0fx%.0f px, under %d\n", screen, G_OBJECT_TYPE_NAME (w),
                                  shown_text (w), r.size.width, r.size.height, minimum);
          n++;
        }
    }
  g_test_message ("%s: %u controls", screen, controls->len);
  return n;
}

static gboolean
drawn_heading (GtkWidget *w, gpointer data)
{
  return gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w)) == GTK_ACCESSIBLE_ROLE_HEADING
         && gtk_widget_is_drawable (w) && kiosk_a11y_text_is_word (shown_text (w));
}

/* Every screen has a heading (issue #16, point 3): a drawn widget whose
 * accessible role is a heading and that shows a word. One finding when
 * none is. */
static guint
check_heading (GtkWidget *root, const char *screen, GString *findings)
{
  g_autoptr (GPtrArray) headings = g_ptr_array_new ();

  kiosk_ui_test_collect (root, drawn_heading, NULL, headings);
  if (headings->len == 0)
    {
      g_string_append_printf (findings, "%s: no heading\n", screen);
      return 1;
    }
  g_test_message ("%s: heading \"%s\"", screen, shown_text (headings->pdata[0]));
  return 0;
}

static void
check_screen (const char *what, GString *findings)
{
  gboolean elder = kiosk_session_get_elder_mode (T.session);
  g_autofree char *screen = g_strdup_printf ("%s%s", what, elder ? " (长辈模式)" : "");

  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_settle (150);
  kiosk_ui_test_screenshot (screen);
  check_tree (GTK_WIDGET (T.window), screen, elder ? 80 : 64, findings);
  check_heading (GTK_WIDGET (T.window), screen, findings);
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
walk (gboolean elder, GString *findings)
{
  static const char *const journeys[] = { "guide", "apply", "certificate", "progress", "proxy" };
  g_autoptr (KioskIdentity) id = resident ();

  kiosk_session_wipe (T.session);
  kiosk_session_set_elder_mode (T.session, elder);
  check_screen ("attract", findings);
  /* A journey that needs the card, chosen before it: the identify screen. */
  g_assert_true (kiosk_session_touch (T.session));
  kiosk_session_set_elder_mode (T.session, elder);
  g_assert_true (kiosk_session_select_journey (T.session, "apply"));
  check_screen ("identify", findings);
  g_assert_true (kiosk_session_identity_read (T.session, id));
  kiosk_ui_test_wait_frame ();
  while (kiosk_session_get_state (T.session) != KIOSK_SESSION_MENU)
    g_assert_true (kiosk_session_back (T.session));
  check_screen ("menu", findings);
  for (guint i = 0; i < G_N_ELEMENTS (journeys); i++)
    {
      if (!kiosk_session_select_journey (T.session, journeys[i]))
        {
          g_string_append_printf (findings, "menu: journey %s cannot be opened\n", journeys[i]);
          continue;
        }
      check_screen (journeys[i], findings);
      while (kiosk_session_get_state (T.session) == KIOSK_SESSION_JOURNEY)
        g_assert_true (kiosk_session_back (T.session));
    }
  /* A case handed in: the rating page, then the thank-you screen. */
  {
    KioskServiceEvent event = { 0 };

    event.case_number = (char *) "KS-20261203-0007";
    event.item_code = (char *) "MZ-026";
    event.kind = (char *) "apply";
    event.channel = -1;
    event.rater_id_number = (char *) "11010519491231002X";
    event.applicant_id_number = (char *) "11010519491231002X";
    g_assert_true (kiosk_session_select_journey (T.session, "guide"));
    g_assert_true (kiosk_session_journey_done_with_event (T.session, &event));
  }
  check_screen ("rating", findings);
  g_assert_true (kiosk_session_rating_done (T.session) || kiosk_session_finish (T.session));
  if (kiosk_session_get_state (T.session) == KIOSK_SESSION_END)
    check_screen ("end", findings);
  kiosk_session_wipe (T.session);
}

/* The maintenance screen (issue #16 point 4): the PIN prompt, then open. */
static void
walk_maintenance (GString *findings)
{
  KioskMaint *maint = kiosk_core_get_maint (T.core);

  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_touch (T.session));
  g_assert_false (kiosk_maint_gesture (maint, KIOSK_MAINT_GESTURE_STATION_LONG_PRESS));
  for (int i = 0; i < KIOSK_MAINT_CLOCK_TAPS; i++)
    kiosk_maint_gesture (maint, KIOSK_MAINT_GESTURE_CLOCK_TAP);
  g_assert_cmpint (kiosk_maint_get_state (maint), ==, KIOSK_MAINT_PIN);
  check_screen ("maintenance-pin", findings);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 20);
  g_assert_true (kiosk_maint_enter_pin (maint, "246810"));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_maint_get_state (maint) == KIOSK_MAINT_OPEN, 30);
  check_screen ("maintenance", findings);
  kiosk_maint_leave (maint);
}

static void
test_screens (void)
{
  g_autoptr (GString) findings = g_string_new (NULL);

  walk (FALSE, findings);
  walk (TRUE, findings);
  walk_maintenance (findings);
  if (findings->len > 0)
    g_error ("accessibility findings:\n%s", findings->str);
}

/* The test of the test: an icon-only button without a name is found, the
 * same button with a visible label is named by the map hook, and a small
 * one is reported. */
static void
test_checker (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *unnamed = gtk_button_new ();
  GtkWidget *labelled = gtk_button_new ();
  GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autoptr (GString) findings = g_string_new (NULL);

  gtk_button_set_child (GTK_BUTTON (unnamed), gtk_image_new_from_icon_name ("kiosk-mark-location-symbolic"));
  gtk_widget_set_size_request (unnamed, 100, 100);
  gtk_box_append (GTK_BOX (inner), gtk_image_new_from_icon_name ("kiosk-mark-location-symbolic"));
  gtk_box_append (GTK_BOX (inner), gtk_label_new ("办事指南"));
  gtk_button_set_child (GTK_BUTTON (labelled), inner);
  gtk_widget_add_css_class (labelled, "tiny");
  gtk_widget_set_valign (labelled, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), unnamed);
  gtk_box_append (GTK_BOX (box), labelled);
  gtk_window_set_child (GTK_WINDOW (window), box);
  {
    g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_data (css, "button.tiny { min-height: 20px; min-width: 20px; padding: 0; }", -1);
    gtk_style_context_add_provider_for_display (gtk_widget_get_display (window), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_USER);
  }
  gtk_window_present (GTK_WINDOW (window));
  /* Mapped and given its size: on a busy machine (ASan) the first frame
   * may come before the window's allocation settled, and the unnamed
   * button (asked for 100 px) measured under 64 px is a third finding.
   * The findings are printed before they are counted. */
  KIOSK_UI_TEST_WAIT_FOR (gtk_widget_get_mapped (labelled) && gtk_widget_get_width (unnamed) >= 64
                              && gtk_widget_get_height (unnamed) >= 64,
                          10);
  kiosk_ui_test_settle (100);

  {
    guint n = check_tree (window, "fixture", 64, findings);
    g_test_message ("%s", findings->str);
    g_assert_cmpuint (n, ==, 2);
  }
  g_assert_nonnull (strstr (findings->str, "GtkButton \"\" has no accessible name"));
  g_assert_nonnull (strstr (findings->str, "GtkButton \"办事指南\" is "));
  g_assert_nonnull (strstr (findings->str, " px, under 64"));
  /* The labelled one was named by what it shows. */
  g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (labelled), GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (unnamed), GTK_ACCESSIBLE_RELATION_LABELLED_BY));

  /* A screen without a heading is found: a plain label is not one, nor is
   * a heading that shows nothing; a heading with its text is. */
  g_string_truncate (findings, 0);
  gtk_box_append (GTK_BOX (box), gtk_label_new ("办事指南"));
  gtk_box_append (GTK_BOX (box), kiosk_a11y_heading_new (""));
  kiosk_ui_test_settle (50);
  g_assert_cmpuint (check_heading (window, "fixture", findings), ==, 1);
  g_assert_nonnull (strstr (findings->str, "fixture: no heading"));
  {
    GtkWidget *heading = kiosk_a11y_heading_new ("证明打印");

    gtk_box_append (GTK_BOX (box), heading);
    kiosk_ui_test_settle (50);
    g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (heading)), ==, GTK_ACCESSIBLE_ROLE_HEADING);
    g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (heading), GTK_ACCESSIBLE_PROPERTY_LEVEL));
    g_assert_cmpuint (check_heading (window, "fixture", findings), ==, 0);
    /* hidden, it is no heading of the screen */
    gtk_widget_set_visible (heading, FALSE);
    kiosk_ui_test_settle (50);
    g_assert_cmpuint (check_heading (window, "fixture", findings), ==, 1);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  kiosk_ui_test_settle (50);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *pin_hash = kiosk_pin_hash ("246810");
  int status;

  /* GTK's test AT context: accessible properties and relations can be
   * read back (GTK 4.8 has no other way). Before gtk_init. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  kiosk_ui_test_init (&argc, &argv);
  T.dir = g_dir_make_tmp ("kiosk-ui-a11y-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_strdup_printf ("[kiosk]\nid=kiosk-test\nstation=测试村便民服务站\nphone=0571-88886666\n"
                          "[store]\npath=%s/kiosk.db\n[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n"
                          "[session]\nidle-warning-seconds=600\nidle-countdown-seconds=60\nend-screen-seconds=2\n"
                          "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n"
                          "[printer]\nbackend=sim\n[voice]\nmode=off\n[maintenance]\npin-hash=%s\n",
                          T.dir, pin_hash);
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  T.window = kiosk_ui_test_open_window (T.core, TRUE, KIOSK_SCREENSHOT_DIR);
  kiosk_core_start (T.core);

  g_test_add_func ("/a11y/checker", test_checker);
  g_test_add_func ("/a11y/screens", test_screens);
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
  g_free (T.dir);
  return status;
}
