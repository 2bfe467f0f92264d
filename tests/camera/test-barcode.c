/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Barcodes from zint, clean and in degraded photos, through the ZXing shim. */
#define G_LOG_DOMAIN "kiosk-camera-test"

#include "config.h"

#include "barcode-set.h"
#include "camera-barcode.h"
#include "camera-testgen.h"

/* Chinese text with the UTF-8 ECI, like an e-licence code. */
#define CASE_TEXT "SL2024-330106-000123 进度查询"

static void
assert_decodes (KioskImage *image, KioskBarcodeEffort effort, const char *format, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) results = kiosk_barcode_decode (image, KIOSK_BARCODE_ALL, effort, &error);
  KioskBarcode *b;

  g_assert_no_error (error);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, 1);
  b = g_ptr_array_index (results, 0);
  g_assert_cmpstr (b->format, ==, format);
  g_assert_cmpstr (b->text, ==, text);
}

static void
test_clean_symbols (void)
{
  static const struct {
    const char *format, *text;
  } cases[] = {
    { "QRCode", CASE_TEXT },
    { "DataMatrix", "330106199001011234-DM" },
    { "PDF417", "PDF417 e-licence 33010620240001" },
    { "Code128", "SL20240001234" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (KioskImage) sym = testgen_symbol (cases[i].format, cases[i].text, 4);
      TestgenDegrade none = { 0 };
      g_autoptr (KioskImage) photo = testgen_symbol_photo (sym, 800, 600, 0.6, &none, 1);
      g_test_message ("%s: %dx%d symbol", cases[i].format, sym->width, sym->height);
      assert_decodes (sym, KIOSK_BARCODE_FAST, cases[i].format, cases[i].text);
      assert_decodes (photo, KIOSK_BARCODE_THOROUGH, cases[i].format, cases[i].text);
    }
}

static const struct {
  const char *name;
  TestgenDegrade d;
} degradations[] = {
  { "rotated-33deg", { .rotate_deg = 33 } },
  { "rotated-160deg", { .rotate_deg = 160 } },
  { "perspective-30%", { .rotate_deg = 8, .perspective = 0.30 } },
  { "blurred-sigma1.5", { .blur_px = 1.5 } },
  { "noisy-sigma25", { .noise = 25 } },
  { "low-contrast-0.2", { .contrast = 0.2 } },
  { "jpeg-q15", { .jpeg_quality = 15 } },
  { "everything",
    { .rotate_deg = -21, .perspective = 0.2, .blur_px = 1.0, .noise = 10, .contrast = 0.4, .jpeg_quality = 40 } },
};

static void
test_degraded_qr (gconstpointer data)
{
  const TestgenDegrade *d = data;
  g_autoptr (KioskImage) sym = testgen_symbol ("QRCode", CASE_TEXT, 5);
  g_autoptr (KioskImage) photo = testgen_symbol_photo (sym, 960, 720, 0.5, d, 42);

  assert_decodes (photo, KIOSK_BARCODE_THOROUGH, "QRCode", CASE_TEXT);
}

/* A preview frame (continuous scan) decodes with the fast setting when the
 * code is held reasonably. */
static void
test_preview_frame (void)
{
  TestgenDegrade d = { .rotate_deg = 12, .noise = 6, .jpeg_quality = 70 };
  g_autoptr (KioskImage) sym = testgen_symbol ("QRCode", "https://zwfw.example.gov.cn/q?c=0001", 5);
  g_autoptr (KioskImage) photo = testgen_symbol_photo (sym, 960, 540, 0.45, &d, 7);

  assert_decodes (photo, KIOSK_BARCODE_FAST, "QRCode", "https://zwfw.example.gov.cn/q?c=0001");
}

/* Nothing in the picture gives an empty list, not an error. */
static void
test_nothing_found (void)
{
  TestgenDegrade d = { .noise = 12, .jpeg_quality = 50 };
  g_autoptr (KioskImage) page = testgen_text_page (400, 560, 3);
  g_autoptr (KioskImage) photo = testgen_symbol_photo (page, 800, 600, 0.9, &d, 3);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) results = kiosk_barcode_decode (photo, KIOSK_BARCODE_ALL, KIOSK_BARCODE_THOROUGH, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, 0);
}

/* Formats not asked for are not reported. */
static void
test_format_filter (void)
{
  g_autoptr (KioskImage) sym = testgen_symbol ("DataMatrix", "filtered", 4);
  g_autoptr (GPtrArray) only_qr = kiosk_barcode_decode (sym, KIOSK_BARCODE_QR_CODE, KIOSK_BARCODE_THOROUGH, NULL);
  g_autoptr (GPtrArray) dm = kiosk_barcode_decode (sym, KIOSK_BARCODE_DATA_MATRIX, KIOSK_BARCODE_FAST, NULL);

  g_assert_cmpuint (only_qr->len, ==, 0);
  g_assert_cmpuint (dm->len, ==, 1);
}

/* ZXing 1.4 aborts (assert "lineCount() == 1" in Result::operator==) when
 * it meets again a Code 128 it read on several lines: preview frames
 * (FAST) of plain Code 128 labels on the mat killed the process (4 of the
 * 12 Code 128 photos of the benchmark's set). */
static void
test_code128_no_abort (void)
{
  static const int samples[] = { 0, 45 };

  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      BarcodeSample *s = barcode_set_sample (samples[i], 128, 1280, 960, 2411);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) fast = NULL;
      g_autoptr (GPtrArray) lib = NULL;

      g_assert_cmpstr (s->format, ==, "Code128");
      fast = kiosk_barcode_decode (s->photo, KIOSK_BARCODE_ALL, KIOSK_BARCODE_FAST, &error);
      g_assert_no_error (error);
      g_assert_nonnull (fast);
      lib = kiosk_barcode_decode (s->photo, KIOSK_BARCODE_ALL, KIOSK_BARCODE_LIBRARY, &error);
      g_assert_no_error (error);
      g_assert_nonnull (lib);
      assert_decodes (s->photo, KIOSK_BARCODE_THOROUGH, "Code128", s->text);
      barcode_sample_free (s);
    }
}

/* Photos of the benchmark's own set (seed 2411) that the thorough reader
 * missed before, one per cause found:
 *   14: a dim label (level 5): the page finder refused it on the crop as it
 *       was (paper not 40 levels brighter than the mat); it is now looked
 *       for on the contrast-stretched crop, and flattened;
 *   61: a clear label whose region ranks fifth, behind clutter: the
 *       refinement of the larger regions used up the budget before it was
 *       tried; every region now gets its direct passes first;
 *   29: small blurred modules (4 px): read on the crop enlarged twice. */
static void
test_bench_photos (void)
{
  static const int samples[] = { 14, 61, 29 };

  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      BarcodeSample *s = barcode_set_sample (samples[i], 128, 1280, 960, 2411);
      g_test_message ("sample %d: %s level %d, %.1f px/module", samples[i], s->format, s->level, s->module);
      g_assert_cmpstr (s->format, ==, "QRCode");
      assert_decodes (s->photo, KIOSK_BARCODE_THOROUGH, "QRCode", s->text);
      barcode_sample_free (s);
    }
}

/* Issue #11 §4 on a subset of the benchmark's set (tests/bench/camera/
 * bench-camera-barcodes.c, same generator, another seed): photos of codes
 * on cluttered mats at five levels of difficulty, and code-free cluttered
 * photos. The thorough reader reads at least the bound below (measured:
 * see the message) and never reports a code that is not there. Not timed. */
#define SUBSET_CODES 20
#define SUBSET_EMPTY 5
#define SUBSET_MIN_READ 14

static void
test_cluttered_set (void)
{
  int read = 0, library = 0, false_pos = 0;

  for (int i = 0; i < SUBSET_CODES + SUBSET_EMPTY; i++)
    {
      g_autoptr (GError) error = NULL;
      BarcodeSample *s = barcode_set_sample (i, SUBSET_CODES, 1280, 960, 77);
      g_autoptr (GPtrArray) r = kiosk_barcode_decode (s->photo, KIOSK_BARCODE_ALL, KIOSK_BARCODE_THOROUGH, &error);
      g_autoptr (GPtrArray) lib = kiosk_barcode_decode (s->photo, KIOSK_BARCODE_ALL, KIOSK_BARCODE_LIBRARY, NULL);

      g_assert_no_error (error);
      for (guint k = 0; k < r->len; k++)
        {
          KioskBarcode *b = r->pdata[k];
          if (s->format && g_str_equal (b->format, s->format) && g_str_equal (b->text, s->text))
            read++;
          else
            {
              g_test_message ("false positive on photo %d: %s \"%s\"", i, b->format, b->text);
              false_pos++;
            }
        }
      for (guint k = 0; k < lib->len; k++)
        {
          KioskBarcode *b = lib->pdata[k];
          library += s->format && g_str_equal (b->format, s->format) && g_str_equal (b->text, s->text);
        }
      barcode_sample_free (s);
    }
  g_test_message ("read %d of %d (the library alone: %d), %d false positives", read, SUBSET_CODES, library, false_pos);
  g_assert_cmpint (false_pos, ==, 0);
  g_assert_cmpint (read, >=, SUBSET_MIN_READ);
  g_assert_cmpint (read, >, library);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/camera/barcode/clean", test_clean_symbols);
  for (gsize i = 0; i < G_N_ELEMENTS (degradations); i++)
    {
      g_autofree char *path = g_strdup_printf ("/camera/barcode/qr-photo/%s", degradations[i].name);
      g_test_add_data_func (path, &degradations[i].d, test_degraded_qr);
    }
  g_test_add_func ("/camera/barcode/preview-frame", test_preview_frame);
  g_test_add_func ("/camera/barcode/nothing-found", test_nothing_found);
  g_test_add_func ("/camera/barcode/format-filter", test_format_filter);
  g_test_add_func ("/camera/barcode/code128-no-abort", test_code128_no_abort);
  g_test_add_func ("/camera/barcode/bench-photos", test_bench_photos);
  g_test_add_func ("/camera/barcode/cluttered-set", test_cluttered_set);
  return g_test_run ();
}
