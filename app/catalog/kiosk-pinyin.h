/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-pinyin-module.h"

G_BEGIN_DECLS

/* Pinyin from libpinyin's data (Debian libpinyin-data), through the
 * kiosk-libpinyin module, loaded on first use.
 *
 * kiosk_pinyin_open() is slow (it loads the language model: about 70 ms
 * and tens of MB here): call it off the GTK main thread. A KioskPinyin is
 * used by one thread at a time; open one per user (the catalog search
 * index, each input method) rather than sharing one. */
typedef struct _KioskPinyin KioskPinyin;

#define KIOSK_PINYIN_ERROR (kiosk_pinyin_error_quark ())
GQuark kiosk_pinyin_error_quark (void);
typedef enum {
  KIOSK_PINYIN_ERROR_UNAVAILABLE, /* module or data missing */
} KioskPinyinError;

/* libpinyin's system data folder: $KIOSK_PINYIN_DATA_DIR, else the one
 * Debian's libpinyin-data installs (from libpinyin.pc at build time). */
const char *kiosk_pinyin_data_dir (void);

/* @user_dir: where libpinyin may keep user files; NULL for a private
 * temporary folder removed by kiosk_pinyin_free(). Nothing typed is ever
 * saved there. */
KioskPinyin *kiosk_pinyin_open (const char *user_dir, GError **error);
void kiosk_pinyin_free (KioskPinyin *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskPinyin, kiosk_pinyin_free)

/* Toneless readings of @c ("gao"; a polyphone has several: 长 → "chang",
 * "zhang"; ü is written "v"), NULL-terminated, g_strfreev(); NULL when
 * libpinyin does not know @c (not a hanzi). */
char **kiosk_pinyin_readings (KioskPinyin *self, gunichar c);

/* For the input method (kiosk-pinyin-ime.c). */
const KioskPinyinApi *kiosk_pinyin_get_api (KioskPinyin *self);
KioskPinyinEngine *kiosk_pinyin_get_engine (KioskPinyin *self);

G_END_DECLS
