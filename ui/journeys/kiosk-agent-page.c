/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-journeys"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-agent-journey.h"
#include "kiosk-agent-page.h"
#include "kiosk-apply-page.h"
#include "kiosk-journey-page.h"
#include "kiosk-journey-pages.h"
#include "kiosk-osk.h"
#include "kiosk-signature.h"

typedef struct {
  KioskCore *core;
  KioskAgentJourney *journey;
  gulong changed_handler, wipe_handler;
  GtkWidget *head; /* header and steps: hidden while 自助申报's page shows */
  GtkWidget *message;
  GtkWidget *stack;
  /* login */
  GtkWidget *login_text, *pin_entry, *pin_button, *pin_row;
  KioskOsk *osk;
  /* menu */
  GtkWidget *menu_text;
  /* item */
  GtkWidget *items;
  guint n_items_shown;
  /* authorisation */
  GtkWidget *auth_fields, *pad, *auth_state, *confirm_button, *print_button;
  /* apply */
  GtkWidget *missing_text, *missing_print;
  /* cases */
  GtkWidget *cases;
  /* feedback */
  GtkWidget *feedback_case, *feedback_text, *confirm_result, *levels[5], *feedback_button;
  int level;
} AgentPage;

static GtkWidget *
label_new (const char *text, const char *css)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

static GtkWidget *
button_new (const char *text, const char *css)
{
  GtkWidget *b = gtk_button_new_with_label (text);
  gtk_widget_set_size_request (b, -1, 64);
  if (css)
    gtk_widget_add_css_class (b, css);
  return b;
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *c;
  while ((c = gtk_widget_get_first_child (box)))
    gtk_box_remove (GTK_BOX (box), c);
}

static void
show_error (AgentPage *p, GError *error)
{
  if (error)
    gtk_label_set_text (GTK_LABEL (p->message), _ (error->message));
}

/* ---- login ------------------------------------------------------------------ */

static void
pin_clicked_cb (GtkButton *b, AgentPage *p)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *pin = g_strdup (gtk_editable_get_text (GTK_EDITABLE (p->pin_entry)));

  gtk_editable_set_text (GTK_EDITABLE (p->pin_entry), "");
  if (!kiosk_agent_journey_submit_pin (p->journey, pin, &error))
    show_error (p, error);
  explicit_bzero (pin, strlen (pin));
}

static void
update_login (AgentPage *p)
{
  KioskAgentLoginState st = kiosk_agent_journey_get_login_state (p->journey);
  const char *phone = kiosk_agent_journey_get_phone (p->journey);
  g_autofree char *text = NULL;
  gboolean pin = FALSE;

  switch (st)
    {
    case KIOSK_AGENT_LOGIN_LOADING:
      text = g_strdup (_ ("Reading the station's list of agents…"));
      break;
    case KIOSK_AGENT_LOGIN_NO_LIST:
    case KIOSK_AGENT_LOGIN_CARD:
    case KIOSK_AGENT_LOGIN_NOT_AGENT:
      text = g_strdup (_ ("Agent service is started by the station's agent: the agent places their own ID card on "
                          "the reader."));
      break;
    case KIOSK_AGENT_LOGIN_PIN:
      text = g_strdup_printf (_ ("Agent %s: type your PIN and press Log in."),
                              kiosk_agent_journey_get_agent_name (p->journey));
      pin = TRUE;
      break;
    case KIOSK_AGENT_LOGIN_CHECKING:
      text = g_strdup (_ ("Checking the PIN…"));
      break;
    case KIOSK_AGENT_LOGIN_WRONG:
      {
        int wait = kiosk_agent_journey_get_wait_seconds (p->journey);
        int left = kiosk_agent_journey_get_tries_left (p->journey);
        text = wait > 0 ? g_strdup_printf (_ ("Wrong PIN. Try again in %d s (%d tries left)."), wait, left)
                        : g_strdup_printf (_ ("Wrong PIN. Type it again (%d tries left)."), left);
        pin = wait == 0;
        break;
      }
    case KIOSK_AGENT_LOGIN_LOCKED:
      text = phone ? g_strdup_printf (_ ("Too many wrong PINs: this agent is locked on this kiosk. Please call the "
                                         "station on %s to have the PIN reset."),
                                      phone)
                   : g_strdup (_ ("Too many wrong PINs: this agent is locked on this kiosk. Please call the station "
                                  "to have the PIN reset."));
      break;
    case KIOSK_AGENT_LOGIN_DONE:
      break;
    }
  gtk_label_set_text (GTK_LABEL (p->login_text), text ? text : "");
  gtk_widget_set_sensitive (p->pin_button, pin);
  gtk_widget_set_sensitive (p->pin_entry, pin);
  /* The keyboard keeps its place: only its keys go dim. */
  gtk_widget_set_sensitive (GTK_WIDGET (p->osk), pin);
  if (st == KIOSK_AGENT_LOGIN_LOCKED || st == KIOSK_AGENT_LOGIN_NOT_AGENT || st == KIOSK_AGENT_LOGIN_NO_LIST)
    gtk_widget_add_css_class (p->login_text, "warning-box");
  else
    gtk_widget_remove_css_class (p->login_text, "warning-box");
}

/* ---- menu, items ------------------------------------------------------------ */

static void
new_case_cb (GtkButton *b, AgentPage *p)
{
  g_autoptr (GError) error = NULL;
  if (!kiosk_agent_journey_new_case (p->journey, &error))
    show_error (p, error);
}

static void
cases_cb (GtkButton *b, AgentPage *p)
{
  g_autoptr (GError) error = NULL;
  if (!kiosk_agent_journey_show_cases (p->journey, &error))
    show_error (p, error);
}

static void
item_cb (GtkButton *b, AgentPage *p)
{
  g_autoptr (GError) error = NULL;
  if (!kiosk_agent_journey_choose_item (p->journey, g_object_get_data (G_OBJECT (b), "code"), &error))
    show_error (p, error);
}

static void
update_items (AgentPage *p)
{
  GPtrArray *items = kiosk_agent_journey_get_items (p->journey);

  if (p->n_items_shown == items->len && items->len > 0)
    return;
  clear_box (p->items);
  p->n_items_shown = items->len;
  if (items->len == 0)
    gtk_box_append (GTK_BOX (p->items), label_new (_ ("Reading the catalog…"), NULL));
  for (guint i = 0; i < items->len; i++)
    {
      KioskCatalogItem *it = items->pdata[i];
      g_autofree char *text = g_strdup_printf ("%s  ·  %s", it->name, it->department ? it->department : "");
      GtkWidget *b = button_new (text, "guide-item");
      gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (b))), 0);
      g_object_set_data_full (G_OBJECT (b), "code", g_strdup (it->code), g_free);
      g_signal_connect (b, "clicked", G_CALLBACK (item_cb), p);
      gtk_box_append (GTK_BOX (p->items), b);
    }
}

/* ---- authorisation ---------------------------------------------------------- */

static void
sign_done (AgentPage *p)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) png = NULL;

  if (kiosk_signature_pad_is_empty (KIOSK_SIGNATURE_PAD (p->pad)))
    return;
  png = kiosk_signature_pad_export_png (KIOSK_SIGNATURE_PAD (p->pad), &error);
  if (png == NULL || !kiosk_agent_journey_set_signature (p->journey, png, &error))
    show_error (p, error);
}

static void
signed_cb (GObject *pad, GParamSpec *pspec, AgentPage *p)
{
  if (kiosk_signature_pad_get_signed (KIOSK_SIGNATURE_PAD (p->pad)))
    sign_done (p);
}

static void
print_auth_cb (GtkButton *b, AgentPage *p)
{
  g_autoptr (GError) error = NULL;
  if (!kiosk_agent_journey_print_authorisation (p->journey, &error))
    show_error (p, error);
}

static void
confirm_cb (GtkButton *b, AgentPage *p)
{
  g_autoptr (GError) error = NULL;
  sign_done (p);
  if (!kiosk_agent_journey_confirm_authorisation (p->journey, &error))
    show_error (p, error);
}

static void
update_authorisation (AgentPage *p)
{
  g_autoptr (JsonObject) data = kiosk_agent_journey_dup_authorisation (p->journey);
  const KioskIdentity *r = kiosk_agent_journey_get_resident (p->journey);
  KioskAgentAuthState st = kiosk_agent_journey_get_auth_state (p->journey);
  const char *msg;
  static const char *const states[] = {
    N_ ("The resident reads the authorisation and signs on the pad, or it is printed for a signature on paper."),
    N_ ("Signed on the screen."),
    N_ ("Printing…"),
    N_ ("Printed. The resident signs the paper, then put it under the document camera."),
    N_ ("The signed paper was scanned."),
    N_ ("Saving…"),
    N_ ("Recorded."),
  };

  clear_box (p->auth_fields);
  if (data && r)
    {
      g_autofree char *name = kiosk_mask_name (r->name);
      g_autofree char *idn = kiosk_mask_id_number (r->id_number);
      g_autofree char *principal = g_strdup_printf ("%s  %s", name, idn);
      JsonArray *scope = json_object_get_array_member (data, "scope");
      g_autoptr (GString) s = g_string_new (NULL);
      GtkWidget *v;

      for (guint i = 0; scope && i < json_array_get_length (scope); i++)
        g_string_append_printf (s, "%s%s", i ? "；" : "", json_array_get_string_element (scope, i));
      v = _kiosk_detail_row (GTK_BOX (p->auth_fields), _ ("Principal (resident)"), principal);
      gtk_widget_add_css_class (v, "personal");
      _kiosk_detail_row (GTK_BOX (p->auth_fields), _ ("Agent"),
                         json_object_get_string_member (json_object_get_object_member (data, "agent"), "name"));
      _kiosk_detail_row (GTK_BOX (p->auth_fields), _ ("Item delegated"),
                         json_object_get_string_member (data, "item_name"));
      _kiosk_detail_row (GTK_BOX (p->auth_fields), _ ("What is delegated"), s->str);
      _kiosk_detail_row (GTK_BOX (p->auth_fields), _ ("Time limit"), json_object_get_string_member (data, "period_to"));
    }
  msg = kiosk_agent_journey_get_message (p->journey);
  gtk_label_set_text (GTK_LABEL (p->auth_state), _ (msg ? msg : states[MIN ((guint) st, G_N_ELEMENTS (states) - 1)]));
  gtk_widget_set_sensitive (
      p->confirm_button,
      st == KIOSK_AGENT_AUTH_SIGNED_SCREEN || st == KIOSK_AGENT_AUTH_SCANNED
          || (st == KIOSK_AGENT_AUTH_UNSIGNED && !kiosk_signature_pad_is_empty (KIOSK_SIGNATURE_PAD (p->pad))));
  gtk_widget_set_sensitive (p->print_button, st < KIOSK_AGENT_AUTH_SAVING && st != KIOSK_AGENT_AUTH_PRINTING);
  if (st == KIOSK_AGENT_AUTH_UNSIGNED && data == NULL)
    kiosk_signature_pad_clear (KIOSK_SIGNATURE_PAD (p->pad));
}

/* ---- apply ------------------------------------------------------------------ */

static void
print_missing_cb (GtkButton *b, AgentPage *p)
{
  g_autoptr (GError) error = NULL;
  if (!kiosk_agent_journey_print_missing (p->journey, &error))
    show_error (p, error);
}

static void
update_missing (AgentPage *p)
{
  g_autoptr (GPtrArray) missing = kiosk_agent_journey_dup_missing (p->journey);
  g_autoptr (GString) s = g_string_new (NULL);

  if (missing->len == 0)
    g_string_append (s, _ ("Nothing is missing so far."));
  else
    g_string_append_printf (s, _ ("Still missing (all at once, printable for the resident):"));
  for (guint i = 0; i < missing->len; i++)
    {
      g_auto (GStrv) parts = g_strsplit (missing->pdata[i], "\t", 2);
      g_string_append_printf (s, " %u. %s: %s", i + 1, parts[0], parts[1] ? _ (parts[1]) : "");
    }
  gtk_label_set_text (GTK_LABEL (p->missing_text), s->str);
  gtk_widget_set_sensitive (p->missing_print, missing->len > 0);
}

static void
apply_draft_changed_cb (KioskApplyJourney *apply, const char *part, AgentPage *p)
{
  update_missing (p);
}

/* ---- cases and feedback ----------------------------------------------------- */

static void
handover_cb (GtkButton *b, AgentPage *p)
{
  g_autoptr (GError) error = NULL;
  if (!kiosk_agent_journey_choose_case (p->journey, g_object_get_data (G_OBJECT (b), "number"), &error))
    show_error (p, error);
}

static void
update_cases (AgentPage *p)
{
  GPtrArray *cases = kiosk_agent_journey_get_cases (p->journey);

  clear_box (p->cases);
  if (cases->len == 0)
    gtk_box_append (GTK_BOX (p->cases), label_new (_ ("No open proxy cases."), NULL));
  for (guint i = 0; i < cases->len; i++)
    {
      const KioskAgentCase *c = cases->pdata[i];
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
      g_autofree char *text
          = g_strdup_printf ("%s\n%s  ·  %s %s%s", c->item_name, c->number, _ ("Deadline"),
                             c->deadline ? c->deadline : _ ("not stated"), c->status_text ? c->status_text : "");
      GtkWidget *l = label_new (text, NULL);
      GtkWidget *b = button_new (_ ("Hand over"), "suggested-action");

      gtk_widget_add_css_class (row, "card");
      gtk_widget_set_hexpand (l, TRUE);
      gtk_box_append (GTK_BOX (row), l);
      if (c->late)
        gtk_box_append (GTK_BOX (row), label_new (_ ("Late"), "warning-box"));
      g_object_set_data_full (G_OBJECT (b), "number", g_strdup (c->number), g_free);
      g_signal_connect (b, "clicked", G_CALLBACK (handover_cb), p);
      gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (row), b);
      gtk_box_append (GTK_BOX (p->cases), row);
    }
}

static void
level_cb (GtkToggleButton *b, AgentPage *p)
{
  if (gtk_toggle_button_get_active (b))
    p->level = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b), "level"));
  gtk_widget_set_sensitive (p->feedback_button,
                            p->level > 0 && kiosk_agent_journey_get_resident_confirmed (p->journey));
}

static void
feedback_cb (GtkButton *b, AgentPage *p)
{
  g_autoptr (GError) error = NULL;
  gboolean confirmed = gtk_check_button_get_active (GTK_CHECK_BUTTON (p->confirm_result));
  if (!kiosk_agent_journey_submit_feedback (p->journey, confirmed, p->level, &error))
    show_error (p, error);
}

static void
update_feedback (AgentPage *p)
{
  const KioskAgentCase *c = kiosk_agent_journey_get_case (p->journey);
  gboolean ok = kiosk_agent_journey_get_resident_confirmed (p->journey);
  g_autofree char *text = c ? g_strdup_printf ("%s\n%s  ·  %s %s", c->item_name, c->number, _ ("Deadline"),
                                               c->deadline ? c->deadline : _ ("not stated"))
                            : g_strdup ("");

  gtk_label_set_text (GTK_LABEL (p->feedback_case), text);
  gtk_label_set_text (GTK_LABEL (p->feedback_text),
                      ok ? _ ("The resident confirms the result and says how satisfied they are with the agent.")
                         : _ ("Only the resident can confirm and rate: the resident places their own ID card now."));
  gtk_widget_set_sensitive (p->confirm_result, ok);
  for (int i = 0; i < 5; i++)
    gtk_widget_set_sensitive (p->levels[i], ok);
  gtk_widget_set_sensitive (p->feedback_button, ok && p->level > 0);
  if (!ok)
    {
      p->level = 0;
      for (int i = 0; i < 5; i++)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (p->levels[i]), FALSE);
    }
}

/* ---- the whole page --------------------------------------------------------- */

static const char *const stage_names[] = {
  "agent-login",         "agent-menu",  "agent-resident", "agent-item",
  "agent-authorisation", "agent-apply", "agent-cases",    "agent-feedback",
};

static void
changed_cb (KioskAgentJourney *journey, AgentPage *p)
{
  KioskAgentStage stage = kiosk_agent_journey_get_stage (journey);
  const char *msg = kiosk_agent_journey_get_message (journey);

  gtk_stack_set_visible_child_name (GTK_STACK (p->stack), stage_names[stage]);
  gtk_widget_set_visible (p->head, stage != KIOSK_AGENT_STAGE_APPLY);
  /* At login, the authorisation and the feedback the stage's own text says it. */
  gboolean top = msg && stage != KIOSK_AGENT_STAGE_LOGIN && stage != KIOSK_AGENT_STAGE_AUTHORISATION
                 && stage != KIOSK_AGENT_STAGE_FEEDBACK;

  gtk_label_set_text (GTK_LABEL (p->message), top ? _ (msg) : "");
  gtk_widget_set_visible (p->message, top);
  switch (stage)
    {
    case KIOSK_AGENT_STAGE_LOGIN:
      update_login (p);
      break;
    case KIOSK_AGENT_STAGE_MENU:
      {
        g_autofree char *t = g_strdup_printf (_ ("Agent %s is logged in. What would you like to do?"),
                                              kiosk_agent_journey_get_agent_name (journey));
        gtk_label_set_text (GTK_LABEL (p->menu_text), t);
        gtk_editable_set_text (GTK_EDITABLE (p->pin_entry), "");
        break;
      }
    case KIOSK_AGENT_STAGE_ITEM:
      update_items (p);
      break;
    case KIOSK_AGENT_STAGE_AUTHORISATION:
      update_authorisation (p);
      break;
    case KIOSK_AGENT_STAGE_APPLY:
      update_missing (p);
      break;
    case KIOSK_AGENT_STAGE_CASES:
      update_cases (p);
      break;
    case KIOSK_AGENT_STAGE_FEEDBACK:
      update_feedback (p);
      break;
    default:
      break;
    }
  if (stage != KIOSK_AGENT_STAGE_ITEM)
    p->n_items_shown = 0;
}

static void
wipe_cb (KioskSession *session, AgentPage *p)
{
  gtk_editable_set_text (GTK_EDITABLE (p->pin_entry), "");
  kiosk_osk_reset (p->osk);
  kiosk_signature_pad_clear (KIOSK_SIGNATURE_PAD (p->pad));
  clear_box (p->auth_fields);
  gtk_label_set_text (GTK_LABEL (p->feedback_case), "");
  gtk_label_set_text (GTK_LABEL (p->menu_text), "");
  gtk_label_set_text (GTK_LABEL (p->login_text), "");
}

static void
agent_page_free (AgentPage *p)
{
  KioskApplyJourney *apply = kiosk_agent_journey_get_apply (p->journey);

  g_signal_handlers_disconnect_by_data (apply, p);
  g_clear_signal_handler (&p->changed_handler, p->journey);
  g_clear_signal_handler (&p->wipe_handler, kiosk_core_get_session (p->core));
  g_object_unref (p->journey);
  g_free (p);
}

static GtkWidget *
stage_box (AgentPage *p, const char *name)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_name (box, name);
  gtk_stack_add_named (GTK_STACK (p->stack), box, name);
  return box;
}

static GtkWidget *
scrolled (GtkWidget *child)
{
  GtkWidget *s = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (s), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (s), child);
  gtk_widget_set_vexpand (s, TRUE);
  return s;
}

GtkWidget *
kiosk_agent_page_new (KioskCore *core, KioskJourney *journey)
{
  AgentPage *p = g_new0 (AgentPage, 1);
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *box, *row, *b;
  KioskApplyJourney *apply;

  p->core = core;
  p->journey = g_object_ref (KIOSK_AGENT_JOURNEY (journey));
  apply = kiosk_agent_journey_get_apply (p->journey);
  gtk_widget_add_css_class (page, "page");
  gtk_widget_set_name (page, "agent-page");
  p->head = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_box_append (GTK_BOX (p->head), _kiosk_journey_header_new (core, _ ("Agent service")));
  gtk_box_append (GTK_BOX (p->head), kiosk_journey_steps_new (journey));
  gtk_box_append (GTK_BOX (page), p->head);
  p->message = label_new (NULL, "reminder-box");
  gtk_box_append (GTK_BOX (page), p->message);
  p->stack = gtk_stack_new ();
  /* Each stage as tall as it needs: 自助申报's page must not make the login scroll. */
  gtk_stack_set_vhomogeneous (GTK_STACK (p->stack), FALSE);
  gtk_stack_set_hhomogeneous (GTK_STACK (p->stack), FALSE);
  gtk_widget_set_vexpand (p->stack, TRUE);
  gtk_box_append (GTK_BOX (page), p->stack);

  /* login: the instructions, the PIN and the digits keyboard, fixed places */
  box = stage_box (p, "agent-login");
  p->login_text = label_new (NULL, "card-title");
  gtk_box_append (GTK_BOX (box), p->login_text);
  p->osk = KIOSK_OSK (kiosk_osk_new ());
  p->pin_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  p->pin_entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (p->pin_entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (p->pin_entry), GTK_INPUT_PURPOSE_PIN);
  gtk_entry_set_max_length (GTK_ENTRY (p->pin_entry), 12);
  gtk_entry_set_placeholder_text (GTK_ENTRY (p->pin_entry), _ ("PIN"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (p->pin_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("PIN"), -1);
  gtk_widget_set_size_request (p->pin_entry, 360, 64);
  g_signal_connect (p->pin_entry, "activate", G_CALLBACK (pin_clicked_cb), p);
  p->pin_button = button_new (_ ("Log in"), "suggested-action");
  g_signal_connect (p->pin_button, "clicked", G_CALLBACK (pin_clicked_cb), p);
  gtk_box_append (GTK_BOX (p->pin_row), p->pin_entry);
  gtk_box_append (GTK_BOX (p->pin_row), p->pin_button);
  gtk_box_append (GTK_BOX (box), p->pin_row);
  kiosk_osk_bind (p->osk, p->pin_entry, KIOSK_OSK_LAYOUT_DIGITS);
  kiosk_osk_set_target (p->osk, p->pin_entry, KIOSK_OSK_LAYOUT_DIGITS);
  gtk_widget_set_halign (GTK_WIDGET (p->osk), GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->osk));

  /* menu */
  box = stage_box (p, "agent-menu");
  p->menu_text = label_new (NULL, "card-title");
  gtk_box_append (GTK_BOX (box), p->menu_text);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  b = button_new (_ ("Act for a resident"), "big-button");
  g_signal_connect (b, "clicked", G_CALLBACK (new_case_cb), p);
  gtk_box_append (GTK_BOX (row), b);
  b = button_new (_ ("My proxy cases"), "big-button");
  g_signal_connect (b, "clicked", G_CALLBACK (cases_cb), p);
  gtk_box_append (GTK_BOX (row), b);
  gtk_box_append (GTK_BOX (box), row);

  /* resident */
  box = stage_box (p, "agent-resident");
  gtk_box_append (
      GTK_BOX (box),
      label_new (_ ("The resident the agent acts for places their own ID card on the reader now."), "card-title"));

  /* item */
  box = stage_box (p, "agent-item");
  gtk_box_append (GTK_BOX (box), label_new (_ ("Choose the item the resident delegates."), "card-title"));
  p->items = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_box_append (GTK_BOX (box), scrolled (p->items));

  /* authorisation */
  box = stage_box (p, "agent-authorisation");
  /* the 委托书 beside the pad (with its own instruction and 清除), what to
   * do next under both: fits 1080 px in 长辈模式 too */
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 32);
  p->auth_fields = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (p->auth_fields, "card");
  gtk_widget_set_hexpand (p->auth_fields, TRUE);
  gtk_widget_set_valign (p->auth_fields, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (row), p->auth_fields);
  p->pad = kiosk_signature_pad_new ();
  gtk_widget_set_size_request (p->pad, 820, -1);
  g_signal_connect (p->pad, "notify::signed", G_CALLBACK (signed_cb), p);
  gtk_box_append (GTK_BOX (row), p->pad);
  gtk_box_append (GTK_BOX (box), row);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 20);
  p->auth_state = label_new (NULL, NULL);
  gtk_widget_set_hexpand (p->auth_state, TRUE);
  gtk_box_append (GTK_BOX (row), p->auth_state);
  p->print_button = button_new (_ ("Print for a signature on paper"), NULL);
  g_signal_connect (p->print_button, "clicked", G_CALLBACK (print_auth_cb), p);
  p->confirm_button = button_new (_ ("Confirm the authorisation"), "suggested-action");
  g_signal_connect (p->confirm_button, "clicked", G_CALLBACK (confirm_cb), p);
  gtk_box_append (GTK_BOX (row), p->print_button);
  gtk_box_append (GTK_BOX (row), p->confirm_button);
  gtk_box_append (GTK_BOX (box), row);

  /* apply: the missing materials, then 自助申报's own page */
  box = stage_box (p, "agent-apply");
  gtk_box_set_spacing (GTK_BOX (box), 0);
  /* One strip, at most two lines (the printed list has all of it), so
   * that 自助申报's page keeps its height in 长辈模式 too. */
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 20);
  gtk_widget_add_css_class (row, "missing-strip");
  p->missing_text = label_new (NULL, NULL);
  gtk_label_set_lines (GTK_LABEL (p->missing_text), 2);
  gtk_label_set_ellipsize (GTK_LABEL (p->missing_text), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (p->missing_text, TRUE);
  p->missing_print = button_new (_ ("Print the list of missing materials"), NULL);
  gtk_widget_set_valign (p->missing_print, GTK_ALIGN_CENTER);
  g_signal_connect (p->missing_print, "clicked", G_CALLBACK (print_missing_cb), p);
  gtk_box_append (GTK_BOX (row), p->missing_text);
  gtk_box_append (GTK_BOX (row), p->missing_print);
  {
    GtkWidget *ap = kiosk_apply_page_new (core, KIOSK_JOURNEY (apply));
    gtk_widget_set_vexpand (ap, TRUE);
    gtk_box_append (GTK_BOX (box), ap);
  }
  gtk_box_append (GTK_BOX (box), row);
  g_signal_connect (apply, "draft-changed", G_CALLBACK (apply_draft_changed_cb), p);

  /* cases */
  box = stage_box (p, "agent-cases");
  gtk_box_append (GTK_BOX (box), label_new (_ ("Your open proxy cases, late ones first."), "card-title"));
  p->cases = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_box_append (GTK_BOX (box), scrolled (p->cases));

  /* feedback */
  box = stage_box (p, "agent-feedback");
  gtk_box_append (GTK_BOX (box), label_new (_ ("Hand-over and service feedback (服务意见反馈)"), "card-title"));
  p->feedback_case = label_new (NULL, "card");
  gtk_box_append (GTK_BOX (box), p->feedback_case);
  p->feedback_text = label_new (NULL, "reminder-box");
  gtk_box_append (GTK_BOX (box), p->feedback_text);
  p->confirm_result = gtk_check_button_new_with_label (_ ("I have received the result"));
  gtk_widget_set_size_request (p->confirm_result, -1, 64);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (p->confirm_result), TRUE);
  gtk_box_append (GTK_BOX (box), p->confirm_result);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  for (int i = 5; i >= 1; i--)
    {
      GtkWidget *t = gtk_toggle_button_new_with_label (_ (kiosk_agent_level_name (i)));
      gtk_widget_set_size_request (t, 180, 64);
      g_object_set_data (G_OBJECT (t), "level", GINT_TO_POINTER (i));
      if (i < 5)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (t), GTK_TOGGLE_BUTTON (p->levels[4]));
      g_signal_connect (t, "toggled", G_CALLBACK (level_cb), p);
      p->levels[i - 1] = t;
      gtk_box_append (GTK_BOX (row), t);
    }
  gtk_box_append (GTK_BOX (box), row);
  p->feedback_button = button_new (_ ("Submit the feedback"), "suggested-action");
  gtk_widget_set_halign (p->feedback_button, GTK_ALIGN_START);
  g_signal_connect (p->feedback_button, "clicked", G_CALLBACK (feedback_cb), p);
  gtk_box_append (GTK_BOX (box), p->feedback_button);

  p->changed_handler = g_signal_connect (p->journey, "changed", G_CALLBACK (changed_cb), p);
  p->wipe_handler = g_signal_connect (kiosk_core_get_session (core), "wipe", G_CALLBACK (wipe_cb), p);
  g_object_set_data_full (G_OBJECT (page), "kiosk-agent-page", p, (GDestroyNotify) agent_page_free);
  changed_cb (p->journey, p);
  return page;
}
