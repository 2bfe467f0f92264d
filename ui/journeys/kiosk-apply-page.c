/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-apply"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-apply-page.h"
#include "kiosk-domain-rules.h"
#include "kiosk-form-field.h"
#include "kiosk-journey-pages.h"
#include "kiosk-signature.h"
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
  KioskJourney *journey; /* owned */
  GtkWidget *steps;
  GtkWidget *stack;
  KioskOsk *osk;
} ApplyPage;

static void
apply_page_free (gpointer data)
{
  ApplyPage *p = data;

  g_clear_object (&p->journey);
  g_free (p);
}

static ApplyPage *
page_of (GtkWidget *page)
{
  return g_object_get_data (G_OBJECT (page), "apply-page");
}

/* The indicator shows the titles translated. */
static gpointer
step_title_cb (gpointer item, gpointer data)
{
  GtkStringObject *title = gtk_string_object_new (_ (kiosk_journey_step_get_title (item)));

  g_object_unref (item);
  return title;
}

static void
step_cb (KioskJourney *journey, GParamSpec *pspec, GtkWidget *page)
{
  ApplyPage *p = page_of (page);
  GListModel *steps = kiosk_journey_get_steps (journey);
  guint step = kiosk_journey_get_step (journey);
  g_autoptr (KioskJourneyStep) current
      = step < g_list_model_get_n_items (steps) ? g_list_model_get_item (steps, step) : NULL;

  kiosk_steps_set_current (KIOSK_STEPS (p->steps), step);
  if (current && gtk_stack_get_child_by_name (GTK_STACK (p->stack), kiosk_journey_step_get_id (current)))
    gtk_stack_set_visible_child_name (GTK_STACK (p->stack), kiosk_journey_step_get_id (current));
}

static void
wipe_widgets (GtkWidget *w)
{
  if (KIOSK_IS_FORM_FIELD (w))
    kiosk_form_field_clear (KIOSK_FORM_FIELD (w));
  else if (KIOSK_IS_SIGNATURE_PAD (w))
    kiosk_signature_pad_clear (KIOSK_SIGNATURE_PAD (w));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    wipe_widgets (c);
}

/* Personal data is cleared, not hidden: every field and signature of every
 * step. */
static void
wipe_cb (KioskSession *session, GtkWidget *page)
{
  ApplyPage *p = page_of (page);

  wipe_widgets (p->stack);
  kiosk_osk_reset (p->osk);
}

GtkWidget *
kiosk_apply_page_new (KioskCore *core, KioskJourney *journey)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  ApplyPage *p = g_new0 (ApplyPage, 1);
  GListModel *steps = kiosk_journey_get_steps (journey);
  GtkMapListModel *titles;

  g_return_val_if_fail (KIOSK_IS_JOURNEY (journey), NULL);
  p->journey = g_object_ref (journey);
  g_object_set_data_full (G_OBJECT (page), "apply-page", p, apply_page_free);
  gtk_widget_add_css_class (page, "page");
  gtk_widget_add_css_class (page, "apply-page");
  gtk_widget_set_name (page, "apply-page");
  gtk_box_append (GTK_BOX (page), _kiosk_journey_header_new (core, _ (kiosk_journey_get_title (journey))));

  titles = gtk_map_list_model_new (g_object_ref (steps), step_title_cb, NULL, NULL);
  p->steps = kiosk_steps_new (G_LIST_MODEL (titles));
  g_object_unref (titles);
  gtk_box_append (GTK_BOX (page), p->steps);

  p->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (p->stack), GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_widget_set_vexpand (p->stack, TRUE);
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr (KioskJourneyStep) step = g_list_model_get_item (steps, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      gtk_widget_add_css_class (box, "apply-step");
      /* a long form scrolls; the header, the steps and the keyboard stay */
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
      g_object_set_data (G_OBJECT (scrolled), "step-box", box);
      gtk_stack_add_named (GTK_STACK (p->stack), scrolled, kiosk_journey_step_get_id (step));
    }
  gtk_box_append (GTK_BOX (page), p->stack);

  /* one keyboard for every step, its place always kept */
  p->osk = KIOSK_OSK (kiosk_osk_new ());
  gtk_widget_set_name (GTK_WIDGET (p->osk), "apply-osk");
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (p->osk));

  g_signal_connect_object (journey, "notify::step", G_CALLBACK (step_cb), page, 0);
  g_signal_connect_object (kiosk_core_get_session (core), "wipe", G_CALLBACK (wipe_cb), page, 0);
  step_cb (journey, NULL, page);
  return page;
}

GtkWidget *
kiosk_apply_page_get_step_box (GtkWidget *page, const char *step_id)
{
  ApplyPage *p;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);
  p = page_of (page);
  g_return_val_if_fail (p != NULL, NULL);
  {
    GtkWidget *scrolled = gtk_stack_get_child_by_name (GTK_STACK (p->stack), step_id);
    return scrolled ? g_object_get_data (G_OBJECT (scrolled), "step-box") : NULL;
  }
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
