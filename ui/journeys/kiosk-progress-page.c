/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-progress"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-journey-pages.h"
#include "kiosk-pager.h"
#include "kiosk-progress-journey.h"
#include "kiosk-rating.h"
#include "kiosk-staff-phone.h"

/* 进度查询: type the case number from the receipt (on-screen keys, a
 * keyboard, or a barcode scanner that types), see the status. */

/* The left column (number field and keypad): fixed, whatever the right one
 * shows. */
#define LEFT_WIDTH 860

typedef struct {
  KioskCore *core;
  KioskProgressJourney *journey;
  GtkWidget *entry;
  GtkWidget *status;       /* message line */
  GtkWidget *result;       /* card with the case */
  GtkWidget *rows;         /* GtkBox inside the card */
  GtkWidget *done;         /* "done" button */
  GtkWidget *reprint_slot; /* beside "done": 重新打印回执 for the case shown */
  GtkWidget *reprint_note; /* under them: what became of it */
  GtkWidget *mine;         /* 我的办件: the resident's own cases */
  GtkWidget *mine_pager;   /* KioskPager: they scroll, or are paged in 长辈模式 */
  KioskDevice *printer;    /* 重新打印回执; NULL without a printer driver */
  gulong printer_handler;
  gulong reprint_handler;
  gulong mine_handler;
  gulong state_handler;
  gulong number_handler;
  gulong notice_handler;
  gulong wipe_handler;
} ProgressPage;

static void
progress_page_free (ProgressPage *p)
{
  g_clear_signal_handler (&p->state_handler, p->journey);
  g_clear_signal_handler (&p->number_handler, p->journey);
  g_clear_signal_handler (&p->notice_handler, p->journey);
  g_clear_signal_handler (&p->mine_handler, p->journey);
  g_clear_signal_handler (&p->reprint_handler, p->journey);
  if (p->printer)
    g_clear_signal_handler (&p->printer_handler, p->printer);
  g_clear_object (&p->printer);
  g_clear_signal_handler (&p->wipe_handler, kiosk_core_get_session (p->core));
  g_clear_object (&p->journey);
  g_free (p);
}

/* A status that sends to the staff ("已被退回，请咨询工作人员"): the station's
 * phone on the line under its row in @box. */
static void
staff_phone_under (ProgressPage *p, GtkBox *box, GtkWidget *value)
{
  GtkWidget *phone = kiosk_staff_phone_new (kiosk_core_get_config (p->core));

  gtk_label_set_xalign (GTK_LABEL (phone), 0);
  gtk_box_append (box, phone);
  kiosk_staff_phone_follow (phone, GTK_LABEL (value));
}

static const char *
status_text (const KioskProgressCase *c)
{
  static const struct {
    const char *code;
    const char *text;
  } names[] = {
    { "received", N_ ("Received") }, { "accepted", N_ ("Accepted") },   { "in_review", N_ ("Under review") },
    { "approved", N_ ("Approved") }, { "completed", N_ ("Completed") }, { "rejected", N_ ("Not approved") },
  };

  if (c->sync_state == KIOSK_PROGRESS_CASE_QUEUED)
    return _ ("Waiting to be sent to the service centre (kept safely on this kiosk)");
  if (c->sync_state == KIOSK_PROGRESS_CASE_REJECTED)
    return _ ("Returned by the service centre: please ask the staff");
  for (gsize i = 0; c->status && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (c->status, names[i].code))
      return _ (names[i].text);
  return c->status_text ? c->status_text : _ ("Sent to the service centre");
}

static void
clear_rows (ProgressPage *p)
{
  GtkWidget *boxes[] = { p->rows, p->reprint_slot, p->reprint_note };
  GtkWidget *child;

  for (guint i = 0; i < G_N_ELEMENTS (boxes); i++)
    while (boxes[i] && (child = gtk_widget_get_first_child (boxes[i])) != NULL)
      gtk_box_remove (GTK_BOX (boxes[i]), child);
}

static char *
format_time (gint64 usec)
{
  g_autoptr (GDateTime) t = usec > 0 ? g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC) : NULL;
  return t ? g_date_time_format (t, "%Y-%m-%d %H:%M") : NULL;
}

/* When to try again: the wait in minutes and the clock time. */
static char *
retry_text (const KioskProgressOrigin *origin)
{
  int minutes = MAX (1, (origin->retry_seconds + 59) / 60);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) at = g_date_time_add_seconds (now, (double) minutes * 60);
  g_autofree char *clock = g_date_time_format (at, "%H:%M");

  return g_strdup_printf (ngettext ("Please try again in %d minute (after %s), or ask the staff.",
                                    "Please try again in %d minutes (after %s), or ask the staff.", minutes),
                          minutes, clock);
}

static char *
message_for (ProgressPage *p)
{
  KioskProgressState state = kiosk_progress_journey_get_state (p->journey);
  const KioskProgressOrigin *origin = kiosk_progress_journey_get_origin (p->journey);

  switch (kiosk_progress_journey_get_scan_notice (p->journey))
    {
    case KIOSK_PROGRESS_SCAN_FOREIGN:
      return g_strdup (_ ("The code under the camera is not the QR code of a kiosk receipt. Please hold the "
                          "receipt's QR code under the camera, or type the number."));
    case KIOSK_PROGRESS_SCAN_HELD_BACK:
      return g_strdup (_ ("A receipt's QR code was read, but what you are typing was kept. To use the receipt, "
                          "touch Clear."));
    case KIOSK_PROGRESS_SCAN_NONE:
      break;
    }
  switch (state)
    {
    case KIOSK_PROGRESS_IDLE:
      return g_strdup (_ ("Enter the case number printed on your receipt, or hold the receipt's QR code under the "
                          "document camera."));
    case KIOSK_PROGRESS_QUERYING:
      return g_strdup (_ ("Looking it up…"));
    case KIOSK_PROGRESS_NOT_FOUND:
      return g_strdup (_ ("No case with this number was found. Please check the number on your receipt."));
    case KIOSK_PROGRESS_INVALID:
      return g_strdup (_ ("This is not a case number. It has letters, digits and dashes, as on your receipt."));
    case KIOSK_PROGRESS_ERROR:
      return g_strdup (_ ("Progress cannot be checked on this kiosk right now. Please ask the staff."));
    case KIOSK_PROGRESS_UNREACHABLE:
      {
        g_autofree char *retry = retry_text (origin);
        return g_strdup_printf ("%s\n%s",
                                _ ("The service platform cannot be reached right now, and this kiosk holds no case "
                                   "with this number. Your number may well be right."),
                                retry);
      }
    case KIOSK_PROGRESS_FOUND:
      if (kiosk_progress_journey_get_offline (p->journey))
        {
          g_autofree char *when = format_time (origin->as_of);
          g_autofree char *retry = retry_text (origin);
          g_autofree char *copy = g_strdup_printf (
              _ ("The service platform cannot be reached right now. Below is this kiosk's own copy, as of %s: "
                 "it may be out of date."),
              when ? when : "—");
          return g_strdup_printf ("%s\n%s", copy, retry);
        }
      return NULL;
    }
  return NULL;
}

/* ---- 重新打印回执 ------------------------------------------------------------ */

static gboolean
printer_usable (ProgressPage *p)
{
  KioskDeviceState state = p->printer ? kiosk_device_get_state (p->printer) : KIOSK_DEVICE_STATE_ABSENT;
  return state == KIOSK_DEVICE_STATE_READY || state == KIOSK_DEVICE_STATE_BUSY;
}

static void
reprint_clicked_cb (GtkButton *button, ProgressPage *p)
{
  g_autoptr (GError) error = NULL;

  /* The journey builds the documents; the page only asks. */
  if (!kiosk_progress_journey_reprint (p->journey, g_object_get_data (G_OBJECT (button), "case-number"), &error))
    g_info ("reprint not started: %s", error->message);
}

/* Under a case of the resident's own handed in here: 重新打印回执 (into
 * @button_box), what became of it, and (printer unusable) why it cannot be
 * printed, with the staff's phone (into @note_box, under the button:
 * nothing moves above it). */
static void
reprint_add (ProgressPage *p, const KioskProgressCase *c, const char *name, GtkBox *button_box, GtkBox *note_box)
{
  GtkBox *box = note_box;
  GtkWidget *button = gtk_button_new_with_label (_ ("Print the receipt again"));
  gboolean usable = printer_usable (p);
  gboolean mine = g_strcmp0 (kiosk_progress_journey_get_reprint_number (p->journey), c->provisional_number) == 0;
  KioskProgressReprintState state
      = mine ? kiosk_progress_journey_get_reprint_state (p->journey) : KIOSK_PROGRESS_REPRINT_IDLE;
  gboolean busy = kiosk_progress_journey_get_reprint_state (p->journey) == KIOSK_PROGRESS_REPRINT_PREPARING
                  || kiosk_progress_journey_get_reprint_state (p->journey) == KIOSK_PROGRESS_REPRINT_PRINTING;
  const char *text = NULL;
  g_autofree char *failed = NULL;

  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "big-button");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  g_object_set_data_full (G_OBJECT (button), "case-number", g_strdup (c->provisional_number), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (reprint_clicked_cb), p);
  gtk_widget_set_sensitive (button, usable && !busy);
  gtk_box_append (button_box, button);

  switch (state)
    {
    case KIOSK_PROGRESS_REPRINT_PREPARING:
    case KIOSK_PROGRESS_REPRINT_PRINTING:
      text = _ ("Printing the receipt again, please wait…");
      break;
    case KIOSK_PROGRESS_REPRINT_PRINTED:
      text = _ ("Printed again: please take the receipt from the printer. It is marked as a reprint (补打).");
      break;
    case KIOSK_PROGRESS_REPRINT_FAILED:
      {
        const char *why = kiosk_progress_journey_get_reprint_message (p->journey);
        failed = g_strdup_printf ("%s %s", _ ("The receipt was not printed."), why ? _ (why) : "");
        text = failed;
      }
      break;
    case KIOSK_PROGRESS_REPRINT_IDLE:
    default:
      break;
    }
  if (text)
    {
      GtkWidget *l = gtk_label_new (text);
      g_autofree char *lname = g_strdup_printf ("%s-status", name);
      gtk_widget_set_name (l, lname);
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_xalign (GTK_LABEL (l), 0);
      if (state == KIOSK_PROGRESS_REPRINT_FAILED)
        gtk_widget_add_css_class (l, "warning-box");
      gtk_box_append (box, l);
    }
  if (!usable && !busy)
    {
      /* As 办事指南 says it: large, with whom to call. */
      GtkWidget *phone = kiosk_staff_phone_new (kiosk_core_get_config (p->core));
      GtkWidget *problem = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      GtkWidget *l = gtk_label_new (_ ("The printer cannot be used at the moment, so the receipt cannot be printed "
                                       "again. Please come back later, or ask the staff."));
      g_autofree char *pname = g_strdup_printf ("%s-problem", name);

      gtk_widget_set_name (problem, pname);
      gtk_widget_add_css_class (problem, "print-problem");
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_xalign (GTK_LABEL (l), 0);
      gtk_box_append (GTK_BOX (problem), l);
      gtk_box_append (GTK_BOX (problem), phone);
      kiosk_staff_phone_follow (phone, GTK_LABEL (l));
      gtk_box_append (box, problem);
    }
}

static void
show_state (ProgressPage *p)
{
  const KioskProgressCase *c = kiosk_progress_journey_get_case (p->journey);
  const KioskProgressOrigin *origin = kiosk_progress_journey_get_origin (p->journey);
  g_autofree char *msg = message_for (p);

  clear_rows (p);
  gtk_widget_set_visible (p->result, c != NULL);
  gtk_widget_set_sensitive (p->done, c != NULL);
  gtk_label_set_text (GTK_LABEL (p->status), msg ? msg : "");
  gtk_widget_set_visible (p->status, msg != NULL);
  if (kiosk_progress_journey_get_offline (p->journey)
      || kiosk_progress_journey_get_state (p->journey) == KIOSK_PROGRESS_UNREACHABLE
      || kiosk_progress_journey_get_scan_notice (p->journey) != KIOSK_PROGRESS_SCAN_NONE)
    gtk_widget_add_css_class (p->status, "warning-box");
  else
    gtk_widget_remove_css_class (p->status, "warning-box");

  if (c != NULL)
    {
      GtkBox *box = GTK_BOX (p->rows);
      g_autofree char *when = format_time (c->created_at);
      g_autofree char *as_of = format_time (origin->as_of);
      g_autofree char *source = NULL;
      const char *item = kiosk_progress_journey_get_item_name (p->journey);

      if (origin->source == KIOSK_PROGRESS_FROM_PLATFORM)
        source = g_strdup_printf (_ ("Service platform, asked just now (%s)"), as_of ? as_of : "—");
      else
        source = g_strdup_printf (_ ("This kiosk's own copy, as of %s"), as_of ? as_of : "—");
      staff_phone_under (p, box, _kiosk_detail_row (box, _ ("Status"), status_text (c)));
      _kiosk_detail_row (box, _ ("Information from"), source);
      _kiosk_detail_row (box, _ ("Item"), item ? item : c->item_code);
      _kiosk_detail_row (box, _ ("Case number"), c->provisional_number ? c->provisional_number : c->official_number);
      if (c->official_number && c->provisional_number)
        _kiosk_detail_row (box, _ ("Official number"), c->official_number);
      if (when)
        _kiosk_detail_row (box, _ ("Handed in"), when);
      if (c->due_date)
        _kiosk_detail_row (box, _ ("Promised completion"), c->due_date);
      /* Only for the resident's own case handed in here (another person's
       * typed number shows its status only). */
      if (kiosk_progress_journey_can_reprint (p->journey, c))
        reprint_add (p, c, "progress-reprint", GTK_BOX (p->reprint_slot), GTK_BOX (p->reprint_note));
    }
}

/* Personal data is cleared, not only dropped (ui/README.md): every label
 * of the list is emptied before the list goes. */
static void
empty_labels (GtkWidget *w)
{
  if (GTK_IS_LABEL (w))
    gtk_label_set_text (GTK_LABEL (w), "");
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    empty_labels (c);
}

static void
clear_mine (ProgressPage *p)
{
  GtkWidget *child;

  empty_labels (p->mine);
  while ((child = gtk_widget_get_first_child (p->mine)) != NULL)
    gtk_box_remove (GTK_BOX (p->mine), child);
}

static GtkWidget *
mine_label (const char *text, const char *css)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

/* 我的办件: the identified resident's cases, newest first, each with its
 * status, every step with its date, the promised date (late or not) and
 * what is still owed under 容缺. Shown while no single case is. */
static void show_mine_cases (ProgressPage *p, GtkBox *box, GPtrArray *cases);

static void
show_mine (ProgressPage *p)
{
  KioskProgressMineState state = kiosk_progress_journey_get_mine_state (p->journey);
  GPtrArray *cases = kiosk_progress_journey_get_my_cases (p->journey);
  GtkBox *box = GTK_BOX (p->mine);

  clear_mine (p);
  kiosk_pager_to_start (KIOSK_PAGER (p->mine_pager));
  gtk_widget_set_visible (p->mine_pager,
                          state != KIOSK_PROGRESS_MINE_NONE && kiosk_progress_journey_get_case (p->journey) == NULL);
  if (state == KIOSK_PROGRESS_MINE_NONE)
    return;
  gtk_box_append (box, mine_label (_ ("My cases"), "card-title"));
  if (state == KIOSK_PROGRESS_MINE_LOADING)
    gtk_box_append (box, mine_label (_ ("Looking up your cases…"), NULL));
  else if (state == KIOSK_PROGRESS_MINE_UNREACHABLE)
    gtk_box_append (box, mine_label (_ ("The service platform cannot be reached right now, so your cases cannot be "
                                        "listed. Please try again in a few minutes, or type the number on your "
                                        "receipt: this kiosk keeps its own copy of the cases filed here."),
                                     "warning-box"));
  else if (cases == NULL || cases->len == 0)
    gtk_box_append (box, mine_label (_ ("The service platform holds no case filed in your name. For a case filed "
                                        "for you by someone else, type the number on its receipt."),
                                     NULL));
  else
    {
      if (kiosk_progress_journey_get_mine_offline (p->journey))
        gtk_box_append (box, mine_label (_ ("The service platform cannot be reached right now. These are the cases "
                                            "filed at this kiosk, as this kiosk last knew them; cases filed "
                                            "elsewhere are not shown. Please try again in a few minutes."),
                                         "warning-box"));
      show_mine_cases (p, box, cases);
    }
}

static void
show_mine_cases (ProgressPage *p, GtkBox *box, GPtrArray *cases)
{
  for (guint i = 0; i < cases->len; i++)
    {
      const KioskProgressCase *c = cases->pdata[i];
      const char *item = kiosk_progress_journey_get_mine_item_name (p->journey, c->item_code);
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      GtkBox *rows = GTK_BOX (card);
      g_autofree char *status = NULL;
      g_autofree char *due = NULL;
      GtkWidget *title = mine_label (item ? item : c->item_code, "card-title");

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (title, "personal");
      gtk_box_append (rows, title);
      status = c->late ? g_strdup_printf ("%s · %s", status_text (c), _ ("Late: past the promised date"))
                       : g_strdup (status_text (c));
      {
        GtkWidget *v = _kiosk_detail_row (rows, _ ("Status"), status);
        gtk_widget_add_css_class (v, "personal");
        staff_phone_under (p, rows, v);
      }
      gtk_widget_add_css_class (_kiosk_detail_row (rows, _ ("Case number"),
                                                   c->provisional_number ? c->provisional_number : c->official_number),
                                "personal");
      for (guint k = 0; k < c->steps->len; k++)
        {
          const KioskProgressStep *st = c->steps->pdata[k];
          g_autofree char *when = format_time (st->at * G_USEC_PER_SEC);
          gtk_widget_add_css_class (_kiosk_detail_row (rows, st->status_text ? st->status_text : st->status, when),
                                    "personal");
        }
      if (c->due_date)
        {
          due = c->late ? g_strdup_printf ("%s (%s)", c->due_date, _ ("Late: past the promised date"))
                        : g_strdup (c->due_date);
          gtk_widget_add_css_class (_kiosk_detail_row (rows, _ ("Promised completion"), due), "personal");
        }
      for (guint k = 0; k < c->owed->len; k++)
        {
          const KioskProgressOwed *m = c->owed->pdata[k];
          g_autofree char *what = m->due ? g_strdup_printf (_ ("%s, by %s"), m->name, m->due) : g_strdup (m->name);
          gtk_widget_add_css_class (_kiosk_detail_row (rows, _ ("Still owed"), what), "personal");
        }
      if (kiosk_progress_journey_can_reprint (p->journey, c))
        {
          g_autofree char *name = g_strdup_printf ("progress-reprint-%s", c->provisional_number);
          GtkWidget *slot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
          reprint_add (p, c, name, GTK_BOX (slot), GTK_BOX (slot));
          gtk_box_append (rows, slot);
        }
      gtk_box_append (box, card);
    }
}

static void
state_cb (GObject *journey, GParamSpec *pspec, ProgressPage *p)
{
  show_state (p);
  show_mine (p);
}

static void
mine_cb (GObject *journey, GParamSpec *pspec, ProgressPage *p)
{
  show_mine (p);
}

/* What became of a reprint, or the printer came or went: the case shown
 * and 我的办件 again (the button stays where it is). */
static void
reprint_cb (GObject *object, GParamSpec *pspec, ProgressPage *p)
{
  show_state (p);
  show_mine (p);
}

/* A number read by the camera shows in the entry too. */
static void
number_cb (GObject *journey, GParamSpec *pspec, ProgressPage *p)
{
  const char *number = kiosk_progress_journey_get_number (p->journey);
  if (number && g_strcmp0 (number, gtk_editable_get_text (GTK_EDITABLE (p->entry))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (p->entry), number);
}

/* Each change of the field tells the journey what is being typed, so that a
 * scanned receipt never replaces it. */
static void
changed_cb (GtkEditable *entry, ProgressPage *p)
{
  kiosk_progress_journey_set_draft (p->journey, gtk_editable_get_text (entry));
}

static void
notice_cb (GObject *journey, GParamSpec *pspec, ProgressPage *p)
{
  show_state (p);
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
  int len = (int) g_utf8_strlen (gtk_editable_get_text (e), -1);

  /* Edited in place (not set anew): the field never looks empty for a
   * moment, so a scan cannot slip in between two taps. */
  if (g_str_equal (key, "back"))
    {
      if (len > 0)
        gtk_editable_delete_text (e, len - 1, len);
    }
  else if (g_str_equal (key, "clear"))
    gtk_editable_delete_text (e, 0, -1);
  else if (len < 50)
    {
      int pos = len;
      gtk_editable_insert_text (e, key, -1, &pos);
    }
  gtk_editable_set_position (e, -1);
}

static void
done_cb (GtkButton *button, ProgressPage *p)
{
  /* A progress query answered is a service event: the resident rates it. */
  g_autoptr (KioskServiceEvent) event = kiosk_progress_journey_make_event (p->journey);

  if (event == NULL)
    return;
  kiosk_session_journey_done_with_event (kiosk_core_get_session (p->core), event);
}

static void
wipe_cb (KioskSession *session, ProgressPage *p)
{
  gtk_editable_set_text (GTK_EDITABLE (p->entry), "");
  clear_rows (p);
  clear_mine (p);
}

/* Every key has the same fixed size: nothing on the keypad moves or grows
 * whatever the page shows. */
#define KEY_WIDTH 76
#define KEY_HEIGHT 72

static GtkWidget *
key_new (ProgressPage *p, const char *key, const char *label)
{
  GtkWidget *b = gtk_button_new_with_label (label);

  g_object_set_data_full (G_OBJECT (b), "key", g_strdup (key), g_free);
  g_signal_connect (b, "clicked", G_CALLBACK (key_cb), p);
  gtk_widget_add_css_class (b, "key");
  gtk_widget_set_size_request (b, KEY_WIDTH, KEY_HEIGHT);
  gtk_widget_set_hexpand (b, FALSE);
  gtk_widget_set_vexpand (b, FALSE);
  return b;
}

/* Digits first: a telephone-style block of large digit keys (a 受理编号
 * is mostly digits), then the letters (the kiosk's prefix and the check
 * letter) in rows below. */
static GtkWidget *
keypad_normal_new (ProgressPage *p)
{
  static const char *digits[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "-", "0" };
  static const char *letters[] = { "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM" };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *pad = gtk_grid_new ();
  GtkWidget *abc = gtk_grid_new ();

  gtk_widget_set_name (box, "progress-keypad");
  gtk_grid_set_row_spacing (GTK_GRID (pad), 10);
  gtk_grid_set_column_spacing (GTK_GRID (pad), 10);
  gtk_widget_set_halign (pad, GTK_ALIGN_START);
  for (guint i = 0; i < G_N_ELEMENTS (digits); i++)
    {
      GtkWidget *b = key_new (p, digits[i], digits[i]);
      gtk_widget_add_css_class (b, "digit-key");
      gtk_widget_set_size_request (b, 2 * KEY_WIDTH, KEY_HEIGHT);
      gtk_grid_attach (GTK_GRID (pad), b, i % 3, i / 3, 1, 1);
    }
  {
    GtkWidget *del = key_new (p, "back", _ ("Delete"));
    gtk_widget_set_size_request (del, 2 * KEY_WIDTH, KEY_HEIGHT);
    gtk_grid_attach (GTK_GRID (pad), del, 2, 3, 1, 1);
    GtkWidget *clear = key_new (p, "clear", _ ("Clear"));
    gtk_widget_set_size_request (clear, 2 * KEY_WIDTH, KEY_HEIGHT);
    gtk_grid_attach (GTK_GRID (pad), clear, 3, 0, 1, 1);
  }

  gtk_grid_set_row_spacing (GTK_GRID (abc), 10);
  gtk_grid_set_column_spacing (GTK_GRID (abc), 10);
  gtk_widget_set_halign (abc, GTK_ALIGN_START);
  for (guint row = 0; row < G_N_ELEMENTS (letters); row++)
    for (guint col = 0; letters[row][col]; col++)
      {
        char label[2] = { letters[row][col], 0 };
        gtk_grid_attach (GTK_GRID (abc), key_new (p, label, label), col, row, 1, 1);
      }
  gtk_box_append (GTK_BOX (box), pad);
  gtk_box_append (GTK_BOX (box), abc);
  return box;
}

/* 长辈模式: every key 1.5 times as wide and as tall as normally (letters
 * 114x108, digits 228x108). Seven rows of such keys do not fit a 1080 px
 * screen (nor 800), so the keypad has two layers of four rows in one fixed
 * place (a homogeneous stack: switching moves nothing): the digits first,
 * with 删除, 清空 and 字母; the letters, in alphabetical order, with 删除
 * and 数字 back. Both layers are at most LEFT_WIDTH wide. A small screen
 * (the window's "compact", below 1600x900) has the same two layers with the
 * normal keys: the seven rows need 979 px there. */
#define ELDER_KEY_WIDTH (KEY_WIDTH * 3 / 2)
#define ELDER_KEY_HEIGHT (KEY_HEIGHT * 3 / 2)
#define LAYER_SPACING 10
/* Between rows: less air so that the page fits 1280x800 too. */
#define LAYER_ROW_SPACING 6

static void
layer_cb (GtkButton *button, GtkStack *layers)
{
  gtk_stack_set_visible_child_name (layers, g_object_get_data (G_OBJECT (button), "layer"));
}

static GtkWidget *
layer_key_new (GtkStack *layers, const char *label, const char *layer, int width, int height)
{
  GtkWidget *b = gtk_button_new_with_label (label);

  g_object_set_data (G_OBJECT (b), "layer", (gpointer) layer);
  g_signal_connect_object (b, "clicked", G_CALLBACK (layer_cb), layers, 0);
  gtk_widget_add_css_class (b, "key");
  gtk_widget_add_css_class (b, "layer-key");
  gtk_widget_set_size_request (b, width, height);
  return b;
}

static GtkWidget *
sized_key_new (ProgressPage *p, const char *key, const char *label, int width, int height)
{
  GtkWidget *b = key_new (p, key, label);
  gtk_widget_set_size_request (b, width, height);
  return b;
}

/* @kw x @kh: a letter key; digits are twice as wide. */
static GtkWidget *
keypad_layers_new (ProgressPage *p, int kw, int kh)
{
  static const char *digits[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "-", "0" };
  /* The fourth column of the digits: what is left of the fixed width. */
  const int side = MIN (LEFT_WIDTH - 3 * 2 * kw - 3 * LAYER_SPACING, 2 * kw);
  GtkWidget *layers = gtk_stack_new ();
  GtkWidget *pad = gtk_grid_new ();
  GtkWidget *abc = gtk_grid_new ();
  guint n = 0;

  gtk_widget_set_name (layers, "progress-keypad");
  gtk_widget_add_css_class (layers, "layered-keypad");
  gtk_stack_set_hhomogeneous (GTK_STACK (layers), TRUE);
  gtk_stack_set_vhomogeneous (GTK_STACK (layers), TRUE);
  gtk_stack_set_transition_type (GTK_STACK (layers), GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_widget_set_halign (layers, GTK_ALIGN_START);
  gtk_widget_set_valign (layers, GTK_ALIGN_START);

  gtk_grid_set_row_spacing (GTK_GRID (pad), LAYER_ROW_SPACING);
  gtk_grid_set_column_spacing (GTK_GRID (pad), LAYER_SPACING);
  gtk_widget_set_halign (pad, GTK_ALIGN_START);
  for (guint i = 0; i < G_N_ELEMENTS (digits); i++)
    {
      GtkWidget *b = sized_key_new (p, digits[i], digits[i], 2 * kw, kh);
      gtk_widget_add_css_class (b, "digit-key");
      gtk_grid_attach (GTK_GRID (pad), b, i % 3, i / 3, 1, 1);
    }
  gtk_grid_attach (GTK_GRID (pad), sized_key_new (p, "back", _ ("Delete"), side, kh), 3, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (pad), sized_key_new (p, "clear", _ ("Clear"), side, kh), 3, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (pad), layer_key_new (GTK_STACK (layers), _ ("Letters"), "letters", side, kh), 3, 2, 1, 1);

  /* Seven letters a row: in 长辈模式 7 x 114 + 6 x 10 = 858 px. */
  gtk_grid_set_row_spacing (GTK_GRID (abc), LAYER_ROW_SPACING);
  gtk_grid_set_column_spacing (GTK_GRID (abc), LAYER_SPACING);
  gtk_widget_set_halign (abc, GTK_ALIGN_START);
  for (char c = 'A'; c <= 'Z'; c++, n++)
    {
      char label[2] = { c, 0 };
      gtk_grid_attach (GTK_GRID (abc), sized_key_new (p, label, label, kw, kh), (int) (n % 7), (int) (n / 7), 1, 1);
    }
  gtk_grid_attach (GTK_GRID (abc), sized_key_new (p, "back", _ ("Delete"), kw, kh), 5, 3, 1, 1);
  gtk_grid_attach (GTK_GRID (abc), layer_key_new (GTK_STACK (layers), _ ("Digits"), "digits", kw, kh), 6, 3, 1, 1);

  gtk_stack_add_named (GTK_STACK (layers), pad, "digits");
  gtk_stack_add_named (GTK_STACK (layers), abc, "letters");
  gtk_stack_set_visible_child_name (GTK_STACK (layers), "digits");
  return layers;
}

/* The window shows the compact layout (a small screen). */
static gboolean
compact (GtkWidget *slot)
{
  GtkRoot *root = gtk_widget_get_root (slot);
  return root != NULL && gtk_widget_has_css_class (GTK_WIDGET (root), "compact");
}

static GtkWidget *
keypad_new (ProgressPage *p, GtkWidget *slot)
{
  if (kiosk_session_get_elder_mode (kiosk_core_get_session (p->core)))
    return keypad_layers_new (p, ELDER_KEY_WIDTH, ELDER_KEY_HEIGHT);
  if (compact (slot))
    return keypad_layers_new (p, KEY_WIDTH, KEY_HEIGHT);
  return keypad_normal_new (p);
}

/* The air above the keypad (@slot's column) and under the page header: less
 * in 长辈模式, whose four rows of tall keys must fit 1280x800 too. */
static void
keypad_spacing (ProgressPage *p, GtkWidget *slot)
{
  gboolean elder = kiosk_session_get_elder_mode (kiosk_core_get_session (p->core));
  GtkWidget *left = gtk_widget_get_parent (slot);
  GtkWidget *page = gtk_widget_get_ancestor (slot, GTK_TYPE_BOX);

  while (page && g_strcmp0 (gtk_widget_get_name (page), "progress-page") != 0)
    page = gtk_widget_get_parent (page);
  if (GTK_IS_BOX (left))
    gtk_box_set_spacing (GTK_BOX (left), elder ? 8 : 20);
  if (GTK_IS_BOX (page))
    gtk_box_set_spacing (GTK_BOX (page), elder ? 12 : 24);
}

/* The keypad of the mode and the screen, in the same place (typing goes on
 * in the same field): 长辈模式 switched while the page shows, or the page
 * put in a window (small or not). */
static void
keypad_rebuild (GtkWidget *slot)
{
  ProgressPage *p = g_object_get_data (G_OBJECT (slot), "kiosk-progress-page");
  GtkWidget *old = gtk_widget_get_first_child (slot);

  if (old)
    gtk_box_remove (GTK_BOX (slot), old);
  gtk_box_append (GTK_BOX (slot), keypad_new (p, slot));
  keypad_spacing (p, slot);
}

static void
keypad_elder_cb (KioskSession *session, GParamSpec *pspec, GtkWidget *slot)
{
  keypad_rebuild (slot);
}

static void
keypad_root_cb (GtkWidget *slot, GParamSpec *pspec, gpointer data)
{
  GtkWidget *keypad = gtk_widget_get_first_child (slot);
  gboolean layered = keypad && gtk_widget_has_css_class (keypad, "layered-keypad");
  ProgressPage *p = g_object_get_data (G_OBJECT (slot), "kiosk-progress-page");
  gboolean elder = kiosk_session_get_elder_mode (kiosk_core_get_session (p->core));

  if (gtk_widget_get_root (slot) != NULL && !elder && layered != compact (slot))
    keypad_rebuild (slot);
}

GtkWidget *
kiosk_progress_page_new (KioskCore *core, KioskJourney *journey)
{
  ProgressPage *p = g_new0 (ProgressPage, 1);
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 40);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 20);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 20);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *query = gtk_button_new_with_label (_ ("Check"));

  p->core = core;
  p->journey = g_object_ref (KIOSK_PROGRESS_JOURNEY (journey));
  gtk_widget_add_css_class (page, "page");
  gtk_widget_set_name (page, "progress-page");
  gtk_box_append (GTK_BOX (page), _kiosk_journey_header_new (core, _ ("Check progress")));

  p->entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (p->entry), _ ("Case number"));
  /* Its name for a screen reader: what the field shows before typing. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (p->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Case number"), -1);
  gtk_entry_set_max_length (GTK_ENTRY (p->entry), 50);
  gtk_widget_set_hexpand (p->entry, TRUE);
  gtk_widget_add_css_class (p->entry, "case-number-entry");
  g_signal_connect (p->entry, "activate", G_CALLBACK (query_cb), p);
  g_signal_connect (p->entry, "changed", G_CALLBACK (changed_cb), p);
  gtk_widget_add_css_class (query, "suggested-action");
  gtk_widget_add_css_class (query, "big-button");
  g_signal_connect (query, "clicked", G_CALLBACK (query_cb), p);
  gtk_box_append (GTK_BOX (row), p->entry);
  gtk_box_append (GTK_BOX (row), query);
  gtk_box_append (GTK_BOX (left), row);
  /* Nothing appears above or beside the keypad: messages and results go to
   * the right-hand column, and the left column has a fixed width. */
  {
    GtkWidget *slot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
    g_object_set_data (G_OBJECT (slot), "kiosk-progress-page", p);
    gtk_box_append (GTK_BOX (slot), keypad_new (p, slot));
    g_signal_connect_object (kiosk_core_get_session (core), "notify::elder-mode", G_CALLBACK (keypad_elder_cb), slot,
                             0);
    g_signal_connect (slot, "notify::root", G_CALLBACK (keypad_root_cb), NULL);
    gtk_box_append (GTK_BOX (left), slot);
    g_object_set_data (G_OBJECT (page), "kiosk-progress-keypad", slot);
  }
  gtk_widget_set_size_request (left, LEFT_WIDTH, -1);
  gtk_widget_set_hexpand (left, FALSE);

  p->status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (p->status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (p->status), 0);
  gtk_widget_add_css_class (p->status, "reminder-box");
  gtk_box_append (GTK_BOX (right), p->status);
  /* "…或咨询工作人员": with the station's phone, right under it. */
  kiosk_staff_phone_attach (GTK_LABEL (p->status), kiosk_core_get_config (core));

  p->result = gtk_box_new (GTK_ORIENTATION_VERTICAL, 20);
  gtk_widget_add_css_class (p->result, "card");
  gtk_widget_set_hexpand (right, TRUE);
  gtk_widget_set_valign (p->result, GTK_ALIGN_START);
  p->rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 14);
  gtk_box_append (GTK_BOX (p->result), p->rows);
  p->done = gtk_button_new_with_label (_ ("Done"));
  gtk_widget_add_css_class (p->done, "suggested-action");
  gtk_widget_add_css_class (p->done, "big-button");
  gtk_widget_set_halign (p->done, GTK_ALIGN_END);
  gtk_widget_set_hexpand (p->done, TRUE);
  g_signal_connect (p->done, "clicked", G_CALLBACK (done_cb), p);
  {
    /* 重新打印回执 (the resident's own case) on the row of "done", what
     * became of it under them. */
    GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
    p->reprint_slot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
    p->reprint_note = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
    gtk_box_append (GTK_BOX (bar), p->reprint_slot);
    gtk_box_append (GTK_BOX (bar), p->done);
    gtk_box_append (GTK_BOX (p->result), bar);
    gtk_box_append (GTK_BOX (p->result), p->reprint_note);
  }

  {
    /* The case scrolls inside the column when it is taller than the
     * screen (a message and the staff's phone under it). */
    GtkWidget *scroll = gtk_scrolled_window_new ();
    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
    gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroll), TRUE);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), p->result);
    g_object_bind_property (p->result, "visible", scroll, "visible", G_BINDING_SYNC_CREATE);
    gtk_box_append (GTK_BOX (right), scroll);
  }
  {
    /* 我的办件 scrolls inside the column: a long list never pushes the
     * screen taller; in 长辈模式 two cases a page. */
    p->mine = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
    gtk_widget_set_name (p->mine, "my-cases");
    p->mine_pager = kiosk_pager_new (p->mine, TRUE);
    kiosk_pager_set_rows_per_page (KIOSK_PAGER (p->mine_pager), 2);
    gtk_widget_set_vexpand (p->mine_pager, TRUE);
    gtk_box_append (GTK_BOX (right), p->mine_pager);
  }
  gtk_box_append (GTK_BOX (body), left);
  gtk_box_append (GTK_BOX (body), right);
  gtk_box_append (GTK_BOX (page), body);
  keypad_spacing (p, g_object_get_data (G_OBJECT (page), "kiosk-progress-keypad"));

  p->state_handler = g_signal_connect (p->journey, "notify::state", G_CALLBACK (state_cb), p);
  p->number_handler = g_signal_connect (p->journey, "notify::number", G_CALLBACK (number_cb), p);
  p->notice_handler = g_signal_connect (p->journey, "notify::scan-notice", G_CALLBACK (notice_cb), p);
  p->mine_handler = g_signal_connect (p->journey, "notify::mine-state", G_CALLBACK (mine_cb), p);
  p->reprint_handler = g_signal_connect (p->journey, "notify::reprint-state", G_CALLBACK (reprint_cb), p);
  p->printer = kiosk_device_manager_get (kiosk_core_get_devices (core), "printer");
  if (p->printer)
    {
      g_object_ref (p->printer);
      p->printer_handler = g_signal_connect (p->printer, "notify::state", G_CALLBACK (reprint_cb), p);
    }
  p->wipe_handler = g_signal_connect (kiosk_core_get_session (core), "wipe", G_CALLBACK (wipe_cb), p);
  g_object_set_data_full (G_OBJECT (page), "kiosk-progress-page", p, (GDestroyNotify) progress_page_free);
  show_state (p);
  show_mine (p);
  return page;
}
