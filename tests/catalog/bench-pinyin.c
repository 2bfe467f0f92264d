/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "kiosk-catalog-search.h"
#include "kiosk-pinyin-ime.h"

/* Costs of pinyin (issue #14): opening libpinyin (off the main thread),
 * building the search index of the seed catalog, one search, and one
 * keystroke of the input method (on the keyboard's thread). Medians of
 * several runs; the goal checked is the keystroke's: a median under
 * 16 ms (one frame at 60 Hz) and no keystroke over 100 ms. */

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
now_ms (void)
{
  return (double) g_get_monotonic_time () / 1000.0;
}

static long
rss_kib (void)
{
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) || (p = strstr (text, "VmRSS:")) == NULL)
    return -1;
  return strtol (p + strlen ("VmRSS:"), NULL, 10);
}

int
main (void)
{
  enum { RUNS = 5 };
  static const char *const queries[] = { "gljt", "ylbx", "yanglao", "高龄", "低保", "社会救助", "mz026", "qqqqxz" };
  static const char *const phrases[] = { "zhonghuarenmingongheguo", "gaolingjintie", "chengxiangjumin", "zhangsan" };
  g_autofree char *path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *json = NULL;
  double open_ms[RUNS], index_ms[RUNS], search_us[RUNS];
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (double));
  double key_max = 0, key_median;
  long rss0, rss1 = 0;
  int fail = 0;

  g_assert_true (g_file_get_contents (path, &json, NULL, NULL));
  /* Load the module once: its cost is the dynamic loader's. */
  kiosk_pinyin_free (kiosk_pinyin_open (NULL, NULL));
  rss0 = rss_kib ();
  for (int r = 0; r < RUNS; r++)
    {
      double t0 = now_ms (), t1, t2;
      g_autoptr (KioskPinyin) pinyin = kiosk_pinyin_open (NULL, NULL);
      g_autoptr (KioskCatalogSearch) search = NULL;

      g_assert_nonnull (pinyin);
      t1 = now_ms ();
      if (r == 0)
        rss1 = rss_kib ();
      search = kiosk_catalog_search_new_from_json (json, pinyin, NULL);
      t2 = now_ms ();
      open_ms[r] = t1 - t0;
      index_ms[r] = t2 - t1;
      {
        double s0 = now_ms ();
        for (int k = 0; k < 100; k++)
          g_ptr_array_unref (kiosk_catalog_search_find (search, queries[k % G_N_ELEMENTS (queries)], NULL));
        search_us[r] = (now_ms () - s0) * 1000.0 / 100;
      }
    }
  for (int r = 0; r < RUNS; r++)
    {
      g_autoptr (KioskPinyinIme) ime = kiosk_pinyin_ime_new (NULL);
      g_assert_true (kiosk_pinyin_ime_load (ime, NULL));
      for (gsize p = 0; p < G_N_ELEMENTS (phrases); p++)
        {
          for (const char *c = phrases[p]; *c; c++)
            {
              double t0 = now_ms (), d;
              kiosk_pinyin_ime_feed (ime, *c);
              (void) kiosk_pinyin_ime_get_candidate (ime, 0);
              d = now_ms () - t0;
              g_array_append_val (keys, d);
              key_max = MAX (key_max, d);
            }
          kiosk_pinyin_ime_reset (ime);
        }
    }
  key_median = median ((double *) (gpointer) keys->data, (int) keys->len);
  printf ("pinyin bench (medians of %d)\n", RUNS);
  printf ("  open libpinyin        %8.1f ms   (+%ld KiB RSS)\n", median (open_ms, RUNS), rss1 - rss0);
  printf ("  index seed catalog    %8.1f ms   (38 items)\n", median (index_ms, RUNS));
  printf ("  one search            %8.1f us\n", median (search_us, RUNS));
  printf ("  IME keystroke         %8.2f ms median, %.1f ms max (%u keystrokes)\n", key_median, key_max, keys->len);
  if (key_median > 16.0)
    {
      printf ("  GOAL NOT MET: keystroke median %.2f ms > 16 ms\n", key_median);
      fail = 1;
    }
  if (key_max > 100.0)
    {
      printf ("  GOAL NOT MET: a keystroke took %.1f ms > 100 ms\n", key_max);
      fail = 1;
    }
  return fail;
}
