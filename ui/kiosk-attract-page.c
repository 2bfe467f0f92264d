/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-attract-page.h"
#include "kiosk-core-voice.h"
#include "kiosk-ui.h"

struct _KioskAttractPage {
  GtkWidget parent_instance;

  KioskCore *core;

  GtkLabel *station_label;
  GtkLabel *time_label;
  GtkLabel *date_label;
  GtkBox *notices_box;
  GtkLabel *notices_empty_label;
  GtkLabel *notices_time_label;
  GtkBox *notices_dots;
  GtkButton *elder_button;
  GtkSwitch *elder_switch;

  /* The notices turn a page at a steady pace while the page is shown. */
  guint page;    /* shown now */
  guint n_pages; /* as the last allocation made them */
  guint interval_ms;
  guint turn_id;
  guint dots_id; /* the dots follow a new page count (not while allocating) */
};

#define NOTICE_INTERVAL_MS 8000
/* A notice read aloud stays at least this long, more for a long one. */
#define NOTICE_HOLD_MIN_MS 15000
#define NOTICE_HOLD_MAX_MS 60000
/* A long notice is cut at the end of this many lines (…), never mid-line. */
#define NOTICE_MAX_LINES 6

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

static void update_notices_time (KioskAttractPage *self, GDateTime *now);

void
kiosk_attract_page_set_time (KioskAttractPage *self, GDateTime *now)
{
  g_autofree char *time = g_date_time_format (now, "%H:%M");
  g_autofree char *date = _kiosk_format_date (now);

  gtk_label_set_text (self->time_label, time);
  gtk_label_set_text (self->date_label, date);
  /* "today" becomes a date after midnight */
  update_notices_time (self, now);
}

/* The notices are shown in pages of whole notices: as many as fit the
 * height the card has (which is the screen's, not the notices'), a page
 * turned every NOTICE_INTERVAL_MS; a 1280x720 screen under cage has room
 * for three short ones. Notices of other pages are placed below the box,
 * where its clip hides them, and are not mapped. */
#define NOTICE_SPACING 16

static void queue_dots (KioskAttractPage *self);

static GtkSizeRequestMode
notices_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* At least one notice; asking for no more keeps the card's height the
 * screen's, whichever page is shown. */
static void
notices_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                 int *minimum_baseline, int *natural_baseline)
{
  *minimum = *natural = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int cmin, cnat;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, orientation, orientation == GTK_ORIENTATION_VERTICAL ? for_size : -1, &cmin, &cnat, NULL,
                          NULL);
      *minimum = MAX (*minimum, cmin);
      *natural = MAX (*natural, cnat);
    }
}

static void
notices_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  KioskAttractPage *self = g_object_get_data (G_OBJECT (widget), "kiosk-attract-page");
  guint page = 0, n_pages = 0;
  int y = 0;

  /* the pages: whole notices, as many as fit */
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int cmin, cnat;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, width, &cmin, &cnat, NULL, NULL);
      if (n_pages == 0 || (y > 0 && y + cnat > height))
        {
          page = n_pages++;
          y = 0;
        }
      g_object_set_data (G_OBJECT (c), "notice-page", GUINT_TO_POINTER (page));
      g_object_set_data (G_OBJECT (c), "notice-y", GINT_TO_POINTER (y));
      y += cnat + NOTICE_SPACING;
    }
  if (self->page >= MAX (n_pages, 1))
    self->page = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      gboolean shown;
      int cmin, cnat;
      GtkAllocation at;

      if (!gtk_widget_should_layout (c))
        continue;
      shown = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (c), "notice-page")) == self->page;
      gtk_widget_set_child_visible (c, shown);
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, width, &cmin, &cnat, NULL, NULL);
      at = (GtkAllocation){ .x = 0,
                            .y = shown ? GPOINTER_TO_INT (g_object_get_data (G_OBJECT (c), "notice-y")) : height + 1,
                            .width = width,
                            .height = cnat };
      gtk_widget_size_allocate (c, &at, -1);
    }
  if (n_pages != self->n_pages)
    {
      self->n_pages = n_pages;
      queue_dots (self);
    }
}

static void
update_dots (KioskAttractPage *self)
{
  GtkWidget *child;
  guint n = 0;

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->notices_dots)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  for (; n < self->n_pages; n++)
    {
      GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      gtk_widget_add_css_class (dot, "notice-dot");
      gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
      gtk_box_append (self->notices_dots, dot);
    }
  while (n > self->n_pages)
    {
      gtk_box_remove (self->notices_dots, gtk_widget_get_last_child (GTK_WIDGET (self->notices_dots)));
      n--;
    }
  n = 0;
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->notices_dots)); child != NULL;
       child = gtk_widget_get_next_sibling (child), n++)
    if (n == self->page)
      gtk_widget_add_css_class (child, "current");
    else
      gtk_widget_remove_css_class (child, "current");
  /* one page has nothing to turn */
  gtk_widget_set_visible (GTK_WIDGET (self->notices_dots), self->n_pages > 1);
  if (self->n_pages > 1)
    {
      /* Translators: the notices on the attract screen, page %1$u of %2$u */
      g_autofree char *name = g_strdup_printf (_ ("Notices, page %1$u of %2$u"), self->page + 1, self->n_pages);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->notices_dots), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
}

static gboolean
dots_cb (gpointer data)
{
  KioskAttractPage *self = data;

  self->dots_id = 0;
  update_dots (self);
  return G_SOURCE_REMOVE;
}

static void
queue_dots (KioskAttractPage *self)
{
  if (self->dots_id == 0)
    self->dots_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, dots_cb, self, NULL);
}

static void start_turning (KioskAttractPage *self, guint first_ms);

/* The notice being read aloud is outlined (@row NULL: none). */
static void
mark_reading (KioskAttractPage *self, GtkWidget *row)
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->notices_box)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (c == row)
      gtk_widget_add_css_class (c, "notice-reading");
    else
      gtk_widget_remove_css_class (c, "notice-reading");
}

static void
show_page (KioskAttractPage *self, guint page)
{
  mark_reading (self, NULL);
  self->page = self->n_pages > 0 ? page % self->n_pages : 0;
  gtk_widget_queue_allocate (GTK_WIDGET (self->notices_box));
  update_dots (self);
}

static gboolean
turn_cb (gpointer data)
{
  KioskAttractPage *self = data;

  self->turn_id = 0;
  show_page (self, self->page + 1);
  start_turning (self, self->interval_ms);
  return G_SOURCE_REMOVE;
}

/* The next page in @first_ms, then every interval, while the page is on
 * screen. */
static void
start_turning (KioskAttractPage *self, guint first_ms)
{
  g_clear_handle_id (&self->turn_id, g_source_remove);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->turn_id = g_timeout_add (first_ms, turn_cb, self);
}

static void
page_map_cb (GtkWidget *widget, KioskAttractPage *self)
{
  start_turning (self, self->interval_ms);
}

static void
page_unmap_cb (GtkWidget *widget, KioskAttractPage *self)
{
  g_clear_handle_id (&self->turn_id, g_source_remove);
}

/* "更新于 09:30" (today), "更新于 12月1日 09:30" (before), or that the
 * notices are the station's own. */
static void
update_notices_time (KioskAttractPage *self, GDateTime *now)
{
  gint64 fetched = kiosk_core_get_notices_fetched_at (self->core);
  g_autofree char *text = NULL;

  if (fetched <= 0)
    text = g_strdup (_ ("Notices of this service station"));
  else
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (fetched / G_USEC_PER_SEC);
      g_autoptr (GDateTime) at = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *time = at ? g_date_time_format (at, "%H:%M") : NULL;

      if (at == NULL || time == NULL)
        text = g_strdup (_ ("Notices of this service station"));
      else if (g_date_time_get_year (at) == g_date_time_get_year (now)
               && g_date_time_get_day_of_year (at) == g_date_time_get_day_of_year (now))
        /* Translators: when the platform's notices were fetched, today */
        text = g_strdup_printf (_ ("Updated at %s"), time);
      else
        /* Translators: when the platform's notices were fetched: month,
         * day, time ("12月1日 09:30") */
        text = g_strdup_printf (_ ("Updated %1$d/%2$d %3$s"), g_date_time_get_month (at),
                                g_date_time_get_day_of_month (at), time);
    }
  gtk_label_set_text (self->notices_time_label, text);
}

static void
update_notices (KioskAttractPage *self)
{
  /* The platform's notices when it sent any, else [kiosk] notices. */
  const char *const *notices = kiosk_core_get_notices (self->core);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
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
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_lines (GTK_LABEL (label), NOTICE_MAX_LINES);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (row), bullet);
      gtk_box_append (GTK_BOX (row), label);
      g_object_set_data_full (G_OBJECT (row), "notice-text", g_steal_pointer (&text), g_free);
      gtk_box_append (self->notices_box, row);
      n++;
    }
  /* the card as tall as the screen leaves it for notices, a small one
   * for none */
  gtk_widget_set_valign (gtk_widget_get_parent (GTK_WIDGET (self->notices_box)),
                         n > 0 ? GTK_ALIGN_FILL : GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (self->notices_box), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->notices_empty_label), n == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->notices_time_label), n > 0);
  update_notices_time (self, now);
  /* new notices start at their first page */
  self->page = 0;
  update_dots (self);
  start_turning (self, self->interval_ms);
}

static void
notices_cb (GObject *core, GParamSpec *pspec, KioskAttractPage *self)
{
  update_notices (self);
}

guint
kiosk_attract_page_get_notice_page (KioskAttractPage *self, guint *n_pages)
{
  g_return_val_if_fail (KIOSK_IS_ATTRACT_PAGE (self), 0);
  if (n_pages != NULL)
    *n_pages = self->n_pages;
  return self->page;
}

void
kiosk_attract_page_turn_notices (KioskAttractPage *self)
{
  g_return_if_fail (KIOSK_IS_ATTRACT_PAGE (self));
  show_page (self, self->page + 1);
  start_turning (self, self->interval_ms);
}

void
kiosk_attract_page_set_notice_interval (KioskAttractPage *self, guint ms)
{
  g_return_if_fail (KIOSK_IS_ATTRACT_PAGE (self));
  self->interval_ms = MAX (ms, 1);
  start_turning (self, self->interval_ms);
}

/* A notice is read in the language it is written in: one with Chinese
 * characters in Chinese, even in an English session. */
static const char *
written_in (KioskAttractPage *self, const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return "zh_CN";
  return kiosk_session_get_language (kiosk_core_get_session (self->core));
}

gboolean
kiosk_attract_page_touch (KioskAttractPage *self, GtkWidget *target)
{
  const char *text = NULL;
  GtkWidget *row = NULL;
  glong chars;

  g_return_val_if_fail (KIOSK_IS_ATTRACT_PAGE (self), FALSE);
  /* Only in 长辈模式, and only when the voice can be heard: otherwise a
   * touch on a notice begins a session as a touch anywhere does. */
  if (target == NULL || !kiosk_session_get_elder_mode (kiosk_core_get_session (self->core))
      || !kiosk_core_get_voice_heard (self->core))
    return FALSE;
  for (GtkWidget *w = target; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    if (gtk_widget_get_parent (w) == GTK_WIDGET (self->notices_box))
      {
        row = w;
        text = g_object_get_data (G_OBJECT (w), "notice-text");
        break;
      }
  if (text == NULL || !kiosk_core_say_in (self->core, text, written_in (self, text)))
    return FALSE;
  mark_reading (self, row);
  /* The notice stays while it is read: about four characters a second. */
  chars = g_utf8_strlen (text, -1);
  start_turning (self, (guint) CLAMP (chars * 250 + 3000, NOTICE_HOLD_MIN_MS, NOTICE_HOLD_MAX_MS));
  return TRUE;
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

/* 请触摸屏幕开始 activated by assistive technology (a finger's press
 * starts the session before any "clicked"). */
static void
start_clicked_cb (GtkButton *button, KioskAttractPage *self)
{
  KioskSession *session = kiosk_core_get_session (self->core);

  if (kiosk_session_get_state (session) == KIOSK_SESSION_ATTRACT)
    kiosk_session_touch (session);
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
  self->interval_ms = NOTICE_INTERVAL_MS;
  gtk_label_set_text (self->station_label, station);
  g_signal_connect (self, "map", G_CALLBACK (page_map_cb), self);
  g_signal_connect (self, "unmap", G_CALLBACK (page_unmap_cb), self);
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

  g_clear_handle_id (&self->turn_id, g_source_remove);
  g_clear_handle_id (&self->dots_id, g_source_remove);
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
  gtk_widget_class_bind_template_child (widget_class, KioskAttractPage, notices_time_label);
  gtk_widget_class_bind_template_child (widget_class, KioskAttractPage, notices_dots);
  gtk_widget_class_bind_template_child (widget_class, KioskAttractPage, elder_button);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
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
  g_object_set_data (G_OBJECT (self->notices_box), "kiosk-attract-page", self);
  gtk_widget_set_name (GTK_WIDGET (self->notices_time_label), "notices-time");
  gtk_widget_set_name (GTK_WIDGET (self->notices_dots), "notice-dots");
}
