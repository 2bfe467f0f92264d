/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The image loader against hostile files (issue #12 §8, §10): size bombs
 * are refused from their header, before any pixel is decoded; strips of one
 * pixel and other odd sizes load and decode without a crash. */
#define G_LOG_DOMAIN "kiosk-camera-test"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <jpeglib.h>

#include "camera-barcode.h"
#include "camera-testgen.h"

/* A real JPEG of a small grey image. */
static GBytes *
small_jpeg (int w, int h)
{
  g_autoptr (KioskImage) img = kiosk_image_new (w, h, KIOSK_PIXEL_GREY8);
  g_autoptr (GError) error = NULL;
  GBytes *bytes;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      img->data[(gsize) img->stride * y + x] = (guint8) ((x * 7 + y * 13) & 0xff);
  bytes = kiosk_image_encode_jpeg (img, 80, 0, &error);
  g_assert_no_error (error);
  return bytes;
}

/* The same file with the frame header's size replaced (SOF0..SOF2). */
static GBytes *
jpeg_claiming (int w, int h)
{
  g_autoptr (GBytes) src = small_jpeg (16, 16);
  gsize n = 0;
  guint8 *p = g_bytes_unref_to_data (g_bytes_ref (src), &n);

  for (gsize i = 2; i + 9 < n; i++)
    if (p[i] == 0xff && (p[i + 1] == 0xc0 || p[i + 1] == 0xc1 || p[i + 1] == 0xc2))
      {
        p[i + 5] = (guint8) (h >> 8);
        p[i + 6] = (guint8) h;
        p[i + 7] = (guint8) (w >> 8);
        p[i + 8] = (guint8) w;
        return g_bytes_new_take (p, n);
      }
  g_assert_not_reached ();
}

static guint32
crc32_of (const guint8 *p, gsize n)
{
  guint32 c = 0xffffffffu;
  for (gsize i = 0; i < n; i++)
    {
      c ^= p[i];
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
  return c ^ 0xffffffffu;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

/* A real small PNG whose IHDR (CRC fixed) claims @w x @h: its pixel data
 * is short, like a bomb's first kilobytes. */
static GBytes *
png_claiming (int w, int h)
{
  g_autoptr (KioskImage) img = kiosk_image_new (16, 16, KIOSK_PIXEL_GREY8);
  g_autofree char *dir = g_dir_make_tmp ("kiosk-test-image-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "x.png", NULL);
  g_autoptr (GError) error = NULL;
  char *data = NULL;
  gsize n = 0;
  guint8 *p;

  g_assert_true (kiosk_image_save_png (img, path, &error));
  g_assert_true (g_file_get_contents (path, &data, &n, &error));
  g_unlink (path);
  g_rmdir (dir);
  p = (guint8 *) data;
  /* Signature (8), IHDR length (4), "IHDR" (4), width, height, ... CRC. */
  g_assert_cmpmem (p + 12, 4, "IHDR", 4);
  put_be32 (p + 16, (guint32) w);
  put_be32 (p + 20, (guint32) h);
  put_be32 (p + 29, crc32_of (p + 12, 17));
  return g_bytes_new_take (p, n);
}

static void
assert_too_large (GBytes *file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskImage) img
      = kiosk_image_load_from_data (g_bytes_get_data (file, NULL), g_bytes_get_size (file), &error);

  g_assert_null (img);
  g_assert_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "too large"));
}

static void
test_size_bombs (void)
{
  static const int sizes[][2] = {
    { 12000, 9000 },  /* more than the camera's sides */
    { 30000, 30000 }, /* the report's 4 KB JPEG */
    { 65500, 65500 }, /* libjpeg's largest */
    { 9000, 1 },      /* one side too long */
    { 1, 9000 },      /* idem */
    { 7000, 6000 },   /* each side fits, 42 MP does not */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr (GBytes) jpeg = jpeg_claiming (sizes[i][0], sizes[i][1]);
      g_autoptr (GBytes) png = png_claiming (sizes[i][0], sizes[i][1]);
      g_test_message ("%dx%d", sizes[i][0], sizes[i][1]);
      assert_too_large (jpeg);
      assert_too_large (png);
    }
  /* PNG allows up to 2^31-1 a side (libpng's own limit refuses it). */
  {
    g_autoptr (GBytes) png = png_claiming (0x7fffffff, 0x7fffffff);
    g_autoptr (GError) error = NULL;
    g_autoptr (KioskImage) img
        = kiosk_image_load_from_data (g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
    g_assert_null (img);
    g_assert_nonnull (error);
  }
}

/* A camera's own frame still loads. */
static void
test_camera_frame_loads (void)
{
  g_autoptr (GBytes) jpeg = small_jpeg (4000, 3000);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskImage) img
      = kiosk_image_load_from_data (g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), &error);

  g_assert_no_error (error);
  g_assert_cmpint (img->width, ==, 4000);
  g_assert_cmpint (img->height, ==, 3000);
}

/* The file-size check of kiosk_image_load: a file that cannot hold an
 * accepted image is not read at all. */
static void
test_huge_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-test-image-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.jpg", NULL);
  g_autoptr (GBytes) jpeg = small_jpeg (16, 16);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskImage) img = NULL;
  FILE *f = fopen (path, "wb");

  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (g_bytes_get_data (jpeg, NULL), 1, g_bytes_get_size (jpeg), f), ==, g_bytes_get_size (jpeg));
  /* Sparse: 200 MB that take no disk. */
  g_assert_cmpint (fseeko (f, 200L * 1024 * 1024, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc (0, f), !=, EOF);
  fclose (f);
  img = kiosk_image_load (path, &error);
  g_assert_null (img);
  g_assert_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_TOO_LARGE);
  g_unlink (path);
  g_rmdir (dir);
}

/* A progressive JPEG of @scans scans over a small grey image (a custom scan
 * script: DC, then every AC coefficient alone, first its high bits then
 * its last one). */
static GBytes *
progressive_jpeg (int w, int h, int ac_bands)
{
  g_autoptr (KioskImage) img = kiosk_image_new (w, h, KIOSK_PIXEL_GREY8);
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  jpeg_scan_info *scans = g_new0 (jpeg_scan_info, 1 + 2 * ac_bands);
  unsigned char *out = NULL;
  unsigned long out_size = 0;
  int k = 0;
  GBytes *bytes;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      img->data[(gsize) img->stride * y + x] = (guint8) ((x * x + y * 3) & 0xff);
  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &out, &out_size);
  cinfo.image_width = w;
  cinfo.image_height = h;
  cinfo.input_components = 1;
  cinfo.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults (&cinfo);
  scans[k++] = (jpeg_scan_info){ .comps_in_scan = 1, .component_index = { 0 }, .Ss = 0, .Se = 0, .Ah = 0, .Al = 0 };
  for (int b = 1; b <= ac_bands; b++)
    scans[k++] = (jpeg_scan_info){ .comps_in_scan = 1, .Ss = b, .Se = b, .Ah = 0, .Al = 1 };
  for (int b = 1; b <= ac_bands; b++)
    scans[k++] = (jpeg_scan_info){ .comps_in_scan = 1, .Ss = b, .Se = b, .Ah = 1, .Al = 0 };
  if (ac_bands < 63)
    {
      /* The rest of the coefficients in one more scan. */
      scans = g_renew (jpeg_scan_info, scans, k + 1);
      scans[k++] = (jpeg_scan_info){ .comps_in_scan = 1, .Ss = ac_bands + 1, .Se = 63, .Ah = 0, .Al = 0 };
    }
  cinfo.scan_info = scans;
  cinfo.num_scans = k;
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = img->data + (gsize) img->stride * cinfo.next_scanline;
      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  g_free (scans);
  bytes = g_bytes_new (out, out_size);
  free (out);
  return bytes;
}

static void
test_progressive_scans (void)
{
  g_autoptr (GBytes) few = progressive_jpeg (64, 48, 4);   /* 10 scans: like real files */
  g_autoptr (GBytes) many = progressive_jpeg (64, 48, 63); /* 127 scans */
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskImage) ok = kiosk_image_load_from_data (g_bytes_get_data (few, NULL), g_bytes_get_size (few), &error);
  g_autoptr (KioskImage) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (ok->width, ==, 64);
  bad = kiosk_image_load_from_data (g_bytes_get_data (many, NULL), g_bytes_get_size (many), &error);
  g_assert_null (bad);
  g_assert_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, "scans"));
}

/* Strips and tiny images (issue #12 §8: a 400x1 PNG crashed the decoder
 * after the reduced copy of a zero-height image failed). */
static void
test_odd_sizes_decode (void)
{
  static const int sizes[][2] = { { 400, 1 }, { 1, 400 }, { 1, 1 }, { 2, 2 }, { 3, 1000 }, { 1000, 3 }, { 401, 2 } };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (int fmt = 0; fmt < 2; fmt++)
      {
        g_autoptr (KioskImage) img
            = kiosk_image_new (sizes[i][0], sizes[i][1], fmt ? KIOSK_PIXEL_RGB24 : KIOSK_PIXEL_GREY8);
        g_autoptr (GError) error = NULL;
        g_autoptr (GPtrArray) r = NULL;

        memset (img->data, 0x80, (gsize) img->stride * img->height);
        img->data[0] = 0;
        g_test_message ("%dx%d %s", sizes[i][0], sizes[i][1], fmt ? "RGB" : "grey");
        r = kiosk_barcode_decode (img, KIOSK_BARCODE_ALL, KIOSK_BARCODE_THOROUGH, &error);
        g_assert_no_error (error);
        g_assert_nonnull (r);
        g_assert_cmpuint (r->len, ==, 0);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/camera/image/size-bombs", test_size_bombs);
  g_test_add_func ("/camera/image/camera-frame-loads", test_camera_frame_loads);
  g_test_add_func ("/camera/image/huge-file", test_huge_file);
  g_test_add_func ("/camera/image/progressive-scans", test_progressive_scans);
  g_test_add_func ("/camera/image/odd-sizes-decode", test_odd_sizes_decode);
  return g_test_run ();
}
