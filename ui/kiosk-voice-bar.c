/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-a11y.h"
#include "kiosk-core-voice.h"
#include "kiosk-journey-registry.h"
#include "kiosk-staff-call.h"
#include "kiosk-voice-bar.h"

struct _KioskVoiceBar {
  GtkWidget parent_instance;

  KioskCore *core;
  KioskSession *session;
  KioskJourney *journey; /* watched for its step */
  GtkWidget *box;
  GtkWidget *repeat_button;
  GtkWidget *switch_button;
  GtkWidget *call_button;
  GCancellable *cancellable;
  guint prompt_id;
  GtkWidget *root; /* where the touch gesture is (not a reference) */
  GtkEventController *touch;
  GtkWidget *armed; /* touched once in 长辈模式: the next touch chooses (weak) */
  gint64 armed_at;
  /* Messages on the screen (see collect_alerts): those of the last frame,
   * and those that appeared since, waiting to be said. */
  GdkFrameClock *clock; /* watched for "after-paint" (a reference) */
  char *alerts_shown;
  char *alerts_new;
  guint alert_id;
};

/* A message a page shows the resident when something went wrong or
 * needs them (the pages' own classes for it): said when it appears. The
 * status strip's device states are the technician's and are not said. */
static const char *const ALERT_CLASSES[] = { "warning-box", "print-problem", "form-field-message" };

/* How long a first touch in 长辈模式 waits for the second. */
#define ARMED_USEC (8 * G_USEC_PER_SEC)

enum { SIGNAL_STAFF_CALLED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KioskVoiceBar, kiosk_voice_bar, GTK_TYPE_WIDGET)

/* What to do here, in one sentence, per journey step (ids from the
 * journeys' kiosk_journey_set_steps()) and per one-screen journey. */
static const struct {
  const char *id, *prompt;
} step_prompts[] = {
  { "item", N_ ("Choose the item you want to apply for. You can search for it at the top.") },
  { "form", N_ ("Check the form and fill in what is missing. Touch a field to type.") },
  { "commitment", N_ ("Read the commitment, then choose to sign it or to supply the proof.") },
  { "materials", N_ ("Place each page of your materials flat under the camera.") },
  { "delivery", N_ ("Choose how you want to receive the result.") },
  { "review", N_ ("Check everything. Touch Change to correct a part, then hand it in.") },
  { "done", N_ ("Your application has been handed in. Please take your receipt.") },
  { "documents", N_ ("Choose the certificate you want to print.") },
  { "preview", N_ ("Check the certificate, then touch Print.") },
  { "agent", N_ ("Agent: place your own ID card on the reader and type your PIN.") },
  { "resident", N_ ("Place the resident's ID card on the reader.") },
  { "authorisation", N_ ("The resident reads the authorisation and signs it on the screen.") },
  { "apply", N_ ("Fill in the application for the resident.") },
  { "cases", N_ ("Your open proxy cases, the nearest deadline first.") },
  { "feedback", N_ ("The resident confirms the result and rates the service with their own ID card.") },
}, journey_prompts[] = {
  { "guide", N_ ("Choose an item to read its service guide. You can search for it at the top.") },
  { "progress", N_ ("Type your case number, or place the QR code of your receipt under the camera.") },
};

char *
kiosk_voice_bar_prompt_for (KioskCore *core)
{
  KioskSession *session = kiosk_core_get_session (core);
  KioskJourney *journey;

  if (kiosk_session_get_idle_warning (session))
    return g_strdup (_ ("Are you still there? Touch the screen to continue."));
  switch (kiosk_session_get_state (session))
    {
    case KIOSK_SESSION_ATTRACT:
      return g_strdup (_ ("Place your ID card on the reader, or touch the screen to begin."));
    case KIOSK_SESSION_IDENTIFY:
      return g_strdup (_ ("Place your ID card flat on the reader."));
    case KIOSK_SESSION_MENU:
      return g_strdup (_ ("Choose what you want to do."));
    case KIOSK_SESSION_RATE:
      return g_strdup (_ ("Please rate our service: touch a face on the screen or press a key on the pad."));
    case KIOSK_SESSION_END:
      return g_strdup (_ ("Thank you. Please take your ID card and your papers."));
    case KIOSK_SESSION_JOURNEY:
    default:
      break;
    }
  journey = kiosk_session_get_journey (session);
  if (journey == NULL)
    return NULL;
  {
    GListModel *steps = kiosk_journey_get_steps (journey);
    guint step = kiosk_journey_get_step (journey);

    if (steps != NULL && step < g_list_model_get_n_items (steps))
      {
        g_autoptr (KioskJourneyStep) s = g_list_model_get_item (steps, step);
        const char *id = kiosk_journey_step_get_id (s);

        for (guint i = 0; i < G_N_ELEMENTS (step_prompts); i++)
          if (g_strcmp0 (id, step_prompts[i].id) == 0)
            return g_strdup (_ (step_prompts[i].prompt));
        return g_strdup (_ (kiosk_journey_step_get_title (s)));
      }
  }
  for (guint i = 0; i < G_N_ELEMENTS (journey_prompts); i++)
    if (g_strcmp0 (kiosk_journey_get_id (journey), journey_prompts[i].id) == 0)
      return g_strdup (_ (journey_prompts[i].prompt));
  {
    const KioskJourneyInfo *info = kiosk_journey_get_info (journey);

    return info != NULL && info->title != NULL ? g_strdup (_ (info->title)) : NULL;
  }
}

static void
update_switch (KioskVoiceBar *self)
{
  gboolean on = kiosk_core_get_voice_on (self->core);

  gtk_button_set_label (GTK_BUTTON (self->switch_button), on ? _ ("Voice: on") : _ ("Voice: off"));
  if (on)
    gtk_widget_add_css_class (self->switch_button, "voice-on");
  else
    gtk_widget_remove_css_class (self->switch_button, "voice-on");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->switch_button), GTK_ACCESSIBLE_STATE_PRESSED,
                               on ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
}

/* Said once the screen has changed (an idle: the page is built by then,
 * and a burst of changes says only the last). */
static gboolean
prompt_cb (gpointer data)
{
  KioskVoiceBar *self = data;
  g_autofree char *prompt = kiosk_voice_bar_prompt_for (self->core);

  self->prompt_id = 0;
  update_switch (self);
  /* A message shown with the new screen is said after its prompt. */
  if (prompt != NULL && self->alerts_new != NULL)
    {
      g_autofree char *both = g_strconcat (prompt, "\n", self->alerts_new, NULL);
      g_clear_pointer (&self->alerts_new, g_free);
      g_clear_handle_id (&self->alert_id, g_source_remove);
      kiosk_core_say (self->core, both);
    }
  else if (prompt != NULL)
    kiosk_core_say (self->core, prompt);
  return G_SOURCE_REMOVE;
}

/* The text of every mapped message of @w's tree, one per line. */
static void
collect_alerts (GtkWidget *w, GString *out)
{
  if (!gtk_widget_get_mapped (w))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (ALERT_CLASSES); i++)
    if (gtk_widget_has_css_class (w, ALERT_CLASSES[i]))
      {
        g_autofree char *text
            = GTK_IS_LABEL (w) ? g_strdup (gtk_label_get_text (GTK_LABEL (w))) : kiosk_a11y_control_text (w);
        if (kiosk_a11y_text_is_word (text))
          g_string_append_printf (out, "%s\n", text);
        return;
      }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_alerts (c, out);
}

static gboolean
alert_cb (gpointer data)
{
  KioskVoiceBar *self = data;
  g_autofree char *text = g_steal_pointer (&self->alerts_new);

  self->alert_id = 0;
  if (text != NULL)
    kiosk_core_say (self->core, text);
  return G_SOURCE_REMOVE;
}

/* After each frame: the messages now on the screen against the last
 * frame's; those that are new are said (with the screen's prompt when it
 * changed in the same frame, else alone). A frame is painted only when
 * something changed, and the walk is of the mapped widgets only. */
static void
after_paint_cb (GdkFrameClock *clock, KioskVoiceBar *self)
{
  g_autoptr (GString) now = g_string_new (NULL);
  g_autoptr (GString) fresh = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;

  if (self->root == NULL)
    return;
  collect_alerts (self->root, now);
  if (g_strcmp0 (now->str, self->alerts_shown ? self->alerts_shown : "") == 0)
    return;
  lines = g_strsplit (now->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strconcat (lines[i], "\n", NULL);
      if (*lines[i] != '\0' && (self->alerts_shown == NULL || strstr (self->alerts_shown, line) == NULL))
        g_string_append (fresh, line);
    }
  g_free (self->alerts_shown);
  self->alerts_shown = g_strdup (now->str);
  if (fresh->len == 0)
    return;
  g_free (self->alerts_new);
  self->alerts_new = g_strdup (g_strstrip (fresh->str));
  /* With a prompt on its way, it takes them along. */
  if (self->prompt_id == 0 && self->alert_id == 0)
    self->alert_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE + 10, alert_cb, self, NULL);
}

static void
watch_frames (KioskVoiceBar *self)
{
  GdkFrameClock *clock
      = self->root != NULL && gtk_widget_get_realized (self->root) ? gtk_widget_get_frame_clock (self->root) : NULL;

  if (clock == self->clock)
    return;
  if (self->clock != NULL)
    g_signal_handlers_disconnect_by_data (self->clock, self);
  g_clear_object (&self->clock);
  if (clock != NULL)
    {
      self->clock = g_object_ref (clock);
      g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), self);
    }
}

static void
root_realize_cb (GtkWidget *root, KioskVoiceBar *self)
{
  watch_frames (self);
}

static void
queue_prompt (KioskVoiceBar *self)
{
  if (self->prompt_id == 0)
    self->prompt_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, prompt_cb, self, NULL);
}

static void
step_cb (GObject *journey, GParamSpec *pspec, KioskVoiceBar *self)
{
  queue_prompt (self);
}

static void
watch_journey (KioskVoiceBar *self)
{
  KioskJourney *journey = kiosk_session_get_journey (self->session);

  if (journey == self->journey)
    return;
  if (self->journey != NULL)
    g_signal_handlers_disconnect_by_data (self->journey, self);
  g_set_object (&self->journey, journey);
  if (journey != NULL)
    {
      g_signal_connect (journey, "notify::step", G_CALLBACK (step_cb), self);
    }
}

static void
session_cb (KioskSession *session, GParamSpec *pspec, KioskVoiceBar *self)
{
  watch_journey (self);
  queue_prompt (self);
}

static void
idle_warning_cb (KioskSession *session, GParamSpec *pspec, KioskVoiceBar *self)
{
  if (kiosk_session_get_idle_warning (session))
    queue_prompt (self);
}

static void
elder_cb (KioskSession *session, GParamSpec *pspec, KioskVoiceBar *self)
{
  update_switch (self);
  /* 长辈模式 just turned the voice on: say where the resident is. */
  if (kiosk_core_get_voice_on (self->core))
    queue_prompt (self);
}

static void
repeat_clicked_cb (GtkButton *button, KioskVoiceBar *self)
{
  g_autofree char *prompt = kiosk_voice_bar_prompt_for (self->core);

  /* 重听 is a request to hear: switch the voice on if it was off. */
  if (!kiosk_core_get_voice_on (self->core))
    kiosk_core_set_voice_on (self->core, TRUE);
  update_switch (self);
  /* What the screen asks now and the messages it shows now (one may
   * have been said alone, after the prompt). */
  if (prompt != NULL && self->alerts_shown != NULL && *self->alerts_shown != '\0')
    {
      g_autofree char *both = g_strconcat (prompt, "\n", self->alerts_shown, NULL);
      kiosk_core_say (self->core, g_strstrip (both));
    }
  else
    kiosk_core_say_again (self->core);
}

static void
switch_clicked_cb (GtkButton *button, KioskVoiceBar *self)
{
  gboolean on = !kiosk_core_get_voice_on (self->core);

  kiosk_core_set_voice_on (self->core, on);
  update_switch (self);
  if (on)
    kiosk_core_say_again (self->core);
}

gboolean
kiosk_voice_bar_touch (KioskVoiceBar *self, GtkWidget *target)
{
  GtkWidget *control = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (KIOSK_IS_VOICE_BAR (self), TRUE);
  /* Without a sound card a first touch would only be swallowed. */
  if (target == NULL || !kiosk_session_get_elder_mode (self->session) || !kiosk_core_get_voice_heard (self->core))
    return TRUE;
  for (GtkWidget *w = target; w != NULL && control == NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_BUTTON (w) || GTK_IS_SWITCH (w) || GTK_IS_CHECK_BUTTON (w))
      control = w;
  /* Typing is not slowed down (keys, fields), and 重听 / 语音 act at once. */
  if (control == NULL || gtk_widget_has_css_class (control, "key") || gtk_widget_has_css_class (control, "voice-button")
      || !gtk_widget_is_sensitive (control))
    return TRUE;
  if (control == self->armed && g_get_monotonic_time () - self->armed_at < ARMED_USEC)
    {
      g_clear_weak_pointer (&self->armed);
      return TRUE; /* the second touch chooses */
    }
  /* What it says is what a screen reader announces for it. */
  text = kiosk_a11y_control_text (control);
  if (*text == '\0')
    return TRUE; /* nothing to say: it acts at once */
  g_set_weak_pointer (&self->armed, control);
  self->armed_at = g_get_monotonic_time ();
  kiosk_core_say (self->core, text);
  return FALSE;
}

static void
touch_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, KioskVoiceBar *self)
{
  GtkWidget *target = gtk_widget_pick (self->root, x, y, GTK_PICK_DEFAULT);

  if (!kiosk_voice_bar_touch (self, target))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
root_cb (GtkWidget *widget, GParamSpec *pspec, KioskVoiceBar *self)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));

  if (root == self->root)
    return;
  if (self->root != NULL && self->touch != NULL)
    gtk_widget_remove_controller (self->root, self->touch);
  if (self->root != NULL)
    g_signal_handlers_disconnect_by_func (self->root, root_realize_cb, self);
  self->touch = NULL;
  self->root = root;
  watch_frames (self);
  if (root == NULL)
    return;
  g_signal_connect (root, "realize", G_CALLBACK (root_realize_cb), self);
  /* In the capture phase: a first touch in 长辈模式 is said and goes no
   * further (the control's own click gesture never sees it). */
  self->touch = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (self->touch, GTK_PHASE_CAPTURE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (self->touch), 0);
  g_signal_connect (self->touch, "pressed", G_CALLBACK (touch_pressed_cb), self);
  gtk_widget_add_controller (root, self->touch);
}

static void
staff_called_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  gboolean recorded = kiosk_core_call_staff_finish (KIOSK_CORE (source), result, &error);
  KioskVoiceBar *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = KIOSK_VOICE_BAR (data);
  gtk_widget_set_sensitive (self->call_button, TRUE);
  g_signal_emit (self, signals[SIGNAL_STAFF_CALLED], 0, recorded);
}

static void
call_clicked_cb (GtkButton *button, KioskVoiceBar *self)
{
  KioskJourney *journey = kiosk_session_get_journey (self->session);
  g_autofree char *screen
      = g_strdup_printf ("%s%s%s", kiosk_session_state_to_string (kiosk_session_get_state (self->session)),
                         journey ? ":" : "", journey ? kiosk_journey_get_id (journey) : "");

  kiosk_session_touch (self->session);
  /* One call at a time: the button comes back when it is recorded. */
  gtk_widget_set_sensitive (self->call_button, FALSE);
  kiosk_core_call_staff_async (self->core, screen, self->cancellable, staff_called_cb, self);
}

void
kiosk_voice_bar_say (KioskVoiceBar *self, const char *text)
{
  g_return_if_fail (KIOSK_IS_VOICE_BAR (self));
  kiosk_core_say (self->core, text);
}

static void
kiosk_voice_bar_dispose (GObject *object)
{
  KioskVoiceBar *self = KIOSK_VOICE_BAR (object);

  g_clear_handle_id (&self->prompt_id, g_source_remove);
  g_clear_handle_id (&self->alert_id, g_source_remove);
  if (self->clock != NULL)
    g_signal_handlers_disconnect_by_data (self->clock, self);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->alerts_shown, g_free);
  g_clear_pointer (&self->alerts_new, g_free);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->armed);
  if (self->root != NULL && self->touch != NULL)
    gtk_widget_remove_controller (self->root, self->touch);
  if (self->root != NULL)
    g_signal_handlers_disconnect_by_func (self->root, root_realize_cb, self);
  self->touch = NULL;
  self->root = NULL;
  if (self->journey != NULL)
    g_signal_handlers_disconnect_by_data (self->journey, self);
  g_clear_object (&self->journey);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->core);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (kiosk_voice_bar_parent_class)->dispose (object);
}

static void
kiosk_voice_bar_class_init (KioskVoiceBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kiosk_voice_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "voicebar");
  /* "staff-called" (gboolean recorded): 呼叫工作人员 was touched and the
   * call recorded in the store (or not); the shell shows the phone. */
  signals[SIGNAL_STAFF_CALLED] = g_signal_new ("staff-called", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                               NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
kiosk_voice_bar_init (KioskVoiceBar *self)
{
}

GtkWidget *
kiosk_voice_bar_new (KioskCore *core)
{
  KioskVoiceBar *self = g_object_new (KIOSK_TYPE_VOICE_BAR, NULL);
  KioskConfig *config = kiosk_core_get_config (core);
  g_autofree char *mode = kiosk_config_get_string (config, "voice", "mode");

  self->core = g_object_ref (core);
  self->session = g_object_ref (kiosk_core_get_session (core));
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->repeat_button = gtk_button_new_with_label (_ ("Repeat"));
  self->switch_button = gtk_button_new_with_label (_ ("Voice: off"));
  /* Both labels set before the first frame at their widest: the header
   * does not move when the switch's text changes. */
  /* They never take the focus (and with it the on-screen keyboard's
   * layout) from the field the resident is typing in, on any screen. */
  gtk_widget_set_focusable (self->repeat_button, FALSE);
  gtk_widget_set_focusable (self->switch_button, FALSE);
  gtk_widget_add_css_class (self->repeat_button, "voice-button");
  gtk_widget_add_css_class (self->switch_button, "voice-button");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->switch_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _ ("Reads each screen aloud"), -1);
  gtk_box_append (GTK_BOX (self->box), self->repeat_button);
  gtk_box_append (GTK_BOX (self->box), self->switch_button);
  self->call_button = gtk_button_new_with_label (_ ("Call the staff"));
  gtk_widget_set_focusable (self->call_button, FALSE);
  gtk_widget_add_css_class (self->call_button, "voice-button");
  gtk_widget_add_css_class (self->call_button, "call-staff");
  gtk_box_append (GTK_BOX (self->box), self->call_button);
  g_signal_connect (self->call_button, "clicked", G_CALLBACK (call_clicked_cb), self);
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self->repeat_button, "clicked", G_CALLBACK (repeat_clicked_cb), self);
  g_signal_connect (self->switch_button, "clicked", G_CALLBACK (switch_clicked_cb), self);
  /* A kiosk configured never to speak shows no voice controls (呼叫工作人员
   * stays). */
  gtk_widget_set_visible (self->repeat_button, g_strcmp0 (mode, "off") != 0);
  gtk_widget_set_visible (self->switch_button, g_strcmp0 (mode, "off") != 0);

  g_signal_connect (self->session, "notify::state", G_CALLBACK (session_cb), self);
  g_signal_connect (self->session, "notify::journey", G_CALLBACK (session_cb), self);
  g_signal_connect (self->session, "notify::idle-warning", G_CALLBACK (idle_warning_cb), self);
  g_signal_connect (self->session, "notify::elder-mode", G_CALLBACK (elder_cb), self);
  g_signal_connect (self, "notify::root", G_CALLBACK (root_cb), self);
  watch_journey (self);
  update_switch (self);
  queue_prompt (self);
  return GTK_WIDGET (self);
}
