/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-domain"
#include "config.h"

#include <string.h>

#include "kiosk-case-draft.h"
#include "kiosk-domain-codec.h"
#include "kiosk-domain-private.h"
#include "kiosk-domain-rules.h"

#define MAX_SIGNATURE_BYTES (2 * 1024 * 1024)
#define MAX_PAGE_BYTES (32 * 1024 * 1024)

typedef struct {
  KioskMaterialState state;
  GPtrArray *pages; /* KioskCaseAttachment* */
  char *due;        /* YYYY-MM-DD when OWED */
} MaterialSlot;

struct _KioskCaseDraft {
  KioskCatalogItem *item;
  KioskIdentity *applicant;
  char **values; /* one per form field, NULL when empty */
  KioskCommitmentChoice commitment;
  KioskCaseAttachment *signature;
  MaterialSlot *materials;
  KioskDelivery delivery;
  char *delivery_address;
  char *agent_name;
  char *agent_id_number;
  KioskRegion region;
};

static const char *const state_names[]
    = { "missing", "id_card", "e_licence", "form", "scanned", "owed", "committed", NULL };

const char *
kiosk_material_state_to_string (KioskMaterialState state)
{
  return (guint) state < G_N_ELEMENTS (state_names) - 1 ? state_names[state] : NULL;
}

int
kiosk_material_state_from_string (const char *s)
{
  for (int i = 0; s && state_names[i]; i++)
    if (g_str_equal (state_names[i], s))
      return i;
  return -1;
}

/* Bytes the draft owns: zeroed when the last reference goes. */
static void
zero_free (gpointer mem, gsize size)
{
  if (mem)
    {
      explicit_bzero (mem, size);
      g_free (mem);
    }
}

typedef struct {
  gpointer mem;
  gsize size;
} OwnedBuffer;

static void
owned_buffer_free (gpointer data)
{
  OwnedBuffer *b = data;
  zero_free (b->mem, b->size);
  g_free (b);
}

static GBytes *
owned_copy (GBytes *src)
{
  OwnedBuffer *b = g_new0 (OwnedBuffer, 1);
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (src, &size);

  b->mem = g_memdup2 (data, size);
  b->size = size;
  return g_bytes_new_with_free_func (b->mem, size, owned_buffer_free, b);
}

void
kiosk_case_attachment_free (KioskCaseAttachment *a)
{
  if (a == NULL)
    return;
  g_free (a->name);
  g_free (a->media_type);
  g_clear_pointer (&a->data, g_bytes_unref);
  g_free (a->sha256);
  g_free (a);
}

static KioskCaseAttachment *
attachment_copy (const KioskCaseAttachment *a)
{
  KioskCaseAttachment *c = g_new0 (KioskCaseAttachment, 1);
  c->name = g_strdup (a->name);
  c->media_type = g_strdup (a->media_type);
  c->data = a->data ? g_bytes_ref (a->data) : NULL;
  c->sha256 = g_strdup (a->sha256);
  c->size = a->size;
  return c;
}

static KioskCaseAttachment *
attachment_new (const char *name, const char *media_type, GBytes *bytes)
{
  KioskCaseAttachment *a = g_new0 (KioskCaseAttachment, 1);
  a->name = g_strdup (name);
  a->media_type = g_strdup (media_type);
  a->data = owned_copy (bytes);
  a->size = g_bytes_get_size (bytes);
  a->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  return a;
}

static void
initial_material_state (KioskCaseDraft *self, guint i)
{
  MaterialSlot *slot = &self->materials[i];

  g_clear_pointer (&slot->due, g_free);
  g_ptr_array_set_size (slot->pages, 0);
  switch (self->item->materials[i].provided_by)
    {
    case KIOSK_PROVIDED_BY_ID_CARD_READER:
      slot->state = self->applicant ? KIOSK_MATERIAL_ID_CARD : KIOSK_MATERIAL_MISSING;
      break;
    case KIOSK_PROVIDED_BY_E_LICENCE:
      slot->state = KIOSK_MATERIAL_E_LICENCE;
      break;
    case KIOSK_PROVIDED_BY_KIOSK_FORM:
      slot->state = KIOSK_MATERIAL_FORM;
      break;
    case KIOSK_PROVIDED_BY_SCAN:
    default:
      slot->state = KIOSK_MATERIAL_MISSING;
      break;
    }
}

static void
reset (KioskCaseDraft *self)
{
  KioskCatalogItem *it = self->item;

  for (guint i = 0; i < it->n_materials; i++)
    initial_material_state (self, i);
  self->commitment = KIOSK_COMMITMENT_UNDECIDED;
  self->delivery = KIOSK_DELIVERY_PICKUP;
  g_free (self->region.code);
  g_free (self->region.name);
  self->region.code = it->cross_region ? g_strdup (it->handling_region.code) : NULL;
  self->region.name = it->cross_region ? g_strdup (it->handling_region.name) : NULL;
}

KioskCaseDraft *
kiosk_case_draft_new (KioskCatalogItem *item, const KioskIdentity *applicant)
{
  KioskCaseDraft *self;

  g_return_val_if_fail (item != NULL, NULL);
  self = g_new0 (KioskCaseDraft, 1);
  self->item = kiosk_catalog_item_ref (item);
  self->applicant = applicant ? kiosk_identity_copy (applicant) : NULL;
  self->values = g_new0 (char *, item->n_form_fields + 1);
  self->materials = g_new0 (MaterialSlot, item->n_materials + 1);
  for (guint i = 0; i < item->n_materials; i++)
    self->materials[i].pages = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_case_attachment_free);
  reset (self);
  return self;
}

void
kiosk_case_draft_wipe (KioskCaseDraft *self)
{
  g_return_if_fail (self != NULL);
  g_clear_pointer (&self->applicant, kiosk_identity_free);
  for (guint i = 0; i < self->item->n_form_fields; i++)
    g_clear_pointer (&self->values[i], kiosk_secure_free);
  g_clear_pointer (&self->signature, kiosk_case_attachment_free);
  g_clear_pointer (&self->delivery_address, kiosk_secure_free);
  g_clear_pointer (&self->agent_name, kiosk_secure_free);
  g_clear_pointer (&self->agent_id_number, kiosk_secure_free);
  reset (self);
}

void
kiosk_case_draft_free (KioskCaseDraft *self)
{
  if (self == NULL)
    return;
  kiosk_case_draft_wipe (self);
  for (guint i = 0; i < self->item->n_materials; i++)
    {
      g_ptr_array_unref (self->materials[i].pages);
      g_free (self->materials[i].due);
    }
  g_free (self->materials);
  g_free (self->values);
  g_free (self->region.code);
  g_free (self->region.name);
  kiosk_catalog_item_unref (self->item);
  g_free (self);
}

KioskCatalogItem *
kiosk_case_draft_get_item (const KioskCaseDraft *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->item;
}

const KioskIdentity *
kiosk_case_draft_get_applicant (const KioskCaseDraft *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->applicant;
}

static int
field_index (const KioskCaseDraft *self, const char *field_id)
{
  const KioskFormField *f = kiosk_catalog_item_find_field (self->item, field_id);
  return f ? (int) (f - self->item->form_fields) : -1;
}

gboolean
kiosk_case_draft_set_value (KioskCaseDraft *self, const char *field_id, const char *value)
{
  int i;

  g_return_val_if_fail (self != NULL, FALSE);
  i = field_index (self, field_id);
  if (i < 0)
    return FALSE;
  g_clear_pointer (&self->values[i], kiosk_secure_free);
  if (value && *value)
    self->values[i] = g_strdup (value);
  return TRUE;
}

const char *
kiosk_case_draft_get_value (const KioskCaseDraft *self, const char *field_id)
{
  int i;

  g_return_val_if_fail (self != NULL, NULL);
  i = field_index (self, field_id);
  return i < 0 ? NULL : self->values[i];
}

/* The materials the commitment replaces: those the catalog marks
 * "replaced_by": "commitment", and those named like the notice's proof
 * (the proof's name within the material's, or the reverse). */
static gboolean
replaced_by_commitment (const KioskCatalogItem *it, guint i)
{
  const char *proof = it->commitment ? it->commitment->proof : NULL;
  const char *name = it->materials[i].name;

  if (proof == NULL || it->materials[i].provided_by != KIOSK_PROVIDED_BY_SCAN)
    return FALSE;
  if (g_strcmp0 (it->materials[i].replaced_by, "commitment") == 0)
    return TRUE;
  return strstr (name, proof) != NULL || strstr (proof, name) != NULL;
}

gboolean
kiosk_case_draft_set_commitment (KioskCaseDraft *self, KioskCommitmentChoice choice, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (choice == KIOSK_COMMITMENT_COMMIT && !kiosk_commitment_allowed (self))
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID,
                           self->agent_name ? "only the applicant may commit, never an agent"
                                            : "this item does not allow 告知承诺");
      return FALSE;
    }
  for (guint i = 0; i < self->item->n_materials; i++)
    {
      if (!replaced_by_commitment (self->item, i))
        continue;
      if (choice == KIOSK_COMMITMENT_COMMIT)
        {
          g_ptr_array_set_size (self->materials[i].pages, 0);
          g_clear_pointer (&self->materials[i].due, g_free);
          self->materials[i].state = KIOSK_MATERIAL_COMMITTED;
        }
      else if (self->materials[i].state == KIOSK_MATERIAL_COMMITTED)
        self->materials[i].state = KIOSK_MATERIAL_MISSING;
    }
  if (choice != KIOSK_COMMITMENT_COMMIT)
    g_clear_pointer (&self->signature, kiosk_case_attachment_free);
  self->commitment = choice;
  return TRUE;
}

KioskCommitmentChoice
kiosk_case_draft_get_commitment (const KioskCaseDraft *self)
{
  g_return_val_if_fail (self != NULL, KIOSK_COMMITMENT_UNDECIDED);
  return self->commitment;
}

static gboolean
is_png (GBytes *b)
{
  static const guint8 magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize size = 0;
  const guint8 *d = g_bytes_get_data (b, &size);
  return size > 8 && memcmp (d, magic, 8) == 0;
}

static gboolean
is_jpeg (GBytes *b)
{
  gsize size = 0;
  const guint8 *d = g_bytes_get_data (b, &size);
  return size > 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff;
}

gboolean
kiosk_case_draft_set_signature (KioskCaseDraft *self, GBytes *png, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (png == NULL)
    {
      g_clear_pointer (&self->signature, kiosk_case_attachment_free);
      return TRUE;
    }
  if (self->commitment != KIOSK_COMMITMENT_COMMIT)
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID,
                           "a signature goes only with the commitment chosen");
      return FALSE;
    }
  if (!is_png (png) || g_bytes_get_size (png) > MAX_SIGNATURE_BYTES)
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID,
                           "the signature is not a PNG of at most 2 MB");
      return FALSE;
    }
  g_clear_pointer (&self->signature, kiosk_case_attachment_free);
  self->signature = attachment_new ("告知承诺书签名", "image/png", png);
  return TRUE;
}

const char *
kiosk_case_draft_get_signature_sha256 (const KioskCaseDraft *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->signature ? self->signature->sha256 : NULL;
}

KioskMaterialState
kiosk_case_draft_get_material_state (const KioskCaseDraft *self, guint index)
{
  g_return_val_if_fail (self != NULL && index < self->item->n_materials, KIOSK_MATERIAL_MISSING);
  return self->materials[index].state;
}

gboolean
kiosk_case_draft_add_page (KioskCaseDraft *self, guint index, const char *media_type, GBytes *bytes, GError **error)
{
  MaterialSlot *slot;
  g_autofree char *name = NULL;

  g_return_val_if_fail (self != NULL && bytes != NULL, FALSE);
  if (index >= self->item->n_materials || self->item->materials[index].provided_by != KIOSK_PROVIDED_BY_SCAN)
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID, "not a material to scan");
      return FALSE;
    }
  slot = &self->materials[index];
  if (slot->pages->len >= KIOSK_DOMAIN_MAX_PAGES)
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_TOO_LARGE, "too many pages");
      return FALSE;
    }
  if (g_strcmp0 (media_type, "image/jpeg") == 0  ? !is_jpeg (bytes)
      : g_strcmp0 (media_type, "image/png") == 0 ? !is_png (bytes)
                                                 : TRUE)
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID, "a page is a JPEG or PNG image");
      return FALSE;
    }
  if (g_bytes_get_size (bytes) > MAX_PAGE_BYTES)
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_TOO_LARGE, "a page is too large");
      return FALSE;
    }
  name = g_strdup_printf ("%s p%u", self->item->materials[index].name, slot->pages->len + 1);
  g_ptr_array_add (slot->pages, attachment_new (name, media_type, bytes));
  g_clear_pointer (&slot->due, g_free);
  slot->state = KIOSK_MATERIAL_SCANNED;
  return TRUE;
}

void
kiosk_case_draft_clear_pages (KioskCaseDraft *self, guint index)
{
  g_return_if_fail (self != NULL && index < self->item->n_materials);
  g_ptr_array_set_size (self->materials[index].pages, 0);
  if (self->materials[index].state == KIOSK_MATERIAL_SCANNED)
    self->materials[index].state = KIOSK_MATERIAL_MISSING;
}

guint
kiosk_case_draft_get_n_pages (const KioskCaseDraft *self, guint index)
{
  g_return_val_if_fail (self != NULL && index < self->item->n_materials, 0);
  return self->materials[index].pages->len;
}

const KioskCaseAttachment *
kiosk_case_draft_get_page (const KioskCaseDraft *self, guint index, guint page)
{
  g_return_val_if_fail (self != NULL && index < self->item->n_materials, NULL);
  return page < self->materials[index].pages->len ? self->materials[index].pages->pdata[page] : NULL;
}

gboolean
kiosk_case_draft_owe_material (KioskCaseDraft *self, guint index, GDate *today, GError **error)
{
  GDate due;
  char buf[16];

  g_return_val_if_fail (self != NULL, FALSE);
  if (index >= self->item->n_materials || !kiosk_material_may_be_owed (self->item, index)
      || !kiosk_deferral_due_date (self->item, today, &due))
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID,
                           "this material cannot be supplied later (容缺) for this item");
      return FALSE;
    }
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &due);
  g_ptr_array_set_size (self->materials[index].pages, 0);
  g_free (self->materials[index].due);
  self->materials[index].due = g_strdup (buf);
  self->materials[index].state = KIOSK_MATERIAL_OWED;
  return TRUE;
}

void
kiosk_case_draft_unowe_material (KioskCaseDraft *self, guint index)
{
  g_return_if_fail (self != NULL && index < self->item->n_materials);
  if (self->materials[index].state != KIOSK_MATERIAL_OWED)
    return;
  g_clear_pointer (&self->materials[index].due, g_free);
  self->materials[index].state = KIOSK_MATERIAL_MISSING;
}

const char *
kiosk_case_draft_get_owed_due (const KioskCaseDraft *self, guint index)
{
  g_return_val_if_fail (self != NULL && index < self->item->n_materials, NULL);
  return self->materials[index].due;
}

gboolean
kiosk_case_draft_set_delivery (KioskCaseDraft *self, KioskDelivery method, const char *address, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (!kiosk_catalog_item_offers_delivery (self->item, method))
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID, "this delivery is not offered");
      return FALSE;
    }
  if (method == KIOSK_DELIVERY_POST && (address == NULL || *address == '\0'))
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_MISSING, "post needs an address");
      return FALSE;
    }
  self->delivery = method;
  g_clear_pointer (&self->delivery_address, kiosk_secure_free);
  if (method == KIOSK_DELIVERY_POST)
    self->delivery_address = g_strdup (address);
  return TRUE;
}

KioskDelivery
kiosk_case_draft_get_delivery (const KioskCaseDraft *self)
{
  g_return_val_if_fail (self != NULL, KIOSK_DELIVERY_PICKUP);
  return self->delivery;
}

const char *
kiosk_case_draft_get_delivery_address (const KioskCaseDraft *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->delivery_address;
}

void
kiosk_case_draft_set_agent (KioskCaseDraft *self, const char *name, const char *id_number)
{
  g_return_if_fail (self != NULL);
  g_clear_pointer (&self->agent_name, kiosk_secure_free);
  g_clear_pointer (&self->agent_id_number, kiosk_secure_free);
  if (name == NULL || *name == '\0')
    return;
  self->agent_name = g_strdup (name);
  self->agent_id_number = id_number && *id_number ? g_strdup (id_number) : NULL;
  /* Only the applicant commits: an agent's draft takes the ordinary route. */
  if (self->commitment == KIOSK_COMMITMENT_COMMIT)
    kiosk_case_draft_set_commitment (self, KIOSK_COMMITMENT_UNDECIDED, NULL);
}

const char *
kiosk_case_draft_get_agent_name (const KioskCaseDraft *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->agent_name;
}

const char *
kiosk_case_draft_get_agent_id_number (const KioskCaseDraft *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->agent_id_number;
}

void
kiosk_case_draft_set_handling_region (KioskCaseDraft *self, const char *code, const char *name)
{
  g_return_if_fail (self != NULL);
  g_free (self->region.code);
  g_free (self->region.name);
  self->region.code = code && *code ? g_strdup (code) : NULL;
  self->region.name = name && *name ? g_strdup (name) : NULL;
}

const KioskRegion *
kiosk_case_draft_get_handling_region (const KioskCaseDraft *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->region;
}

GPtrArray *
kiosk_case_draft_get_attachments (const KioskCaseDraft *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_case_attachment_free);

  g_return_val_if_fail (self != NULL, out);
  for (guint i = 0; i < self->item->n_materials; i++)
    for (guint p = 0; p < self->materials[i].pages->len; p++)
      g_ptr_array_add (out, attachment_copy (self->materials[i].pages->pdata[p]));
  if (self->signature)
    g_ptr_array_add (out, attachment_copy (self->signature));
  return out;
}

/* ---- restoring a decoded case -------------------------------------------- */

void
_kiosk_case_draft_restore_material (KioskCaseDraft *self, guint index, KioskMaterialState state, const char *due)
{
  g_return_if_fail (index < self->item->n_materials);
  self->materials[index].state = state;
  g_free (self->materials[index].due);
  self->materials[index].due = g_strdup (due);
}

void
_kiosk_case_draft_restore_page (KioskCaseDraft *self, guint index, const char *media_type, const char *sha256,
                                gsize size)
{
  KioskCaseAttachment *a = g_new0 (KioskCaseAttachment, 1);

  g_return_if_fail (index < self->item->n_materials);
  a->name = g_strdup_printf ("%s p%u", self->item->materials[index].name, self->materials[index].pages->len + 1);
  a->media_type = g_strdup (media_type);
  a->sha256 = g_strdup (sha256);
  a->size = size;
  g_ptr_array_add (self->materials[index].pages, a);
}

void
_kiosk_case_draft_restore_commitment (KioskCaseDraft *self, KioskCommitmentChoice choice, const char *signature_sha256)
{
  self->commitment = choice;
  g_clear_pointer (&self->signature, kiosk_case_attachment_free);
  if (signature_sha256)
    {
      self->signature = g_new0 (KioskCaseAttachment, 1);
      self->signature->name = g_strdup ("告知承诺书签名");
      self->signature->media_type = g_strdup ("image/png");
      self->signature->sha256 = g_strdup (signature_sha256);
    }
}

void
_kiosk_case_draft_restore_delivery (KioskCaseDraft *self, KioskDelivery method, const char *address)
{
  self->delivery = method;
  g_clear_pointer (&self->delivery_address, kiosk_secure_free);
  self->delivery_address = g_strdup (address);
}
