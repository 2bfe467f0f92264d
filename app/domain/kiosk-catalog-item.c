/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-domain"
#include "config.h"

#include "kiosk-catalog-item.h"
#include "kiosk-domain-private.h"

G_DEFINE_BOXED_TYPE (KioskCatalogItem, kiosk_catalog_item, kiosk_catalog_item_ref, kiosk_catalog_item_unref)

typedef struct {
  KioskCatalogItem item;
  gint refs;
} ItemBox;

KioskCatalogItem *
_kiosk_catalog_item_new (void)
{
  ItemBox *box = g_new0 (ItemBox, 1);
  box->refs = 1;
  box->item.time_limit_days = -1;
  box->item.commitment_allowed = KIOSK_FLAG_UNSTATED;
  box->item.deferral_allowed = KIOSK_FLAG_UNSTATED;
  box->item.proxy_allowed = KIOSK_FLAG_UNSTATED;
  box->item.kiosk_accepts = TRUE;
  box->item.delivery = KIOSK_DELIVERY_PICKUP;
  box->item.aliases = g_new0 (char *, 1);
  return &box->item;
}

KioskCatalogItem *
kiosk_catalog_item_ref (KioskCatalogItem *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&((ItemBox *) self)->refs);
  return self;
}

static void
commitment_free (KioskCommitmentRule *c)
{
  if (c == NULL)
    return;
  g_free (c->proof);
  g_free (c->content);
  g_free (c->basis);
  g_free (c->liability);
  g_free (c->excluded);
  g_free (c->withdrawable);
  g_free (c->source_grade);
  g_free (c);
}

void
kiosk_catalog_item_unref (KioskCatalogItem *self)
{
  ItemBox *box = (ItemBox *) self;

  if (self == NULL || !g_atomic_int_dec_and_test (&box->refs))
    return;
  g_free (self->code);
  g_free (self->name);
  g_free (self->department);
  g_free (self->category);
  g_strfreev (self->aliases);
  g_free (self->item_type_code);
  g_free (self->item_type_name);
  g_free (self->level);
  g_free (self->handling);
  g_free (self->case_type_name);
  g_free (self->time_limit_note);
  g_free (self->fee.text);
  g_free (self->legal_basis);
  for (guint i = 0; i < self->n_materials; i++)
    {
      g_free (self->materials[i].name);
      g_free (self->materials[i].note);
      g_free (self->materials[i].replaced_by);
    }
  g_free (self->materials);
  for (guint i = 0; i < self->n_form_fields; i++)
    {
      g_free (self->form_fields[i].id);
      g_free (self->form_fields[i].label);
      g_strfreev (self->form_fields[i].choices);
    }
  g_free (self->form_fields);
  commitment_free (self->commitment);
  if (self->deferral)
    {
      g_free (self->deferral->consequence);
      g_free (self->deferral->source);
      g_free (self->deferral);
    }
  g_free (self->cross_region_scope);
  g_free (self->handling_region.code);
  g_free (self->handling_region.name);
  g_free (self->where_to_apply);
  g_free (self->source);
  g_free (box);
}

const KioskFormField *
kiosk_catalog_item_find_field (const KioskCatalogItem *self, const char *id)
{
  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; id && i < self->n_form_fields; i++)
    if (g_strcmp0 (self->form_fields[i].id, id) == 0)
      return &self->form_fields[i];
  return NULL;
}

int
kiosk_catalog_item_find_material (const KioskCatalogItem *self, const char *name)
{
  g_return_val_if_fail (self != NULL, -1);
  for (guint i = 0; name && i < self->n_materials; i++)
    if (g_strcmp0 (self->materials[i].name, name) == 0)
      return (int) i;
  return -1;
}

gboolean
kiosk_catalog_item_offers_delivery (const KioskCatalogItem *self, KioskDelivery method)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return (self->delivery & method) != 0 && (method == KIOSK_DELIVERY_PICKUP || method == KIOSK_DELIVERY_POST);
}

static int
index_of (const char *const *names, const char *s)
{
  for (int i = 0; s && names[i]; i++)
    if (g_str_equal (names[i], s))
      return i;
  return -1;
}

static const char *const provided_by_names[] = { "id_card_reader", "e_licence", "kiosk_form", "scan", NULL };
static const char *const field_type_names[]
    = { "text", "number", "date", "phone", "choice", "address", "id_number", NULL };
static const char *const prefill_names[] = { "", "name", "id_number", "gender", "birth_date", "address", NULL };

const char *
kiosk_provided_by_to_string (KioskProvidedBy by)
{
  return (guint) by < G_N_ELEMENTS (provided_by_names) - 1 ? provided_by_names[by] : NULL;
}

int
kiosk_provided_by_from_string (const char *s)
{
  return index_of (provided_by_names, s);
}

const char *
kiosk_field_type_to_string (KioskFieldType type)
{
  return (guint) type < G_N_ELEMENTS (field_type_names) - 1 ? field_type_names[type] : NULL;
}

int
kiosk_field_type_from_string (const char *s)
{
  return index_of (field_type_names, s);
}

const char *
kiosk_prefill_to_string (KioskPrefill prefill)
{
  return prefill != KIOSK_PREFILL_NONE && (guint) prefill < G_N_ELEMENTS (prefill_names) - 1 ? prefill_names[prefill]
                                                                                             : NULL;
}

int
kiosk_prefill_from_string (const char *s)
{
  int i = index_of (prefill_names, s);
  return i > 0 ? i : -1;
}

void
kiosk_catalog_free (KioskCatalog *self)
{
  if (self == NULL)
    return;
  g_free (self->version);
  if (self->items)
    g_ptr_array_unref (self->items);
  g_free (self);
}

KioskCatalogItem *
kiosk_catalog_find (const KioskCatalog *self, const char *code)
{
  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; code && i < self->items->len; i++)
    {
      KioskCatalogItem *it = self->items->pdata[i];
      if (g_str_equal (it->code, code))
        return it;
    }
  return NULL;
}
