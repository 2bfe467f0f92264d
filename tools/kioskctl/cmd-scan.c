/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-glib/json-glib.h>

#include "camera-page.h"
#include "kioskctl.h"

/* kioskctl scan page IN OUT.jpg [--mode color|grey|bw] [--dpi N] [--field-width-mm N]
 *
 * Runs the page pipeline on a photo: finds the document's corners, corrects
 * perspective, crops, enhances and writes a JPEG at the set resolution.
 * Defaults come from [camera] dpi, field-width-mm and page-mode when a
 * configuration is given (--config, or the default file when it exists),
 * else from the schema's defaults (200 dpi, 420 mm, grey).
 * Exit 0 written; 1 no document found / cannot write; 2 usage or an
 * unreadable input. */

static void
usage (void)
{
  fprintf (stderr, "usage: kioskctl scan page IN OUT.jpg [--mode color|grey|bw] [--dpi N] [--field-width-mm N]\n");
}

/* The same range as [camera] field-width-mm (app/kiosk-config-schema.h). */
#define FIELD_WIDTH_MIN_MM 50
#define FIELD_WIDTH_MAX_MM 2000

/* A decimal number, all of @s (no "abc", "12mm", "nan", "inf", "1e308"),
 * 0 or within the schema's range. */
static gboolean
parse_field_width (const char *s, double *out)
{
  char *end = NULL;
  double v;

  if (s[0] == '\0' || g_ascii_isspace (s[0]))
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return FALSE; /* no sign, exponent, hex, "inf" or "nan" */
  errno = 0;
  v = g_ascii_strtod (s, &end);
  if (errno != 0 || end == s || *end != '\0' || !isfinite (v))
    return FALSE;
  if (v != 0 && (v < FIELD_WIDTH_MIN_MM || v > FIELD_WIDTH_MAX_MM))
    return FALSE;
  *out = v;
  return TRUE;
}

int
kioskctl_scan (KioskctlContext *ctx, int argc, char **argv)
{
  const char *in = NULL, *out = NULL;
  KioskPageOptions options = { .dpi = 200, .field_width_mm = 420, .mode = KIOSK_PAGE_GREY, .quality = 85 };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskImage) photo = NULL;
  g_autoptr (KioskScannedPage) page = NULL;
  gint64 t0;
  double ms;

  if (argc < 2 || !g_str_equal (argv[1], "page"))
    {
      usage ();
      return KIOSKCTL_EXIT_USAGE;
    }
  if (ctx->config_path || g_file_test (KIOSK_DEFAULT_CONFIG, G_FILE_TEST_EXISTS))
    {
      KioskConfig *config = kioskctl_config (ctx);
      g_autofree char *mode = NULL;
      if (config == NULL)
        return KIOSKCTL_EXIT_USAGE;
      options.dpi = kiosk_config_get_int (config, "camera", "dpi");
      options.field_width_mm = kiosk_config_get_int (config, "camera", "field-width-mm");
      mode = kiosk_config_get_string (config, "camera", "page-mode");
      kiosk_page_mode_from_string (mode, &options.mode);
    }
  for (int i = 2; i < argc; i++)
    {
      const char *a = argv[i];
      if (g_str_equal (a, "--mode") && i + 1 < argc)
        {
          if (!kiosk_page_mode_from_string (argv[++i], &options.mode))
            {
              fprintf (stderr, "kioskctl: --mode must be color, grey or bw\n");
              return KIOSKCTL_EXIT_USAGE;
            }
        }
      else if (g_str_equal (a, "--dpi") && i + 1 < argc)
        {
          guint64 dpi = 0;
          if (!g_ascii_string_to_unsigned (argv[++i], 10, 72, 600, &dpi, NULL))
            {
              fprintf (stderr, "kioskctl: --dpi must be 72..600\n");
              return KIOSKCTL_EXIT_USAGE;
            }
          options.dpi = (int) dpi;
        }
      else if (g_str_equal (a, "--field-width-mm") && i + 1 < argc)
        {
          if (!parse_field_width (argv[++i], &options.field_width_mm))
            {
              fprintf (stderr,
                       "kioskctl: --field-width-mm must be a width in millimetres from %d to %d, or 0 to keep the "
                       "photo's scale (got \"%s\")\n",
                       FIELD_WIDTH_MIN_MM, FIELD_WIDTH_MAX_MM, argv[i]);
              return KIOSKCTL_EXIT_USAGE;
            }
        }
      else if (a[0] == '-' && a[1] != '\0')
        {
          usage ();
          return KIOSKCTL_EXIT_USAGE;
        }
      else if (in == NULL)
        in = a;
      else if (out == NULL)
        out = a;
      else
        {
          usage ();
          return KIOSKCTL_EXIT_USAGE;
        }
    }
  if (in == NULL || out == NULL)
    {
      usage ();
      return KIOSKCTL_EXIT_USAGE;
    }

  photo = kiosk_image_load (in, &error);
  if (photo == NULL)
    {
      fprintf (stderr, "kioskctl: %s image: %s\n",
               g_error_matches (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_TOO_LARGE) ? "refused" : "unreadable",
               error->message);
      return KIOSKCTL_EXIT_USAGE;
    }
  t0 = g_get_monotonic_time ();
  page = kiosk_page_process (photo, &options, &error);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (page == NULL)
    {
      fprintf (stderr, "kioskctl: %s: %s\n", in, error->message);
      return KIOSKCTL_EXIT_FAIL;
    }
  if (!g_file_set_contents (out, g_bytes_get_data (page->jpeg, NULL), (gssize) g_bytes_get_size (page->jpeg), &error))
    {
      fprintf (stderr, "kioskctl: %s\n", error->message);
      return KIOSKCTL_EXIT_FAIL;
    }

  if (ctx->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "input");
      json_builder_add_string_value (b, in);
      json_builder_set_member_name (b, "output");
      json_builder_add_string_value (b, out);
      json_builder_set_member_name (b, "corners");
      json_builder_begin_array (b);
      for (int i = 0; i < 4; i++)
        {
          json_builder_begin_array (b);
          json_builder_add_double_value (b, page->corners.p[i].x);
          json_builder_add_double_value (b, page->corners.p[i].y);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, page->width);
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, page->height);
      json_builder_set_member_name (b, "dpi");
      json_builder_add_int_value (b, page->dpi);
      json_builder_set_member_name (b, "mode");
      json_builder_add_string_value (b, kiosk_page_mode_to_string (page->mode));
      json_builder_set_member_name (b, "bytes");
      json_builder_add_int_value (b, (gint64) g_bytes_get_size (page->jpeg));
      json_builder_set_member_name (b, "milliseconds");
      json_builder_add_double_value (b, ms);
      json_builder_end_object (b);
      kioskctl_print_json (b);
    }
  else
    {
      printf ("corners (TL TR BR BL): ");
      for (int i = 0; i < 4; i++)
        printf ("%s%.1f,%.1f", i ? " " : "", page->corners.p[i].x, page->corners.p[i].y);
      printf ("\n%s: %dx%d at %d dpi, %s, %zu bytes (%.0f ms)\n", out, page->width, page->height, page->dpi,
              kiosk_page_mode_to_string (page->mode), g_bytes_get_size (page->jpeg), ms);
    }
  return KIOSKCTL_EXIT_OK;
}
