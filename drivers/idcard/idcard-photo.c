/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-idcard"

/* The WLT photo plug-in seam. The photo on a card is 1024 bytes of "WLT",
 * which only licensed vendor libraries decode. None ships with the kiosk:
 * [idcard] wlt-decoder names a shared object that exports
 *
 *   int kiosk_wlt_decode (const unsigned char *wlt, size_t wlt_len,
 *                         unsigned char **bmp, size_t *bmp_len);
 *
 * returning 0 and a malloc()ed BMP (102x126, 24 bit) on success. Without a
 * decoder the driver never keeps the photo bytes (they are wiped with the
 * rest of the reply). See README.md. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gmodule.h>

#include "idcard-photo.h"

typedef int (*WltDecodeFunc) (const unsigned char *wlt, size_t wlt_len, unsigned char **bmp, size_t *bmp_len);

struct _IdcardPhotoDecoder {
  GModule *module;
  WltDecodeFunc decode;
};

IdcardPhotoDecoder *
idcard_photo_decoder_load (const char *path, GError **error)
{
  IdcardPhotoDecoder *self;
  GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL);
  gpointer sym = NULL;

  if (module == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "WLT decoder %s: %s", path, g_module_error ());
      return NULL;
    }
  if (!g_module_symbol (module, "kiosk_wlt_decode", &sym) || sym == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "WLT decoder %s has no kiosk_wlt_decode", path);
      g_module_close (module);
      return NULL;
    }
  self = g_new0 (IdcardPhotoDecoder, 1);
  self->module = module;
  self->decode = (WltDecodeFunc) sym;
  return self;
}

void
idcard_photo_decoder_free (IdcardPhotoDecoder *self)
{
  if (self == NULL)
    return;
  g_module_close (self->module);
  g_free (self);
}

GBytes *
idcard_photo_decode (IdcardPhotoDecoder *self, GBytes *wlt, GError **error)
{
  gsize n;
  const guint8 *p = g_bytes_get_data (wlt, &n);
  unsigned char *bmp = NULL;
  size_t bmp_len = 0;
  int rc = self->decode (p, n, &bmp, &bmp_len);
  GBytes *out;

  if (rc != 0 || bmp == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "WLT decoder failed (%d)", rc);
      free (bmp);
      return NULL;
    }
  out = g_bytes_new (bmp, bmp_len);
  explicit_bzero (bmp, bmp_len);
  free (bmp);
  return out;
}
