/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the domain codec (app/domain/kiosk-domain-codec.h,
 * issue 14). The first byte picks: bit 0 a catalog document or one item,
 * bit 1 also a case of the first decoded item. The rest is the JSON text.
 * Invariants: a decode gives an object or an error, never both nor
 * neither; a decoded item encodes to JSON that decodes to an equal item;
 * a decoded case re-encodes (or says why) and decodes to the same JSON;
 * the rules run on every decoded draft without crashing.
 *
 * Built with clang -fsanitize=fuzzer (tests/fuzz/run-domain-fuzz.sh);
 * without libFuzzer it links fuzz-replay.c, which replays the seed corpus
 * (tests/fuzz/domain-corpus, a regression test in every build). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk-domain-codec.h"
#include "kiosk-domain-rules.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
die (const char *what)
{
  fprintf (stderr, "fuzz-domain: %s\n", what);
  abort ();
}

static void
check_item (KioskCatalogItem *it)
{
  g_autofree char *enc = kiosk_catalog_item_encode (it);
  GError *error = NULL;
  KioskCatalogItem *again = kiosk_catalog_item_decode (enc, strlen (enc), &error);

  if (again == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      die ("an encoded item does not decode");
    }
  if (!kiosk_catalog_item_equal (it, again))
    die ("an item changed in a round trip");
  kiosk_catalog_item_unref (again);
}

static void
check_case (KioskCatalogItem *it, const char *text, gsize len)
{
  GError *error = NULL;
  KioskCaseDraft *d = kiosk_case_draft_decode (it, text, len, &error);
  GDate *today = g_date_new_dmy (9, G_DATE_MARCH, 2026);
  char *json, *json2;
  KioskCaseDraft *again;

  if ((d == NULL) == (error == NULL))
    die ("case decode: a draft and an error, or neither");
  g_clear_error (&error);
  if (d == NULL)
    {
      g_date_free (today);
      return;
    }
  kiosk_case_draft_prefill (d);
  kiosk_case_draft_check_complete (d, today, NULL);
  for (guint i = 0; i < it->n_form_fields; i++)
    kiosk_field_validate (&it->form_fields[i], kiosk_case_draft_get_value (d, it->form_fields[i].id), today);
  json = kiosk_case_draft_encode (d, &error);
  if ((json == NULL) == (error == NULL))
    die ("case encode: JSON and an error, or neither");
  g_clear_error (&error);
  if (json)
    {
      again = kiosk_case_draft_decode (it, json, strlen (json), &error);
      if (again == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          die ("an encoded case does not decode");
        }
      json2 = kiosk_case_draft_encode (again, NULL);
      if (g_strcmp0 (json, json2) != 0)
        die ("a case changed in a round trip");
      g_free (json2);
      kiosk_case_draft_free (again);
      g_free (json);
    }
  kiosk_case_draft_wipe (d);
  kiosk_case_draft_free (d);
  g_date_free (today);
}

/* The item every case seed refers to (T-1 with each field type). */
static const char item_json[]
    = "{\"code\":\"T-1\",\"name\":\"测试\",\"department\":\"民政\",\"time_limit_days\":3,"
      "\"materials\":[{\"name\":\"居民身份证\",\"provided_by\":\"id_card_reader\"},"
      "{\"name\":\"照片\",\"provided_by\":\"scan\",\"deferrable\":true},"
      "{\"name\":\"死亡证明\",\"provided_by\":\"scan\",\"replaced_by\":\"commitment\"}],"
      "\"form_fields\":[{\"id\":\"phone\",\"label\":\"电话\",\"type\":\"phone\",\"required\":true},"
      "{\"id\":\"name\",\"label\":\"姓名\",\"type\":\"text\"},{\"id\":\"size\",\"label\":\"人口\",\"type\":\"number\"},"
      "{\"id\":\"birth_date\",\"label\":\"出生日期\",\"type\":\"date\"},"
      "{\"id\":\"gender\",\"label\":\"性别\",\"type\":\"choice\",\"choices\":[\"男\",\"女\"]},"
      "{\"id\":\"address\",\"label\":\"地址\",\"type\":\"address\"},"
      "{\"id\":\"id_number\",\"label\":\"身份证号码\",\"type\":\"id_number\"}],"
      "\"commitment_allowed\":true,\"commitment\":{\"proof\":\"死亡证明\",\"content\":\"c\",\"basis\":\"b\","
      "\"liability\":\"l\"},\"deferral_allowed\":true,\"deferral\":{\"deadline_days\":5,\"consequence\":\"c\"},"
      "\"delivery\":[\"pickup\",\"post\"],\"cross_region\":true,\"handling_region\":{\"code\":\"130110\","
      "\"name\":\"鹿泉区\"}}";

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data + 1;
  gsize len = size ? size - 1 : 0;
  GError *error = NULL;

  if (size < 1)
    return 0;
  if (data[0] & 2)
    {
      KioskCatalogItem *it = kiosk_catalog_item_decode (item_json, strlen (item_json), NULL);
      if (it == NULL)
        die ("the fixed item does not decode");
      check_case (it, text, len);
      kiosk_catalog_item_unref (it);
    }
  else if (data[0] & 1)
    {
      GPtrArray *skipped = NULL;
      KioskCatalog *c = kiosk_catalog_decode (text, len, &skipped, &error);
      if ((c == NULL) == (error == NULL))
        die ("catalog decode: a catalog and an error, or neither");
      for (guint i = 0; c && i < c->items->len; i++)
        check_item (c->items->pdata[i]);
      kiosk_catalog_free (c);
      g_ptr_array_unref (skipped);
      g_clear_error (&error);
    }
  else
    {
      KioskCatalogItem *it = kiosk_catalog_item_decode (text, len, &error);
      if ((it == NULL) == (error == NULL))
        die ("item decode: an item and an error, or neither");
      if (it)
        {
          check_item (it);
          kiosk_catalog_item_unref (it);
        }
      g_clear_error (&error);
    }
  return 0;
}
