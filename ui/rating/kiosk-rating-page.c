/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-rating"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-a11y.h"
#include "kiosk-osk-pinyin.h"
#include "kiosk-osk.h"
#include "kiosk-rating-page.h"

struct _KioskRatingPage {
  GtkBox parent_instance;

  KioskCore *core; /* not owned: the core outlives the window */
  KioskSession *session;
  KioskRatingFlow *flow;

  GtkStack *stack;
  GtkLabel *ask_title;
  GtkLabel *ask_note;
  GtkLabel *countdown;
  GtkLabel *pad_note;
  KioskDevice *pad;
  GtkWidget *level_buttons[KIOSK_RATING_N_LEVELS + 1];
  GtkLabel *reasons_title;
  GtkWidget *reasons_box;
  GPtrArray *reason_buttons;
  GtkEntry *text_entry;
  GtkEntry *phone_entry;
  GtkCheckButton *anonymous_check;
  GtkLabel *error_label;
  GtkLabel *thanks_label;
  KioskOsk *osk;
  gboolean syncing; /* updating widgets from the flow */
};

G_DEFINE_FINAL_TYPE (KioskRatingPage, kiosk_rating_page, GTK_TYPE_BOX)

static const char css[]
    = "window:not(.kiosk) .rating-page { font-size: 22px; }\n"
      ".rating-page .rating-title { font-size: 1.6em; font-weight: 700; }\n"
      ".rating-page .rating-note { font-size: 1.05em; }\n"
      ".rating-page .rating-countdown { font-size: 1em; color: #56627a; }\n"
      ".rating-page button { min-height: 64px; min-width: 64px; font-size: 1.1em; font-weight: 600; }\n"
      ".rating-page button.rating-level { min-height: 140px; min-width: 180px; font-size: 1.35em;"
      "  border-radius: 24px; color: #ffffff; background-image: none; border: none; }\n"
      ".rating-page button.level-1 { background-color: #1b7f3b; }\n"
      ".rating-page button.level-2 { background-color: #3d9a3f; }\n"
      ".rating-page button.level-3 { background-color: #1657b8; }\n"
      ".rating-page button.level-4 { background-color: #b55d00; }\n"
      ".rating-page button.level-5 { background-color: #c62828; }\n"
      ".rating-page button.rating-reason { min-height: 72px; min-width: 200px; border-radius: 16px; }\n"
      ".rating-page button.rating-reason:checked { background-image: none; background-color: #1657b8; color: #ffffff; "
      "}\n"
      ".rating-page entry { min-height: 64px; font-size: 1.05em; }\n"
      ".rating-page checkbutton { min-height: 64px; font-size: 1.05em; }\n"
      ".rating-page checkbutton check { min-width: 36px; min-height: 36px; }\n"
      ".rating-page .rating-error { color: #c62828; font-weight: 700; min-height: 1.4em; }\n"
      ".rating-page button.rating-submit { background-image: none; background-color: #1657b8; color: #ffffff; "
      "  min-width: 260px; }\n";

static void
ensure_css (void)
{
  static gboolean done;
  GtkCssProvider *provider;

  if (done || gdk_display_get_default () == NULL)
    return;
  done = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, css, -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  g_object_unref (provider);
}

/* ---- widgets from the flow ---------------------------------------------- */

static void
clear_fields (KioskRatingPage *self)
{
  self->syncing = TRUE;
  for (guint i = 0; i < self->reason_buttons->len; i++)
    gtk_toggle_button_set_active (self->reason_buttons->pdata[i], FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->text_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->phone_entry), "");
  gtk_check_button_set_active (self->anonymous_check, FALSE);
  gtk_label_set_text (self->error_label, "");
  gtk_label_set_text (self->ask_note, "");
  if (self->osk)
    {
      /* nothing composed survives the resident */
      kiosk_osk_reset (self->osk);
      kiosk_osk_set_target (self->osk, GTK_WIDGET (self->text_entry), KIOSK_OSK_LAYOUT_PINYIN);
    }
  self->syncing = FALSE;
}

static void
update_countdown (KioskRatingPage *self)
{
  g_autofree char *text = NULL;
  int remaining = kiosk_rating_flow_get_remaining (self->flow);

  text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "Not rated in %d second", "Not rated in %d seconds", (gulong) remaining),
      remaining);
  gtk_label_set_text (self->countdown, text);
}

static void
flow_state_cb (KioskRatingFlow *flow, GParamSpec *pspec, KioskRatingPage *self)
{
  switch (kiosk_rating_flow_get_state (flow))
    {
    case KIOSK_RATING_FLOW_ASKING:
      gtk_stack_set_visible_child_name (self->stack, "ask");
      break;
    case KIOSK_RATING_FLOW_REASONS:
      {
        g_autofree char *title = g_strdup_printf (_ ("You chose “%s”. Please tell us why (choose at least one):"),
                                                  _ (kiosk_rating_level_label (kiosk_rating_flow_get_level (flow))));
        gtk_label_set_text (self->reasons_title, title);
        gtk_label_set_text (self->error_label, "");
        gtk_stack_set_visible_child_name (self->stack, "reasons");
        break;
      }
    case KIOSK_RATING_FLOW_NOT_ALLOWED:
      {
        const KioskServiceEvent *event = kiosk_rating_flow_get_event (flow);
        /* Only the case's applicant rates it (issue 13: 9): say so, then go on. */
        gtk_label_set_text (self->thanks_label,
                            event && event->proxy
                                ? _ ("Only the resident this case was filed for can rate it, with their own ID card. "
                                     "Thank you.")
                                : _ ("Only the applicant can rate this case. Thank you for using the kiosk."));
        /* The core leaves RATE after a few seconds. */
        gtk_stack_set_visible_child_name (self->stack, "thanks");
        break;
      }
    case KIOSK_RATING_FLOW_DONE:
    case KIOSK_RATING_FLOW_IDLE:
    default:
      break;
    }
}

static void
flow_remaining_cb (KioskRatingFlow *flow, GParamSpec *pspec, KioskRatingPage *self)
{
  update_countdown (self);
}

static void
flow_recorded_cb (KioskRatingFlow *flow, const KioskRatingRecord *record, KioskRatingPage *self)
{
  gtk_label_set_text (self->thanks_label, record->level == KIOSK_RATING_NOT_RATED
                                              ? _ ("No rating was given. Thank you.")
                                              : _ ("Thank you for your rating."));
  /* The core leaves RATE once the flow has finished emitting. */
  gtk_stack_set_visible_child_name (self->stack, "thanks");
}

/* The pad is configured but not working: tell the resident to use the
 * screen (the device's own plain message). */
static void
pad_state_cb (KioskDevice *pad, GParamSpec *pspec, KioskRatingPage *self)
{
  const char *message = kiosk_device_get_message (pad);
  gboolean show = kiosk_device_get_state (pad) != KIOSK_DEVICE_STATE_READY
                  && kiosk_device_get_state (pad) != KIOSK_DEVICE_STATE_BUSY && message != NULL;

  gtk_label_set_text (self->pad_note, show ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->pad_note), show);
}

/* ---- the session ---------------------------------------------------------- */

static void show_flow (KioskRatingPage *self);

/* The core begins the question when the session enters RATE (it connected
 * first); the page shows it, fresh. */
static void
session_state_cb (KioskSession *session, GParamSpec *pspec, KioskRatingPage *self)
{
  if (kiosk_session_get_state (session) != KIOSK_SESSION_RATE)
    return;
  clear_fields (self);
  show_flow (self);
}

/* The core closes an open question on the wipe; the page empties itself. */
static void
session_wipe_cb (KioskSession *session, KioskRatingPage *self)
{
  clear_fields (self);
  if (self->stack)
    gtk_stack_set_visible_child_name (self->stack, "ask");
}

/* ---- the resident's input ------------------------------------------------- */

static void
level_clicked_cb (GtkButton *button, KioskRatingPage *self)
{
  KioskRatingLevel level = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "level"));
  kiosk_session_touch (self->session);
  kiosk_rating_flow_choose (self->flow, level, KIOSK_RATING_SOURCE_SCREEN);
}

static void
reason_toggled_cb (GtkToggleButton *button, KioskRatingPage *self)
{
  if (self->syncing)
    return;
  kiosk_session_touch (self->session);
  kiosk_rating_flow_set_reason_selected (self->flow, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")),
                                         gtk_toggle_button_get_active (button));
  if (gtk_toggle_button_get_active (button))
    gtk_label_set_text (self->error_label, "");
}

static void
anonymous_toggled_cb (GtkCheckButton *check, GParamSpec *pspec, KioskRatingPage *self)
{
  gboolean anonymous = gtk_check_button_get_active (check);
  if (self->syncing)
    return;
  kiosk_rating_flow_set_anonymous (self->flow, anonymous, NULL);
  /* Anonymous means no contact: the phone field goes. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->phone_entry), !anonymous);
}

/* What is typed reaches the flow as it is typed: a resident who walks away
 * mid-sentence still has the level, reasons and text recorded (issue 13: 8). */
static void
entry_changed_cb (GtkEditable *editable, KioskRatingPage *self)
{
  if (self->syncing)
    return;
  kiosk_session_touch (self->session);
  if (editable == GTK_EDITABLE (self->text_entry))
    kiosk_rating_flow_set_text (self->flow, gtk_editable_get_text (editable));
  else
    kiosk_rating_flow_set_phone (self->flow, gtk_editable_get_text (editable));
}

static void
show_error (KioskRatingPage *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
}

static void
submit_clicked_cb (GtkButton *button, KioskRatingPage *self)
{
  g_autoptr (GError) error = NULL;

  kiosk_session_touch (self->session);
  kiosk_rating_flow_set_text (self->flow, gtk_editable_get_text (GTK_EDITABLE (self->text_entry)));
  kiosk_rating_flow_set_phone (self->flow, gtk_editable_get_text (GTK_EDITABLE (self->phone_entry)));
  if (kiosk_rating_flow_submit (self->flow, &error))
    return;
  if (g_error_matches (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_REASON_REQUIRED))
    show_error (self, _ ("Please choose at least one reason."));
  else if (g_error_matches (error, KIOSK_RATING_FLOW_ERROR, KIOSK_RATING_FLOW_ERROR_BAD_PHONE))
    show_error (self, _ ("Please check the phone number, or leave it empty."));
  else
    g_debug ("submit: %s", error->message);
}

static void
back_clicked_cb (GtkButton *button, KioskRatingPage *self)
{
  kiosk_session_touch (self->session);
  clear_fields (self);
  kiosk_rating_flow_back (self->flow);
}

/* ---- construction --------------------------------------------------------- */

static GtkWidget *
label_new (const char *text, const char *css_class)
{
  /* Each of the page's titles (ask, reasons, thanks, not available) is
   * the screen's heading for assistive technology. */
  GtkWidget *label = g_strcmp0 (css_class, "rating-title") == 0 ? kiosk_a11y_heading_new (text) : gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
build_ask (KioskRatingPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 32);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  self->ask_title = GTK_LABEL (label_new (_ ("How satisfied are you with this service?"), "rating-title"));
  self->ask_note = GTK_LABEL (label_new ("", "rating-note"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->ask_title));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->ask_note));
  gtk_widget_set_halign (row, GTK_ALIGN_CENTER);
  gtk_box_set_homogeneous (GTK_BOX (row), TRUE);
  for (int l = KIOSK_RATING_VERY_SATISFIED; l <= KIOSK_RATING_VERY_DISSATISFIED; l++)
    {
      GtkWidget *button = gtk_button_new_with_label (_ (kiosk_rating_level_label (l)));
      g_autofree char *level_class = g_strdup_printf ("level-%d", l);
      g_autofree char *name = g_strdup_printf ("rating-level-%s", kiosk_rating_level_to_string (l));

      gtk_widget_add_css_class (button, "rating-level");
      gtk_widget_add_css_class (button, level_class);
      gtk_widget_set_name (button, name);
      gtk_widget_set_size_request (button, 180, 140);
      g_object_set_data (G_OBJECT (button), "level", GINT_TO_POINTER (l));
      g_signal_connect (button, "clicked", G_CALLBACK (level_clicked_cb), self);
      gtk_box_append (GTK_BOX (row), button);
      self->level_buttons[l] = button;
    }
  gtk_box_append (GTK_BOX (box), row);
  self->countdown = GTK_LABEL (label_new ("", "rating-countdown"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->countdown));
  self->pad_note = GTK_LABEL (label_new ("", "rating-note"));
  gtk_widget_set_name (GTK_WIDGET (self->pad_note), "rating-pad-note");
  gtk_widget_set_visible (GTK_WIDGET (self->pad_note), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->pad_note));
  return box;
}

/* The reasons page: the title, the reasons, then the fields on the left and
 * the on-screen keyboard on the right, always there at one size (it never
 * appears or moves under a finger), then the buttons. The error line keeps
 * its height when empty. Fits 1280x800 with seven reasons. */
static GtkWidget *
build_reasons (KioskRatingPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *flow = gtk_flow_box_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *back = gtk_button_new_with_label (_ ("Change my rating"));
  GtkWidget *submit = gtk_button_new_with_label (_ ("Submit rating"));
  guint n = kiosk_rating_flow_get_n_reasons (self->flow);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  self->reasons_title = GTK_LABEL (label_new ("", "rating-title"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->reasons_title));

  gtk_widget_set_size_request (left, 460, -1);
  gtk_widget_set_valign (left, GTK_ALIGN_START);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 10);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 16);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *toggle = gtk_toggle_button_new_with_label (kiosk_rating_flow_get_reason (self->flow, i));
      g_autofree char *name = g_strdup_printf ("rating-reason-%u", i);
      gtk_widget_add_css_class (toggle, "rating-reason");
      gtk_widget_set_name (toggle, name);
      g_object_set_data (G_OBJECT (toggle), "index", GUINT_TO_POINTER (i));
      g_signal_connect (toggle, "toggled", G_CALLBACK (reason_toggled_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), toggle);
      g_ptr_array_add (self->reason_buttons, toggle);
    }
  self->reasons_box = flow;
  gtk_box_append (GTK_BOX (box), flow);

  self->text_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->text_entry), "rating-text");
  gtk_entry_set_placeholder_text (self->text_entry, _ ("Anything else you want to tell us (optional)"));
  gtk_entry_set_max_length (self->text_entry, 300);
  g_signal_connect (self->text_entry, "changed", G_CALLBACK (entry_changed_cb), self);
  gtk_box_append (GTK_BOX (left), GTK_WIDGET (self->text_entry));

  self->phone_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->phone_entry), "rating-phone");
  gtk_entry_set_placeholder_text (self->phone_entry, _ ("Phone number for a follow-up call (optional)"));
  gtk_entry_set_input_purpose (self->phone_entry, GTK_INPUT_PURPOSE_PHONE);
  gtk_entry_set_max_length (self->phone_entry, 24);
  g_signal_connect (self->phone_entry, "changed", G_CALLBACK (entry_changed_cb), self);
  gtk_box_append (GTK_BOX (left), GTK_WIDGET (self->phone_entry));

  self->anonymous_check
      = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (_ ("Rate anonymously (no name, no phone)")));
  gtk_widget_set_name (GTK_WIDGET (self->anonymous_check), "rating-anonymous");
  g_signal_connect (self->anonymous_check, "notify::active", G_CALLBACK (anonymous_toggled_cb), self);
  gtk_box_append (GTK_BOX (left), GTK_WIDGET (self->anonymous_check));

  self->error_label = GTK_LABEL (label_new ("", "rating-error"));
  gtk_widget_set_name (GTK_WIDGET (self->error_label), "rating-error");
  gtk_box_append (GTK_BOX (left), GTK_WIDGET (self->error_label));
  gtk_box_append (GTK_BOX (row), left);

  /* The comment in Chinese through pinyin (the IME loads in a worker
   * thread), the phone in digits. */
  self->osk = KIOSK_OSK (kiosk_osk_new ());
  gtk_widget_set_name (GTK_WIDGET (self->osk), "rating-osk");
  kiosk_osk_use_pinyin_ime (self->osk);
  kiosk_osk_bind (self->osk, GTK_WIDGET (self->text_entry), KIOSK_OSK_LAYOUT_PINYIN);
  kiosk_osk_bind (self->osk, GTK_WIDGET (self->phone_entry), KIOSK_OSK_LAYOUT_DIGITS);
  kiosk_osk_set_target (self->osk, GTK_WIDGET (self->text_entry), KIOSK_OSK_LAYOUT_PINYIN);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->osk));
  gtk_box_append (GTK_BOX (box), row);

  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_widget_set_name (back, "rating-back");
  gtk_widget_set_name (submit, "rating-submit");
  gtk_widget_add_css_class (submit, "rating-submit");
  gtk_widget_add_css_class (submit, "suggested-action");
  g_signal_connect (back, "clicked", G_CALLBACK (back_clicked_cb), self);
  g_signal_connect (submit, "clicked", G_CALLBACK (submit_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), back);
  gtk_box_append (GTK_BOX (buttons), submit);
  gtk_box_append (GTK_BOX (box), buttons);
  return box;
}

static void
kiosk_rating_page_dispose (GObject *object)
{
  KioskRatingPage *self = KIOSK_RATING_PAGE (object);

  /* The flow belongs to the core and outlives this page (the window
   * rebuilds its pages when the language changes): an open question stays
   * open for the next page. Nothing of ours may run after this. */
  if (self->flow)
    g_signal_handlers_disconnect_by_data (self->flow, self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->pad)
    g_signal_handlers_disconnect_by_data (self->pad, self);
  if (self->core)
    g_signal_handlers_disconnect_by_data (self->core, self);
  g_clear_object (&self->flow);
  g_clear_object (&self->pad);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kiosk_rating_page_parent_class)->dispose (object);
}

static void
kiosk_rating_page_finalize (GObject *object)
{
  g_ptr_array_unref (KIOSK_RATING_PAGE (object)->reason_buttons);
  G_OBJECT_CLASS (kiosk_rating_page_parent_class)->finalize (object);
}

static void
kiosk_rating_page_class_init (KioskRatingPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kiosk_rating_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = kiosk_rating_page_finalize;
}

static void
kiosk_rating_page_init (KioskRatingPage *self)
{
  self->reason_buttons = g_ptr_array_new ();
}

/* Shows the flow's question where it stands: a new one, or one a page
 * rebuilt mid-question (language switch) continues. */
static void
show_flow (KioskRatingPage *self)
{
  const KioskServiceEvent *event = kiosk_rating_flow_get_event (self->flow);

  self->syncing = TRUE;
  for (guint i = 0; i < self->reason_buttons->len; i++)
    gtk_toggle_button_set_active (self->reason_buttons->pdata[i],
                                  kiosk_rating_flow_get_reason_selected (self->flow, i));
  self->syncing = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->anonymous_check), kiosk_rating_flow_get_anonymous_allowed (self->flow));
  if (event && event->proxy)
    gtk_label_set_text (self->ask_note, _ ("Agent service: the resident you acted for rates, not the agent."));
  else if (event && event->case_number)
    {
      g_autofree char *note = g_strdup_printf (_ ("Case number %s"), event->case_number);
      gtk_label_set_text (self->ask_note, note);
    }
  else
    gtk_label_set_text (self->ask_note, "");
  if (kiosk_rating_flow_get_state (self->flow) == KIOSK_RATING_FLOW_ASKING)
    gtk_stack_set_visible_child_name (self->stack, "ask");
  update_countdown (self);
  flow_state_cb (self->flow, NULL, self);
}

KioskRatingFlow *
kiosk_rating_page_get_flow (KioskRatingPage *self)
{
  g_return_val_if_fail (KIOSK_IS_RATING_PAGE (self), NULL);
  return self->flow;
}

GtkWidget *
kiosk_rating_page_new (KioskCore *core)
{
  KioskRatingPage *self;
  g_return_val_if_fail (KIOSK_IS_CORE (core), NULL);
  ensure_css ();
  self = g_object_new (KIOSK_TYPE_RATING_PAGE, "orientation", GTK_ORIENTATION_VERTICAL, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self), "rating-page");
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  self->core = core;
  self->session = g_object_ref (kiosk_core_get_session (core));
  self->flow = kiosk_core_get_rating_flow (core) ? g_object_ref (kiosk_core_get_rating_flow (core)) : NULL;
  g_signal_connect_object (self->session, "wipe", G_CALLBACK (session_wipe_cb), self, 0);

  if (self->flow == NULL)
    {
      /* Broken [rating] configuration: say so; the core lets the resident
       * go on. */
      GtkWidget *label = label_new (_ ("Rating is not available on this kiosk at the moment."), "rating-title");
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_set_vexpand (label, TRUE);
      gtk_box_append (GTK_BOX (self), label);
      return GTK_WIDGET (self);
    }
  if (kiosk_core_get_pad (core))
    self->pad = g_object_ref (kiosk_core_get_pad (core));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, build_ask (self), "ask");
  gtk_stack_add_named (self->stack, build_reasons (self), "reasons");
  self->thanks_label = GTK_LABEL (label_new (_ ("Thank you for your rating."), "rating-title"));
  gtk_widget_set_valign (GTK_WIDGET (self->thanks_label), GTK_ALIGN_CENTER);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->thanks_label), "thanks");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->stack));

  if (self->pad)
    {
      g_signal_connect_object (self->pad, "notify::state", G_CALLBACK (pad_state_cb), self, 0);
      g_signal_connect_object (self->pad, "notify::message", G_CALLBACK (pad_state_cb), self, 0);
      pad_state_cb (self->pad, NULL, self);
    }
  g_signal_connect (self->flow, "notify::state", G_CALLBACK (flow_state_cb), self);
  g_signal_connect (self->flow, "notify::remaining", G_CALLBACK (flow_remaining_cb), self);
  g_signal_connect (self->flow, "recorded", G_CALLBACK (flow_recorded_cb), self);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (session_state_cb), self, 0);
  if (kiosk_session_get_state (self->session) == KIOSK_SESSION_RATE)
    {
      if (kiosk_rating_flow_get_state (self->flow) == KIOSK_RATING_FLOW_DONE)
        gtk_stack_set_visible_child_name (self->stack, "thanks"); /* recorded; the core leaves RATE */
      else
        show_flow (self);
    }
  return GTK_WIDGET (self);
}
