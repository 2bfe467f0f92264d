/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The heavy libraries (ZXing-C++, libcamera, libcups, libsoup) live in
 * kiosk modules (app/kiosk-module.h): not mapped until a driver first needs
 * them, and a missing module is a clear error naming the file, never a
 * crash. */
#include "config.h"

#include <glib/gstdio.h>

#include "camera-capture.h"
#include "camera-zxing.h"
#include "kiosk-module.h"
#include "kiosk-platform-adapter.h"
#include "print-document.h"
#include "print-ipp.h"

static gboolean
mapped (const char *library)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, library) != NULL;
}

static void
test_lazy (void)
{
  guint8 blank[32 * 32] = { 0 };
  KioskZxResult *results = NULL;
  char *message = NULL;
  g_autoptr (GError) error = NULL;
  KioskHttpAdapterOptions options = { .base_url = "http://127.0.0.1:9", .kiosk_id = "t", .allow_http = TRUE };
  KioskPlatformAdapter *adapter;
  KioskIppPrinter *printer;

  /* Nothing of them at start, though this program links every driver. */
  g_assert_false (mapped ("libZXing"));
  g_assert_false (mapped ("libcamera"));
  g_assert_false (mapped ("libcups"));
  g_assert_false (mapped ("libsoup"));

  g_assert_cmpint (kiosk_zx_decode (blank, 32, 32, 32, 1, KIOSK_ZX_QR_CODE, 0, &results, &message), ==, 0);
  g_assert_null (message);
  kiosk_zx_results_free (results, 0);
  g_assert_true (mapped ("libZXing"));
  g_assert_false (mapped ("libcups"));

  printer = kiosk_ipp_printer_new ("ipp://127.0.0.1:9/ipp/print", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_ipp_printer_get_uri (printer), ==, "ipp://127.0.0.1:9/ipp/print");
  kiosk_ipp_printer_free (printer);
  g_assert_true (mapped ("libcups"));

  /* No printer configured: said without loading anything. */
  g_assert_null (kiosk_ipp_printer_new ("", 100, &error));
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE);
  g_clear_error (&error);

  g_assert_false (mapped ("libsoup"));
  g_test_expect_message ("kiosk-sync", G_LOG_LEVEL_WARNING, "*plain HTTP*");
  adapter = kiosk_http_adapter_new (&options, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_nonnull (adapter);
  kiosk_platform_adapter_free (adapter);
  g_assert_true (mapped ("libsoup"));

#if HAVE_LIBCAMERA
  g_assert_false (mapped ("libcamera"));
  if (kiosk_capture_libcamera_init (&error))
    g_assert_true (mapped ("libcamera"));
  else
    g_test_message ("libcamera manager did not start here: %s", error->message);
#endif
}

static void
test_missing_subprocess (void)
{
  g_autofree char *empty = g_dir_make_tmp ("kiosk-modules-XXXXXX", NULL);
  guint8 blank[16 * 16] = { 0 };
  KioskZxResult *results = NULL;
  char *message = NULL;
  g_autoptr (GError) error = NULL;
  KioskHttpAdapterOptions options = { .base_url = "http://127.0.0.1:9", .kiosk_id = "t", .allow_http = TRUE };
  g_autofree char *path = NULL;

  g_setenv ("KIOSK_MODULE_DIR", empty, TRUE);
  path = kiosk_module_path (KIOSK_ZX_MODULE);
  g_assert_true (g_str_has_prefix (path, empty));
  g_assert_true (g_str_has_suffix (path, "/kiosk-zxing.so"));

  /* The technician's line names the file; the caller gets the same. */
  g_test_expect_message ("kiosk-module", G_LOG_LEVEL_WARNING, "cannot load *kiosk-zxing.so*");
  g_assert_cmpint (kiosk_zx_decode (blank, 16, 16, 16, 1, KIOSK_ZX_QR_CODE, 0, &results, &message), ==, -1);
  g_test_assert_expected_messages ();
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "kiosk-zxing.so"));
  g_assert_null (results);
  free (message);
  message = NULL;
  /* Asked again: the same answer, without another attempt or log line. */
  g_assert_cmpint (kiosk_zx_decode (blank, 16, 16, 16, 1, KIOSK_ZX_QR_CODE, 0, &results, &message), ==, -1);
  g_assert_nonnull (strstr (message, "kiosk-zxing.so"));
  free (message);

  g_test_expect_message ("kiosk-module", G_LOG_LEVEL_WARNING, "cannot load *kiosk-cups.so*");
  g_assert_null (kiosk_ipp_printer_new ("ipp://127.0.0.1:9/ipp/print", 100, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "kiosk-cups.so"));
  g_clear_error (&error);

  g_test_expect_message ("kiosk-module", G_LOG_LEVEL_WARNING, "cannot load *kiosk-platform-http.so*");
  g_assert_null (kiosk_http_adapter_new (&options, &error));
  g_test_assert_expected_messages ();
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "kiosk-platform-http.so"));
  g_clear_error (&error);

#if HAVE_LIBCAMERA
  g_test_expect_message ("kiosk-module", G_LOG_LEVEL_WARNING, "cannot load *kiosk-libcamera.so*");
  g_assert_false (kiosk_capture_libcamera_init (&error));
  g_test_assert_expected_messages ();
  g_assert_nonnull (strstr (error->message, "kiosk-libcamera.so"));
#endif
  g_rmdir (empty);
}

static void
test_missing (void)
{
  g_test_trap_subprocess ("/modules/missing/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/modules/lazy", test_lazy);
  g_test_add_func ("/modules/missing", test_missing);
  g_test_add_func ("/modules/missing/subprocess", test_missing_subprocess);
  return g_test_run ();
}
