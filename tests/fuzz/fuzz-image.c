/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The image decoders against hostile files (issue #12): JPEG and PNG as
 * `kioskctl barcode decode`, `scan page` and the camera simulator load
 * them, then what every decoded image goes through (grey conversion,
 * reductions, the page finder; with FUZZ_WITH_BARCODE the barcode reader
 * too). Invariants: a refused file says why; a decoded image is within the
 * camera's largest frame.
 *
 * Three builds of this one file:
 *   - libFuzzer (clang -fsanitize=fuzzer): tests/fuzz/run-image-fuzz.sh;
 *   - with fuzz-replay.c: replays the files or folders named (the seed
 *     corpus, tests/fuzz/image-corpus, as a regression test);
 *   - FUZZ_MUTATE_MAIN: the mutation test run in CI in both builds (ASan +
 *     UBSan in one): seed images made here (JPEG baseline, progressive,
 *     arithmetic, restart markers, grey, odd sizes; PNG grey, RGB, alpha,
 *     palette, 16 bits), N seeded mutations (bit flips, interesting values,
 *     inserted, deleted, repeated bytes, truncation), each decoded.
 *     `fuzz-image-mutate --write-seeds DIR` writes the seeds (the corpus). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camera-image.h"
#include "camera-page.h"
#ifdef FUZZ_WITH_BARCODE
#include "camera-barcode.h"
#endif

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int decoded_count; /* inputs that decoded (the mutation test's report) */

static void
check (gboolean ok, const char *what)
{
  if (!ok)
    {
      fprintf (stderr, "invariant broken: %s\n", what);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  KioskImage *img = kiosk_image_load_from_data (data, size, &error);
  KioskImage *grey, *small;

  if (img == NULL)
    {
      check (error != NULL && error->domain == KIOSK_CAMERA_ERROR && error->message[0] != '\0',
             "a refused image has a camera error with a message");
      g_error_free (error);
      return 0;
    }
  check (error == NULL, "no error with an image");
  decoded_count++;
  check (img->width > 0 && img->height > 0 && img->width <= KIOSK_IMAGE_MAX_SIDE && img->height <= KIOSK_IMAGE_MAX_SIDE
             && (gint64) img->width * img->height <= KIOSK_IMAGE_MAX_PIXELS,
         "a decoded image is within the largest frame");
  check (img->format == KIOSK_PIXEL_GREY8 || img->format == KIOSK_PIXEL_RGB24, "a known pixel format");

  grey = kiosk_image_to_grey (img);
  small = kiosk_image_scale_down (grey, 97);
  check (MAX (small->width, small->height) <= MAX (97, 1) || small == grey, "scale_down fits");
  {
    int w = MAX (1, img->width / 3), h = MAX (1, img->height / 2);
    KioskImage *r = kiosk_image_resize_area (img, w, h);
    check (r != NULL && r->width == w && r->height == h, "resize_area gives the size asked");
    kiosk_image_unref (r);
  }
  {
    KioskQuad q;
    if (kiosk_page_find (small, &q))
      for (int i = 0; i < 4; i++)
        check (q.p[i].x > -1e6 && q.p[i].x < 1e6 && q.p[i].y > -1e6 && q.p[i].y < 1e6, "page corners are finite");
  }
#ifdef FUZZ_WITH_BARCODE
  /* The reader on what decodes (small images: a few ms each). */
  if ((gint64) img->width * img->height <= 256 * 256)
    {
      GPtrArray *r = kiosk_barcode_decode (img, KIOSK_BARCODE_ALL, KIOSK_BARCODE_FAST, NULL);
      check (r != NULL, "the reader answers");
      g_ptr_array_unref (r);
    }
#endif
  kiosk_image_unref (small);
  kiosk_image_unref (grey);
  kiosk_image_unref (img);
  return 0;
}

#ifdef FUZZ_MUTATE_MAIN
#include <jpeglib.h>
#include <png.h>

/* A test card: gradients, a checkerboard and a dark frame. */
static guint8 *
pattern (int w, int h, int channels)
{
  guint8 *p = g_malloc ((gsize) w * h * channels);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int c = 0; c < channels; c++)
        {
          int v = ((x / 4 + y / 4) % 2) ? 230 : 30;
          if (x < 2 || y < 2)
            v = 10;
          p[((gsize) y * w + x) * channels + c] = (guint8) ((v + x * 3 * c + y * (c + 1)) & 0xff);
        }
  return p;
}

typedef enum { JPEG_BASELINE, JPEG_PROGRESSIVE, JPEG_ARITHMETIC, JPEG_RESTART, JPEG_OPTIMIZED } JpegKind;

static GBytes *
make_jpeg (int w, int h, int channels, JpegKind kind, int quality)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  unsigned char *out = NULL;
  unsigned long out_size = 0;
  g_autofree guint8 *px = pattern (w, h, channels);
  GBytes *bytes;

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &out, &out_size);
  cinfo.image_width = w;
  cinfo.image_height = h;
  cinfo.input_components = channels;
  cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, quality, TRUE);
  switch (kind)
    {
    case JPEG_PROGRESSIVE:
      jpeg_simple_progression (&cinfo);
      break;
    case JPEG_ARITHMETIC:
      cinfo.arith_code = TRUE;
      break;
    case JPEG_RESTART:
      cinfo.restart_interval = 2;
      break;
    case JPEG_OPTIMIZED:
      cinfo.optimize_coding = TRUE;
      break;
    default:
      break;
    }
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = px + (gsize) cinfo.next_scanline * w * channels;
      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  bytes = g_bytes_new (out, out_size);
  free (out);
  return bytes;
}

static GBytes *
make_png (int w, int h, png_uint_32 format)
{
  png_image png;
  int channels = PNG_IMAGE_SAMPLE_CHANNELS (format), comp = PNG_IMAGE_SAMPLE_COMPONENT_SIZE (format);
  g_autofree guint8 *px = pattern (w, h, channels * comp);
  g_autofree guint8 *cmap = NULL;
  png_alloc_size_t size = 0;
  guint8 *buf;

  memset (&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  png.width = w;
  png.height = h;
  png.format = format;
  if (format & PNG_FORMAT_FLAG_COLORMAP)
    {
      /* 16 grey levels as the palette; indices from the pattern. */
      png.colormap_entries = 16;
      cmap = g_malloc (16 * 3);
      for (int i = 0; i < 16; i++)
        cmap[i * 3] = cmap[i * 3 + 1] = cmap[i * 3 + 2] = (guint8) (i * 17);
      for (gsize i = 0; i < (gsize) w * h; i++)
        px[i] &= 15;
    }
  if (!png_image_write_get_memory_size (png, size, 0, px, 0, cmap))
    g_error ("png size: %s", png.message);
  buf = g_malloc (size);
  if (!png_image_write_to_memory (&png, buf, &size, 0, px, 0, cmap))
    g_error ("png: %s", png.message);
  return g_bytes_new_take (buf, size);
}

static GPtrArray *
make_seeds (void)
{
  GPtrArray *seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_ptr_array_add (seeds, make_jpeg (40, 30, 1, JPEG_BASELINE, 75));
  g_ptr_array_add (seeds, make_jpeg (40, 30, 3, JPEG_BASELINE, 90));
  g_ptr_array_add (seeds, make_jpeg (33, 17, 3, JPEG_PROGRESSIVE, 60));
  g_ptr_array_add (seeds, make_jpeg (24, 24, 1, JPEG_PROGRESSIVE, 50));
  g_ptr_array_add (seeds, make_jpeg (32, 20, 3, JPEG_ARITHMETIC, 70));
  g_ptr_array_add (seeds, make_jpeg (48, 16, 3, JPEG_RESTART, 80));
  g_ptr_array_add (seeds, make_jpeg (9, 7, 3, JPEG_OPTIMIZED, 95));
  g_ptr_array_add (seeds, make_jpeg (1, 1, 1, JPEG_BASELINE, 75));
  g_ptr_array_add (seeds, make_png (40, 30, PNG_FORMAT_GRAY));
  g_ptr_array_add (seeds, make_png (31, 9, PNG_FORMAT_RGB));
  g_ptr_array_add (seeds, make_png (20, 20, PNG_FORMAT_RGBA));
  g_ptr_array_add (seeds, make_png (16, 12, PNG_FORMAT_GA));
  g_ptr_array_add (seeds, make_png (25, 25, PNG_FORMAT_RGB_COLORMAP));
  g_ptr_array_add (seeds, make_png (12, 10, PNG_FORMAT_LINEAR_RGB));
  g_ptr_array_add (seeds, make_png (1, 40, PNG_FORMAT_GRAY));
  return seeds;
}

static const guint32 interesting[] = { 0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x2000, 0x1fff, 30000 };

static GByteArray *
mutate (GBytes *seed, GRand *r)
{
  gsize n0 = 0;
  const guint8 *s = g_bytes_get_data (seed, &n0);
  GByteArray *b = g_byte_array_sized_new ((guint) n0 + 64);
  int ops = g_rand_int_range (r, 1, 5);

  g_byte_array_append (b, s, (guint) n0);
  for (int k = 0; k < ops && b->len > 0; k++)
    {
      guint at = (guint) g_rand_int_range (r, 0, (gint32) b->len);
      switch (g_rand_int_range (r, 0, 8))
        {
        case 0: /* flip a bit */
          b->data[at] ^= (guint8) (1u << g_rand_int_range (r, 0, 8));
          break;
        case 1: /* a random byte */
          b->data[at] = (guint8) g_rand_int_range (r, 0, 256);
          break;
        case 2: /* an interesting 8-bit value */
          b->data[at] = (guint8) interesting[g_rand_int_range (r, 0, G_N_ELEMENTS (interesting))];
          break;
        case 3: /* an interesting 16-bit big-endian value (sizes, lengths) */
          if (at + 1 < b->len)
            {
              guint32 v = interesting[g_rand_int_range (r, 0, G_N_ELEMENTS (interesting))];
              b->data[at] = (guint8) (v >> 8);
              b->data[at + 1] = (guint8) v;
            }
          break;
        case 4: /* insert random bytes */
          {
            guint8 ins[16];
            int len = g_rand_int_range (r, 1, 17);
            for (int i = 0; i < len; i++)
              ins[i] = (guint8) g_rand_int_range (r, 0, 256);
            g_array_insert_vals ((GArray *) b, at, ins, (guint) len); /* a GByteArray is a GArray of bytes */
          }
          break;
        case 5: /* delete a range */
          {
            guint len = (guint) g_rand_int_range (r, 1, 64);
            g_byte_array_remove_range (b, at, MIN (len, b->len - at));
          }
          break;
        case 6: /* repeat a range (a duplicated chunk or marker segment) */
          {
            guint len = (guint) g_rand_int_range (r, 1, 128);
            len = MIN (len, b->len - at);
            g_autofree guint8 *copy = g_memdup2 (b->data + at, len);
            g_array_insert_vals ((GArray *) b, at, copy, len);
          }
          break;
        default: /* truncate */
          g_byte_array_set_size (b, at);
          break;
        }
    }
  return b;
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) seeds = make_seeds ();
  int cases = 3000;
  guint32 seed = 12;
  gint64 t0 = g_get_monotonic_time ();

  if (argc > 2 && g_str_equal (argv[1], "--write-seeds"))
    {
      for (guint i = 0; i < seeds->len; i++)
        {
          gsize n = 0;
          const guint8 *d = g_bytes_get_data (seeds->pdata[i], &n);
          g_autofree char *path = g_strdup_printf ("%s/seed-%02u.%s", argv[2], i, d[0] == 0xff ? "jpg" : "png");
          if (!g_file_set_contents (path, (const char *) d, (gssize) n, NULL))
            return 1;
        }
      return 0;
    }
  if (argc > 1)
    cases = atoi (argv[1]);
  if (argc > 2)
    seed = (guint32) strtoul (argv[2], NULL, 10);

  /* The seeds themselves decode. */
  for (guint i = 0; i < seeds->len; i++)
    {
      gsize n = 0;
      const guint8 *d = g_bytes_get_data (seeds->pdata[i], &n);
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskImage) img = kiosk_image_load_from_data (d, n, &error);
      if (img == NULL)
        {
          fprintf (stderr, "seed %u does not decode: %s\n", i, error->message);
          return 1;
        }
    }
  {
    g_autoptr (GRand) r = g_rand_new_with_seed (seed);
    decoded_count = 0;
    for (int i = 0; i < cases; i++)
      {
        GByteArray *b = mutate (seeds->pdata[i % seeds->len], r);
        LLVMFuzzerTestOneInput (b->data, b->len);
        g_byte_array_unref (b);
      }
    printf ("%d mutated images from %u seeds (seed %u): %d still decode, none broke an invariant (%.1f s)\n", cases,
            seeds->len, seed, decoded_count, (g_get_monotonic_time () - t0) / 1e6);
  }
  return 0;
}
#endif
