/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kioskctl barcode decode / scan page / camera list: the command-line
 * contracts of issue #6, run as a user would. */
#define G_LOG_DOMAIN "kiosk-camera-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "camera-testgen.h"

static char *tmpdir;

static int
run (const char *const *args, char **out, char **err)
{
  g_autofree char *kioskctl = g_build_filename (g_getenv ("KIOSK_BUILD_DIR"), "tools", "kioskctl", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, kioskctl);
  for (; *args; args++)
    g_ptr_array_add (argv, (char *) *args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (
      g_spawn_sync (tmpdir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static char *
write_image (const char *name, KioskImage *img, gboolean jpeg)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr (GError) error = NULL;
  if (jpeg)
    kiosk_image_save_jpeg (img, path, 80, 0, &error);
  else
    kiosk_image_save_png (img, path, &error);
  g_assert_no_error (error);
  return path;
}

static JsonObject *
parse_line (const char *line)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
test_barcode_decode (void)
{
  g_autoptr (KioskImage) qr = testgen_symbol ("QRCode", "进度查询 SL2024-0001", 4);
  g_autoptr (KioskImage) dm = testgen_symbol ("DataMatrix", "DM-330106", 4);
  TestgenDegrade d = { .rotate_deg = 20, .noise = 6 };
  g_autoptr (KioskImage) qr_photo = testgen_symbol_photo (qr, 800, 600, 0.5, &d, 4);
  g_autoptr (KioskImage) blank = testgen_text_page (300, 200, 2);
  g_autofree char *p1 = write_image ("qr.jpg", qr_photo, TRUE);
  g_autofree char *p2 = write_image ("dm.png", dm, FALSE);
  g_autofree char *p3 = write_image ("blank.png", blank, FALSE);
  g_autofree char *bad = g_build_filename (tmpdir, "bad.jpg", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) lines = NULL;
  const char *args_ok[] = { "barcode", "decode", p1, p2, p3, NULL };
  const char *args_bad[] = { "barcode", "decode", p1, bad, "missing.png", p3, NULL };
  const char *args_usage[] = { "barcode", "decode", NULL };

  g_assert_true (g_file_set_contents (bad, "\xff\xd8\xff\xe0 truncated", -1, NULL));

  g_assert_cmpint (run (args_ok, &out, &err), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* three lines and the final "" */
  g_assert_cmpstr (lines[3], ==, "");
  {
    g_autoptr (JsonObject) o = parse_line (lines[0]);
    JsonArray *r = json_object_get_array_member (o, "results");
    g_assert_cmpstr (json_object_get_string_member (o, "file"), ==, p1);
    g_assert_cmpuint (json_array_get_length (r), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (r, 0), "format"), ==, "QRCode");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (r, 0), "text"), ==,
                     "进度查询 SL2024-0001");
    g_assert_cmpuint (json_object_get_size (o), ==, 2);
    g_assert_cmpuint (json_object_get_size (json_array_get_object_element (r, 0)), ==, 2);
  }
  {
    g_autoptr (JsonObject) o = parse_line (lines[1]);
    JsonArray *r = json_object_get_array_member (o, "results");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (r, 0), "format"), ==, "DataMatrix");
  }
  {
    g_autoptr (JsonObject) o = parse_line (lines[2]);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "results")), ==, 0);
    /* The contract's spacing: {"file": ..., "results": []} */
    g_assert_true (g_str_has_prefix (lines[2], "{\"file\": \""));
    g_assert_true (g_str_has_suffix (lines[2], "\", \"results\": []}"));
  }

  /* Unreadable files: exit 2, a message each on stderr, the others still printed. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&lines, g_strfreev);
  g_assert_cmpint (run (args_bad, &out, &err), ==, 2);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (strstr (lines[0], "qr.jpg"));
  g_assert_nonnull (strstr (lines[1], "blank.png"));
  g_assert_nonnull (strstr (err, "bad.jpg"));
  g_assert_nonnull (strstr (err, "missing.png"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (args_usage, &out, &err), ==, 2);
}

static void
test_scan_page (void)
{
  g_autoptr (KioskImage) page = testgen_text_page (420, 594, 3);
  KioskQuad q = { { { 500, 150 }, { 1000, 190 }, { 980, 1050 }, { 460, 1020 } } };
  g_autoptr (KioskImage) photo = testgen_page_photo (page, 1600, 1200, &q, 4, 3);
  g_autoptr (KioskImage) mat = testgen_text_page (4, 4, 3);
  KioskQuad nowhere = { { { -9, -9 }, { -8, -9 }, { -8, -8 }, { -9, -8 } } };
  g_autoptr (KioskImage) empty = testgen_page_photo (mat, 800, 600, &nowhere, 4, 3);
  g_autofree char *in = write_image ("page.jpg", photo, TRUE);
  g_autofree char *in_empty = write_image ("empty.jpg", empty, TRUE);
  g_autofree char *outp = g_build_filename (tmpdir, "out.jpg", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "--json", "scan", "page", in, outp, "--dpi", "150", "--mode", "bw", NULL };
  const char *args_empty[] = { "scan", "page", in_empty, outp, NULL };
  const char *args_bad[] = { "scan", "page", "missing.jpg", outp, NULL };
  g_autoptr (JsonObject) o = NULL;
  g_autoptr (KioskImage) result = NULL;

  g_assert_cmpint (run (args, &out, &err), ==, 0);
  o = parse_line (out);
  g_assert_cmpint (json_object_get_int_member (o, "dpi"), ==, 150);
  g_assert_cmpstr (json_object_get_string_member (o, "mode"), ==, "bw");
  result = kiosk_image_load (outp, NULL);
  g_assert_nonnull (result);
  g_assert_cmpint (result->width, ==, json_object_get_int_member (o, "width"));
  g_assert_cmpint (result->format, ==, KIOSK_PIXEL_GREY8);
  {
    JsonArray *c = json_object_get_array_member (o, "corners");
    JsonArray *tl = json_array_get_array_element (c, 0);
    g_assert_cmpfloat (ABS (json_array_get_double_element (tl, 0) - 500), <, 6);
    g_assert_cmpfloat (ABS (json_array_get_double_element (tl, 1) - 150), <, 6);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (args_empty, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "no document"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (args_bad, &out, &err), ==, 2);
}

/* Issue #12 §8: a strip of one pixel (400x1 PNG, 1x400 JPEG) crashed the
 * decoder (SIGSEGV); it is an image without a code. */
static void
test_barcode_strips (void)
{
  g_autoptr (KioskImage) wide = kiosk_image_new (400, 1, KIOSK_PIXEL_GREY8);
  g_autoptr (KioskImage) tall = kiosk_image_new (1, 400, KIOSK_PIXEL_RGB24);
  g_autofree char *p1 = NULL;
  g_autofree char *p2 = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) lines = NULL;

  memset (wide->data, 200, (gsize) wide->stride);
  memset (tall->data, 90, (gsize) tall->stride * 400);
  p1 = write_image ("strip-400x1.png", wide, FALSE);
  p2 = write_image ("strip-1x400.jpg", tall, TRUE);
  {
    const char *args[] = { "barcode", "decode", p1, p2, NULL };
    g_assert_cmpint (run (args, &out, &err), ==, 0);
  }
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr (JsonObject) o = parse_line (lines[i]);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "results")), ==, 0);
    }
}

/* Issue #12 §10: an image whose header claims more than the camera's
 * largest frame is refused, with a clear message, before decoding. */
static void
test_barcode_size_bomb (void)
{
  g_autoptr (KioskImage) small = kiosk_image_new (16, 16, KIOSK_PIXEL_GREY8);
  g_autofree char *path = write_image ("bomb.jpg", small, TRUE);
  g_autofree char *data = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gsize n = 0;
  const char *args[] = { "barcode", "decode", path, NULL };

  /* The frame header's height and width: 30000 x 30000. */
  g_assert_true (g_file_get_contents (path, &data, &n, NULL));
  for (gsize i = 2; i + 9 < n; i++)
    if ((guint8) data[i] == 0xff && (guint8) data[i + 1] == 0xc0)
      {
        data[i + 5] = data[i + 7] = (char) (30000 >> 8);
        data[i + 6] = data[i + 8] = (char) (30000 & 0xff);
        break;
      }
  g_assert_true (g_file_set_contents (path, data, (gssize) n, NULL));
  g_assert_cmpint (run (args, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "30000x30000"));
  g_assert_nonnull (strstr (err, "too large"));
}

/* Issue #12 §14: --field-width-mm takes a number of millimetres, nothing
 * else ("abc" and "nan" were taken as 0, "inf" and "1e308" gave a 1x1 page
 * and exit 0). */
static void
test_scan_field_width (void)
{
  g_autoptr (KioskImage) page = testgen_text_page (420, 594, 3);
  KioskQuad q = { { { 500, 150 }, { 1000, 190 }, { 980, 1050 }, { 460, 1020 } } };
  g_autoptr (KioskImage) photo = testgen_page_photo (page, 1600, 1200, &q, 4, 3);
  g_autofree char *in = write_image ("page-fw.jpg", photo, TRUE);
  g_autofree char *outp = g_build_filename (tmpdir, "out-fw.jpg", NULL);
  static const char *bad[] = { "abc", "nan",   "NAN",  "inf",  "-inf", "1e308", "",      "12mm",
                               "-5",  "0x100", " 400", "400 ", "10",   "2001",  "1.5.2", "." };
  static const char *good[] = { "0", "420", "297.5" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *args[] = { "scan", "page", in, outp, "--field-width-mm", bad[i], NULL };
      g_test_message ("--field-width-mm '%s'", bad[i]);
      g_assert_cmpint (run (args, &out, &err), ==, 2);
      g_assert_nonnull (strstr (err, "--field-width-mm must be"));
      g_assert_false (g_file_test (outp, G_FILE_TEST_EXISTS));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *args[] = { "--json", "scan", "page", in, outp, "--field-width-mm", good[i], NULL };
      g_autoptr (JsonObject) o = NULL;
      g_assert_cmpint (run (args, &out, &err), ==, 0);
      o = parse_line (out);
      g_assert_cmpint (json_object_get_int_member (o, "width"), >, 100);
      g_unlink (outp);
    }
}

static void
test_camera_list (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "camera", "list", NULL };
  const char *args_json[] = { "--json", "camera", "list", NULL };
  int status = run (args, &out, &err);

#if !HAVE_LIBCAMERA
  g_assert_cmpint (status, ==, 1);
  g_test_skip ("built without libcamera");
  return;
#endif
  g_assert_cmpint (status, ==, 0);
  if (strstr (out, "no camera found"))
    g_test_message ("no camera here: kioskctl camera list says \"%s\"", g_strchomp (out));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (args_json, &out, &err), ==, 0);
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
    g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("kiosk-kioskctl-camera-XXXXXX", NULL);
  g_test_add_func ("/camera/kioskctl/barcode-decode", test_barcode_decode);
  g_test_add_func ("/camera/kioskctl/barcode-strips", test_barcode_strips);
  g_test_add_func ("/camera/kioskctl/barcode-size-bomb", test_barcode_size_bomb);
  g_test_add_func ("/camera/kioskctl/scan-page", test_scan_page);
  g_test_add_func ("/camera/kioskctl/scan-field-width", test_scan_field_width);
  g_test_add_func ("/camera/kioskctl/camera-list", test_camera_list);
  status = g_test_run ();
  {
    g_autoptr (GDir) d = g_dir_open (tmpdir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return status;
}
