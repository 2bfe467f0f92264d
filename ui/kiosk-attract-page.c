/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-attract-page.h"
#include "kiosk-ui.h"

struct _KioskAttractPage {
  GtkWidget parent_instance;

  KioskCore *core;

  GtkLabel *station_label;
  GtkLabel *time_label;
  GtkLabel *date_label;
  GtkBox *notices_box;
  GtkLabel *notices_empty_label;
  GtkButton *elder_button;
  GtkSwitch *elder_switch;
};

G_DEFINE_FINAL_TYPE (KioskAttractPage, kiosk_attract_page, GTK_TYPE_WIDGET)

static const char *const weekdays[] = {
  N_ ("Monday"), N_ ("Tuesday"), N_ ("Wednesday"), N_ ("Thursday"), N_ ("Friday"), N_ ("Saturday"), N_ ("Sunday"),
};

static const char *const months[] = {
  N_ ("January"), N_ ("February"), N_ ("March"),     N_ ("April"),   N_ ("May"),      N_ ("June"),
  N_ ("July"),    N_ ("August"),   N_ ("September"), N_ ("October"), N_ ("November"), N_ ("December"),
};

char *
_kiosk_format_date (GDateTime *now)
{
  int wd = g_date_time_get_day_of_week (now); /* 1 = Monday */
  int m = g_date_time_get_month (now);
  /* The names come from our own catalogue, not from LC_TIME: the kiosk runs
   * in C.UTF-8 and switches language per session. */
  g_autofree char *month_number = g_strdup_printf ("%d", m);

  /* Translators: %1$s weekday, %2$s month name, %3$d day, %4$d year, %5$s
   * month number. Use every argument ("%2$.0s" uses one without printing
   * it): positional arguments may not be skipped. */
  return g_strdup_printf (_ ("%1$s, %2$s %3$d, %4$d%5$.0s"), _ (weekdays[wd - 1]), _ (months[m - 1]),
                          g_date_time_get_day_of_month (now), g_date_time_get_year (now), month_number);
}

void
kiosk_attract_page_set_time (KioskAttractPage *self, GDateTime *now)
{
  g_autofree char *time = g_date_time_format (now, "%H:%M");
  g_autofree char *date = _kiosk_format_date (now);

  gtk_label_set_text (self->time_label, time);
  gtk_label_set_text (self->date_label, date);
}

/* The notices list shows whole notices only: as many as fit the height
 * the screen leaves it, the rest left out (a 1280x720 screen under cage
 * has room for three). A plain GtkBox would ask for all of them, spill
 * over the card and cut a line in half. */
#define NOTICE_SPACING 16

static GtkSizeRequestMode
notices_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
notices_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                 int *minimum_baseline, int *natural_baseline)
{
  int n = 0;

  *minimum = *natural = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int cmin, cnat;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, orientation, orientation == GTK_ORIENTATION_VERTICAL ? for_size : -1, &cmin, &cnat, NULL,
                          NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          *minimum = MAX (*minimum, cmin);
          *natural = MAX (*natural, cnat);
        }
      else
        {
          /* at least the first notice; all of them when there is room */
          if (n == 0)
            *minimum = cmin;
          *natural += cnat + (n > 0 ? NOTICE_SPACING : 0);
        }
      n++;
    }
}

static void
notices_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  int y = 0;
  gboolean full = FALSE;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int cmin, cnat;
      GtkAllocation at;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, width, &cmin, &cnat, NULL, NULL);
      /* A notice that does not fit whole is placed below the box, where
       * the box's clip hides it, and so is every one after it. */
      full = full || (y > 0 && y + cnat > height);
      at = (GtkAllocation){ .x = 0, .y = full ? height + 1 : y, .width = width, .height = cnat };
      gtk_widget_size_allocate (c, &at, -1);
      y += cnat + NOTICE_SPACING;
    }
}

static void
update_notices (KioskAttractPage *self)
{
  /* The platform's notices when it sent any, else [kiosk] notices. */
  const char *const *notices = kiosk_core_get_notices (self->core);
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->notices_box))) != NULL)
    gtk_box_remove (self->notices_box, child);

  for (guint i = 0; notices != NULL && notices[i] != NULL; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (notices[i]));
      GtkWidget *row, *bullet, *label;

      if (*text == '\0')
        continue;
      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
      bullet = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      label = gtk_label_new (text);
      gtk_widget_add_css_class (row, "notice");
      gtk_widget_add_css_class (bullet, "notice-bullet");
      gtk_widget_set_valign (bullet, GTK_ALIGN_START);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (row), bullet);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (self->notices_box, row);
      n++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->notices_box), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->notices_empty_label), n == 0);
}

static void
notices_cb (GObject *core, GParamSpec *pspec, KioskAttractPage *self)
{
  update_notices (self);
}

/* The press on the 长辈模式 pill: the window's capture-phase handler has
 * already started the session (the page is leaving the screen, so the
 * button's own "clicked" would never come); this handler, also in the
 * capture phase, runs for the same press and toggles the mode. */
static void
elder_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, KioskAttractPage *self)
{
  KioskSession *session = kiosk_core_get_session (self->core);

  if (n_press != 1)
    return;
  kiosk_session_touch (session);
  kiosk_session_set_elder_mode (session, !kiosk_session_get_elder_mode (session));
}

/* A keyboard or switch-access activation. */
static void
elder_clicked_cb (GtkButton *button, KioskAttractPage *self)
{
  KioskSession *session = kiosk_core_get_session (self->core);

  if (kiosk_session_get_state (session) != KIOSK_SESSION_ATTRACT)
    return; /* the press already did it */
  kiosk_session_touch (session);
  kiosk_session_set_elder_mode (session, !kiosk_session_get_elder_mode (session));
}

GtkWidget *
kiosk_attract_page_new (KioskCore *core)
{
  KioskAttractPage *self = g_object_new (KIOSK_TYPE_ATTRACT_PAGE, NULL);
  g_autofree char *station = kiosk_config_get_string (kiosk_core_get_config (core), "kiosk", "station");
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  self->core = g_object_ref (core);
  gtk_label_set_text (self->station_label, station);
  g_object_bind_property (kiosk_core_get_session (core), "elder-mode", self->elder_switch, "active",
                          G_BINDING_SYNC_CREATE);
  {
    GtkGesture *press = gtk_gesture_click_new ();
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (press), GTK_PHASE_CAPTURE);
    gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (press), "elder-press");
    g_signal_connect (press, "pressed", G_CALLBACK (elder_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->elder_button), GTK_EVENT_CONTROLLER (press));
  }
  g_signal_connect (self->elder_button, "clicked", G_CALLBACK (elder_clicked_cb), self);
  g_signal_connect_object (core, "notify::notices", G_CALLBACK (notices_cb), self, 0);
  update_notices (self);
  kiosk_attract_page_set_time (self, now);
  return GTK_WIDGET (self);
}

static void
kiosk_attract_page_dispose (GObject *object)
{
  KioskAttractPage *self = KIOSK_ATTRACT_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_ATTRACT_PAGE);
  _kiosk_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->core);
  G_OBJECT_CLASS (kiosk_attract_page_parent_class)->dispose (object);
}

static void
kiosk_attract_page_class_init (KioskAttractPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_attract_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/kiosk/kiosk-attract-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskAttractPage, station_label);
  gtk_widget_class_bind_template_child (widget_class, KioskAttractPage, time_label);
  gtk_widget_class_bind_template_child (widget_class, KioskAttractPage, date_label);
  gtk_widget_class_bind_template_child (widget_class, KioskAttractPage, notices_box);
  gtk_widget_class_bind_template_child (widget_class, KioskAttractPage, notices_empty_label);
  gtk_widget_class_bind_template_child (widget_class, KioskAttractPage, elder_button);
  gtk_widget_class_bind_template_child (widget_class, KioskAttractPage, elder_switch);
}

static void
kiosk_attract_page_init (KioskAttractPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self->notices_box),
                                 gtk_custom_layout_new (notices_request_mode, notices_measure, notices_allocate));
  gtk_widget_set_overflow (GTK_WIDGET (self->notices_box), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_name (GTK_WIDGET (self->notices_box), "notices");
}
