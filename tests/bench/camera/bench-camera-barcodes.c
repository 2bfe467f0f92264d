/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark (issue #11 §4): the barcode reader against plain ZXing-C++ on
 * photos of codes on cluttered mats (tests/camera/barcode-set.c: rotated,
 * in perspective, blurred, noisy, dimmed, faded, JPEG-compressed, five
 * levels), plus code-free cluttered photos.
 *
 *   bench-camera-barcodes [CODES [EMPTY [SEED]]]   (default 128 16 2411)
 *   bench-camera-barcodes --dump DIR [CODES [EMPTY [SEED]]]  also writes the photos
 *
 * "before" is the library's path (KIOSK_BARCODE_LIBRARY: ZXing with
 * try-harder and try-rotate, a contrast stretch, a half-size copy; what
 * `kioskctl barcode decode` did until issue #11); "after" is
 * KIOSK_BARCODE_THOROUGH. Prints the rates per format and per level, the
 * false positives, and the time ratio.
 *
 * Goals: QR >= 76/83 of the QR codes, all formats >= 95/128, no false
 * positive, whole-set time after/before <= 1.5. */
#define G_LOG_DOMAIN "kiosk-camera-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barcode-set.h"
#include "camera-barcode.h"

static const char *formats[] = { "QRCode", "DataMatrix", "PDF417", "Code128" };

typedef struct {
  int ok[G_N_ELEMENTS (formats)];
  int level_ok[BARCODE_SET_LEVELS];
  int false_pos;  /* a result with another text or format, or on a code-free photo */
  int empty_hits; /* code-free photos with any result */
  int total_ok;
  double seconds;
  gboolean *hit;
} Run;

static int
format_index (const char *f)
{
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (formats[i], f))
      return (int) i;
  return -1;
}

static void
score (GPtrArray *set, guint i, GPtrArray *r, Run *run)
{
  BarcodeSample *s = set->pdata[i];
  gboolean ok = FALSE;

  for (guint k = 0; k < r->len; k++)
    {
      KioskBarcode *b = r->pdata[k];
      if (s->format && g_str_equal (b->text, s->text) && g_str_equal (b->format, s->format))
        ok = TRUE;
      else
        {
          run->false_pos++;
          g_printerr ("  false positive on sample %u (%s): %s \"%s\"\n", i, s->format ? s->format : "no code",
                      b->format, b->text);
        }
    }
  if (s->format == NULL)
    {
      run->empty_hits += r->len > 0;
      return;
    }
  run->hit[i] = ok;
  if (!ok && g_getenv ("BENCH_BARCODES_VERBOSE"))
    g_printerr ("  missed sample %u: %s level %d at %.0f,%.0f, %.1f px/module\n", i, s->format, s->level, s->cx, s->cy,
                s->module);
  if (ok)
    {
      run->ok[format_index (s->format)]++;
      run->level_ok[s->level - 1]++;
      run->total_ok++;
    }
}

static double
decode_timed (BarcodeSample *s, KioskBarcodeEffort effort, GPtrArray **r)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  *r = kiosk_barcode_decode (s->photo, KIOSK_BARCODE_ALL, effort, &error);
  if (*r == NULL)
    g_error ("decoder: %s", error->message);
  return (g_get_monotonic_time () - t0) / 1e6;
}

/* Both paths photo by photo, in alternating order: on a shared machine the
 * load then weighs on both alike and the time ratio holds. */
static void
run_set (GPtrArray *set, gboolean with_before, Run *before, Run *after)
{
  before->hit = g_new0 (gboolean, set->len);
  after->hit = g_new0 (gboolean, set->len);
  for (guint i = 0; i < set->len; i++)
    {
      BarcodeSample *s = set->pdata[i];
      g_autoptr (GPtrArray) rb = NULL;
      g_autoptr (GPtrArray) ra = NULL;

      if (with_before && i % 2 == 0)
        before->seconds += decode_timed (s, KIOSK_BARCODE_LIBRARY, &rb);
      after->seconds += decode_timed (s, KIOSK_BARCODE_THOROUGH, &ra);
      if (with_before && i % 2 == 1)
        before->seconds += decode_timed (s, KIOSK_BARCODE_LIBRARY, &rb);
      if (rb)
        score (set, i, rb, before);
      score (set, i, ra, after);
    }
}

int
main (int argc, char **argv)
{
  const char *dump = NULL;
  int n_codes = 128, n_empty = 16;
  guint32 seed = 2411;
  int fmt_n[G_N_ELEMENTS (formats)] = { 0 }, level_n[BARCODE_SET_LEVELS] = { 0 };
  g_autoptr (GPtrArray) set = NULL;
  Run before = { 0 }, after = { 0 };
  gint64 t0;
  int a = 1;
  gboolean skip_before = g_strcmp0 (g_getenv ("BENCH_BARCODES_AFTER_ONLY"), "1") == 0;

  if (argc > 2 && g_str_equal (argv[1], "--dump"))
    {
      dump = argv[2];
      a = 3;
    }
  if (argc > a)
    n_codes = (int) g_ascii_strtoll (argv[a], NULL, 10);
  if (argc > a + 1)
    n_empty = (int) g_ascii_strtoll (argv[a + 1], NULL, 10);
  if (argc > a + 2)
    seed = (guint32) strtoul (argv[a + 2], NULL, 10);

  t0 = g_get_monotonic_time ();
  set = barcode_set_generate (n_codes, n_empty, 1280, 960, seed);
  printf ("barcode set: %d photos with a code, %d without, 1280x960, seed %u (generated in %.1f s)\n", n_codes, n_empty,
          seed, (g_get_monotonic_time () - t0) / 1e6);
  for (guint i = 0; i < set->len; i++)
    {
      BarcodeSample *s = set->pdata[i];
      if (s->format)
        {
          fmt_n[format_index (s->format)]++;
          level_n[s->level - 1]++;
        }
      if (dump)
        {
          g_autofree char *name
              = g_strdup_printf ("%s/%03u-L%d-%s.png", dump, i, s->level, s->format ? s->format : "none");
          kiosk_image_save_png (s->photo, name, NULL);
        }
    }

  /* Warm-up: the ZXing module loads on first use. */
  {
    g_autoptr (GPtrArray) r
        = kiosk_barcode_decode (((BarcodeSample *) set->pdata[0])->photo, KIOSK_BARCODE_ALL, KIOSK_BARCODE_FAST, NULL);
  }
  run_set (set, !skip_before, &before, &after);

  printf ("\n%-12s %8s %10s %10s\n", "format", "photos", "before", "after");
  for (gsize f = 0; f < G_N_ELEMENTS (formats); f++)
    printf ("%-12s %8d %10d %10d\n", formats[f], fmt_n[f], before.ok[f], after.ok[f]);
  printf ("%-12s %8d %10d %10d\n", "all", n_codes, before.total_ok, after.total_ok);
  printf ("\n%-12s %8s %10s %10s\n", "level", "photos", "before", "after");
  for (int l = 0; l < BARCODE_SET_LEVELS; l++)
    printf ("%-12d %8d %10d %10d\n", l + 1, level_n[l], before.level_ok[l], after.level_ok[l]);
  printf ("\nfalse positives: before %d, after %d (code-free photos with a result: %d, %d of %d)\n", before.false_pos,
          after.false_pos, before.empty_hits, after.empty_hits, n_empty);
  printf ("time for the set: before %.2f s (%.1f ms/photo), after %.2f s (%.1f ms/photo)\n", before.seconds,
          1000 * before.seconds / MAX (1, (int) set->len), after.seconds,
          1000 * after.seconds / MAX (1, (int) set->len));
  if (!skip_before)
    {
      int lost = 0;
      for (guint i = 0; i < set->len; i++)
        lost += before.hit[i] && !after.hit[i];
      printf ("read before, not after: %d\n", lost);
    }

  {
    int qr = fmt_n[0];
    gboolean qr_met = after.ok[0] * 83 >= 76 * qr;
    gboolean all_met = after.total_ok * 128 >= 95 * n_codes;
    double ratio = before.seconds > 0 ? after.seconds / before.seconds : 0;
    printf ("\ngoal QR >= 76/83 (%.1f%%): %d/%d (%.1f%%)  %s\n", 100.0 * 76 / 83, after.ok[0], qr,
            100.0 * after.ok[0] / MAX (qr, 1), qr_met ? "MET" : "NOT MET");
    printf ("goal all >= 95/128 (%.1f%%): %d/%d (%.1f%%)  %s\n", 100.0 * 95 / 128, after.total_ok, n_codes,
            100.0 * after.total_ok / MAX (n_codes, 1), all_met ? "MET" : "NOT MET");
    printf ("goal no false positive: %d  %s\n", after.false_pos, after.false_pos == 0 ? "MET" : "NOT MET");
    if (!skip_before)
      printf ("goal time after/before <= 1.50: %.2f  %s\n", ratio, ratio <= 1.5 ? "MET" : "NOT MET");
  }
  g_free (before.hit);
  g_free (after.hit);
  return 0;
}
