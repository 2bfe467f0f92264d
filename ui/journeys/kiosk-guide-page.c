/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-guide"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-guide-journey.h"
#include "kiosk-item-search.h"
#include "kiosk-journey-pages.h"
#include "kiosk-osk-pinyin.h"
#include "kiosk-pager.h"
#include "kiosk-staff-phone.h"

/* 办事指南: the search field and the category chips at the top, the item
 * list on the left, everything about the chosen item on the right
 * (一次性告知). Touching the field puts the keyboard in the details' place
 * (the list keeps the whole height beside it); touching an item shows its
 * details again. Built in code: its content is data. */

typedef struct {
  KioskCore *core;
  KioskGuideJourney *journey;
  GtkWidget *list;   /* GtkBox of item buttons */
  GtkWidget *pager;  /* KioskPager: the list scrolls, or is paged in 长辈模式 */
  GtkWidget *search; /* KioskItemSearch */
  GtkWidget *right;  /* GtkStack: "detail" or "keyboard" */
  KioskOsk *osk;
  GtkWidget *detail; /* GtkBox inside the detail card */
  GtkWidget *empty;  /* "no catalog yet" */
  GtkWidget *detail_scroll;
  GtkWidget *print_button;
  GtkWidget *print_status;  /* "Printing…", "Printed" */
  GtkWidget *print_problem; /* what cannot be printed, and the staff's phone */
  GtkWidget *print_problem_label;
  GtkWidget *phone_label;
  KioskDevice *printer; /* NULL without a printer driver */
  gboolean printing;
  gboolean problem_is_error; /* print_problem says how a print failed (else: the printer's state) */
  char *code;                /* the item shown */
  GCancellable *cancellable;
  gulong items_handler;
  KioskSession *session;
  gulong wipe_handler;
  gulong printer_handler;
} GuidePage;

static void
guide_page_free (GuidePage *p)
{
  g_clear_signal_handler (&p->items_handler, p->journey);
  g_clear_signal_handler (&p->wipe_handler, p->session);
  g_clear_object (&p->session);
  if (p->printer)
    g_clear_signal_handler (&p->printer_handler, p->printer);
  g_clear_object (&p->printer);
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  g_clear_object (&p->journey);
  g_free (p->code);
  g_free (p);
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

/* Says what cannot be printed, large, with the station's phone ([kiosk]
 * phone) when one is configured; NULL hides it. */
static void
show_print_problem (GuidePage *p, const char *message)
{
  gtk_widget_set_visible (p->print_problem, message != NULL);
  gtk_label_set_text (GTK_LABEL (p->print_problem_label), message ? message : "");
}

static gboolean
printer_usable (GuidePage *p)
{
  KioskDeviceState state = p->printer ? kiosk_device_get_state (p->printer) : KIOSK_DEVICE_STATE_ABSENT;
  return state == KIOSK_DEVICE_STATE_READY || state == KIOSK_DEVICE_STATE_BUSY;
}

/* The print button works only while the printer does: a printer known to
 * be absent or failing disables it and says so, with whom to call. */
static void
update_printer (GuidePage *p)
{
  gboolean usable = printer_usable (p);

  gtk_widget_set_sensitive (p->print_button, usable && !p->printing && p->code != NULL);
  if (p->printing)
    return;
  if (!usable)
    {
      gtk_label_set_text (GTK_LABEL (p->print_status), "");
      p->problem_is_error = FALSE;
      show_print_problem (p, _ ("The printer cannot be used at the moment, so this guide cannot be printed. Please "
                                "write down what you need, or ask the staff."));
    }
  else if (!p->problem_is_error)
    show_print_problem (p, NULL);
}

static void
printer_state_cb (GObject *printer, GParamSpec *pspec, GuidePage *p)
{
  update_printer (p);
}

static const char *
yes_no (KioskFlag a, const char *yes, const char *no)
{
  switch (a)
    {
    case KIOSK_FLAG_YES:
      return yes;
    case KIOSK_FLAG_NO:
      return no;
    case KIOSK_FLAG_UNSTATED:
    default:
      return _ ("Ask the staff");
    }
}

/* The details in their place again, and the chips above the list. */
static void
show_detail (GuidePage *p)
{
  gtk_stack_set_visible_child_name (GTK_STACK (p->right), "detail");
  kiosk_item_search_set_chips_visible (KIOSK_ITEM_SEARCH (p->search), TRUE);
}

/* The chosen item stands out in the list. */
static void
mark_chosen (GuidePage *p)
{
  for (GtkWidget *c = gtk_widget_get_first_child (p->list); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_BUTTON (c))
      {
        gboolean chosen = g_strcmp0 (g_object_get_data (G_OBJECT (c), "code"), p->code) == 0;
        if (chosen)
          gtk_widget_add_css_class (c, "selected");
        else
          gtk_widget_remove_css_class (c, "selected");
        gtk_accessible_update_state (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_STATE_SELECTED, chosen, -1);
      }
}

static void
show_item (GuidePage *p, const KioskCatalogItem *item)
{
  GtkBox *box = GTK_BOX (p->detail);
  GtkWidget *title, *banner, *materials;
  g_autofree char *limit = NULL;
  g_autoptr (GString) delivery = g_string_new (NULL);

  clear_box (p->detail);
  g_free (p->code);
  p->code = g_strdup (item->code);
  gtk_label_set_text (GTK_LABEL (p->print_status), "");
  p->problem_is_error = FALSE;
  update_printer (p);
  /* The chosen item stands out in the list, and its guide starts at the
   * top: the title and the print button in view. */
  mark_chosen (p);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (p->detail_scroll)), 0);
  title = gtk_label_new (item->name);
  gtk_widget_add_css_class (title, "card-title");
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (box, title);

  banner = gtk_label_new (_ ("Everything you need is listed here at once: bring it all and one trip is enough."));
  gtk_label_set_wrap (GTK_LABEL (banner), TRUE);
  gtk_label_set_xalign (GTK_LABEL (banner), 0);
  gtk_widget_add_css_class (banner, "reminder-box");
  gtk_box_append (box, banner);

  _kiosk_detail_row (box, _ ("Department"), item->department);
  _kiosk_detail_row (box, _ ("Item type"), item->item_type_name);
  _kiosk_detail_row (box, _ ("Case type"), item->case_type_name);
  _kiosk_detail_row (box, _ ("Where it is handled"), item->handling);
  if (item->time_limit_days >= 0)
    limit
        = item->time_limit_days == 0
              ? g_strdup (_ ("Handled on the spot"))
              : g_strdup_printf (ngettext ("%d working day", "%d working days", (unsigned long) item->time_limit_days),
                                 item->time_limit_days);
  _kiosk_detail_row (box, _ ("Promised time limit"), limit ? limit : _ ("Ask the staff"));
  _kiosk_detail_row (box, _ ("Fee"), item->fee.text);
  _kiosk_detail_row (
      box, _ ("Notification and commitment (告知承诺)"),
      yes_no (item->commitment_allowed, _ ("Allowed: a signed commitment replaces the proof"), _ ("Not allowed")));
  _kiosk_detail_row (
      box, _ ("Acceptance with a missing material (容缺)"),
      yes_no (item->deferral_allowed, _ ("Allowed: supply it later by the deadline"), _ ("Not allowed")));
  if (item->delivery & KIOSK_DELIVERY_PICKUP)
    g_string_append (delivery, _ ("Pick up at the station"));
  if (item->delivery & KIOSK_DELIVERY_POST)
    g_string_append_printf (delivery, "%s%s", delivery->len ? " / " : "", _ ("Free post"));
  _kiosk_detail_row (box, _ ("How you get the result"), delivery->len ? delivery->str : _ ("Ask the staff"));
  _kiosk_detail_row (box, _ ("Legal basis"), item->legal_basis);

  materials = gtk_label_new (_ ("Materials"));
  gtk_widget_add_css_class (materials, "card-title");
  gtk_label_set_xalign (GTK_LABEL (materials), 0);
  gtk_widget_set_margin_top (materials, 12);
  gtk_box_append (box, materials);
  for (guint i = 0; i < item->n_materials; i++)
    {
      const KioskMaterial *m = &item->materials[i];
      g_autofree char *line
          = g_strdup_printf ("%u. %s%s%s", i + 1, m->name ? m->name : "", m->required ? "" : _ (" (if applicable)"),
                             m->deferrable ? _ (" (may be supplied later)") : "");
      GtkWidget *l = gtk_label_new (line);
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_xalign (GTK_LABEL (l), 0);
      gtk_box_append (box, l);
    }
}

static void
printed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  GuidePage *p = data;
  g_autoptr (GError) error = NULL;

  if (!kiosk_guide_journey_print_finish (KIOSK_GUIDE_JOURNEY (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_info ("guide printout failed: %s", error->message);
      gtk_label_set_text (GTK_LABEL (p->print_status), "");
      show_print_problem (p, error->message); /* the resident's words (kiosk-guide-journey.h) */
      p->problem_is_error = TRUE;
    }
  else
    gtk_label_set_text (GTK_LABEL (p->print_status), _ ("Printed: please take the guide from the printer."));
  p->printing = FALSE;
  update_printer (p);
}

static void
print_clicked_cb (GtkButton *button, GuidePage *p)
{
  if (p->code == NULL || !printer_usable (p))
    return;
  p->printing = TRUE;
  p->problem_is_error = FALSE;
  gtk_widget_set_sensitive (p->print_button, FALSE);
  show_print_problem (p, NULL);
  gtk_label_set_text (GTK_LABEL (p->print_status), _ ("Printing…"));
  g_cancellable_cancel (p->cancellable);
  g_clear_object (&p->cancellable);
  p->cancellable = g_cancellable_new ();
  kiosk_guide_journey_print_async (p->journey, p->code, p->cancellable, printed_cb, p);
}

static void
item_clicked_cb (GtkButton *button, GuidePage *p)
{
  const char *code = g_object_get_data (G_OBJECT (button), "code");
  const KioskCatalogItem *item = kiosk_guide_journey_lookup (p->journey, code);

  if (item)
    show_item (p, item);
  show_detail (p);
}

static void
append_item (GuidePage *p, const KioskCatalogItem *item)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new (item->name);
  g_autofree char *name = g_strdup_printf ("guide-item-%s", item->code);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "guide-item");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, item->name, -1);
  g_object_set_data_full (G_OBJECT (button), "code", g_strdup (item->code), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (item_clicked_cb), p);
  gtk_box_append (GTK_BOX (p->list), button);
}

/* The list: what the search found, best first, or every item by
 * department. */
static void
show_list (GuidePage *p)
{
  guint n = kiosk_guide_journey_get_n_items (p->journey);
  g_auto (GStrv) departments = NULL;
  GPtrArray *codes = kiosk_item_search_get_codes (KIOSK_ITEM_SEARCH (p->search));

  clear_box (p->list);
  kiosk_pager_to_start (KIOSK_PAGER (p->pager));
  if (codes)
    {
      if (codes->len == 0)
        gtk_box_append (GTK_BOX (p->list), kiosk_item_search_empty_new ());
      for (guint i = 0; i < codes->len; i++)
        {
          const KioskCatalogItem *item = kiosk_guide_journey_lookup (p->journey, codes->pdata[i]);
          if (item)
            append_item (p, item);
        }
      mark_chosen (p);
      return;
    }
  departments = kiosk_guide_journey_dup_departments (p->journey);
  for (char **d = departments; d && *d; d++)
    {
      GtkWidget *heading = gtk_label_new (*d);
      gtk_widget_add_css_class (heading, "guide-department");
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_set_margin_top (heading, 12);
      gtk_box_append (GTK_BOX (p->list), heading);
      for (guint i = 0; i < n; i++)
        {
          const KioskCatalogItem *item = kiosk_guide_journey_get_item (p->journey, i);
          if (g_strcmp0 (item->department, *d) == 0)
            append_item (p, item);
        }
    }
  mark_chosen (p);
}

static void
search_changed_cb (KioskItemSearch *search, GuidePage *p)
{
  show_list (p);
}

/* A new catalog: searched anew, its first item shown. */
static void
fill_list (GuidePage *p)
{
  guint n = kiosk_guide_journey_get_n_items (p->journey);
  g_autoptr (GPtrArray) items = g_ptr_array_new ();

  gtk_widget_set_visible (p->empty, n == 0 && !kiosk_guide_journey_get_loading (p->journey));
  gtk_widget_set_visible (p->search, n > 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, (gpointer) kiosk_guide_journey_get_item (p->journey, i));
  g_signal_handlers_block_by_func (p->search, search_changed_cb, p);
  kiosk_item_search_set_items (KIOSK_ITEM_SEARCH (p->search), items);
  g_signal_handlers_unblock_by_func (p->search, search_changed_cb, p);
  show_list (p);
  if (n > 0)
    show_item (p, kiosk_guide_journey_get_item (p->journey, 0));
}

/* The next resident starts with every item. */
static void
wipe_cb (KioskSession *session, GuidePage *p)
{
  kiosk_osk_reset (p->osk);
  kiosk_item_search_clear (KIOSK_ITEM_SEARCH (p->search));
  show_detail (p);
}

/* Starting over on a small screen: the chips (and the details) again;
 * touching the field brings the keyboard back. */
static void
search_cleared_cb (KioskItemSearch *search, GuidePage *p)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (p->right));

  if (root && gtk_widget_has_css_class (root, "compact"))
    show_detail (p);
}

/* The keyboard in the details' place; on a small screen (.compact) the
 * chips give the list their rows meanwhile (the field does not move). */
static void
search_touched_cb (KioskItemSearch *search, GuidePage *p)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (p->right));

  gtk_stack_set_visible_child_name (GTK_STACK (p->right), "keyboard");
  if (root && gtk_widget_has_css_class (root, "compact"))
    kiosk_item_search_set_chips_visible (search, FALSE);
}

static void
items_changed_cb (GObject *journey, GParamSpec *pspec, GuidePage *p)
{
  fill_list (p);
}

GtkWidget *
kiosk_guide_page_new (KioskCore *core, KioskJourney *journey)
{
  GuidePage *p = g_new0 (GuidePage, 1);
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 32);
  GtkWidget *detail_scroll = gtk_scrolled_window_new ();
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  p->core = core;
  p->journey = g_object_ref (KIOSK_GUIDE_JOURNEY (journey));
  p->detail_scroll = detail_scroll;
  p->printer = kiosk_device_manager_get (kiosk_core_get_devices (core), "printer");
  if (p->printer)
    {
      g_object_ref (p->printer);
      p->printer_handler = g_signal_connect (p->printer, "notify::state", G_CALLBACK (printer_state_cb), p);
    }
  gtk_widget_add_css_class (page, "page");
  gtk_widget_set_name (page, "guide-page");
  gtk_box_append (GTK_BOX (page), _kiosk_journey_header_new (core, _ ("Service guide")));

  p->empty = gtk_label_new (_ ("The service catalog has not been downloaded yet. Please try again later or ask the "
                               "staff of the service station."));
  gtk_label_set_wrap (GTK_LABEL (p->empty), TRUE);
  gtk_widget_add_css_class (p->empty, "warning-box");
  gtk_box_append (GTK_BOX (page), p->empty);
  kiosk_staff_phone_attach (GTK_LABEL (p->empty), kiosk_core_get_config (core));

  /* the keyboard first: the search field binds to it */
  p->osk = KIOSK_OSK (kiosk_osk_new ());
  gtk_widget_set_name (GTK_WIDGET (p->osk), "guide-osk");
  gtk_widget_set_halign (GTK_WIDGET (p->osk), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (p->osk), GTK_ALIGN_START);
  kiosk_osk_use_pinyin_ime (p->osk);
  p->search = kiosk_item_search_new (p->osk);
  g_signal_connect (p->search, "changed", G_CALLBACK (search_changed_cb), p);
  g_signal_connect (p->search, "touched", G_CALLBACK (search_touched_cb), p);
  g_signal_connect (p->search, "cleared", G_CALLBACK (search_cleared_cb), p);
  gtk_box_append (GTK_BOX (page), p->search);

  p->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_set_name (p->list, "guide-list");
  p->pager = kiosk_pager_new (p->list, TRUE);
  /* beside it, the keyboard's width fits a 1280 px screen */
  gtk_widget_set_size_request (p->pager, 420, -1);
  gtk_widget_set_vexpand (p->pager, TRUE);

  p->detail = gtk_box_new (GTK_ORIENTATION_VERTICAL, 14);
  gtk_widget_add_css_class (card, "card");
  {
    GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 20);
    p->print_button = gtk_button_new_with_label (_ ("Print this guide"));
    gtk_widget_add_css_class (p->print_button, "suggested-action");
    g_signal_connect (p->print_button, "clicked", G_CALLBACK (print_clicked_cb), p);
    p->print_status = gtk_label_new (NULL);
    gtk_label_set_wrap (GTK_LABEL (p->print_status), TRUE);
    gtk_label_set_xalign (GTK_LABEL (p->print_status), 0);
    gtk_widget_set_hexpand (p->print_status, TRUE);
    gtk_box_append (GTK_BOX (bar), p->print_status);
    gtk_box_append (GTK_BOX (bar), p->print_button);
    gtk_box_append (GTK_BOX (card), bar);
  }
  {
    p->print_problem = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
    gtk_widget_add_css_class (p->print_problem, "print-problem");
    gtk_widget_set_margin_top (p->print_problem, 12);
    gtk_widget_set_margin_bottom (p->print_problem, 12);
    p->print_problem_label = gtk_label_new (NULL);
    gtk_label_set_wrap (GTK_LABEL (p->print_problem_label), TRUE);
    gtk_label_set_xalign (GTK_LABEL (p->print_problem_label), 0);
    gtk_box_append (GTK_BOX (p->print_problem), p->print_problem_label);
    /* the station's phone under a message that sends to the staff */
    p->phone_label = kiosk_staff_phone_attach (GTK_LABEL (p->print_problem_label), kiosk_core_get_config (core));
    gtk_widget_set_visible (p->print_problem, FALSE);
    gtk_box_append (GTK_BOX (card), p->print_problem);
  }
  gtk_box_append (GTK_BOX (card), p->detail);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (detail_scroll), card);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (detail_scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_hexpand (detail_scroll, TRUE);
  gtk_widget_set_vexpand (detail_scroll, TRUE);

  gtk_box_append (GTK_BOX (body), p->pager);
  p->right = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (p->right), GTK_STACK_TRANSITION_TYPE_NONE);
  /* the height the shown one needs, not the keyboard's all the time */
  gtk_stack_set_vhomogeneous (GTK_STACK (p->right), FALSE);
  gtk_widget_set_hexpand (p->right, TRUE);
  gtk_stack_add_named (GTK_STACK (p->right), detail_scroll, "detail");
  gtk_stack_add_named (GTK_STACK (p->right), GTK_WIDGET (p->osk), "keyboard");
  gtk_stack_set_visible_child_name (GTK_STACK (p->right), "detail");
  gtk_box_append (GTK_BOX (body), p->right);
  gtk_box_append (GTK_BOX (page), body);

  p->items_handler = g_signal_connect (p->journey, "notify::items", G_CALLBACK (items_changed_cb), p);
  p->session = g_object_ref (kiosk_core_get_session (core));
  p->wipe_handler = g_signal_connect (p->session, "wipe", G_CALLBACK (wipe_cb), p);
  g_object_set_data_full (G_OBJECT (page), "kiosk-guide-page", p, (GDestroyNotify) guide_page_free);
  fill_list (p);
  update_printer (p);
  return page;
}
