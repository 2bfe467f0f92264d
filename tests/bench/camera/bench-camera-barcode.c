/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: barcode decode rate and time per image on a generated set,
 * ours (ZXing-C++ through the shim, as `kioskctl barcode decode` runs it:
 * file load + thorough decode) against `zbarimg` on the same files (one
 * zbarimg process for the whole set, so its start-up is paid once).
 *
 *   bench-camera-barcode [N]      (default 60 images)
 *
 * Goal (issue #6): at least zbar's decode rate, in at most half its time. */
#define G_LOG_DOMAIN "kiosk-camera-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "camera-barcode.h"
#include "camera-testgen.h"

typedef struct {
  char *path;
  char *format;
  char *text;
  gboolean zbar_can; /* zbar reads QR and Code 128, not Data Matrix / PDF417 */
} Sample;

static void
sample_free (Sample *s)
{
  g_free (s->path);
  g_free (s->format);
  g_free (s->text);
  g_free (s);
}

static GPtrArray *
generate (const char *dir, int n, gboolean easy)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (2024);
  GPtrArray *set = g_ptr_array_new_with_free_func ((GDestroyNotify) sample_free);
  static const char *formats[] = { "QRCode", "QRCode", "QRCode", "Code128", "DataMatrix", "PDF417" };

  for (int i = 0; i < n; i++)
    {
      Sample *s = g_new0 (Sample, 1);
      const char *fmt = formats[i % G_N_ELEMENTS (formats)];
      TestgenDegrade d = {
        .rotate_deg = g_str_equal (fmt, "Code128") || g_str_equal (fmt, "PDF417")
                          ? g_rand_double_range (rand, -12, 12)
                          : g_rand_double_range (rand, -180, 180),
        .perspective = g_rand_double_range (rand, 0, 0.25),
        .blur_px = g_rand_double_range (rand, 0, 1.6),
        .noise = g_rand_double_range (rand, 0, 22),
        .contrast = g_rand_double_range (rand, 0.2, 1.0),
        .jpeg_quality = g_rand_int_range (rand, 20, 90),
      };
      if (easy)
        {
          /* A code held flat and square under the lamp. */
          d.rotate_deg = g_rand_double_range (rand, -10, 10);
          d.perspective = 0;
          d.blur_px = g_rand_double_range (rand, 0, 0.6);
          d.noise = g_rand_double_range (rand, 2, 8);
          d.contrast = g_rand_double_range (rand, 0.7, 1.0);
          d.jpeg_quality = g_rand_int_range (rand, 60, 90);
        }
      g_autoptr (KioskImage) sym = NULL;
      g_autoptr (KioskImage) photo = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("code-%03d.png", i);

      s->format = g_strdup (fmt);
      s->text = g_strdup_printf ("SL2024-%06d-%s", g_rand_int_range (rand, 0, 999999), i % 2 ? "CASE" : "案件");
      if (g_str_equal (fmt, "Code128"))
        {
          g_free (s->text);
          s->text = g_strdup_printf ("SL2024%08d", g_rand_int_range (rand, 0, 99999999));
        }
      s->zbar_can = g_str_equal (fmt, "QRCode") || g_str_equal (fmt, "Code128");
      sym = testgen_symbol (fmt, s->text, g_str_equal (fmt, "QRCode") ? 4 : 3);
      photo = testgen_symbol_photo (sym, 1280, 960, g_rand_double_range (rand, 0.3, 0.55), &d, (guint32) i);
      s->path = g_build_filename (dir, name, NULL);
      if (!kiosk_image_save_png (photo, s->path, &error))
        g_error ("%s", error->message);
      g_ptr_array_add (set, s);
    }
  return set;
}

/* zbarimg --xml: <source href='PATH'> ... <data><![CDATA[TEXT]]></data> */
static GHashTable *
run_zbar (GPtrArray *set, double *seconds)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gint64 t0;
  int status;
  char *p;

  g_ptr_array_add (argv, (char *) "zbarimg");
  g_ptr_array_add (argv, (char *) "--xml");
  g_ptr_array_add (argv, (char *) "-q");
  for (guint i = 0; i < set->len; i++)
    g_ptr_array_add (argv, ((Sample *) set->pdata[i])->path);
  g_ptr_array_add (argv, NULL);
  t0 = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, &error))
    {
      *seconds = -1;
      return found;
    }
  *seconds = (g_get_monotonic_time () - t0) / 1e6;
  for (p = out; (p = strstr (p, "<source href='")) != NULL;)
    {
      char *href = p + 14, *end = strchr (href, '\'');
      char *next = strstr (href, "<source href='");
      char *data;
      if (end == NULL)
        break;
      *end = '\0';
      data = strstr (end + 1, "<![CDATA[");
      if (data && (next == NULL || data < next))
        {
          char *dend = strstr (data, "]]>");
          if (dend)
            {
              *dend = '\0';
              g_hash_table_insert (found, g_strdup (href), g_strdup (data + 9));
            }
        }
      p = next ? next : end + 1;
      if (next == NULL)
        break;
    }
  return found;
}

static void
run_set (int n, gboolean easy)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-bench-barcode-XXXXXX", NULL);
  g_autoptr (GPtrArray) set = NULL;
  g_autoptr (GHashTable) zbar = NULL;
  int ours_ok = 0, ours_ok_common = 0, zbar_ok = 0, common = 0;
  double ours_s = 0, zbar_s = 0;
  gint64 t0;

  printf ("\n=== %s set: %d images (1280x960 PNG: QR, Code128, DataMatrix, PDF417; %s; seed 2024)\n",
          easy ? "easy" : "hard", n,
          easy ? "held flat, +-10 deg, light noise, JPEG q60-90"
               : "any rotation, perspective, blur, noise, low contrast, JPEG q20-90");
  set = generate (dir, n, easy);

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < set->len; i++)
    {
      Sample *s = set->pdata[i];
      g_autoptr (KioskImage) img = kiosk_image_load (s->path, NULL);
      g_autoptr (GPtrArray) r = kiosk_barcode_decode (img, KIOSK_BARCODE_ALL, KIOSK_BARCODE_THOROUGH, NULL);
      gboolean ok = FALSE;
      for (guint k = 0; r && k < r->len; k++)
        {
          KioskBarcode *b = r->pdata[k];
          ok |= g_str_equal (b->text, s->text) && g_str_equal (b->format, s->format);
        }
      ours_ok += ok;
      if (s->zbar_can)
        ours_ok_common += ok;
    }
  ours_s = (g_get_monotonic_time () - t0) / 1e6;

  zbar = run_zbar (set, &zbar_s);
  for (guint i = 0; i < set->len; i++)
    {
      Sample *s = set->pdata[i];
      const char *z = g_hash_table_lookup (zbar, s->path);
      if (!s->zbar_can)
        continue;
      common++;
      zbar_ok += z && g_str_equal (z, s->text);
    }

  printf ("\n%-28s %10s %14s %14s\n", "decoder", "decoded", "rate", "ms/image");
  printf ("%-28s %4d/%-5d %13.1f%% %14.1f\n", "ours (ZXing 1.4), all", ours_ok, n, 100.0 * ours_ok / n,
          1000 * ours_s / n);
  printf ("%-28s %4d/%-5d %13.1f%% %14s\n", "ours, QR+Code128 only", ours_ok_common, common,
          100.0 * ours_ok_common / MAX (common, 1), "");
  if (zbar_s < 0)
    printf ("%-28s %10s\n", "zbarimg", "not installed (zbar-tools)");
  else
    printf ("%-28s %4d/%-5d %13.1f%% %14.1f\n", "zbarimg, QR+Code128 only", zbar_ok, common,
            100.0 * zbar_ok / MAX (common, 1), 1000 * zbar_s / n);
  if (zbar_s > 0)
    {
      double rate_ratio = (double) ours_ok_common / MAX (zbar_ok, 1);
      double time_ratio = ours_s / zbar_s;
      printf ("\nrate ours/zbar (same symbologies): %.2f (goal >= 1.00)  %s\n", rate_ratio,
              ours_ok_common >= zbar_ok ? "MET" : "NOT MET");
      printf ("time ours/zbar (per image):        %.2f (goal <= 0.50)  %s\n", time_ratio,
              time_ratio <= 0.5 ? "MET" : "NOT MET");
    }
  for (guint i = 0; i < set->len; i++)
    g_unlink (((Sample *) set->pdata[i])->path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  int n = argc > 1 ? (int) g_ascii_strtoll (argv[1], NULL, 10) : 48;

  run_set (n, TRUE);
  run_set (n, FALSE);
  return 0;
}
