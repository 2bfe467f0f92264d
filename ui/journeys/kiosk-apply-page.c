/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-apply"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-apply-journey.h"
#include "kiosk-apply-page.h"
#include "kiosk-camera-view.h"
#include "kiosk-domain-rules.h"
#include "kiosk-form-field.h"
#include "kiosk-item-search.h"
#include "kiosk-journey-pages.h"
#include "kiosk-osk-pinyin.h"
#include "kiosk-pager.h"
#include "kiosk-signature.h"
#include "kiosk-staff-phone.h"
#include "kiosk-steps.h"

/* ---- the form ------------------------------------------------------------------ */

static const char *
field_validator (const char *text, gpointer data)
{
  /* NULL today: the local date (a birth date may not be after it) */
  return kiosk_field_validate (data, text, NULL);
}

static KioskFormFieldKind
kind_of (KioskFieldType type)
{
  switch (type)
    {
    case KIOSK_FIELD_NUMBER:
      return KIOSK_FORM_FIELD_NUMBER;
    case KIOSK_FIELD_DATE:
      return KIOSK_FORM_FIELD_DATE;
    case KIOSK_FIELD_PHONE:
      return KIOSK_FORM_FIELD_PHONE;
    case KIOSK_FIELD_CHOICE:
      return KIOSK_FORM_FIELD_CHOICE;
    case KIOSK_FIELD_ADDRESS:
      return KIOSK_FORM_FIELD_ADDRESS;
    case KIOSK_FIELD_ID_NUMBER:
      return KIOSK_FORM_FIELD_ID_NUMBER;
    case KIOSK_FIELD_TEXT:
    default:
      return KIOSK_FORM_FIELD_TEXT;
    }
}

static void
item_unref (gpointer item)
{
  kiosk_catalog_item_unref (item);
}

/* What the screen shows of a prefilled value: names and ID numbers
 * masked. */
static char *
shown_value (KioskPrefill prefill, const char *value)
{
  switch (prefill)
    {
    case KIOSK_PREFILL_NAME:
      return kiosk_mask_name (value);
    case KIOSK_PREFILL_ID_NUMBER:
      return kiosk_mask_id_number (value);
    case KIOSK_PREFILL_NONE:
    case KIOSK_PREFILL_GENDER:
    case KIOSK_PREFILL_BIRTH_DATE:
    case KIOSK_PREFILL_ADDRESS:
    default:
      return g_strdup (value);
    }
}

GtkWidget *
kiosk_apply_form_new (const KioskCatalogItem *item, const KioskIdentity *identity, KioskOsk *osk)
{
  GtkWidget *form;

  g_return_val_if_fail (item != NULL, NULL);
  form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (form, "apply-form");
  g_object_set_data_full (G_OBJECT (form), "item", kiosk_catalog_item_ref ((KioskCatalogItem *) item), item_unref);
  for (guint i = 0; i < item->n_form_fields; i++)
    {
      const KioskFormField *f = &item->form_fields[i];
      g_autofree char *name = g_strdup_printf ("field-%s", f->id);
      GtkWidget *w;

      if (f->type == KIOSK_FIELD_CHOICE)
        {
          guint n = f->choices ? g_strv_length (f->choices) : 0;
          w = kiosk_form_field_new_choice (f->label, (const char *const *) f->choices, (const char *const *) f->choices,
                                           n);
        }
      else
        w = kiosk_form_field_new (kind_of (f->type), f->label);
      gtk_widget_set_name (w, name);
      g_object_set_data_full (G_OBJECT (w), "field-id", g_strdup (f->id), g_free);
      kiosk_form_field_set_required (KIOSK_FORM_FIELD (w), f->required);
      kiosk_form_field_set_validator (KIOSK_FORM_FIELD (w), field_validator, (gpointer) f, NULL);
      if (osk)
        kiosk_form_field_set_osk (KIOSK_FORM_FIELD (w), osk);
      if (identity && f->prefill != KIOSK_PREFILL_NONE)
        {
          g_autofree char *value = kiosk_identity_prefill_value (identity, f->prefill, f);
          if (value && *value)
            {
              g_autofree char *shown = shown_value (f->prefill, value);
              kiosk_form_field_set_prefilled (KIOSK_FORM_FIELD (w), value, shown);
              kiosk_secure_free (g_steal_pointer (&shown));
            }
          kiosk_secure_free (g_steal_pointer (&value));
        }
      gtk_box_append (GTK_BOX (form), w);
    }
  return form;
}

GtkWidget *
kiosk_apply_form_get_field (GtkWidget *form, const char *field_id)
{
  g_return_val_if_fail (GTK_IS_WIDGET (form), NULL);
  for (GtkWidget *c = gtk_widget_get_first_child (form); c; c = gtk_widget_get_next_sibling (c))
    if (KIOSK_IS_FORM_FIELD (c) && g_strcmp0 (g_object_get_data (G_OBJECT (c), "field-id"), field_id) == 0)
      return c;
  return NULL;
}

gboolean
kiosk_apply_form_check (GtkWidget *form)
{
  gboolean all = TRUE;

  g_return_val_if_fail (GTK_IS_WIDGET (form), FALSE);
  for (GtkWidget *c = gtk_widget_get_first_child (form); c; c = gtk_widget_get_next_sibling (c))
    if (KIOSK_IS_FORM_FIELD (c))
      all &= kiosk_form_field_check (KIOSK_FORM_FIELD (c));
  return all;
}

void
kiosk_apply_form_clear (GtkWidget *form)
{
  g_return_if_fail (GTK_IS_WIDGET (form));
  for (GtkWidget *c = gtk_widget_get_first_child (form); c; c = gtk_widget_get_next_sibling (c))
    if (KIOSK_IS_FORM_FIELD (c))
      kiosk_form_field_clear (KIOSK_FORM_FIELD (c));
}

/* ---- the page ------------------------------------------------------------------ */

typedef struct {
  KioskCore *core;            /* not owned: outlives its pages */
  KioskJourney *base;         /* owned */
  KioskApplyJourney *journey; /* the same, or NULL for another journey */
  GtkWidget *steps;
  GtkWidget *stack;
  KioskOsk *osk;
  /* per step (KioskApplyStep): the content box (rebuilt), the problems
   * line and the Next button under it */
  GtkWidget *content[KIOSK_APPLY_STEP_DONE + 1];
  GtkWidget *problems[KIOSK_APPLY_STEP_DONE + 1];
  GtkWidget *scrolled[KIOSK_APPLY_STEP_DONE + 1];
  GtkWidget *next;        /* one Next for every step, beside the keyboard */
  GtkWidget *item_notice; /* where to apply for an item not taken here */
  GtkWidget *search;      /* KioskItemSearch, fixed above the item list */
  GtkWidget *bar;         /* the keyboard's place (and Next's) */
  GtkWidget *osk_slot;    /* beside the item list: the keyboard while searching */
  GtkWidget *form;        /* the chosen item's form, or NULL */
  KioskCatalogItem *form_item;
  /* commitment: built once per item, updated on "commitment" */
  GtkWidget *commit_button, *proof_button, *pad_box, *pad;
  KioskCatalogItem *commitment_item;
  /* materials: the document camera, above the materials (built once) */
  GtkWidget *camera_view;
  /* delivery: built once per item */
  GtkWidget *pickup_button, *post_button, *address;
  KioskCatalogItem *delivery_item;
  gboolean updating; /* setting toggles from the draft: not intents */
} ApplyPage;

static void
apply_page_free (gpointer data)
{
  ApplyPage *p = data;

  g_clear_pointer (&p->form_item, kiosk_catalog_item_unref);
  g_clear_pointer (&p->commitment_item, kiosk_catalog_item_unref);
  g_clear_pointer (&p->delivery_item, kiosk_catalog_item_unref);
  g_clear_object (&p->base);
  g_free (p);
}

static ApplyPage *
page_of (GtkWidget *page)
{
  return g_object_get_data (G_OBJECT (page), "apply-page");
}

static const KioskCaseDraft *
draft_of (ApplyPage *p)
{
  return kiosk_apply_journey_get_draft (p->journey);
}

/* Every control's accessible name is its visible label. */
static void
name_accessible (GtkWidget *w, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static GtkWidget *
label_new (const char *text, const char *css)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

static GtkWidget *
button_new (const char *label, const char *name, const char *css)
{
  GtkWidget *b = gtk_button_new_with_label (label);

  if (name)
    gtk_widget_set_name (b, name);
  if (css)
    gtk_widget_add_css_class (b, css);
  name_accessible (b, label);
  return b;
}

/* A large button with a title and a short line under it. */
static GtkWidget *
two_line_button (const char *title, const char *line, const char *name)
{
  GtkWidget *b = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *both = g_strdup_printf ("%s %s", title, line ? line : "");

  gtk_box_append (GTK_BOX (box), label_new (title, "apply-item-title"));
  if (line && *line)
    gtk_box_append (GTK_BOX (box), label_new (line, "dim-label"));
  gtk_button_set_child (GTK_BUTTON (b), box);
  gtk_widget_set_name (b, name);
  gtk_widget_add_css_class (b, "apply-item");
  name_accessible (b, g_strstrip (both));
  return b;
}

static void
wipe_widgets (GtkWidget *w)
{
  if (KIOSK_IS_FORM_FIELD (w))
    kiosk_form_field_clear (KIOSK_FORM_FIELD (w));
  else if (KIOSK_IS_SIGNATURE_PAD (w))
    kiosk_signature_pad_clear (KIOSK_SIGNATURE_PAD (w));
  else if (GTK_IS_ENTRY (w))
    gtk_editable_set_text (GTK_EDITABLE (w), "");
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    wipe_widgets (c);
}

/* A step's content rebuilt: what it held is emptied first (a field or a
 * pad let go keeps no personal data while it waits to be freed). */
static void
clear_box (GtkWidget *box)
{
  GtkWidget *c;

  while ((c = gtk_widget_get_first_child (box)))
    {
      wipe_widgets (c);
      gtk_box_remove (GTK_BOX (box), c);
    }
}

static void
set_problems_text (ApplyPage *p, KioskApplyStep step, GPtrArray *problems)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (step == KIOSK_APPLY_STEP_FORM && problems && problems->len > 0)
    {
      /* each field says what is wrong under it: here only which */
      g_autoptr (GString) names = g_string_new (NULL);
      for (guint i = 0; i < problems->len; i++)
        {
          const char *tab = strchr (problems->pdata[i], '\t');
          if (tab && tab[1])
            g_string_append_printf (names, "%s%s", names->len ? _ (", ") : "", tab + 1);
        }
      if (names->len)
        g_string_printf (text, _ ("Please check: %s"), names->str);
      problems = NULL;
    }
  for (guint i = 0; problems && i < problems->len; i++)
    {
      g_auto (GStrv) parts = g_strsplit (problems->pdata[i], "\t", 2);
      if (text->len)
        g_string_append_c (text, '\n');
      if (parts[1] && *parts[1])
        g_string_append_printf (text, "%s: %s", parts[1], _ (parts[0]));
      else
        g_string_append (text, _ (parts[0]));
    }
  gtk_label_set_text (GTK_LABEL (p->problems[step]), text->str);
  gtk_widget_set_visible (p->problems[step], text->len > 0);
  if (text->len > 0)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (p->scrolled[step])), 0);
}

static void
show_error (ApplyPage *p, KioskApplyStep step, const GError *error)
{
  if (error && g_error_matches (error, KIOSK_APPLY_ERROR, KIOSK_APPLY_ERROR_INCOMPLETE))
    set_problems_text (p, step, kiosk_apply_journey_get_problems (p->journey));
  else
    {
      gtk_label_set_text (GTK_LABEL (p->problems[step]), error ? _ (error->message) : "");
      gtk_widget_set_visible (p->problems[step], error != NULL);
    }
}

/* The keyboard comes up when a field is touched (focused): until then the
 * step has the whole height (a 1280x800 screen has room for few fields
 * above it). It stays up until the step changes. */
static void
field_focus_cb (GtkEventControllerFocus *controller, GtkWidget *page)
{
  gtk_widget_set_visible (GTK_WIDGET (page_of (page)->osk), TRUE);
}

static void
watch_focus (GtkWidget *page, GtkWidget *entry)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "enter", G_CALLBACK (field_focus_cb), page);
  gtk_widget_add_controller (entry, focus);
}

/* ---- item ---------------------------------------------------------------------- */

static void
item_clicked_cb (GtkButton *button, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  const char *code = g_object_get_data (G_OBJECT (button), "code");
  g_autoptr (GError) error = NULL;

  if (kiosk_apply_journey_choose_item (p->journey, code, &error))
    {
      gtk_widget_set_visible (p->item_notice, FALSE);
      return;
    }
  if (g_error_matches (error, KIOSK_APPLY_ERROR, KIOSK_APPLY_ERROR_NOT_HERE))
    {
      KioskCatalogItem *item = kiosk_apply_journey_lookup_item (p->journey, code);
      g_autofree char *text
          = g_strdup_printf (_ ("%s cannot be applied for at this kiosk. Where to apply: %s"), item ? item->name : code,
                             item && item->where_to_apply ? item->where_to_apply : _ ("ask the staff"));
      gtk_label_set_text (GTK_LABEL (p->item_notice), text);
      gtk_widget_set_visible (p->item_notice, TRUE);
      /* the notice is at the top of the list: brought into view */
      gtk_adjustment_set_value (
          gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (p->scrolled[KIOSK_APPLY_STEP_ITEM])), 0);
    }
  else
    show_error (p, KIOSK_APPLY_STEP_ITEM, error);
}

static void
build_items (GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  GtkWidget *box = p->content[KIOSK_APPLY_STEP_ITEM];
  guint n = kiosk_apply_journey_get_n_items (p->journey);

  clear_box (box);
  p->item_notice = label_new ("", "print-problem");
  gtk_widget_set_name (p->item_notice, "apply-item-notice");
  gtk_widget_set_visible (p->item_notice, FALSE);
  gtk_box_append (GTK_BOX (box), p->item_notice);
  kiosk_staff_phone_attach (GTK_LABEL (p->item_notice), kiosk_core_get_config (p->core));
  if (kiosk_apply_journey_get_loading (p->journey))
    {
      gtk_box_append (GTK_BOX (box), label_new (_ ("Reading the items…"), "card-title"));
      return;
    }
  if (n == 0)
    {
      GtkWidget *none = label_new (_ ("No items can be applied for yet. Please ask the staff."), NULL);
      gtk_box_append (GTK_BOX (box), none);
      kiosk_staff_phone_attach (GTK_LABEL (none), kiosk_core_get_config (p->core));
      return;
    }
  gtk_box_append (GTK_BOX (box), label_new (_ ("Choose what you want to apply for."), "card-title"));
  {
    /* what the search found, best first, or every item */
    GPtrArray *codes = kiosk_item_search_get_codes (KIOSK_ITEM_SEARCH (p->search));
    /* two items a line, lines of the same height: the lines are the
     * rows the pager shows a page of in 长辈模式 */
    GtkWidget *grid = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
    GtkWidget *line_box = NULL;
    for (guint i = 0; i < (codes ? codes->len : n); i++)
      {
        KioskCatalogItem *item = codes ? kiosk_apply_journey_lookup_item (p->journey, codes->pdata[i])
                                       : kiosk_apply_journey_get_nth_item (p->journey, i);
        g_autofree char *name = NULL;
        g_autofree char *line = NULL;
        GtkWidget *b;

        if (item == NULL)
          continue;
        name = g_strdup_printf ("apply-item-%s", item->code);
        if (!item->kiosk_accepts)
          line = g_strdup_printf (_ ("Not at this kiosk: %s"),
                                  item->where_to_apply ? item->where_to_apply : _ ("ask the staff"));
        else
          line = g_strdup (item->department ? item->department : "");
        b = two_line_button (item->name, line, name);
        if (!item->kiosk_accepts)
          gtk_widget_add_css_class (b, "apply-item-elsewhere");
        g_object_set_data_full (G_OBJECT (b), "code", g_strdup (item->code), g_free);
        g_signal_connect (b, "clicked", G_CALLBACK (item_clicked_cb), page);
        if (line_box == NULL || gtk_widget_get_last_child (line_box) != gtk_widget_get_first_child (line_box))
          {
            line_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
            gtk_box_set_homogeneous (GTK_BOX (line_box), TRUE);
            gtk_box_append (GTK_BOX (grid), line_box);
          }
        gtk_widget_set_hexpand (b, TRUE);
        gtk_box_append (GTK_BOX (line_box), b);
      }
    /* a last item alone keeps half the line */
    if (line_box != NULL && gtk_widget_get_last_child (line_box) == gtk_widget_get_first_child (line_box))
      gtk_box_append (GTK_BOX (line_box), gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0));
    if (codes && codes->len == 0)
      gtk_box_append (GTK_BOX (box), kiosk_item_search_empty_new ());
    {
      /* the step scrolls; in 长辈模式 the lines that fit below the
       * search, three at most, a page */
      GtkWidget *pager = kiosk_pager_new (grid, FALSE);

      gtk_widget_set_name (grid, "apply-items");
      kiosk_pager_set_rows_per_page (KIOSK_PAGER (pager), 3);
      gtk_widget_set_vexpand (pager, TRUE);
      gtk_box_append (GTK_BOX (box), pager);
    }
  }
}

/* ---- form ---------------------------------------------------------------------- */

static void
field_changed_cb (KioskFormFieldWidget *field, GtkWidget *page)
{
  ApplyPage *p = page_of (page);

  kiosk_apply_journey_set_value (p->journey, g_object_get_data (G_OBJECT (field), "field-id"),
                                 kiosk_form_field_get_text (field));
}

static void
build_form (GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  KioskCatalogItem *item = kiosk_apply_journey_get_item (p->journey);
  const KioskCaseDraft *draft = draft_of (p);
  GtkWidget *box = p->content[KIOSK_APPLY_STEP_FORM];

  if (item != NULL && item == p->form_item && p->form)
    return;
  clear_box (box);
  p->form = NULL;
  g_clear_pointer (&p->form_item, kiosk_catalog_item_unref);
  if (item == NULL || draft == NULL)
    return;
  p->form_item = kiosk_catalog_item_ref (item);
  gtk_box_append (GTK_BOX (box), label_new (item->name, "card-title"));
  p->form = kiosk_apply_form_new (item, kiosk_case_draft_get_applicant (draft), p->osk);
  gtk_widget_set_name (p->form, "apply-form");
  for (guint i = 0; i < item->n_form_fields; i++)
    {
      GtkWidget *w = kiosk_apply_form_get_field (p->form, item->form_fields[i].id);
      const char *value = kiosk_case_draft_get_value (draft, item->form_fields[i].id);

      /* values already in the draft (back from review) show again */
      if (value && *value && !kiosk_form_field_get_read_only (KIOSK_FORM_FIELD (w)))
        kiosk_form_field_set_text (KIOSK_FORM_FIELD (w), value);
      g_signal_connect (w, "changed", G_CALLBACK (field_changed_cb), page);
      if (kiosk_form_field_get_entry (KIOSK_FORM_FIELD (w)))
        watch_focus (page, kiosk_form_field_get_entry (KIOSK_FORM_FIELD (w)));
    }
  gtk_box_append (GTK_BOX (box), p->form);
}

/* ---- commitment ---------------------------------------------------------------- */

static void
update_commitment (ApplyPage *p)
{
  const KioskCaseDraft *draft = draft_of (p);
  KioskCommitmentChoice c = draft ? kiosk_case_draft_get_commitment (draft) : KIOSK_COMMITMENT_UNDECIDED;

  if (p->commit_button == NULL)
    return;
  p->updating = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (p->commit_button), c == KIOSK_COMMITMENT_COMMIT);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (p->proof_button), c == KIOSK_COMMITMENT_PROOF);
  p->updating = FALSE;
  gtk_widget_set_visible (p->pad_box, c == KIOSK_COMMITMENT_COMMIT);
}

static gboolean
scroll_to_end_cb (gpointer data)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (data));

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  return G_SOURCE_REMOVE;
}

static void
commitment_toggled_cb (GtkToggleButton *button, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  g_autoptr (GError) error = NULL;

  if (p->updating || !gtk_toggle_button_get_active (button))
    return;
  if (!kiosk_apply_journey_set_commitment (
          p->journey, GTK_WIDGET (button) == p->commit_button ? KIOSK_COMMITMENT_COMMIT : KIOSK_COMMITMENT_PROOF,
          &error))
    show_error (p, KIOSK_APPLY_STEP_COMMITMENT, error);
  update_commitment (p);
  /* the pad comes into view once laid out */
  if (GTK_WIDGET (button) == p->commit_button)
    g_timeout_add_full (G_PRIORITY_DEFAULT, 100, scroll_to_end_cb,
                        g_object_ref (p->scrolled[KIOSK_APPLY_STEP_COMMITMENT]), g_object_unref);
}

/* The pad's signature to the journey: the PNG once there is enough ink,
 * none once it is cleared. */
static void
send_signature (ApplyPage *p)
{
  const KioskCaseDraft *d = draft_of (p);
  KioskSignaturePad *pad = p->pad ? KIOSK_SIGNATURE_PAD (p->pad) : NULL;
  g_autoptr (GBytes) png = NULL;

  if (pad == NULL || d == NULL || kiosk_case_draft_get_commitment (d) != KIOSK_COMMITMENT_COMMIT)
    return;
  if (kiosk_signature_pad_get_signed (pad))
    png = kiosk_signature_pad_export_png (pad, NULL);
  if (png || kiosk_case_draft_get_signature_sha256 (d))
    kiosk_apply_journey_set_signature (p->journey, png, NULL);
}

static void
signed_cb (KioskSignaturePad *pad, GParamSpec *pspec, GtkWidget *page)
{
  send_signature (page_of (page));
}

static void
notice_row (GtkWidget *box, const char *label, const char *value)
{
  if (value && *value)
    _kiosk_detail_row (GTK_BOX (box), label, value);
}

static void
build_commitment (GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  KioskCatalogItem *item = kiosk_apply_journey_get_item (p->journey);
  GtkWidget *box = p->content[KIOSK_APPLY_STEP_COMMITMENT];
  GtkWidget *card, *choices;

  if (item != NULL && item == p->commitment_item && p->commit_button)
    {
      update_commitment (p);
      return;
    }
  clear_box (box);
  p->commit_button = p->proof_button = p->pad_box = p->pad = NULL;
  g_clear_pointer (&p->commitment_item, kiosk_catalog_item_unref);
  if (item == NULL || item->commitment == NULL)
    return;
  p->commitment_item = kiosk_catalog_item_ref (item);

  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), label_new (_ ("Notice of commitment (告知承诺)"), "card-title"));
  {
    g_autofree char *intro
        = g_strdup_printf (_ ("Instead of the proof \"%s\", you may sign a written commitment that the following is "
                              "true."),
                           item->commitment->proof);
    gtk_box_append (GTK_BOX (card), label_new (intro, NULL));
  }
  notice_row (card, _ ("What you certify"), item->commitment->content);
  notice_row (card, _ ("Legal basis"), item->commitment->basis);
  notice_row (card, _ ("If it is not true"), item->commitment->liability);
  notice_row (card, _ ("Who may not commit"), item->commitment->excluded);
  notice_row (card, _ ("Withdrawing"), item->commitment->withdrawable);
  gtk_box_append (GTK_BOX (box), card);

  choices = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  gtk_box_set_homogeneous (GTK_BOX (choices), TRUE);
  p->commit_button = gtk_toggle_button_new_with_label (_ ("I commit and sign"));
  p->proof_button = gtk_toggle_button_new_with_label (_ ("I will supply the proof"));
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (p->proof_button), GTK_TOGGLE_BUTTON (p->commit_button));
  gtk_widget_set_name (p->commit_button, "apply-commit");
  gtk_widget_set_name (p->proof_button, "apply-proof");
  name_accessible (p->commit_button, _ ("I commit and sign"));
  name_accessible (p->proof_button, _ ("I will supply the proof"));
  gtk_widget_add_css_class (p->commit_button, "big-button");
  gtk_widget_add_css_class (p->proof_button, "big-button");
  g_signal_connect (p->commit_button, "toggled", G_CALLBACK (commitment_toggled_cb), page);
  g_signal_connect (p->proof_button, "toggled", G_CALLBACK (commitment_toggled_cb), page);
  gtk_box_append (GTK_BOX (choices), p->commit_button);
  gtk_box_append (GTK_BOX (choices), p->proof_button);
  gtk_box_append (GTK_BOX (box), choices);

  p->pad_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  /* The pad says what to do and whether it holds a signature: nothing
   * said twice here. */
  p->pad = kiosk_signature_pad_new ();
  gtk_widget_set_name (p->pad, "apply-signature");
  gtk_widget_set_halign (p->pad, GTK_ALIGN_START);
  g_signal_connect (p->pad, "notify::signed", G_CALLBACK (signed_cb), page);
  gtk_box_append (GTK_BOX (p->pad_box), p->pad);
  gtk_box_append (GTK_BOX (box), p->pad_box);
  update_commitment (p);
}

/* ---- materials ----------------------------------------------------------------- */

static char *
material_state_text (ApplyPage *p, guint index)
{
  const KioskCaseDraft *d = draft_of (p);

  switch (kiosk_case_draft_get_material_state (d, index))
    {
    case KIOSK_MATERIAL_ID_CARD:
      return g_strdup (_ ("Met by your ID card."));
    case KIOSK_MATERIAL_E_LICENCE:
      return g_strdup (_ ("The platform fetches the electronic licence."));
    case KIOSK_MATERIAL_FORM:
      return g_strdup (_ ("Met by the form you filled in."));
    case KIOSK_MATERIAL_SCANNED:
      return g_strdup_printf (
          ngettext ("Scanned: %u page.", "Scanned: %u pages.", kiosk_case_draft_get_n_pages (d, index)),
          kiosk_case_draft_get_n_pages (d, index));
    case KIOSK_MATERIAL_OWED:
      return g_strdup_printf (_ ("Handed in later (容缺), by %s."), kiosk_case_draft_get_owed_due (d, index));
    case KIOSK_MATERIAL_COMMITTED:
      return g_strdup (_ ("Replaced by your signed commitment."));
    case KIOSK_MATERIAL_MISSING:
    default:
      return g_strdup (_ ("Still missing."));
    }
}

static void
scan_clicked_cb (GtkButton *button, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "index"));
  g_autoptr (GError) error = NULL;

  if (kiosk_apply_journey_get_scan_target (p->journey) == index)
    index = -1;
  if (!kiosk_apply_journey_set_scan_target (p->journey, index, &error))
    show_error (p, KIOSK_APPLY_STEP_MATERIALS, error);
}

/* The camera view follows the journey: the material being scanned and its
 * pages, or what to do without the camera. Shown when the item has a
 * material to scan. */
static void
update_camera_view (ApplyPage *p)
{
  KioskCatalogItem *item = kiosk_apply_journey_get_item (p->journey);
  const KioskCaseDraft *d = draft_of (p);
  int target = kiosk_apply_journey_get_scan_target (p->journey);
  g_autoptr (GPtrArray) pages = g_ptr_array_new ();
  gboolean scans = FALSE;

  for (guint i = 0; item && i < item->n_materials; i++)
    scans |= item->materials[i].provided_by == KIOSK_PROVIDED_BY_SCAN;
  gtk_widget_set_visible (p->camera_view, scans && d != NULL);
  if (d == NULL || item == NULL)
    {
      kiosk_camera_view_clear (KIOSK_CAMERA_VIEW (p->camera_view));
      return;
    }
  /* without the camera: what to do instead (容缺, or come back later) in
   * the picture's place */
  {
    const char *gone = kiosk_apply_journey_get_camera_message (p->journey);
    kiosk_camera_view_set_unavailable (KIOSK_CAMERA_VIEW (p->camera_view), gone ? _ (gone) : NULL);
  }
  for (guint i = 0; target >= 0 && i < kiosk_case_draft_get_n_pages (d, (guint) target); i++)
    {
      const KioskCaseAttachment *a = kiosk_case_draft_get_page (d, (guint) target, i);
      if (a && a->data)
        g_ptr_array_add (pages, a->data);
    }
  kiosk_camera_view_set_pages (KIOSK_CAMERA_VIEW (p->camera_view),
                               target >= 0 && (guint) target < item->n_materials ? item->materials[target].name : NULL,
                               pages);
}

static void
camera_capture_cb (KioskCameraView *view, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  g_autoptr (GError) error = NULL;

  if (!kiosk_apply_journey_take_picture (p->journey, &error))
    show_error (p, KIOSK_APPLY_STEP_MATERIALS, error);
}

static void
camera_retake_cb (KioskCameraView *view, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  int target = kiosk_apply_journey_get_scan_target (p->journey);

  if (target >= 0)
    kiosk_apply_journey_retake_last (p->journey, (guint) target);
}

static void
camera_remove_page_cb (KioskCameraView *view, guint index, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  int target = kiosk_apply_journey_get_scan_target (p->journey);

  if (target >= 0)
    kiosk_apply_journey_remove_page (p->journey, (guint) target, index);
}

/* The core's live picture, only while this page's materials step asked for
 * it: wrapped into a texture, nothing more. */
static void
camera_preview_cb (KioskCore *core, KioskCameraFrame *frame, GtkWidget *page)
{
  ApplyPage *p = page_of (page);

  if (p->camera_view && gtk_widget_get_visible (p->camera_view))
    kiosk_camera_view_push_frame (KIOSK_CAMERA_VIEW (p->camera_view), frame);
}

static void
owe_clicked_cb (GtkButton *button, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  guint index = (guint) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "index"));
  g_autoptr (GError) error = NULL;

  if (kiosk_case_draft_get_material_state (draft_of (p), index) == KIOSK_MATERIAL_OWED)
    kiosk_apply_journey_unowe_material (p->journey, index);
  else if (!kiosk_apply_journey_owe_material (p->journey, index, &error))
    show_error (p, KIOSK_APPLY_STEP_MATERIALS, error);
}

static GtkWidget *
index_button (const char *label, const char *what, guint index, GCallback cb, GtkWidget *page)
{
  g_autofree char *name = g_strdup_printf ("apply-%s-%u", what, index);
  GtkWidget *b = button_new (label, name, NULL);

  g_object_set_data (G_OBJECT (b), "index", GINT_TO_POINTER ((int) index));
  g_signal_connect (b, "clicked", cb, page);
  return b;
}

static void
build_materials (GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  KioskCatalogItem *item = kiosk_apply_journey_get_item (p->journey);
  const KioskCaseDraft *d = draft_of (p);
  GtkWidget *box = p->content[KIOSK_APPLY_STEP_MATERIALS];
  const char *camera = kiosk_apply_journey_get_camera_message (p->journey);
  int target = kiosk_apply_journey_get_scan_target (p->journey);

  clear_box (box);
  update_camera_view (p);
  if (item == NULL || d == NULL)
    return;
  /* the camera view says it in the picture's place when it is shown */
  if (camera && !gtk_widget_get_visible (p->camera_view))
    {
      GtkWidget *l = label_new (_ (camera), "print-problem");
      gtk_widget_set_name (l, "apply-camera-message");
      gtk_box_append (GTK_BOX (box), l);
      kiosk_staff_phone_attach (GTK_LABEL (l), kiosk_core_get_config (p->core));
    }
  for (guint i = 0; i < item->n_materials; i++)
    {
      const KioskMaterial *m = &item->materials[i];
      KioskMaterialState state = kiosk_case_draft_get_material_state (d, i);
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      g_autofree char *state_text = material_state_text (p, i);
      g_autofree char *state_name = g_strdup_printf ("apply-material-state-%u", i);
      GtkWidget *state_label = label_new (state_text, NULL);

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "apply-material");
      gtk_box_append (GTK_BOX (card), label_new (m->name, "card-title"));
      if (!m->required)
        gtk_box_append (GTK_BOX (card), label_new (_ ("Optional."), "dim-label"));
      gtk_widget_set_name (state_label, state_name);
      gtk_box_append (GTK_BOX (card), state_label);
      if (m->provided_by == KIOSK_PROVIDED_BY_SCAN && state != KIOSK_MATERIAL_COMMITTED && state != KIOSK_MATERIAL_OWED)
        {
          if ((int) i == target)
            {
              gtk_box_append (GTK_BOX (card),
                              label_new (_ ("Place the pages under the document camera, one at a time: each is taken "
                                            "when it lies still."),
                                         "apply-scanning"));
              gtk_box_append (GTK_BOX (buttons),
                              index_button (_ ("Stop scanning"), "scan", i, G_CALLBACK (scan_clicked_cb), page));
            }
          else if (camera == NULL || kiosk_apply_journey_get_camera_state (p->journey) == KIOSK_APPLY_CAMERA_READY)
            gtk_box_append (GTK_BOX (buttons),
                            index_button (_ ("Scan"), "scan", i, G_CALLBACK (scan_clicked_cb), page));
        }
      if (state == KIOSK_MATERIAL_OWED)
        gtk_box_append (GTK_BOX (buttons),
                        index_button (_ ("Do not hand in later"), "owe", i, G_CALLBACK (owe_clicked_cb), page));
      else if (kiosk_apply_journey_can_owe (p->journey, i))
        {
          g_autofree char *due = kiosk_apply_journey_dup_owe_due (p->journey, i);
          g_autofree char *label = g_strdup_printf (_ ("Hand in later (容缺), by %s"), due ? due : "");
          gtk_box_append (GTK_BOX (buttons), index_button (label, "owe", i, G_CALLBACK (owe_clicked_cb), page));
        }
      if (gtk_widget_get_first_child (buttons))
        gtk_box_append (GTK_BOX (card), buttons);
      gtk_box_append (GTK_BOX (box), card);
    }
}

static void
scan_failed_cb (KioskApplyJourney *journey, const char *message, GtkWidget *page)
{
  ApplyPage *p = page_of (page);

  gtk_label_set_text (GTK_LABEL (p->problems[KIOSK_APPLY_STEP_MATERIALS]), _ (message));
  gtk_widget_set_visible (p->problems[KIOSK_APPLY_STEP_MATERIALS], TRUE);
}

/* ---- delivery ------------------------------------------------------------------ */

static void
update_delivery (ApplyPage *p)
{
  const KioskCaseDraft *d = draft_of (p);
  KioskDelivery method = d ? kiosk_case_draft_get_delivery (d) : KIOSK_DELIVERY_PICKUP;

  if (p->pickup_button == NULL)
    return;
  p->updating = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (p->pickup_button), method == KIOSK_DELIVERY_PICKUP);
  if (p->post_button)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (p->post_button), method == KIOSK_DELIVERY_POST);
  p->updating = FALSE;
  if (p->address)
    gtk_widget_set_visible (gtk_widget_get_parent (p->address), method == KIOSK_DELIVERY_POST);
}

static void
delivery_toggled_cb (GtkToggleButton *button, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  g_autoptr (GError) error = NULL;
  gboolean post = GTK_WIDGET (button) == p->post_button;

  if (p->updating || !gtk_toggle_button_get_active (button))
    return;
  if (!kiosk_apply_journey_set_delivery (p->journey, post ? KIOSK_DELIVERY_POST : KIOSK_DELIVERY_PICKUP,
                                         post ? gtk_editable_get_text (GTK_EDITABLE (p->address)) : NULL, &error))
    show_error (p, KIOSK_APPLY_STEP_DELIVERY, error);
  update_delivery (p);
}

static void
address_changed_cb (GtkEditable *entry, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  const KioskCaseDraft *d = draft_of (p);

  if (d && kiosk_case_draft_get_delivery (d) == KIOSK_DELIVERY_POST)
    kiosk_apply_journey_set_delivery (p->journey, KIOSK_DELIVERY_POST, gtk_editable_get_text (entry), NULL);
}

static void
build_delivery (GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  KioskCatalogItem *item = kiosk_apply_journey_get_item (p->journey);
  GtkWidget *box = p->content[KIOSK_APPLY_STEP_DELIVERY];
  GtkWidget *choices;

  if (item != NULL && item == p->delivery_item && p->pickup_button)
    {
      update_delivery (p);
      return;
    }
  clear_box (box);
  p->pickup_button = p->post_button = p->address = NULL;
  g_clear_pointer (&p->delivery_item, kiosk_catalog_item_unref);
  if (item == NULL)
    return;
  p->delivery_item = kiosk_catalog_item_ref (item);
  gtk_box_append (GTK_BOX (box), label_new (_ ("How do you want to receive the result?"), "card-title"));
  choices = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  gtk_box_set_homogeneous (GTK_BOX (choices), TRUE);
  p->pickup_button = gtk_toggle_button_new_with_label (_ ("Pick up at the counter"));
  gtk_widget_set_name (p->pickup_button, "apply-pickup");
  name_accessible (p->pickup_button, _ ("Pick up at the counter"));
  gtk_widget_add_css_class (p->pickup_button, "big-button");
  g_signal_connect (p->pickup_button, "toggled", G_CALLBACK (delivery_toggled_cb), page);
  gtk_box_append (GTK_BOX (choices), p->pickup_button);
  if (kiosk_catalog_item_offers_delivery (item, KIOSK_DELIVERY_POST))
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      GtkWidget *label = label_new (_ ("Address to post to"), NULL);
      const char *address = kiosk_apply_journey_get_post_address (p->journey);

      p->post_button = gtk_toggle_button_new_with_label (_ ("By post"));
      gtk_widget_set_name (p->post_button, "apply-post");
      name_accessible (p->post_button, _ ("By post"));
      gtk_widget_add_css_class (p->post_button, "big-button");
      gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (p->post_button), GTK_TOGGLE_BUTTON (p->pickup_button));
      g_signal_connect (p->post_button, "toggled", G_CALLBACK (delivery_toggled_cb), page);
      gtk_box_append (GTK_BOX (choices), p->post_button);

      p->address = gtk_entry_new ();
      gtk_widget_set_name (p->address, "apply-address");
      gtk_widget_add_css_class (p->address, "case-number-entry");
      gtk_editable_set_text (GTK_EDITABLE (p->address), address ? address : "");
      name_accessible (p->address, _ ("Address to post to"));
      kiosk_osk_bind (p->osk, p->address, KIOSK_OSK_LAYOUT_PINYIN);
      watch_focus (page, p->address);
      g_signal_connect (p->address, "changed", G_CALLBACK (address_changed_cb), page);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), p->address);
      gtk_box_append (GTK_BOX (box), choices);
      gtk_box_append (GTK_BOX (box), row);
    }
  else
    gtk_box_append (GTK_BOX (box), choices);
  update_delivery (p);
}

/* ---- review -------------------------------------------------------------------- */

static void
edit_clicked_cb (GtkButton *button, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  g_autoptr (GError) error = NULL;

  if (!kiosk_apply_journey_go_to_step (
          p->journey, (KioskApplyStep) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "step")), &error))
    show_error (p, KIOSK_APPLY_STEP_REVIEW, error);
}

static GtkWidget *
review_card (GtkWidget *box, const char *title, KioskApplyStep step, GtkWidget *page)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *t = label_new (title, "card-title");
  g_autofree char *name = g_strdup_printf ("apply-edit-%s", kiosk_apply_step_to_id (step));
  GtkWidget *edit = button_new (_ ("Change"), name, NULL);

  /* named as it reads; which part it changes is its description */
  gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title, -1);
  gtk_widget_set_hexpand (t, TRUE);
  gtk_widget_add_css_class (card, "card");
  g_object_set_data (G_OBJECT (edit), "step", GINT_TO_POINTER ((int) step));
  g_signal_connect (edit, "clicked", G_CALLBACK (edit_clicked_cb), page);
  gtk_box_append (GTK_BOX (head), t);
  gtk_box_append (GTK_BOX (head), edit);
  gtk_box_append (GTK_BOX (card), head);
  gtk_box_append (GTK_BOX (box), card);
  return card;
}

static void
build_review (GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  KioskCatalogItem *item = kiosk_apply_journey_get_item (p->journey);
  const KioskCaseDraft *d = draft_of (p);
  GtkWidget *box = p->content[KIOSK_APPLY_STEP_REVIEW];
  GtkWidget *card;

  clear_box (box);
  if (item == NULL || d == NULL)
    return;
  card = review_card (box, _ ("Item"), KIOSK_APPLY_STEP_ITEM, page);
  gtk_box_append (GTK_BOX (card), label_new (item->name, NULL));

  card = review_card (box, _ ("Form"), KIOSK_APPLY_STEP_FORM, page);
  for (guint i = 0; i < item->n_form_fields; i++)
    {
      const KioskFormField *f = &item->form_fields[i];
      const char *value = kiosk_case_draft_get_value (d, f->id);
      KioskPrefill mask = f->type == KIOSK_FIELD_ID_NUMBER ? KIOSK_PREFILL_ID_NUMBER : f->prefill;
      g_autofree char *shown = value && *value ? shown_value (mask, value) : g_strdup (_ ("(not filled in)"));

      _kiosk_detail_row (GTK_BOX (card), f->label, shown);
      kiosk_secure_free (g_steal_pointer (&shown));
    }

  if (kiosk_apply_journey_has_step (p->journey, KIOSK_APPLY_STEP_COMMITMENT))
    {
      KioskCommitmentChoice c = kiosk_case_draft_get_commitment (d);
      card = review_card (box, _ ("Commitment"), KIOSK_APPLY_STEP_COMMITMENT, page);
      gtk_box_append (GTK_BOX (card),
                      label_new (c == KIOSK_COMMITMENT_COMMIT  ? (kiosk_case_draft_get_signature_sha256 (d)
                                                                      ? _ ("You commit, and signed.")
                                                                      : _ ("You commit, but have not signed yet."))
                                 : c == KIOSK_COMMITMENT_PROOF ? _ ("You supply the proof.")
                                                               : _ ("Not decided yet."),
                                 NULL));
    }

  card = review_card (box, _ ("Materials"), KIOSK_APPLY_STEP_MATERIALS, page);
  {
    /* material names are long: a column of their own, wrapped */
    GtkWidget *grid = gtk_grid_new ();
    gtk_grid_set_column_spacing (GTK_GRID (grid), 24);
    gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
    for (guint i = 0; i < item->n_materials; i++)
      {
        g_autofree char *state = material_state_text (p, i);
        GtkWidget *name = label_new (item->materials[i].name, "dim-label");
        GtkWidget *value = label_new (state, NULL);
        gtk_label_set_max_width_chars (GTK_LABEL (name), 28);
        gtk_label_set_width_chars (GTK_LABEL (name), 20);
        gtk_widget_set_valign (name, GTK_ALIGN_START);
        gtk_widget_set_valign (value, GTK_ALIGN_START);
        gtk_widget_set_hexpand (value, TRUE);
        gtk_grid_attach (GTK_GRID (grid), name, 0, (int) i, 1, 1);
        gtk_grid_attach (GTK_GRID (grid), value, 1, (int) i, 1, 1);
      }
    gtk_box_append (GTK_BOX (card), grid);
  }

  card = review_card (box, _ ("Delivery"), KIOSK_APPLY_STEP_DELIVERY, page);
  if (kiosk_case_draft_get_delivery (d) == KIOSK_DELIVERY_POST)
    {
      g_autofree char *text = g_strdup_printf (_ ("By post to %s"), kiosk_case_draft_get_delivery_address (d)
                                                                        ? kiosk_case_draft_get_delivery_address (d)
                                                                        : "");
      gtk_box_append (GTK_BOX (card), label_new (text, NULL));
    }
  else
    gtk_box_append (GTK_BOX (card), label_new (_ ("Pick up at the counter"), NULL));

  /* everything that keeps the case from going in, all at once */
  set_problems_text (p, KIOSK_APPLY_STEP_REVIEW, kiosk_apply_journey_get_problems (p->journey));
}

/* ---- done ---------------------------------------------------------------------- */

static void
print_again_cb (GtkButton *button, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  g_autoptr (GError) error = NULL;

  if (!kiosk_apply_journey_print_again (p->journey, &error))
    show_error (p, KIOSK_APPLY_STEP_DONE, error);
}

static void
finish_clicked_cb (GtkButton *button, GtkWidget *page)
{
  kiosk_apply_journey_finish (page_of (page)->journey);
}

static void
build_done (GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  GtkWidget *box = p->content[KIOSK_APPLY_STEP_DONE];
  const char *number = kiosk_apply_journey_get_case_number (p->journey);
  GtkWidget *l;

  clear_box (box);
  if (number == NULL)
    return;
  gtk_box_append (GTK_BOX (box),
                  label_new (_ ("Your application has been handed in. Your case number:"), "card-title"));
  l = label_new (number, "apply-case-number");
  gtk_widget_set_name (l, "apply-case-number");
  gtk_box_append (GTK_BOX (box), l);
  gtk_box_append (GTK_BOX (box),
                  label_new (_ ("Keep the receipt: with its number you can follow your case at 进度查询."), NULL));
  if (kiosk_apply_journey_get_has_deferral_notice (p->journey))
    gtk_box_append (GTK_BOX (box),
                    label_new (_ ("A notice of the materials you still owe (容缺受理通知书) is printed with "
                                  "the receipt. Hand them in before their due date."),
                               NULL));
  switch (kiosk_apply_journey_get_print_state (p->journey))
    {
    case KIOSK_APPLY_PRINT_PRINTING:
      l = label_new (_ ("Printing the receipt…"), NULL);
      break;
    case KIOSK_APPLY_PRINT_DONE:
      l = label_new (_ ("The receipt is printed. Please take it."), NULL);
      break;
    case KIOSK_APPLY_PRINT_FAILED:
      {
        const char *message = kiosk_apply_journey_get_print_message (p->journey);
        const char *hint = kiosk_apply_journey_get_print_hint (p->journey);
        g_autofree char *text = g_strdup_printf ("%s\n%s", message ? _ (message) : _ ("The receipt was not printed."),
                                                 hint ? _ (hint) : "");
        l = label_new (g_strstrip (text), "print-problem");
        break;
      }
    case KIOSK_APPLY_PRINT_NONE:
    default:
      l = label_new ("", NULL);
      break;
    }
  gtk_widget_set_name (l, "apply-print-state");
  gtk_box_append (GTK_BOX (box), l);
  /* a print error sends to the staff: with their phone */
  kiosk_staff_phone_attach (GTK_LABEL (l), kiosk_core_get_config (p->core));
  {
    GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
    GtkWidget *finish = button_new (_ ("Done"), "apply-finish", "suggested-action");

    if (kiosk_apply_journey_get_print_state (p->journey) == KIOSK_APPLY_PRINT_FAILED)
      {
        GtkWidget *again = button_new (_ ("Print again"), "apply-print-again", "big-button");
        g_signal_connect (again, "clicked", G_CALLBACK (print_again_cb), page);
        gtk_box_append (GTK_BOX (row), again);
      }
    gtk_widget_add_css_class (finish, "big-button");
    g_signal_connect (finish, "clicked", G_CALLBACK (finish_clicked_cb), page);
    gtk_box_append (GTK_BOX (row), finish);
    gtk_box_append (GTK_BOX (box), row);
  }
}

/* ---- Next, and following the journey ------------------------------------------ */

/* Next on every step but the receipt; at review it hands the case in. */
static void
update_next (ApplyPage *p)
{
  KioskApplySubmitState s = kiosk_apply_journey_get_submit_state (p->journey);
  KioskApplyStep step = kiosk_apply_journey_get_current_step (p->journey);
  const char *label = step != KIOSK_APPLY_STEP_REVIEW      ? _ ("Next")
                      : s == KIOSK_APPLY_SUBMIT_SUBMITTING ? _ ("Handing in…")
                                                           : _ ("Hand in");

  gtk_widget_set_visible (p->next, step != KIOSK_APPLY_STEP_DONE);
  gtk_widget_set_name (p->next, step == KIOSK_APPLY_STEP_REVIEW ? "apply-submit" : "apply-next");
  gtk_button_set_label (GTK_BUTTON (p->next), label);
  name_accessible (p->next, label);
  gtk_widget_set_sensitive (p->next, step != KIOSK_APPLY_STEP_REVIEW || s != KIOSK_APPLY_SUBMIT_SUBMITTING);
  if (s == KIOSK_APPLY_SUBMIT_FAILED)
    {
      const char *m = kiosk_apply_journey_get_submit_message (p->journey);
      gtk_label_set_text (GTK_LABEL (p->problems[KIOSK_APPLY_STEP_REVIEW]),
                          m ? _ (m) : _ ("The application could not be handed in."));
      gtk_widget_set_visible (p->problems[KIOSK_APPLY_STEP_REVIEW], TRUE);
    }
}

static void
next_clicked_cb (GtkButton *button, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  KioskApplyStep step = kiosk_apply_journey_get_current_step (p->journey);
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (step == KIOSK_APPLY_STEP_FORM && p->form)
    kiosk_apply_form_check (p->form);
  /* strokes added after the pad first counted as signed go along */
  if (step == KIOSK_APPLY_STEP_COMMITMENT && p->pad && kiosk_signature_pad_get_signed (KIOSK_SIGNATURE_PAD (p->pad)))
    send_signature (p);
  if (step == KIOSK_APPLY_STEP_DELIVERY && p->address && p->post_button
      && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (p->post_button))
      && !kiosk_apply_journey_set_delivery (p->journey, KIOSK_DELIVERY_POST,
                                            gtk_editable_get_text (GTK_EDITABLE (p->address)), &error))
    {
      show_error (p, step, error);
      return;
    }
  if (step == KIOSK_APPLY_STEP_REVIEW)
    ok = kiosk_apply_journey_submit (p->journey, &error);
  else
    ok = kiosk_apply_journey_next (p->journey, &error);
  if (ok)
    gtk_widget_set_visible (p->problems[step], FALSE);
  else
    show_error (p, step, error);
}

static void
build_step (GtkWidget *page, KioskApplyStep step)
{
  switch (step)
    {
    case KIOSK_APPLY_STEP_ITEM:
      build_items (page);
      break;
    case KIOSK_APPLY_STEP_FORM:
      build_form (page);
      break;
    case KIOSK_APPLY_STEP_COMMITMENT:
      build_commitment (page);
      break;
    case KIOSK_APPLY_STEP_MATERIALS:
      build_materials (page);
      break;
    case KIOSK_APPLY_STEP_DELIVERY:
      build_delivery (page);
      break;
    case KIOSK_APPLY_STEP_REVIEW:
      build_review (page);
      break;
    case KIOSK_APPLY_STEP_DONE:
    default:
      build_done (page);
      break;
    }
}

static void move_osk (ApplyPage *p, gboolean beside_items);

static void
step_cb (KioskJourney *journey, GParamSpec *pspec, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  KioskApplyStep step;

  kiosk_steps_set_current (KIOSK_STEPS (p->steps), kiosk_journey_get_step (journey));
  if (p->journey == NULL)
    {
      /* another journey (the widgets' tests): its steps' boxes, by id */
      GListModel *steps = kiosk_journey_get_steps (journey);
      guint i = kiosk_journey_get_step (journey);
      g_autoptr (KioskJourneyStep) current
          = i < g_list_model_get_n_items (steps) ? g_list_model_get_item (steps, i) : NULL;
      if (current && gtk_stack_get_child_by_name (GTK_STACK (p->stack), kiosk_journey_step_get_id (current)))
        gtk_stack_set_visible_child_name (GTK_STACK (p->stack), kiosk_journey_step_get_id (current));
      return;
    }
  step = kiosk_apply_journey_get_current_step (p->journey);
  build_step (page, step);
  /* a new step is a new screen: its keyboard comes up when a field is
   * touched (watch_focus) */
  move_osk (p, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (p->osk), FALSE);
  update_next (p);
  if (step != KIOSK_APPLY_STEP_REVIEW)
    gtk_widget_set_visible (p->problems[step], FALSE);
  gtk_stack_set_visible_child_name (GTK_STACK (p->stack), kiosk_apply_step_to_id (step));
}

/* The search knows the catalog's items (its index is built in a worker). */
static void
update_search (GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  guint n = kiosk_apply_journey_get_loading (p->journey) ? 0 : kiosk_apply_journey_get_n_items (p->journey);
  g_autoptr (GPtrArray) items = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, kiosk_apply_journey_get_nth_item (p->journey, i));
  gtk_widget_set_visible (p->search, n > 0);
  if (n > 0)
    kiosk_item_search_set_items (KIOSK_ITEM_SEARCH (p->search), items);
}

static void
items_changed_cb (KioskApplyJourney *journey, GtkWidget *page)
{
  update_search (page);
  build_items (page);
}

static void
loading_cb (KioskApplyJourney *journey, GParamSpec *pspec, GtkWidget *page)
{
  update_search (page);
  build_items (page);
}

/* The keyboard beside the item list while searching (the list keeps the
 * step's height), back in the bar for every other step. */
static void
move_osk (ApplyPage *p, gboolean beside_items)
{
  GtkWidget *osk = GTK_WIDGET (p->osk);
  GtkWidget *to = beside_items ? p->osk_slot : p->bar;
  GtkRoot *root;

  if (p->bar == NULL || gtk_widget_get_parent (osk) == to)
    return;
  g_object_ref (osk);
  if (beside_items)
    {
      gtk_center_box_set_center_widget (GTK_CENTER_BOX (p->bar), NULL);
      gtk_box_append (GTK_BOX (p->osk_slot), osk);
    }
  else
    {
      gtk_box_remove (GTK_BOX (p->osk_slot), osk);
      gtk_center_box_set_center_widget (GTK_CENTER_BOX (p->bar), osk);
    }
  g_object_unref (osk);
  /* Next has nothing to do while an item is being looked for (choosing
   * one goes on): its row gives the list its height */
  gtk_widget_set_visible (p->bar, !beside_items);
  /* on a small screen the chips give the list their rows meanwhile */
  root = gtk_widget_get_root (p->bar);
  kiosk_item_search_set_chips_visible (KIOSK_ITEM_SEARCH (p->search),
                                       !beside_items || root == NULL
                                           || !gtk_widget_has_css_class (GTK_WIDGET (root), "compact"));
}

static void
search_touched_cb (KioskItemSearch *search, GtkWidget *page)
{
  ApplyPage *p = page_of (page);

  if (kiosk_apply_journey_get_current_step (p->journey) == KIOSK_APPLY_STEP_ITEM)
    move_osk (p, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (p->osk), TRUE);
}

/* Starting over on a small screen: the chips again, the keyboard back in
 * its bar until the field is touched. */
static void
search_cleared_cb (KioskItemSearch *search, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  GtkRoot *root = gtk_widget_get_root (page);

  if (root && gtk_widget_has_css_class (GTK_WIDGET (root), "compact"))
    {
      move_osk (p, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (p->osk), FALSE);
    }
}

static void
search_changed_cb (KioskItemSearch *search, GtkWidget *page)
{
  ApplyPage *p = page_of (page);

  build_items (page);
  gtk_adjustment_set_value (
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (p->scrolled[KIOSK_APPLY_STEP_ITEM])), 0);
}

static void
draft_changed_cb (KioskApplyJourney *journey, const char *part, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  KioskApplyStep step = kiosk_apply_journey_get_current_step (journey);

  if (g_str_equal (part, "all"))
    {
      /* a new item, or the wipe: nothing of the last one stays (also
       * not for the same item: the new resident's card fills it in) */
      g_clear_pointer (&p->form_item, kiosk_catalog_item_unref);
      g_clear_pointer (&p->commitment_item, kiosk_catalog_item_unref);
      g_clear_pointer (&p->delivery_item, kiosk_catalog_item_unref);
      for (int s = KIOSK_APPLY_STEP_FORM; s <= KIOSK_APPLY_STEP_DONE; s++)
        if (s != (int) step)
          build_step (page, (KioskApplyStep) s);
      build_step (page, step);
      return;
    }
  /* the resident changed something: the last refusal no longer holds */
  if (step != KIOSK_APPLY_STEP_REVIEW && !g_str_equal (part, "form"))
    gtk_widget_set_visible (p->problems[step], FALSE);
  if (g_str_equal (part, "form") && p->form)
    kiosk_apply_form_check (p->form);
  else if (g_str_equal (part, "commitment") || g_str_equal (part, "signature"))
    update_commitment (p);
  else if (g_str_has_prefix (part, "material:") && step == KIOSK_APPLY_STEP_MATERIALS)
    build_materials (page);
  else if (g_str_equal (part, "delivery"))
    update_delivery (p);
  if (step == KIOSK_APPLY_STEP_REVIEW)
    build_review (page);
}

static void
state_cb (KioskApplyJourney *journey, GParamSpec *pspec, GtkWidget *page)
{
  ApplyPage *p = page_of (page);

  update_next (p);
  if (kiosk_apply_journey_get_current_step (journey) == KIOSK_APPLY_STEP_DONE)
    build_done (page);
}

static void
camera_cb (KioskApplyJourney *journey, GParamSpec *pspec, GtkWidget *page)
{
  if (kiosk_apply_journey_get_current_step (journey) == KIOSK_APPLY_STEP_MATERIALS)
    build_materials (page);
}

/* Personal data is cleared, not hidden: every field and signature of every
 * step. */
static void
wipe_cb (KioskSession *session, GtkWidget *page)
{
  ApplyPage *p = page_of (page);

  wipe_widgets (p->stack);
  if (p->camera_view)
    kiosk_camera_view_clear (KIOSK_CAMERA_VIEW (p->camera_view));
  kiosk_osk_reset (p->osk);
  if (p->search)
    kiosk_item_search_clear (KIOSK_ITEM_SEARCH (p->search));
}

/* The indicator shows the titles translated. */
static gpointer
step_title_cb (gpointer item, gpointer data)
{
  GtkStringObject *title = gtk_string_object_new (_ (kiosk_journey_step_get_title (item)));

  g_object_unref (item);
  return title;
}

/* A step's place: what keeps it from going on, and its content, scrolling
 * together. */
static GtkWidget *
step_new (GtkWidget *page, int s, const char *id)
{
  ApplyPage *p = page_of (page);
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_widget_add_css_class (box, "apply-step");
  /* a long form scrolls; the header, the steps, Next and the keyboard
   * stay. What keeps the step from going on is listed at its top. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), inner);
  gtk_widget_set_vexpand (scrolled, TRUE);
  g_object_set_data (G_OBJECT (outer), "step-box", box);
  gtk_box_append (GTK_BOX (outer), scrolled);
  if (s >= 0)
    {
      g_autofree char *problems_name = g_strdup_printf ("apply-problems-%s", id);
      p->content[s] = box;
      p->scrolled[s] = scrolled;
      p->problems[s] = label_new ("", "print-problem");
      gtk_widget_set_name (p->problems[s], problems_name);
      gtk_widget_set_visible (p->problems[s], FALSE);
      gtk_box_append (GTK_BOX (inner), p->problems[s]);
      /* "…请联系工作人员" (cannot take applications, not saved): the phone */
      kiosk_staff_phone_attach (GTK_LABEL (p->problems[s]), kiosk_core_get_config (p->core));
    }
  gtk_box_append (GTK_BOX (inner), box);
  gtk_stack_add_named (GTK_STACK (p->stack), outer, id);
  return outer;
}

GtkWidget *
kiosk_apply_page_new (KioskCore *core, KioskJourney *journey)
{
  GtkWidget *page;
  ApplyPage *p;
  GListModel *steps;
  GtkMapListModel *titles;

  g_return_val_if_fail (KIOSK_IS_JOURNEY (journey), NULL);
  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  p = g_new0 (ApplyPage, 1);
  steps = kiosk_journey_get_steps (journey);
  p->core = core;
  p->base = g_object_ref (journey);
  p->journey = KIOSK_IS_APPLY_JOURNEY (journey) ? KIOSK_APPLY_JOURNEY (journey) : NULL;
  g_object_set_data_full (G_OBJECT (page), "apply-page", p, apply_page_free);
  gtk_widget_add_css_class (page, "page");
  gtk_widget_add_css_class (page, "apply-page");
  gtk_widget_set_name (page, "apply-page");
  gtk_box_append (GTK_BOX (page), _kiosk_journey_header_new (core, _ (kiosk_journey_get_title (journey))));

  titles = gtk_map_list_model_new (g_object_ref (steps), step_title_cb, NULL, NULL);
  p->steps = kiosk_steps_new (G_LIST_MODEL (titles));
  g_object_unref (titles);
  gtk_box_append (GTK_BOX (page), p->steps);

  /* one keyboard for every step, its place always kept */
  p->osk = KIOSK_OSK (kiosk_osk_new ());
  gtk_widget_set_name (GTK_WIDGET (p->osk), "apply-osk");

  p->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (p->stack), GTK_STACK_TRANSITION_TYPE_NONE);
  /* a step needs its own height, not the tallest step's (the item step's
   * search with its chips) */
  gtk_stack_set_vhomogeneous (GTK_STACK (p->stack), FALSE);
  gtk_widget_set_vexpand (p->stack, TRUE);
  if (p->journey)
    {
      /* Chinese through pinyin (the IME loads in a worker thread when the
       * keyboard is first shown) */
      kiosk_osk_use_pinyin_ime (p->osk);
      /* every step the journey may have (commitment only for some items) */
      for (int s = KIOSK_APPLY_STEP_ITEM; s <= KIOSK_APPLY_STEP_DONE; s++)
        step_new (page, s, kiosk_apply_step_to_id (s));
      /* the item step's search and chips stay above its list, the
       * keyboard's place while searching beside it */
      {
        GtkWidget *outer
            = gtk_stack_get_child_by_name (GTK_STACK (p->stack), kiosk_apply_step_to_id (KIOSK_APPLY_STEP_ITEM));
        GtkWidget *scrolled = p->scrolled[KIOSK_APPLY_STEP_ITEM];
        GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);

        p->search = kiosk_item_search_new (p->osk);
        gtk_box_prepend (GTK_BOX (outer), p->search);
        g_object_ref (scrolled);
        gtk_box_remove (GTK_BOX (outer), scrolled);
        gtk_widget_set_hexpand (scrolled, TRUE);
        gtk_box_append (GTK_BOX (row), scrolled);
        g_object_unref (scrolled);
        p->osk_slot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
        gtk_widget_set_valign (p->osk_slot, GTK_ALIGN_START);
        gtk_box_append (GTK_BOX (row), p->osk_slot);
        gtk_widget_set_vexpand (row, TRUE);
        gtk_box_append (GTK_BOX (outer), row);
      }
      /* the camera stays above the materials, which scroll under it */
      {
        GtkWidget *outer
            = gtk_stack_get_child_by_name (GTK_STACK (p->stack), kiosk_apply_step_to_id (KIOSK_APPLY_STEP_MATERIALS));
        p->camera_view = kiosk_camera_view_new ();
        gtk_widget_set_name (p->camera_view, "apply-camera");
        gtk_widget_set_visible (p->camera_view, FALSE);
        gtk_box_prepend (GTK_BOX (outer), p->camera_view);
        g_signal_connect (p->camera_view, "capture", G_CALLBACK (camera_capture_cb), page);
        g_signal_connect (p->camera_view, "retake", G_CALLBACK (camera_retake_cb), page);
        g_signal_connect (p->camera_view, "remove-page", G_CALLBACK (camera_remove_page_cb), page);
        g_signal_connect_object (core, "camera-preview", G_CALLBACK (camera_preview_cb), page, 0);
      }
    }
  else
    for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
      {
        g_autoptr (KioskJourneyStep) step = g_list_model_get_item (steps, i);
        step_new (page, -1, kiosk_journey_step_get_id (step));
      }
  gtk_box_append (GTK_BOX (page), p->stack);
  if (p->journey)
    {
      /* the keyboard, and Next at its right: the whole height above them
       * is the step's */
      GtkWidget *bar = gtk_center_box_new ();
      p->bar = bar;
      p->next = button_new (_ ("Next"), "apply-next", "suggested-action");
      gtk_widget_add_css_class (p->next, "big-button");
      gtk_widget_set_valign (p->next, GTK_ALIGN_END);
      g_signal_connect (p->next, "clicked", G_CALLBACK (next_clicked_cb), page);
      gtk_center_box_set_center_widget (GTK_CENTER_BOX (bar), GTK_WIDGET (p->osk));
      gtk_center_box_set_end_widget (GTK_CENTER_BOX (bar), p->next);
      gtk_box_append (GTK_BOX (page), bar);
    }
  else
    gtk_box_append (GTK_BOX (page), GTK_WIDGET (p->osk));

  g_signal_connect_object (journey, "notify::step", G_CALLBACK (step_cb), page, 0);
  g_signal_connect_object (kiosk_core_get_session (core), "wipe", G_CALLBACK (wipe_cb), page, 0);
  if (p->journey)
    {
      g_signal_connect_object (journey, "items-changed", G_CALLBACK (items_changed_cb), page, 0);
      g_signal_connect_object (journey, "notify::loading", G_CALLBACK (loading_cb), page, 0);
      g_signal_connect_object (journey, "draft-changed", G_CALLBACK (draft_changed_cb), page, 0);
      g_signal_connect_object (journey, "notify::submit-state", G_CALLBACK (state_cb), page, 0);
      g_signal_connect_object (journey, "notify::print-state", G_CALLBACK (state_cb), page, 0);
      g_signal_connect_object (journey, "notify::case-number", G_CALLBACK (state_cb), page, 0);
      g_signal_connect_object (journey, "notify::camera-state", G_CALLBACK (camera_cb), page, 0);
      g_signal_connect_object (journey, "scan-failed", G_CALLBACK (scan_failed_cb), page, 0);
      g_signal_connect (p->search, "changed", G_CALLBACK (search_changed_cb), page);
      g_signal_connect (p->search, "touched", G_CALLBACK (search_touched_cb), page);
      g_signal_connect (p->search, "cleared", G_CALLBACK (search_cleared_cb), page);
      update_search (page);
      build_items (page);
      update_next (p);
    }
  step_cb (journey, NULL, page);
  return page;
}

GtkWidget *
kiosk_apply_page_get_step_box (GtkWidget *page, const char *step_id)
{
  ApplyPage *p;
  GtkWidget *outer;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);
  p = page_of (page);
  g_return_val_if_fail (p != NULL, NULL);
  outer = gtk_stack_get_child_by_name (GTK_STACK (p->stack), step_id);
  return outer ? g_object_get_data (G_OBJECT (outer), "step-box") : NULL;
}

KioskOsk *
kiosk_apply_page_get_osk (GtkWidget *page)
{
  ApplyPage *p;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);
  p = page_of (page);
  g_return_val_if_fail (p != NULL, NULL);
  return p->osk;
}
