/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-attract-page.h"
#include "kiosk-end-page.h"
#include "kiosk-identify-page.h"
#include "kiosk-journey-page.h"
#include "kiosk-maint-page.h"
#include "kiosk-menu-page.h"
#include "kiosk-rating-page.h"
#include "kiosk-shell.h"
#include "kiosk-staff-phone.h"
#include "kiosk-status-strip.h"
#include "kiosk-ui.h"
#include "kiosk-voice-bar.h"

struct _KioskShell {
  GtkWidget parent_instance;

  KioskCore *core;
  KioskSession *session;
  guint clock_id;
  guint pages_id;

  GtkWidget *attract_page;
  GtkWidget *journey_page;     /* "not available yet" */
  GtkWidget *journey_own_page; /* from a registered factory, while in it */
  GtkWidget *maint_page;       /* the technician's screen, built when first asked for */

  /* template */
  GtkWidget *header;
  GtkLabel *station_label;
  GtkWidget *demo_label;
  GtkWidget *identity_chip;
  GtkLabel *chip_name_label;
  GtkLabel *clock_label;
  GtkWidget *header_end;
  GtkWidget *voice_bar;
  GtkStack *stack;
  KioskStatusStrip *status_strip;
  GtkWidget *idle_overlay;
  GtkLabel *idle_countdown_label;
  GtkWidget *card_overlay;
  GtkLabel *card_title_label;
  GtkLabel *card_body_label;
  guint card_timeout_id;
  guint beeps;
};

/* How long a card notice stays (a touch dismisses it sooner). */
#define CARD_NOTICE_SECONDS 8

G_DEFINE_FINAL_TYPE (KioskShell, kiosk_shell, GTK_TYPE_WIDGET)

static gboolean
clock_cb (gpointer data)
{
  KioskShell *self = data;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M");

  gtk_label_set_text (self->clock_label, time);
  kiosk_attract_page_set_time (KIOSK_ATTRACT_PAGE (self->attract_page), now);
  return G_SOURCE_CONTINUE;
}

static void
drop_own_journey_page (KioskShell *self)
{
  if (self->journey_own_page == NULL)
    return;
  gtk_stack_remove (self->stack, self->journey_own_page);
  self->journey_own_page = NULL;
}

static void
show_journey (KioskShell *self)
{
  KioskJourney *journey = kiosk_session_get_journey (self->session);
  KioskJourneyPageFactory factory = NULL;

  drop_own_journey_page (self);
  if (journey != NULL && kiosk_journey_get_available (journey))
    factory = kiosk_journey_page_lookup (kiosk_journey_get_id (journey));
  if (factory != NULL)
    {
      self->journey_own_page = factory (self->core, journey);
      gtk_stack_add_named (self->stack, self->journey_own_page, "journey-own");
      gtk_stack_set_visible_child (self->stack, self->journey_own_page);
      return;
    }
  kiosk_journey_page_set_journey (KIOSK_JOURNEY_PAGE (self->journey_page), journey);
  gtk_stack_set_visible_child_name (self->stack, "journey");
}

/* Only the attract screen is built for the first frame; the others follow
 * right after it, or at once when the session is already past attract. */
static void
ensure_pages (KioskShell *self)
{
  g_clear_handle_id (&self->pages_id, g_source_remove);
  if (self->journey_page != NULL)
    return;
  self->journey_page = kiosk_journey_page_new (self->core);
  gtk_stack_add_named (self->stack, kiosk_identify_page_new (self->core), "identify");
  gtk_stack_add_named (self->stack, kiosk_menu_page_new (self->core), "menu");
  gtk_stack_add_named (self->stack, self->journey_page, "journey");
  gtk_stack_add_named (self->stack, kiosk_rating_page_new (self->core), "rate");
  gtk_stack_add_named (self->stack, kiosk_end_page_new (), "end");
}

static gboolean
pages_idle_cb (gpointer data)
{
  KioskShell *self = data;

  self->pages_id = 0;
  ensure_pages (self);
  return G_SOURCE_REMOVE;
}

static void
update_page (KioskShell *self)
{
  KioskSessionState state = kiosk_session_get_state (self->session);

  /* The maintenance screen covers everything while it is not off (the
   * resident's session has been wiped when it opened). */
  if (kiosk_maint_get_state (kiosk_core_get_maint (self->core)) != KIOSK_MAINT_OFF)
    {
      if (self->maint_page == NULL)
        {
          self->maint_page = kiosk_maint_page_new (self->core);
          gtk_stack_add_named (self->stack, self->maint_page, "maintenance");
        }
      gtk_widget_set_visible (self->header, FALSE);
      gtk_stack_set_visible_child (self->stack, self->maint_page);
      drop_own_journey_page (self);
      return;
    }

  if (state != KIOSK_SESSION_ATTRACT)
    ensure_pages (self);

  gtk_widget_set_visible (self->header, state != KIOSK_SESSION_ATTRACT);
  if (state == KIOSK_SESSION_JOURNEY)
    {
      show_journey (self);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, kiosk_session_state_to_string (state));
  drop_own_journey_page (self);
}

static void
state_cb (KioskSession *session, GParamSpec *pspec, KioskShell *self)
{
  update_page (self);
}

/* The maintenance gesture: a long press on the station's name, then taps
 * on the clock (kiosk-maint.h). */
static void
maint_long_press_cb (GtkGestureLongPress *gesture, double x, double y, KioskShell *self)
{
  kiosk_maint_gesture (kiosk_core_get_maint (self->core), KIOSK_MAINT_GESTURE_STATION_LONG_PRESS);
}

static void
maint_tap_cb (GtkGestureClick *gesture, int n_press, double x, double y, KioskShell *self)
{
  kiosk_maint_gesture (kiosk_core_get_maint (self->core), KIOSK_MAINT_GESTURE_CLOCK_TAP);
}

static void
maint_state_cb (KioskMaint *maint, GParamSpec *pspec, KioskShell *self)
{
  update_page (self);
}

static void
clear_identity (KioskShell *self)
{
  gtk_label_set_text (self->chip_name_label, "");
  gtk_widget_set_visible (self->identity_chip, FALSE);
}

static void
update_identity (KioskShell *self)
{
  const KioskIdentity *id = kiosk_session_get_identity (self->session);
  g_autofree char *name = NULL;

  if (id == NULL)
    {
      clear_identity (self);
      return;
    }
  name = kiosk_mask_name (id->name != NULL && *id->name != '\0' ? id->name : id->name_en);
  gtk_label_set_text (self->chip_name_label, name ? name : "");
  gtk_widget_set_visible (self->identity_chip, TRUE);
}

static void
identified_cb (KioskSession *session, GParamSpec *pspec, KioskShell *self)
{
  update_identity (self);
}

static void
wipe_cb (KioskSession *session, KioskShell *self)
{
  clear_identity (self);
  drop_own_journey_page (self);
  if (self->journey_page != NULL)
    kiosk_journey_page_set_journey (KIOSK_JOURNEY_PAGE (self->journey_page), NULL);
}

static void
update_idle (KioskShell *self)
{
  gboolean warning = kiosk_session_get_idle_warning (self->session);
  int remaining = kiosk_session_get_idle_remaining (self->session);

  if (warning)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%d second", "%d seconds", remaining), remaining);
      gtk_label_set_text (self->idle_countdown_label, text);
    }
  else
    gtk_label_set_text (self->idle_countdown_label, "");
  gtk_widget_set_visible (self->idle_overlay, warning);
}

static void
idle_cb (KioskSession *session, GParamSpec *pspec, KioskShell *self)
{
  update_idle (self);
}

static void
idle_continue_cb (GtkButton *button, KioskShell *self)
{
  kiosk_session_touch (self->session);
}

/* ---- card notices: large, with a sound, on whatever screen is shown ---- */

static void
hide_card_notice (KioskShell *self)
{
  g_clear_handle_id (&self->card_timeout_id, g_source_remove);
  gtk_widget_set_visible (self->card_overlay, FALSE);
}

static gboolean
card_timeout_cb (gpointer data)
{
  KioskShell *self = data;

  self->card_timeout_id = 0;
  hide_card_notice (self);
  return G_SOURCE_REMOVE;
}

static void
card_ok_cb (GtkButton *button, KioskShell *self)
{
  hide_card_notice (self);
}

static void
card_overlay_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, KioskShell *self)
{
  hide_card_notice (self);
}

static void
card_notice_texts (KioskCardNotice notice, const char **title, const char **body)
{
  switch (notice)
    {
    case KIOSK_CARD_NOTICE_EXPIRED:
      *title = _ ("This ID card has expired");
      *body = _ ("It cannot be used here. Please take your card and renew it at the police station.");
      break;
    case KIOSK_CARD_NOTICE_UNREADABLE:
      *title = _ ("This card cannot be recognised");
      *body = _ ("Please take it away and place a resident ID card, a foreign permanent resident ID card or a "
                 "Hong Kong, Macao or Taiwan residence permit.");
      break;
    case KIOSK_CARD_NOTICE_READ_FAILED:
      *title = _ ("The card could not be read");
      *body = _ ("Please take your card and place it again, flat on the reader, and keep it still.");
      break;
    case KIOSK_CARD_NOTICE_REMOVED:
      *title = _ ("The card was taken away before it was read");
      *body = _ ("Please place it again and keep it still until the screen changes.");
      break;
    case KIOSK_CARD_NOTICE_BUSY:
      *title = _ ("Someone is using the kiosk");
      *body = _ ("Another ID card was placed. It will be read when this session ends; if it is not, please place "
                 "it again then.");
      break;
    case KIOSK_CARD_NOTICE_WRONG_CARD:
      *title = _ ("This service needs a resident ID card");
      *body = _ ("Please use a resident ID card (居民身份证), or ask the staff for help.");
      break;
    case KIOSK_CARD_NOTICE_EID_FAILED:
      *title = _ ("The e-ID code could not be used");
      *body = _ ("Please refresh the e-ID code on your phone and show it again, or place your ID card on the "
                 "reader.");
      break;
    case KIOSK_CARD_NOTICE_PLACE_AGAIN:
    default:
      *title = _ ("Next, please");
      *body = _ ("The previous session has ended. If your ID card is on the reader, please take it and place it "
                 "again.");
      break;
    }
}

/* A large notice over the current screen for CARD_NOTICE_SECONDS (a touch
 * dismisses it), said by the voice where it is on. */
static void
show_notice (KioskShell *self, const char *title, const char *body)
{
  gtk_label_set_text (self->card_title_label, title);
  gtk_label_set_text (self->card_body_label, body);
  gtk_widget_set_visible (self->card_overlay, TRUE);
  /* Heard too where the voice is on (the body with the station's phone). */
  {
    g_autofree char *said = g_strconcat (title, "\n", gtk_label_get_text (self->card_body_label), NULL);

    kiosk_voice_bar_say (KIOSK_VOICE_BAR (self->voice_bar), said);
  }
  g_clear_handle_id (&self->card_timeout_id, g_source_remove);
  self->card_timeout_id = g_timeout_add_seconds (CARD_NOTICE_SECONDS, card_timeout_cb, self);
}

static void
card_notice_cb (KioskSession *session, int notice, KioskShell *self)
{
  const char *title = NULL, *body = NULL;

  card_notice_texts ((KioskCardNotice) notice, &title, &body);
  show_notice (self, title, body);
  /* The bell of the display (XKB bell, a Wayland request): asynchronous,
   * never waits on the main loop. */
  gdk_display_beep (gtk_widget_get_display (GTK_WIDGET (self)));
  self->beeps++;
}

/* 呼叫工作人员: the call is recorded (and synced to the platform); the
 * station's phone meanwhile, large (kiosk_staff_phone_attach). */
static void
staff_called_cb (KioskVoiceBar *bar, gboolean recorded, KioskShell *self)
{
  if (recorded)
    show_notice (self, _ ("The staff have been called"),
                 _ ("Someone will come to help you soon. Please wait here, or call the staff."));
  else
    show_notice (self, _ ("Please call the staff"),
                 _ ("This kiosk could not send the call just now. Please call the staff."));
}

/* A card accepted now belongs to the screen that follows: the notice about
 * an earlier card goes. */
static void
card_identified_cb (KioskSession *session, GParamSpec *pspec, KioskShell *self)
{
  if (kiosk_session_get_identity (session) != NULL)
    hide_card_notice (self);
}

static void
card_wipe_cb (KioskSession *session, KioskShell *self)
{
  hide_card_notice (self);
}

GtkWidget *
kiosk_shell_new (KioskCore *core)
{
  KioskShell *self = g_object_new (KIOSK_TYPE_SHELL, NULL);
  KioskConfig *config = kiosk_core_get_config (core);
  g_autofree char *station = kiosk_config_get_string (config, "kiosk", "station");

  self->core = g_object_ref (core);
  self->session = g_object_ref (kiosk_core_get_session (core));

  gtk_label_set_text (self->station_label, station);
  gtk_widget_set_visible (self->demo_label, kiosk_config_get_bool (config, "kiosk", "demo"));
  kiosk_status_strip_set_core (self->status_strip, core);
  self->voice_bar = kiosk_voice_bar_new (core);
  gtk_box_prepend (GTK_BOX (self->header_end), self->voice_bar);
  g_signal_connect_object (self->voice_bar, "staff-called", G_CALLBACK (staff_called_cb), self, 0);
  /* A card notice that sends the resident to the staff gives their phone. */
  kiosk_staff_phone_attach (self->card_body_label, config);

  self->attract_page = kiosk_attract_page_new (core);
  gtk_stack_add_named (self->stack, self->attract_page, "attract");
  /* Low priority: after the first frame has been drawn. */
  self->pages_id = g_idle_add_full (G_PRIORITY_LOW, pages_idle_cb, self, NULL);

  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (state_cb), self, 0);
  g_signal_connect_object (self->session, "notify::journey", G_CALLBACK (state_cb), self, 0);
  g_signal_connect_object (self->session, "notify::identified", G_CALLBACK (identified_cb), self, 0);
  g_signal_connect_object (self->session, "notify::idle-warning", G_CALLBACK (idle_cb), self, 0);
  g_signal_connect_object (self->session, "notify::idle-remaining", G_CALLBACK (idle_cb), self, 0);
  g_signal_connect_object (self->session, "wipe", G_CALLBACK (wipe_cb), self, 0);
  g_signal_connect_object (self->session, "wipe", G_CALLBACK (card_wipe_cb), self, 0);
  g_signal_connect_object (self->session, "card-notice", G_CALLBACK (card_notice_cb), self, 0);
  g_signal_connect_object (self->session, "notify::identified", G_CALLBACK (card_identified_cb), self, 0);
  g_signal_connect_object (kiosk_core_get_maint (core), "notify::state", G_CALLBACK (maint_state_cb), self, 0);
  {
    GtkGesture *press = gtk_gesture_long_press_new ();
    GtkGesture *tap = gtk_gesture_click_new ();

    /* Twice GTK's long press (about 1 s), then the taps on the clock:
     * nobody does both by chance. */
    gtk_gesture_long_press_set_delay_factor (GTK_GESTURE_LONG_PRESS (press), 2.0);
    gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (press), "maint-long-press");
    g_signal_connect_object (press, "pressed", G_CALLBACK (maint_long_press_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self->station_label), GTK_EVENT_CONTROLLER (press));
    gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (tap), "maint-tap");
    g_signal_connect_object (tap, "released", G_CALLBACK (maint_tap_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self->clock_label), GTK_EVENT_CONTROLLER (tap));
  }
  {
    GtkGesture *click = gtk_gesture_click_new ();
    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
    g_signal_connect_object (click, "pressed", G_CALLBACK (card_overlay_pressed_cb), self, 0);
    gtk_widget_add_controller (self->card_overlay, GTK_EVENT_CONTROLLER (click));
  }

  /* No cross-fade for the first page. */
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_NONE);
  update_page (self);
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  update_identity (self);
  update_idle (self);
  clock_cb (self);
  self->clock_id = g_timeout_add_seconds (1, clock_cb, self);
  return GTK_WIDGET (self);
}

const char *
kiosk_shell_get_page_name (KioskShell *self)
{
  const char *name;

  g_return_val_if_fail (KIOSK_IS_SHELL (self), NULL);
  name = gtk_stack_get_visible_child_name (self->stack);
  return g_strcmp0 (name, "journey-own") == 0 ? "journey" : name;
}

GtkWidget *
kiosk_shell_get_page (KioskShell *self, const char *name)
{
  g_return_val_if_fail (KIOSK_IS_SHELL (self), NULL);
  ensure_pages (self);
  if (g_strcmp0 (name, "journey") == 0 && self->journey_own_page != NULL)
    return self->journey_own_page;
  return gtk_stack_get_child_by_name (self->stack, name);
}

const char *
kiosk_shell_get_idle_text (KioskShell *self)
{
  g_return_val_if_fail (KIOSK_IS_SHELL (self), NULL);
  if (!gtk_widget_get_visible (self->idle_overlay))
    return NULL;
  return gtk_label_get_text (self->idle_countdown_label);
}

GtkWidget *
kiosk_shell_get_status_strip (KioskShell *self)
{
  return GTK_WIDGET (self->status_strip);
}

const char *
kiosk_shell_get_card_notice (KioskShell *self)
{
  g_return_val_if_fail (KIOSK_IS_SHELL (self), NULL);
  if (!gtk_widget_get_visible (self->card_overlay))
    return NULL;
  return gtk_label_get_text (self->card_title_label);
}

guint
kiosk_shell_get_beep_count (KioskShell *self)
{
  g_return_val_if_fail (KIOSK_IS_SHELL (self), 0);
  return self->beeps;
}

static void
kiosk_shell_dispose (GObject *object)
{
  KioskShell *self = KIOSK_SHELL (object);

  g_clear_handle_id (&self->clock_id, g_source_remove);
  g_clear_handle_id (&self->pages_id, g_source_remove);
  g_clear_handle_id (&self->card_timeout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_SHELL);
  _kiosk_widget_unparent_children (GTK_WIDGET (self));
  self->journey_own_page = NULL;
  self->maint_page = NULL;
  self->attract_page = NULL;
  self->journey_page = NULL;
  g_clear_object (&self->session);
  g_clear_object (&self->core);
  G_OBJECT_CLASS (kiosk_shell_parent_class)->dispose (object);
}

static void
kiosk_shell_class_init (KioskShellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_shell_dispose;

  g_type_ensure (KIOSK_TYPE_STATUS_STRIP);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/kiosk/kiosk-shell.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskShell, header);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, station_label);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, demo_label);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, identity_chip);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, chip_name_label);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, clock_label);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, header_end);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, stack);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, status_strip);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, idle_overlay);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, idle_countdown_label);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, card_overlay);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, card_title_label);
  gtk_widget_class_bind_template_child (widget_class, KioskShell, card_body_label);
  gtk_widget_class_bind_template_callback (widget_class, idle_continue_cb);
  gtk_widget_class_bind_template_callback (widget_class, card_ok_cb);
}

static void
kiosk_shell_init (KioskShell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
