/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kiosk-domain-rules.h"
#include "kiosk-receipt-data.h"

/* At most @max characters (the printer's caps). */
static void
set_capped (JsonObject *o, const char *member, const char *s, glong max)
{
  g_autofree char *v = NULL;

  if (s == NULL)
    v = g_strdup ("");
  else if (g_utf8_strlen (s, -1) <= max)
    v = g_strdup (s);
  else
    v = g_utf8_substring (s, 0, max);
  json_object_set_string_member (o, member, v);
}

static const char *
phone_value (const KioskCaseDraft *draft)
{
  KioskCatalogItem *item = kiosk_case_draft_get_item (draft);

  for (guint i = 0; i < item->n_form_fields; i++)
    if (item->form_fields[i].type == KIOSK_FIELD_PHONE)
      return kiosk_case_draft_get_value (draft, item->form_fields[i].id);
  return NULL;
}

/* "138****5678": a phone printed on paper the resident may lose. */
static char *
mask_phone (const char *phone)
{
  gsize n = phone ? strlen (phone) : 0;

  if (n < 8)
    return NULL;
  return g_strdup_printf ("%.3s****%s", phone, phone + n - 4);
}

gboolean
kiosk_case_draft_has_owed (const KioskCaseDraft *draft)
{
  KioskCatalogItem *item = kiosk_case_draft_get_item (draft);

  for (guint i = 0; i < item->n_materials; i++)
    if (kiosk_case_draft_get_material_state (draft, i) == KIOSK_MATERIAL_OWED)
      return TRUE;
  return FALSE;
}

static JsonArray *
owed_materials (const KioskCaseDraft *draft, const char *station)
{
  KioskCatalogItem *item = kiosk_case_draft_get_item (draft);
  JsonArray *owed = json_array_new ();
  g_autofree char *how = g_strdup_printf ("交至%s", station && *station ? station : "本服务站");

  for (guint i = 0; i < item->n_materials && json_array_get_length (owed) < 10; i++)
    {
      JsonObject *m;
      if (kiosk_case_draft_get_material_state (draft, i) != KIOSK_MATERIAL_OWED)
        continue;
      m = json_object_new ();
      set_capped (m, "name", item->materials[i].name, 100);
      set_capped (m, "how", how, 100);
      json_object_set_string_member (m, "deadline", kiosk_case_draft_get_owed_due (draft, i));
      json_array_add_object_element (owed, m);
    }
  return owed;
}

/* What receipt and notice share: who, which case, where, when. */
static JsonObject *
common (const KioskCaseDraft *draft, const KioskReceiptContext *ctx)
{
  KioskCatalogItem *item = kiosk_case_draft_get_item (draft);
  const KioskIdentity *who = kiosk_case_draft_get_applicant (draft);
  JsonObject *d = json_object_new ();
  g_autofree char *phone = mask_phone (phone_value (draft));
  g_autofree char *accepted_at = g_date_time_format (ctx->accepted_at, "%Y-%m-%dT%H:%M:%S");
  GDate accepted_on, promised;

  json_object_set_string_member (d, "case_number", ctx->case_number);
  json_object_set_boolean_member (d, "provisional", ctx->provisional);
  set_capped (d, "item_name", item->name, 200);
  set_capped (d, "applicant_name", who ? who->name : NULL, 64);
  if (who && who->id_number)
    set_capped (d, "applicant_id_number", who->id_number, 32);
  if (phone)
    json_object_set_string_member (d, "applicant_phone", phone);
  if (item->time_limit_days >= 0)
    json_object_set_int_member (d, "time_limit_days", item->time_limit_days);
  g_date_clear (&accepted_on, 1);
  g_date_set_dmy (&accepted_on, (GDateDay) g_date_time_get_day_of_month (ctx->accepted_at),
                  (GDateMonth) g_date_time_get_month (ctx->accepted_at),
                  (GDateYear) g_date_time_get_year (ctx->accepted_at));
  kiosk_item_promised_date (item, &accepted_on, &promised);
  if (g_date_valid (&promised))
    {
      char buf[16];
      g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &promised);
      json_object_set_string_member (d, "promised_date", buf);
    }
  if (ctx->station && *ctx->station)
    set_capped (d, "station", ctx->station, 64);
  if (ctx->office_phone && *ctx->office_phone)
    set_capped (d, "office_phone", ctx->office_phone, 32);
  json_object_set_string_member (d, "accepted_at", accepted_at);
  return d;
}

JsonObject *
kiosk_receipt_data_new (const KioskCaseDraft *draft, const KioskReceiptContext *ctx)
{
  KioskCatalogItem *item;
  JsonObject *d;
  JsonArray *received;
  JsonObject *delivery;

  g_return_val_if_fail (draft != NULL && ctx != NULL && ctx->case_number != NULL && ctx->accepted_at != NULL, NULL);
  item = kiosk_case_draft_get_item (draft);
  d = common (draft, ctx);
  received = json_array_new ();
  delivery = json_object_new ();
  for (guint i = 0; i < item->n_materials && json_array_get_length (received) < 20; i++)
    {
      KioskMaterialState s = kiosk_case_draft_get_material_state (draft, i);
      g_autofree char *name = g_utf8_strlen (item->materials[i].name, -1) > 80
                                  ? g_utf8_substring (item->materials[i].name, 0, 80)
                                  : g_strdup (item->materials[i].name);
      g_autofree char *text = NULL;

      switch (s)
        {
        case KIOSK_MATERIAL_ID_CARD:
        case KIOSK_MATERIAL_FORM:
          text = g_strdup (name);
          break;
        case KIOSK_MATERIAL_E_LICENCE:
          text = g_strdup_printf ("%s（电子证照）", name);
          break;
        case KIOSK_MATERIAL_SCANNED:
          text = g_strdup_printf ("%s（%u页）", name, kiosk_case_draft_get_n_pages (draft, i));
          break;
        case KIOSK_MATERIAL_COMMITTED:
          text = g_strdup_printf ("%s（告知承诺）", name);
          break;
        case KIOSK_MATERIAL_MISSING:
        case KIOSK_MATERIAL_OWED:
        default:
          break;
        }
      if (text)
        json_array_add_string_element (received, text);
    }
  json_object_set_array_member (d, "materials_received", received);
  json_object_set_array_member (d, "materials_owed", owed_materials (draft, ctx->station));
  if (kiosk_case_draft_get_delivery (draft) == KIOSK_DELIVERY_POST)
    {
      json_object_set_string_member (delivery, "method", "post");
      set_capped (delivery, "address", kiosk_case_draft_get_delivery_address (draft), 200);
    }
  else
    json_object_set_string_member (delivery, "method", "pickup");
  json_object_set_object_member (d, "delivery", delivery);
  if (item->fee.text)
    set_capped (d, "fee", item->fee.text, 200);
  if (item->cross_region)
    {
      const KioskRegion *region = kiosk_case_draft_get_handling_region (draft);
      JsonObject *cr = json_object_new ();
      set_capped (cr, "scope", item->cross_region_scope ? item->cross_region_scope : "异地通办", 16);
      set_capped (cr, "region", region && region->name ? region->name : "", 100);
      if (item->department)
        set_capped (cr, "department", item->department, 100);
      json_object_set_object_member (d, "cross_region", cr);
    }
  return d;
}

JsonObject *
kiosk_deferral_notice_data_new (const KioskCaseDraft *draft, const KioskReceiptContext *ctx)
{
  KioskCatalogItem *item;
  JsonObject *d;

  g_return_val_if_fail (draft != NULL && ctx != NULL && ctx->case_number != NULL && ctx->accepted_at != NULL, NULL);
  if (!kiosk_case_draft_has_owed (draft))
    return NULL;
  item = kiosk_case_draft_get_item (draft);
  d = common (draft, ctx);
  if (!json_object_has_member (d, "station"))
    json_object_set_string_member (d, "station", "便民服务站");
  json_object_set_array_member (d, "materials_owed", owed_materials (draft, ctx->station));
  set_capped (
      d, "consequence",
      item->deferral && item->deferral->consequence ? item->deferral->consequence : "逾期未补齐的按不予受理处理", 200);
  return d;
}
