/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-cert"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-cert-journey.h"
#include "kiosk-cert-page.h"
#include "kiosk-journey-page.h"
#include "kiosk-journey-pages.h"
#include "kiosk-osk-pinyin.h"
#include "kiosk-osk.h"
#include "kiosk-pager.h"

/* 证明打印: the resident's documents (title, issuing department, date) on
 * the left and, beside them, a field to look for a proof that is not
 * listed (the catalog's not_offered list says where to go instead); then
 * the chosen document as it will be printed (the renderer's own page,
 * shown as a picture) with 打印, or 补打 with its reason. Offline: the
 * plain message that certificates need the network and the offer to queue
 * a request. Every failure is said on the page, with the station's phone.
 * Built in code: its content is data. */

typedef struct {
  KioskCore *core;
  KioskCertJourney *journey;
  KioskSession *session;
  GtkWidget *stack; /* "loading", "offline", "error", "list", "preview" */
  GtkWidget *list;  /* GtkBox of document buttons */
  GtkWidget *empty; /* no documents */
  GtkWidget *search_entry;
  GtkWidget *search_answer;
  KioskOsk *osk;
  GtkWidget *picture;
  GtkWidget *preview_error;
  GtkWidget *doc_title, *doc_department, *doc_code;
  GtkWidget *print_button;
  GtkWidget *reasons; /* the reprint reasons */
  GtkWidget *print_status;
  GtkWidget *problem; /* failures, with the staff's phone */
  GtkWidget *problem_label;
  GtkWidget *done_button;
  GtkWidget *queue_next, *queue_post, *queue_status;
  gulong handlers[5];
  gulong wipe_handler;
  KioskDevice *printer; /* NULL without a printer driver */
  gulong printer_handler;
} CertPage;

static void
cert_page_free (CertPage *p)
{
  for (guint i = 0; i < G_N_ELEMENTS (p->handlers); i++)
    g_clear_signal_handler (&p->handlers[i], p->journey);
  g_clear_signal_handler (&p->wipe_handler, p->session);
  g_clear_object (&p->session);
  if (p->printer)
    g_clear_signal_handler (&p->printer_handler, p->printer);
  g_clear_object (&p->printer);
  g_clear_object (&p->journey);
  g_free (p);
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

static GtkWidget *
wrap_label (const char *text, const char *css)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

/* A button whose accessible name is its visible label. */
static GtkWidget *
text_button (const char *label, const char *name, const char *css)
{
  GtkWidget *b = gtk_button_new_with_label (label);
  gtk_widget_set_name (b, name);
  if (css)
    gtk_widget_add_css_class (b, css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_size_request (b, -1, 64);
  return b;
}

static void
show_problem (CertPage *p, const char *message)
{
  gtk_widget_set_visible (p->problem, message != NULL);
  gtk_label_set_text (GTK_LABEL (p->problem_label), message ? message : "");
}

/* ---- the list ---------------------------------------------------------- */

static void
doc_clicked_cb (GtkButton *button, CertPage *p)
{
  kiosk_cert_journey_select (p->journey, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")));
}

static void
fill_list (CertPage *p)
{
  GPtrArray *docs = kiosk_cert_journey_get_documents (p->journey);

  clear_box (p->list);
  gtk_widget_set_visible (p->empty, docs == NULL || docs->len == 0);
  for (guint i = 0; docs && i < docs->len; i++)
    {
      const KioskCertificate *c = docs->pdata[i];
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *title = wrap_label (c->title, "card-title");
      /* Translators: the issuing department and the date of a certificate. */
      g_autofree char *meta = g_strdup_printf (_ ("%s · issued %s"), c->department, c->issued_date);
      g_autofree char *name = g_strdup_printf ("cert-doc-%u", i);
      g_autofree char *accessible = g_strdup_printf ("%s, %s", c->title, meta);

      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), wrap_label (meta, "dim-label"));
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_set_name (button, name);
      gtk_widget_add_css_class (button, "guide-item");
      gtk_widget_add_css_class (button, "personal");
      gtk_widget_set_size_request (button, -1, 64);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (doc_clicked_cb), p);
      gtk_box_append (GTK_BOX (p->list), button);
    }
}

static void
search_changed_cb (GtkEditable *entry, CertPage *p)
{
  const char *text = gtk_editable_get_text (entry);
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;
  g_autofree char *answer = NULL;

  if (text == NULL || g_utf8_strlen (text, -1) < 2)
    answer = NULL;
  else if (kiosk_cert_journey_search_not_offered (p->journey, text, &name, &where))
    answer = where ? g_strdup_printf (_ ("“%s” is not printed at this kiosk: it must be applied for in person at %s."),
                                      name, where)
                   : g_strdup_printf (_ ("Since 2020 village and community committees no longer issue proofs of "
                                         "“%s”, and this kiosk does not print them. Ask the department that needs "
                                         "the proof: usually your own written commitment or a check between "
                                         "departments replaces it. The staff can tell you more."),
                                      name);
  else
    answer = g_strdup_printf (_ ("No proof named “%s” is held for you. The certificates you can print are listed on "
                                 "the left; for anything else please ask the staff."),
                              text);
  gtk_widget_set_visible (p->search_answer, answer != NULL);
  gtk_label_set_text (GTK_LABEL (p->search_answer), answer ? answer : "");
}

/* ---- the preview ------------------------------------------------------- */

static gboolean
printer_usable (CertPage *p)
{
  KioskDeviceState state = p->printer ? kiosk_device_get_state (p->printer) : KIOSK_DEVICE_STATE_ABSENT;
  return state == KIOSK_DEVICE_STATE_READY || state == KIOSK_DEVICE_STATE_BUSY;
}

static void
update_print (CertPage *p)
{
  KioskCertPrintState state = kiosk_cert_journey_get_print_state (p->journey);
  gboolean again = kiosk_cert_journey_is_reprint (p->journey);
  g_autofree char *status = NULL;

  gtk_button_set_label (GTK_BUTTON (p->print_button), again ? _ ("Print again (补打)") : _ ("Print"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (p->print_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_button_get_label (GTK_BUTTON (p->print_button)), -1);
  /* Disabled, never hidden, while the reasons are asked: nothing moves
   * under the finger that touched it. */
  gtk_widget_set_sensitive (p->print_button, state != KIOSK_CERT_PRINT_PRINTING && state != KIOSK_CERT_PRINT_LIMIT
                                                 && state != KIOSK_CERT_PRINT_NEEDS_REASON && printer_usable (p)
                                                 && kiosk_cert_journey_get_preview (p->journey) != NULL);
  gtk_widget_set_visible (p->reasons, state == KIOSK_CERT_PRINT_NEEDS_REASON);
  show_problem (p, NULL);
  switch (state)
    {
    case KIOSK_CERT_PRINT_PRINTING:
      status = g_strdup (_ ("Printing… please wait."));
      break;
    case KIOSK_CERT_PRINT_DONE:
      status = kiosk_cert_journey_get_last_reprint_count (p->journey) > 0
                   ? g_strdup (_ ("Printed again. The page is marked 补打 with your reason. Please take it."))
                   : g_strdup (_ ("Printed. Please take your certificate."));
      break;
    case KIOSK_CERT_PRINT_FAILED:
      show_problem (p, kiosk_cert_journey_get_print_message (p->journey));
      status = g_strdup (_ ("Not printed, and not counted."));
      break;
    case KIOSK_CERT_PRINT_LIMIT:
      show_problem (p, NULL);
      status = g_strdup_printf (
          ngettext ("This certificate was printed %u time today on this kiosk, the most allowed in one day. "
                    "Please come back tomorrow or ask the staff.",
                    "This certificate was printed %u times today on this kiosk, the most allowed in one day. "
                    "Please come back tomorrow or ask the staff.",
                    kiosk_cert_journey_get_printed_today (p->journey)),
          kiosk_cert_journey_get_printed_today (p->journey));
      break;
    case KIOSK_CERT_PRINT_NEEDS_REASON:
      status = g_strdup (_ ("Printed before: a new copy is marked 补打. Why do you need it again?"));
      break;
    case KIOSK_CERT_PRINT_NONE:
    default:
      /* What cannot work is disabled and says why. */
      if (!printer_usable (p))
        {
          /* Said once, large, below: no line above the buttons. */
          show_problem (p, _ ("The printer cannot be used at the moment, so certificates cannot be printed. "
                              "Please come back later, or ask the staff."));
          break;
        }
      status = again ? g_strdup (_ ("You printed this certificate before: a new copy is marked 补打 (reprint)."))
                     : g_strdup (_ ("Check the certificate, then touch Print."));
      break;
    }
  gtk_label_set_text (GTK_LABEL (p->print_status), status ? status : "");
  gtk_widget_set_visible (p->print_status, status != NULL);
}

static void
update_preview (CertPage *p)
{
  const KioskCertificate *c = kiosk_cert_journey_get_selected (p->journey);
  GBytes *png = kiosk_cert_journey_get_preview (p->journey);
  const char *error = kiosk_cert_journey_get_preview_error (p->journey);

  if (c == NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (p->picture), NULL);
      return;
    }
  gtk_label_set_text (GTK_LABEL (p->doc_title), c->title);
  {
    /* One row for both: the side column keeps its room for the buttons
     * (长辈模式). */
    /* Translators: the issuing department and the date of a certificate. */
    g_autofree char *issued = g_strdup_printf (_ ("%s · issued %s"), c->department, c->issued_date);
    gtk_label_set_text (GTK_LABEL (p->doc_department), issued);
  }
  gtk_label_set_text (GTK_LABEL (p->doc_code), c->code);
  if (png)
    {
      g_autoptr (GError) err = NULL;
      g_autoptr (GdkTexture) texture = gdk_texture_new_from_bytes (png, &err);
      gtk_picture_set_paintable (GTK_PICTURE (p->picture), GDK_PAINTABLE (texture));
      /* The picture's name for screen readers: what it shows. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (p->picture), GTK_ACCESSIBLE_PROPERTY_LABEL, c->title, -1);
    }
  else
    gtk_picture_set_paintable (GTK_PICTURE (p->picture), NULL);
  gtk_widget_set_visible (p->preview_error, error != NULL);
  gtk_label_set_text (GTK_LABEL (p->preview_error), error ? error : _ ("Preparing the preview…"));
  if (png == NULL && error == NULL)
    {
      gtk_widget_set_visible (p->preview_error, TRUE);
      gtk_widget_remove_css_class (p->preview_error, "warning-box");
    }
  else
    gtk_widget_add_css_class (p->preview_error, "warning-box");
  update_print (p);
}

static void
print_clicked_cb (GtkButton *button, CertPage *p)
{
  kiosk_cert_journey_print (p->journey, -1);
}

static void
reason_clicked_cb (GtkButton *button, CertPage *p)
{
  kiosk_cert_journey_print (p->journey, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "reason")));
}

static void
done_clicked_cb (GtkButton *button, CertPage *p)
{
  kiosk_cert_journey_finish (p->journey);
}

/* ---- offline ----------------------------------------------------------- */

static void
update_queue (CertPage *p)
{
  KioskCertQueueState s = kiosk_cert_journey_get_queue_state (p->journey);
  const char *text = NULL;

  gtk_widget_set_sensitive (p->queue_next, s == KIOSK_CERT_QUEUE_NONE || s == KIOSK_CERT_QUEUE_FAILED);
  gtk_widget_set_sensitive (p->queue_post, s == KIOSK_CERT_QUEUE_NONE || s == KIOSK_CERT_QUEUE_FAILED);
  switch (s)
    {
    case KIOSK_CERT_QUEUE_SAVING:
      text = _ ("Saving your request…");
      break;
    case KIOSK_CERT_QUEUE_DONE:
      text = _ ("Your request is saved on this kiosk and will be sent as soon as the network is back. The "
                "certificates will be ready at your next visit, or posted as you chose.");
      break;
    case KIOSK_CERT_QUEUE_FAILED:
      text = _ ("Your request could not be saved. Please ask the staff.");
      break;
    case KIOSK_CERT_QUEUE_NONE:
    default:
      break;
    }
  gtk_widget_set_visible (p->queue_status, text != NULL);
  gtk_label_set_text (GTK_LABEL (p->queue_status), text ? text : "");
}

static void
queue_clicked_cb (GtkButton *button, CertPage *p)
{
  kiosk_cert_journey_queue_request (p->journey, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "delivery")));
}

static void
retry_clicked_cb (GtkButton *button, CertPage *p)
{
  kiosk_cert_journey_reload (p->journey);
}

/* ---- the page ---------------------------------------------------------- */

static void
update_state (CertPage *p)
{
  const char *child = "loading";

  switch (kiosk_cert_journey_get_state (p->journey))
    {
    case KIOSK_CERT_READY:
      child = kiosk_cert_journey_get_selected (p->journey) ? "preview" : "list";
      break;
    case KIOSK_CERT_OFFLINE:
      child = "offline";
      break;
    case KIOSK_CERT_ERROR:
      child = "error";
      break;
    case KIOSK_CERT_IDLE:
    case KIOSK_CERT_LOADING:
    default:
      break;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (p->stack), child);
}

static void
state_cb (GObject *journey, GParamSpec *pspec, CertPage *p)
{
  fill_list (p);
  update_state (p);
  update_queue (p);
}

static void
selected_cb (GObject *journey, GParamSpec *pspec, CertPage *p)
{
  update_state (p);
  update_preview (p);
}

static void
preview_cb (GObject *journey, GParamSpec *pspec, CertPage *p)
{
  update_preview (p);
}

static void
print_state_cb (GObject *journey, GParamSpec *pspec, CertPage *p)
{
  update_print (p);
}

static void
queue_state_cb (GObject *journey, GParamSpec *pspec, CertPage *p)
{
  update_queue (p);
}

static void
printer_state_cb (GObject *printer, GParamSpec *pspec, CertPage *p)
{
  if (kiosk_cert_journey_get_selected (p->journey))
    update_print (p);
}

static void
wipe_cb (KioskSession *session, CertPage *p)
{
  kiosk_osk_reset (p->osk);
  gtk_editable_set_text (GTK_EDITABLE (p->search_entry), "");
  clear_box (p->list);
  gtk_picture_set_paintable (GTK_PICTURE (p->picture), NULL);
  gtk_label_set_text (GTK_LABEL (p->doc_title), "");
  gtk_label_set_text (GTK_LABEL (p->doc_department), "");
  gtk_label_set_text (GTK_LABEL (p->doc_code), "");
  gtk_label_set_text (GTK_LABEL (p->search_answer), "");
}

static GtkWidget *
build_list (CertPage *p)
{
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 32);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *pager;
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  /* The answer to a search goes above the list (which scrolls and gives
   * it the room): the field and the keyboard beside never move. */
  p->search_answer = wrap_label (NULL, "reminder-box");
  gtk_widget_set_name (p->search_answer, "cert-search-answer");
  gtk_widget_add_css_class (p->search_answer, "personal");
  gtk_widget_set_visible (p->search_answer, FALSE);
  gtk_box_append (GTK_BOX (left), p->search_answer);
  gtk_box_append (GTK_BOX (left), wrap_label (_ ("Certificates you can print"), "card-title"));
  p->empty = wrap_label (_ ("The platform holds no certificate for you that this kiosk may print."), "reminder-box");
  gtk_box_append (GTK_BOX (left), p->empty);
  p->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_set_name (p->list, "cert-list");
  /* it scrolls, or is paged in 长辈模式 */
  pager = kiosk_pager_new (p->list, TRUE);
  gtk_widget_set_vexpand (pager, TRUE);
  gtk_box_append (GTK_BOX (left), pager);
  gtk_widget_set_hexpand (left, TRUE);

  /* Looking for a proof that is not listed: the keyboard's place is kept. */
  gtk_box_append (GTK_BOX (right), wrap_label (_ ("Looking for another proof?"), "card-title"));
  p->search_entry = gtk_entry_new ();
  gtk_widget_set_name (p->search_entry, "cert-search");
  gtk_entry_set_placeholder_text (GTK_ENTRY (p->search_entry), _ ("Type the proof's name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (p->search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Looking for another proof?"), -1);
  gtk_widget_set_size_request (p->search_entry, -1, 64);
  gtk_widget_add_css_class (p->search_entry, "personal");
  g_signal_connect (p->search_entry, "changed", G_CALLBACK (search_changed_cb), p);
  gtk_box_append (GTK_BOX (right), p->search_entry);
  p->osk = KIOSK_OSK (kiosk_osk_new ());
  kiosk_osk_use_pinyin_ime (p->osk);
  kiosk_osk_bind (p->osk, p->search_entry, KIOSK_OSK_LAYOUT_PINYIN);
  gtk_widget_set_valign (GTK_WIDGET (p->osk), GTK_ALIGN_END);
  gtk_widget_set_vexpand (GTK_WIDGET (p->osk), TRUE);
  gtk_box_append (GTK_BOX (right), GTK_WIDGET (p->osk));
  gtk_widget_set_size_request (right, 760, -1);

  gtk_box_append (GTK_BOX (body), left);
  gtk_box_append (GTK_BOX (body), right);
  return body;
}

static GtkWidget *
detail_value (GtkWidget *box, const char *label, const char *name)
{
  GtkWidget *v = _kiosk_detail_row (GTK_BOX (box), label, NULL);
  gtk_widget_set_name (v, name);
  gtk_widget_add_css_class (v, "personal");
  return v;
}

static GtkWidget *
build_preview (CertPage *p)
{
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 32);
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *phone = kiosk_config_get_string (kiosk_core_get_config (p->core), "kiosk", "phone");

  p->picture = gtk_picture_new ();
  gtk_widget_set_name (p->picture, "cert-preview");
  gtk_widget_add_css_class (p->picture, "personal");
  gtk_picture_set_can_shrink (GTK_PICTURE (p->picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (p->picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_vexpand (p->picture, TRUE);
  gtk_widget_set_hexpand (p->picture, TRUE);
  p->preview_error = wrap_label (NULL, NULL);
  gtk_box_append (GTK_BOX (frame), p->preview_error);
  gtk_box_append (GTK_BOX (frame), p->picture);
  gtk_widget_set_size_request (frame, 700, -1);
  gtk_widget_set_hexpand (frame, TRUE);

  gtk_widget_add_css_class (card, "card");
  p->doc_title = wrap_label (NULL, "card-title");
  gtk_widget_add_css_class (p->doc_title, "personal");
  gtk_box_append (GTK_BOX (card), p->doc_title);
  p->doc_department = detail_value (card, _ ("Issued by"), "cert-department");
  p->doc_code = detail_value (card, _ ("Verification code"), "cert-code");
  /* Under the page (which shrinks to give it room): the side column
   * keeps its height for the buttons. */
  gtk_box_append (GTK_BOX (frame),
                  wrap_label (_ ("The printed page carries this code and its QR code, so anyone receiving it can check "
                                 "it with the issuing platform. It may be used for government services only."),
                              "dim-label"));
  gtk_box_append (GTK_BOX (side), card);

  p->print_status = wrap_label (NULL, NULL);
  gtk_widget_set_name (p->print_status, "cert-print-status");
  gtk_box_append (GTK_BOX (side), p->print_status);
  {
    GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
    gtk_box_set_homogeneous (GTK_BOX (actions), TRUE);
    p->print_button = text_button (_ ("Print"), "cert-print", "suggested-action");
    g_signal_connect (p->print_button, "clicked", G_CALLBACK (print_clicked_cb), p);
    gtk_box_append (GTK_BOX (actions), p->print_button);
    p->done_button = text_button (_ ("Done"), "cert-done", NULL);
    /* Always there (nothing appears beside 打印 under a finger): leaving
     * after a print goes on to the rating. */
    g_signal_connect (p->done_button, "clicked", G_CALLBACK (done_clicked_cb), p);
    gtk_box_append (GTK_BOX (actions), p->done_button);
    gtk_box_append (GTK_BOX (side), actions);
  }

  /* Two by two: the four reasons fit beside the page in 长辈模式 too. */
  p->reasons = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (p->reasons), 8);
  gtk_grid_set_column_spacing (GTK_GRID (p->reasons), 10);
  gtk_grid_set_column_homogeneous (GTK_GRID (p->reasons), TRUE);
  for (int r = 0; r < KIOSK_CERT_N_REPRINT_REASONS; r++)
    {
      g_autofree char *name = g_strdup_printf ("cert-reason-%d", r);
      GtkWidget *b = text_button (_ (kiosk_cert_reprint_reason_msgid (r)), name, NULL);
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (b));
      if (GTK_IS_LABEL (label))
        gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      g_object_set_data (G_OBJECT (b), "reason", GINT_TO_POINTER (r));
      g_signal_connect (b, "clicked", G_CALLBACK (reason_clicked_cb), p);
      gtk_grid_attach (GTK_GRID (p->reasons), b, r % 2, r / 2, 1, 1);
    }
  gtk_widget_set_visible (p->reasons, FALSE);
  gtk_box_append (GTK_BOX (side), p->reasons);

  p->problem = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (p->problem, "print-problem");
  p->problem_label = wrap_label (NULL, NULL);
  gtk_widget_set_name (p->problem_label, "cert-problem");
  gtk_box_append (GTK_BOX (p->problem), p->problem_label);
  if (phone && *phone)
    {
      /* Translators: %s is the service station's phone number. */
      g_autofree char *text = g_strdup_printf (_ ("Staff phone: %s"), phone);
      GtkWidget *l = wrap_label (text, "staff-phone");
      gtk_box_append (GTK_BOX (p->problem), l);
    }
  gtk_widget_set_visible (p->problem, FALSE);
  gtk_box_append (GTK_BOX (side), p->problem);

  gtk_widget_set_size_request (side, 640, -1);

  gtk_box_append (GTK_BOX (body), frame);
  gtk_box_append (GTK_BOX (body), side);
  return body;
}

static GtkWidget *
build_offline (CertPage *p)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 20);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 20);
  GtkWidget *retry;

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (box, 1100, -1);
  gtk_box_append (GTK_BOX (box),
                  wrap_label (_ ("Certificates need the network, and the government service platform cannot be "
                                 "reached right now, so nothing can be printed."),
                              "warning-box"));
  gtk_box_append (GTK_BOX (box), wrap_label (_ ("You can leave a request instead: your certificates will be ready "
                                                "at your next visit, or posted to the address on your ID card."),
                                             NULL));
  p->queue_next = text_button (_ ("Print them at my next visit"), "cert-queue-next", "suggested-action");
  g_object_set_data (G_OBJECT (p->queue_next), "delivery", GINT_TO_POINTER (KIOSK_CERT_DELIVERY_NEXT_VISIT));
  g_signal_connect (p->queue_next, "clicked", G_CALLBACK (queue_clicked_cb), p);
  p->queue_post = text_button (_ ("Post them to me"), "cert-queue-post", NULL);
  g_object_set_data (G_OBJECT (p->queue_post), "delivery", GINT_TO_POINTER (KIOSK_CERT_DELIVERY_POST));
  g_signal_connect (p->queue_post, "clicked", G_CALLBACK (queue_clicked_cb), p);
  retry = text_button (_ ("Try again"), "cert-retry", NULL);
  g_signal_connect (retry, "clicked", G_CALLBACK (retry_clicked_cb), p);
  gtk_box_append (GTK_BOX (buttons), p->queue_next);
  gtk_box_append (GTK_BOX (buttons), p->queue_post);
  gtk_box_append (GTK_BOX (buttons), retry);
  gtk_box_append (GTK_BOX (box), buttons);
  p->queue_status = wrap_label (NULL, "reminder-box");
  gtk_widget_set_name (p->queue_status, "cert-queue-status");
  gtk_widget_set_visible (p->queue_status, FALSE);
  gtk_box_append (GTK_BOX (box), p->queue_status);
  return box;
}

GtkWidget *
kiosk_cert_page_new (KioskCore *core, KioskJourney *journey)
{
  CertPage *p = g_new0 (CertPage, 1);
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 20);
  GtkWidget *loading = wrap_label (_ ("Asking the platform which certificates you can print…"), NULL);
  GtkWidget *error = wrap_label (_ ("Your certificates cannot be listed now. Please try again later or ask the staff."),
                                 "warning-box");

  p->core = core;
  p->journey = g_object_ref (KIOSK_CERT_JOURNEY (journey));
  gtk_widget_add_css_class (page, "page");
  gtk_widget_set_name (page, "cert-page");
  gtk_box_append (GTK_BOX (page), _kiosk_journey_header_new (core, _ ("Print certificates")));
  gtk_box_append (GTK_BOX (page), kiosk_journey_steps_new (journey));

  p->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (p->stack), GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_widget_set_vexpand (p->stack, TRUE);
  gtk_widget_set_valign (loading, GTK_ALIGN_START);
  gtk_widget_set_valign (error, GTK_ALIGN_START);
  gtk_stack_add_named (GTK_STACK (p->stack), loading, "loading");
  gtk_stack_add_named (GTK_STACK (p->stack), error, "error");
  gtk_stack_add_named (GTK_STACK (p->stack), build_offline (p), "offline");
  gtk_stack_add_named (GTK_STACK (p->stack), build_list (p), "list");
  gtk_stack_add_named (GTK_STACK (p->stack), build_preview (p), "preview");
  gtk_box_append (GTK_BOX (page), p->stack);

  p->handlers[0] = g_signal_connect (p->journey, "notify::state", G_CALLBACK (state_cb), p);
  p->handlers[1] = g_signal_connect (p->journey, "notify::selected", G_CALLBACK (selected_cb), p);
  p->handlers[2] = g_signal_connect (p->journey, "notify::preview", G_CALLBACK (preview_cb), p);
  p->handlers[3] = g_signal_connect (p->journey, "notify::print-state", G_CALLBACK (print_state_cb), p);
  p->handlers[4] = g_signal_connect (p->journey, "notify::queue-state", G_CALLBACK (queue_state_cb), p);
  p->printer = kiosk_device_manager_get (kiosk_core_get_devices (core), "printer");
  if (p->printer)
    {
      g_object_ref (p->printer);
      p->printer_handler = g_signal_connect (p->printer, "notify::state", G_CALLBACK (printer_state_cb), p);
    }
  p->session = g_object_ref (kiosk_core_get_session (core));
  p->wipe_handler = g_signal_connect (p->session, "wipe", G_CALLBACK (wipe_cb), p);
  g_object_set_data_full (G_OBJECT (page), "kiosk-cert-page", p, (GDestroyNotify) cert_page_free);
  fill_list (p);
  update_state (p);
  update_preview (p);
  update_queue (p);
  return page;
}
