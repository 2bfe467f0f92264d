/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>

#include "camera-barcode.h"
#include "kioskctl.h"

/* kioskctl barcode decode FILE...
 *
 * One JSON line per readable file, in the order given:
 *   {"file": "<path as given>", "results": [{"format": "QRCode", "text": "..."}]}
 * "results" is empty when nothing is found. Formats are ZXing's names:
 * "QRCode", "DataMatrix", "PDF417", "Code128". Files are JPEG or PNG
 * (recognised by content).
 *
 * An unreadable file (missing, not an image, corrupt, or larger than the
 * camera's largest frame: refused before decoding) gets a message on
 * stderr and no line; the other files of the same call are still decoded
 * and printed, and the exit status is 2. Otherwise 0, found or not; 1 only
 * if the decoder itself fails. */

static void
usage (void)
{
  fprintf (stderr, "usage: kioskctl barcode decode FILE...\n"
                   "  prints one JSON line per file: {\"file\": ..., \"results\": [{\"format\": ..., \"text\": ...}]}\n"
                   "  formats: QRCode, DataMatrix, PDF417, Code128\n");
}

/* JSON string with the escapes JSON requires; UTF-8 passes through. */
static void
append_json_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    switch (*p)
      {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\r':
        g_string_append (out, "\\r");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      default:
        if (*p < 0x20)
          g_string_append_printf (out, "\\u%04x", *p);
        else
          g_string_append_c (out, (char) *p);
      }
  g_string_append_c (out, '"');
}

/* The line, spaced like the contract: {"file": ..., "results": [...]}. */
static char *
result_line (const char *file, GPtrArray *results)
{
  GString *out = g_string_new ("{\"file\": ");

  append_json_string (out, file);
  g_string_append (out, ", \"results\": [");
  for (guint i = 0; i < results->len; i++)
    {
      KioskBarcode *r = g_ptr_array_index (results, i);
      g_string_append (out, i ? ", {\"format\": " : "{\"format\": ");
      append_json_string (out, r->format);
      g_string_append (out, ", \"text\": ");
      /* Binary payloads that are not UTF-8 are made valid (U+FFFD). */
      if (g_utf8_validate (r->text, -1, NULL))
        append_json_string (out, r->text);
      else
        {
          g_autofree char *valid = g_utf8_make_valid (r->text, -1);
          append_json_string (out, valid);
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

int
kioskctl_barcode (KioskctlContext *ctx, int argc, char **argv)
{
  int status = KIOSKCTL_EXIT_OK;

  if (argc < 3 || !g_str_equal (argv[1], "decode"))
    {
      usage ();
      return KIOSKCTL_EXIT_USAGE;
    }
  for (int i = 2; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskImage) image = kiosk_image_load (argv[i], &error);
      g_autoptr (GPtrArray) results = NULL;
      g_autofree char *line = NULL;

      if (image == NULL)
        {
          fprintf (stderr, "kioskctl: %s image: %s\n",
                   g_error_matches (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_TOO_LARGE) ? "refused" : "unreadable",
                   error->message);
          status = KIOSKCTL_EXIT_USAGE;
          continue;
        }
      results = kiosk_barcode_decode (image, KIOSK_BARCODE_ALL, KIOSK_BARCODE_THOROUGH, &error);
      if (results == NULL)
        {
          fprintf (stderr, "kioskctl: %s: %s\n", argv[i], error->message);
          if (status == KIOSKCTL_EXIT_OK)
            status = KIOSKCTL_EXIT_FAIL;
          continue;
        }
      line = result_line (argv[i], results);
      printf ("%s\n", line);
      fflush (stdout);
    }
  return status;
}
