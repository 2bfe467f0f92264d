/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "kiosk-domain-codec.h"

/* Helpers shared by the domain tests. */

static inline KioskCatalog *
domain_test_seed_catalog (void)
{
  g_autofree char *path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;
  KioskCatalog *c;

  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  c = kiosk_catalog_decode (text, len, NULL, &error);
  g_assert_no_error (error);
  return c;
}

static inline KioskCatalogItem *
domain_test_item (const char *json)
{
  g_autoptr (GError) error = NULL;
  KioskCatalogItem *it = kiosk_catalog_item_decode (json, strlen (json), &error);
  g_assert_no_error (error);
  return it;
}

/* A resident as the card reads them (GB 11643's own example number). */
static inline KioskIdentity *
domain_test_identity (void)
{
  KioskIdentity *id = kiosk_identity_new ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("张三");
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市朝阳区某街道1号");
  return id;
}

/* A small PNG signature / JPEG page: only their first bytes are checked. */
static inline GBytes *
domain_test_png (guint8 salt)
{
  guint8 b[64] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  for (guint i = 8; i < sizeof b; i++)
    b[i] = (guint8) (i * 7 + salt);
  return g_bytes_new (b, sizeof b);
}

static inline GBytes *
domain_test_jpeg (guint8 salt)
{
  guint8 b[128] = { 0xff, 0xd8, 0xff, 0xe0 };
  for (guint i = 4; i < sizeof b; i++)
    b[i] = (guint8) (i * 13 + salt);
  return g_bytes_new (b, sizeof b);
}

static inline GDate *
domain_test_date (int y, int m, int d)
{
  return g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}
