/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Barcodes from zint, clean and in degraded photos, through the ZXing shim. */
#define G_LOG_DOMAIN "kiosk-camera-test"

#include "config.h"

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
  return g_test_run ();
}
