/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <json-glib/json-glib.h>

#include "kiosk-demo.h"
#include "kiosk-store.h"
#include "kioskctl.h"

/* kioskctl demo seed --cases N --pages K [--page-size WxH] [--seed S]
 * Enqueues N synthetic applications with K generated page images each,
 * through kiosk_store_submit_case(): the same path the UI takes. Prints
 * each provisional case number. */

static gboolean
parse_uint (const char *s, guint max, guint *out)
{
  char *end = NULL;
  guint64 v = g_ascii_strtoull (s, &end, 10);

  if (end == s || *end || v > max)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

int
kioskctl_demo (KioskctlContext *ctx, int argc, char **argv)
{
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = NULL;
  KioskConfig *config;
  guint cases = 0, pages = 0, seed = 1, width = 600, height = 800;
  gboolean have_cases = FALSE, have_pages = FALSE;

  if (argc < 2 || !g_str_equal (argv[1], "seed"))
    goto usage;
  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--cases") && i + 1 < argc)
        have_cases = parse_uint (argv[++i], 10000000, &cases);
      else if (g_str_equal (argv[i], "--pages") && i + 1 < argc)
        have_pages = parse_uint (argv[++i], 100, &pages);
      else if (g_str_equal (argv[i], "--seed") && i + 1 < argc)
        {
          if (!parse_uint (argv[++i], G_MAXUINT32, &seed))
            goto usage;
        }
      else if (g_str_equal (argv[i], "--page-size") && i + 1 < argc)
        {
          char *end = NULL;
          const char *arg = argv[++i];

          width = (guint) g_ascii_strtoull (arg, &end, 10);
          if (end == arg || *end != 'x')
            goto usage;
          arg = end + 1;
          height = (guint) g_ascii_strtoull (arg, &end, 10);
          if (end == arg || *end || width < 16 || height < 16 || width > 5000 || height > 5000)
            goto usage;
        }
      else
        goto usage;
    }
  if (!have_cases || !have_pages)
    goto usage;

  config = kioskctl_config (ctx);
  if (config == NULL)
    return KIOSKCTL_EXIT_USAGE;
  store = kiosk_store_open_from_config (config, &error);
  if (store == NULL)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "%s", error->message);

  /* --json: {"cases": ["number", ...]} at the end. */
  if (ctx->json)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "cases");
      json_builder_begin_array (b);
    }
  for (guint n = 0; n < cases; n++)
    {
      g_autoptr (GPtrArray) atts = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      g_autofree char *json = kiosk_demo_case_json (seed + n);
      g_autofree char *number = NULL;

      for (guint k = 0; k < pages; k++)
        {
          KioskAttachmentDraft *d = g_new0 (KioskAttachmentDraft, 1);
          GBytes *page = kiosk_demo_page_jpeg (seed + n, k, (int) width, (int) height);
          g_ptr_array_add (blobs, page);
          d->name = "scanned page";
          d->media_type = "image/jpeg";
          d->data = page;
          g_ptr_array_add (atts, d);
        }
      number = kiosk_store_submit_case (store, json, atts, &error);
      if (number == NULL)
        return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "case %u of %u refused: %s", n + 1, cases, error->message);
      if (b)
        json_builder_add_string_value (b, number);
      else
        printf ("%s\n", number);
    }
  if (b)
    {
      json_builder_end_array (b);
      json_builder_end_object (b);
      kioskctl_print_json (b);
    }
  return KIOSKCTL_EXIT_OK;

usage:
  fprintf (stderr, "usage: kioskctl [--config FILE] demo seed --cases N --pages K [--page-size WxH] [--seed S]\n");
  return KIOSKCTL_EXIT_USAGE;
}
