/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "kiosk-catalog-search.h"
#include "kiosk-store.h"
#include "kioskctl.h"

/* kioskctl guide search QUERY...: the kiosk's item search (办事指南,
 * 自助申报) on the stored catalog, best first. Text: "CODE NAME" a line;
 * --json: [{"code": ..., "name": ...}, ...] (a contract: nothing more).
 * Exit 0 when the search ran (no match is an answer: nothing printed, the
 * JSON is then []), 1 when there is no catalog to search, 2 bad usage. */

static int
guide_search (KioskctlContext *ctx, const char *query)
{
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskPinyin) pinyin = NULL;
  g_autoptr (KioskCatalogSearch) search = NULL;
  g_autoptr (GPtrArray) matches = NULL;
  g_autofree char *catalog = NULL;
  KioskConfig *config = kioskctl_config (ctx);

  if (config == NULL)
    return KIOSKCTL_EXIT_USAGE;
  store = kiosk_store_open_from_config (config, &error);
  if (store == NULL)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "%s", error->message);
  catalog = kiosk_store_get_catalog (store, &error);
  if (catalog == NULL)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "cannot read the stored catalog: %s", error->message);
  pinyin = kiosk_pinyin_open (NULL, &error);
  if (pinyin == NULL)
    {
      /* Still a search, by Chinese text and code. */
      fprintf (stderr, "kioskctl guide: searching without pinyin: %s\n", error->message);
      g_clear_error (&error);
    }
  search = kiosk_catalog_search_new_from_json (catalog, pinyin, &error);
  if (search == NULL)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "the stored catalog cannot be read: %s", error->message);
  if (kiosk_catalog_search_get_n_items (search) == 0)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "the stored catalog is empty (kioskctl sync run fetches it)");
  matches = kiosk_catalog_search_find (search, query, NULL);

  if (ctx->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < matches->len; i++)
        {
          KioskCatalogMatch *m = matches->pdata[i];
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "code");
          json_builder_add_string_value (b, m->code);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, m->name);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      kioskctl_print_json (b);
    }
  else
    for (guint i = 0; i < matches->len; i++)
      {
        KioskCatalogMatch *m = matches->pdata[i];
        printf ("%s %s\n", m->code, m->name);
      }
  if (matches->len == 0 && !ctx->json)
    fprintf (stderr, "kioskctl guide: no item matches '%s'\n", query);
  return KIOSKCTL_EXIT_OK;
}

int
kioskctl_guide (KioskctlContext *ctx, int argc, char **argv)
{
  g_autofree char *query = NULL;

  if (argc >= 3 && g_str_equal (argv[1], "search"))
    {
      query = g_strjoinv (" ", argv + 2);
      g_strstrip (query);
    }
  if (query == NULL || *query == '\0' || g_str_has_prefix (query, "--"))
    {
      fprintf (stderr, "usage: kioskctl [--config FILE] [--json] guide search QUERY\n");
      return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "usage: kioskctl guide search QUERY");
    }
  if (!g_utf8_validate (query, -1, NULL))
    return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "the query is not UTF-8");
  return guide_search (ctx, query);
}
