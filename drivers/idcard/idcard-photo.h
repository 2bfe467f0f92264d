/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _IdcardPhotoDecoder IdcardPhotoDecoder;

/* Loads the licensed WLT decoder plug-in at @path (see README.md). */
IdcardPhotoDecoder *idcard_photo_decoder_load (const char *path, GError **error);
void idcard_photo_decoder_free (IdcardPhotoDecoder *self);
/* WLT bytes to a BMP. */
GBytes *idcard_photo_decode (IdcardPhotoDecoder *self, GBytes *wlt, GError **error);

G_END_DECLS
