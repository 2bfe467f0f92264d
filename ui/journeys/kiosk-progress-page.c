/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-progress"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-journey-pages.h"
#include "kiosk-progress-journey.h"
#include "kiosk-rating.h"

/* 进度查询: type the case number from the receipt (on-screen keys, a
 * keyboard, or a barcode scanner that types), see the status. */

typedef struct {
  KioskCore *core;
  KioskProgressJourney *journey;
  GtkWidget *entry;
  GtkWidget *status; /* message line */
  GtkWidget *result; /* card with the case */
  GtkWidget *rows;   /* GtkBox inside the card */
  GtkWidget *done;   /* "done" button */
  gulong state_handler;
  gulong number_handler;
  gulong wipe_handler;
} ProgressPage;

static void
progress_page_free (ProgressPage *p)
{
  g_clear_signal_handler (&p->state_handler, p->journey);
  g_clear_signal_handler (&p->number_handler, p->journey);
  g_clear_signal_handler (&p->wipe_handler, kiosk_core_get_session (p->core));
  g_clear_object (&p->journey);
  g_free (p);
}

static const char *
status_text (const KioskCaseInfo *c)
{
  static const struct {
    const char *code;
    const char *text;
  } names[] = {
    { "received", N_ ("Received") }, { "accepted", N_ ("Accepted") },   { "in_review", N_ ("Under review") },
    { "approved", N_ ("Approved") }, { "completed", N_ ("Completed") }, { "rejected", N_ ("Not approved") },
  };

  if (c->sync_state == KIOSK_CASE_QUEUED)
    return _ ("Waiting to be sent to the service centre (kept safely on this kiosk)");
  if (c->sync_state == KIOSK_CASE_REJECTED)
    return _ ("Returned by the service centre: please ask the staff");
  for (gsize i = 0; c->status && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (c->status, names[i].code))
      return _ (names[i].text);
  return c->status_text ? c->status_text : _ ("Sent to the service centre");
}

static void
clear_rows (ProgressPage *p)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (p->rows)) != NULL)
    gtk_box_remove (GTK_BOX (p->rows), child);
}

static void
show_state (ProgressPage *p)
{
  KioskProgressState state = kiosk_progress_journey_get_state (p->journey);
  const KioskCaseInfo *c = kiosk_progress_journey_get_case (p->journey);
  const char *msg = NULL;

  clear_rows (p);
  gtk_widget_set_visible (p->result, c != NULL);
  gtk_widget_set_sensitive (p->done, c != NULL);
  switch (state)
    {
    case KIOSK_PROGRESS_IDLE:
      msg = _ ("Enter the case number printed on your receipt, or hold the receipt's QR code under the document "
               "camera.");
      break;
    case KIOSK_PROGRESS_QUERYING:
      msg = _ ("Looking it up…");
      break;
    case KIOSK_PROGRESS_NOT_FOUND:
      msg = _ ("No case with this number was found. Please check the number on your receipt.");
      break;
    case KIOSK_PROGRESS_INVALID:
      msg = _ ("This is not a case number. It has letters, digits and dashes, as on your receipt.");
      break;
    case KIOSK_PROGRESS_ERROR:
      msg = _ ("Progress cannot be checked on this kiosk right now. Please ask the staff.");
      break;
    case KIOSK_PROGRESS_FOUND:
      msg = kiosk_progress_journey_get_offline (p->journey)
                ? _ ("The network is down: this is the latest status this kiosk knows.")
                : NULL;
      break;
    }
  gtk_label_set_text (GTK_LABEL (p->status), msg ? msg : "");
  gtk_widget_set_visible (p->status, msg != NULL);

  if (c != NULL)
    {
      GtkBox *box = GTK_BOX (p->rows);
      g_autoptr (GDateTime) created = g_date_time_new_from_unix_local (c->created_at / G_USEC_PER_SEC);
      g_autofree char *when = created ? g_date_time_format (created, "%Y-%m-%d %H:%M") : NULL;
      const char *item = kiosk_progress_journey_get_item_name (p->journey);

      _kiosk_detail_row (box, _ ("Status"), status_text (c));
      _kiosk_detail_row (box, _ ("Item"), item ? item : c->item_code);
      _kiosk_detail_row (box, _ ("Case number"), c->official_number ? c->official_number : c->provisional_number);
      if (c->official_number)
        _kiosk_detail_row (box, _ ("Receipt number"), c->provisional_number);
      _kiosk_detail_row (box, _ ("Handed in"), when);
      if (c->due_date)
        _kiosk_detail_row (box, _ ("Promised completion"), c->due_date);
    }
}

static void
state_cb (GObject *journey, GParamSpec *pspec, ProgressPage *p)
{
  show_state (p);
}

/* A number read by the camera shows in the entry too. */
static void
number_cb (GObject *journey, GParamSpec *pspec, ProgressPage *p)
{
  const char *number = kiosk_progress_journey_get_number (p->journey);
  if (number && g_strcmp0 (number, gtk_editable_get_text (GTK_EDITABLE (p->entry))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (p->entry), number);
}

static void
query_cb (GtkWidget *widget, ProgressPage *p)
{
  kiosk_progress_journey_query (p->journey, gtk_editable_get_text (GTK_EDITABLE (p->entry)));
}

static void
key_cb (GtkButton *button, ProgressPage *p)
{
  const char *key = g_object_get_data (G_OBJECT (button), "key");
  GtkEditable *e = GTK_EDITABLE (p->entry);
  g_autofree char *text = g_strdup (gtk_editable_get_text (e));
  gsize len = strlen (text);

  if (g_str_equal (key, "back"))
    {
      if (len > 0)
        text[len - 1] = '\0';
      gtk_editable_set_text (e, text);
    }
  else if (g_str_equal (key, "clear"))
    gtk_editable_set_text (e, "");
  else if (len < 50)
    {
      g_autofree char *next = g_strconcat (text, key, NULL);
      gtk_editable_set_text (e, next);
    }
  gtk_editable_set_position (e, -1);
}

static void
done_cb (GtkButton *button, ProgressPage *p)
{
  const KioskCaseInfo *c = kiosk_progress_journey_get_case (p->journey);
  g_autoptr (KioskServiceEvent) event = NULL;

  if (c == NULL)
    return;
  /* A progress query answered is a service event: the resident rates it. */
  event = kiosk_service_event_new (c->official_number ? c->official_number : c->provisional_number, c->item_code,
                                   "progress");
  kiosk_session_journey_done_with_event (kiosk_core_get_session (p->core), event);
}

static void
wipe_cb (KioskSession *session, ProgressPage *p)
{
  gtk_editable_set_text (GTK_EDITABLE (p->entry), "");
  clear_rows (p);
}

static GtkWidget *
keypad_new (ProgressPage *p)
{
  static const char *keys = "1234567890QWERTYUIOPASDFGHJKLZXCVBNM";
  GtkWidget *grid = gtk_grid_new ();
  int i = 0;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 10);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 10);
  gtk_widget_set_halign (grid, GTK_ALIGN_CENTER);
  for (const char *k = keys; *k; k++, i++)
    {
      char label[2] = { *k, 0 };
      GtkWidget *b = gtk_button_new_with_label (label);
      g_object_set_data_full (G_OBJECT (b), "key", g_strdup (label), g_free);
      g_signal_connect (b, "clicked", G_CALLBACK (key_cb), p);
      gtk_widget_add_css_class (b, "key");
      gtk_grid_attach (GTK_GRID (grid), b,
                       i < 10   ? i
                       : i < 20 ? i - 10
                       : i < 29 ? i - 20
                                : i - 29,
                       i < 10   ? 0
                       : i < 20 ? 1
                       : i < 29 ? 2
                                : 3,
                       1, 1);
    }
  {
    const struct {
      const char *key, *label;
      int col, row, width;
    } extra[] = {
      { "-", "-", 9, 2, 1 },
      { "back", N_ ("Delete"), 7, 3, 2 },
      { "clear", N_ ("Clear"), 9, 3, 1 },
    };
    for (gsize e = 0; e < G_N_ELEMENTS (extra); e++)
      {
        GtkWidget *b = gtk_button_new_with_label (_ (extra[e].label));
        g_object_set_data_full (G_OBJECT (b), "key", g_strdup (extra[e].key), g_free);
        g_signal_connect (b, "clicked", G_CALLBACK (key_cb), p);
        gtk_widget_add_css_class (b, "key");
        gtk_grid_attach (GTK_GRID (grid), b, extra[e].col, extra[e].row, extra[e].width, 1);
      }
  }
  return grid;
}

GtkWidget *
kiosk_progress_page_new (KioskCore *core, KioskJourney *journey)
{
  ProgressPage *p = g_new0 (ProgressPage, 1);
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 40);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 20);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *query = gtk_button_new_with_label (_ ("Check"));

  p->core = core;
  p->journey = g_object_ref (KIOSK_PROGRESS_JOURNEY (journey));
  gtk_widget_add_css_class (page, "page");
  gtk_widget_set_name (page, "progress-page");
  gtk_box_append (GTK_BOX (page), _kiosk_journey_header_new (core, _ ("Check progress")));

  p->entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (p->entry), _ ("Case number"));
  gtk_entry_set_max_length (GTK_ENTRY (p->entry), 50);
  gtk_widget_set_hexpand (p->entry, TRUE);
  gtk_widget_add_css_class (p->entry, "case-number-entry");
  g_signal_connect (p->entry, "activate", G_CALLBACK (query_cb), p);
  gtk_widget_add_css_class (query, "suggested-action");
  gtk_widget_add_css_class (query, "big-button");
  g_signal_connect (query, "clicked", G_CALLBACK (query_cb), p);
  gtk_box_append (GTK_BOX (row), p->entry);
  gtk_box_append (GTK_BOX (row), query);
  gtk_box_append (GTK_BOX (left), row);

  p->status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (p->status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (p->status), 0);
  gtk_widget_add_css_class (p->status, "reminder-box");
  gtk_box_append (GTK_BOX (left), p->status);
  gtk_box_append (GTK_BOX (left), keypad_new (p));

  p->result = gtk_box_new (GTK_ORIENTATION_VERTICAL, 20);
  gtk_widget_add_css_class (p->result, "card");
  gtk_widget_set_hexpand (p->result, TRUE);
  gtk_widget_set_valign (p->result, GTK_ALIGN_START);
  p->rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 14);
  gtk_box_append (GTK_BOX (p->result), p->rows);
  p->done = gtk_button_new_with_label (_ ("Done"));
  gtk_widget_add_css_class (p->done, "suggested-action");
  gtk_widget_add_css_class (p->done, "big-button");
  gtk_widget_set_halign (p->done, GTK_ALIGN_END);
  g_signal_connect (p->done, "clicked", G_CALLBACK (done_cb), p);
  gtk_box_append (GTK_BOX (p->result), p->done);

  gtk_box_append (GTK_BOX (body), left);
  gtk_box_append (GTK_BOX (body), p->result);
  gtk_box_append (GTK_BOX (page), body);

  p->state_handler = g_signal_connect (p->journey, "notify::state", G_CALLBACK (state_cb), p);
  p->number_handler = g_signal_connect (p->journey, "notify::number", G_CALLBACK (number_cb), p);
  p->wipe_handler = g_signal_connect (kiosk_core_get_session (core), "wipe", G_CALLBACK (wipe_cb), p);
  g_object_set_data_full (G_OBJECT (page), "kiosk-progress-page", p, (GDestroyNotify) progress_page_free);
  show_state (p);
  return page;
}
