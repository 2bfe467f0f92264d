/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The table of the kiosk-libpinyin module (app/kiosk-module.h): libpinyin
 * (C++, Berkeley DB) is loaded the first time pinyin is needed, never
 * before the kiosk's first frame. Only kiosk-libpinyin.c includes
 * libpinyin's header. Use it through kiosk-pinyin.h. */
#define KIOSK_PINYIN_MODULE "app/catalog/kiosk-libpinyin"
#define KIOSK_PINYIN_MODULE_SYMBOL "kiosk_pinyin_module"
#define KIOSK_PINYIN_API_VERSION 1

typedef struct _KioskPinyinEngine KioskPinyinEngine;

/* One candidate: its text and whether it is a whole sentence (libpinyin's
 * best guess for all the letters, chosen constraints included). Freed with
 * g_free (text is in the same block). */
typedef struct {
  gboolean sentence;
  char *text;
} KioskPinyinCandidate;

typedef struct {
  int version; /* KIOSK_PINYIN_API_VERSION */
  /* Loads the language model (slow: tens of ms, reads ~30 MB). @user_dir:
   * NULL for a private temporary folder removed by close. Nothing learned
   * from what is typed is ever saved. */
  KioskPinyinEngine *(*open) (const char *system_dir, const char *user_dir, GError **error);
  void (*close) (KioskPinyinEngine *engine);
  /* Toneless readings of the character starting at @character ("lv" for
   * 绿), NULL-terminated, without duplicates; NULL when none. */
  char **(*readings) (KioskPinyinEngine *engine, const char *character);
  /* Replaces the letters being converted (choices of earlier letters are
   * kept where they still apply); returns how many letters parse. */
  gsize (*set_input) (KioskPinyinEngine *engine, const char *letters);
  /* Candidates for the letters from @offset, best first (KioskPinyinCandidate). */
  GPtrArray *(*candidates) (KioskPinyinEngine *engine, gsize offset);
  /* Chooses candidate @index of the last candidates() call; returns the
   * offset after it (>= the parsed length when a sentence was chosen). */
  gsize (*choose) (KioskPinyinEngine *engine, gsize offset, guint index);
  /* Forgets the letters and the choices. */
  void (*reset) (KioskPinyinEngine *engine);
} KioskPinyinApi;

G_END_DECLS
