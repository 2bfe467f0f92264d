/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-osk"

#include "config.h"

#include "kiosk-osk-pinyin.h"
#include "kiosk-pinyin-ime.h"

/* KioskOskPinyinEngine over KioskPinyinIme. */

static gboolean
ime_load (gpointer ime, GError **error)
{
  return kiosk_pinyin_ime_load (ime, error);
}

static gboolean
ime_feed (gpointer ime, char letter)
{
  return kiosk_pinyin_ime_feed (ime, letter);
}

static gboolean
ime_backspace (gpointer ime)
{
  return kiosk_pinyin_ime_backspace (ime);
}

static void
ime_reset (gpointer ime)
{
  kiosk_pinyin_ime_reset (ime);
}

static char *
ime_get_preedit (gpointer ime)
{
  return kiosk_pinyin_ime_get_preedit (ime);
}

static guint
ime_get_n_candidates (gpointer ime)
{
  return kiosk_pinyin_ime_get_n_candidates (ime);
}

static const char *
ime_get_candidate (gpointer ime, guint index)
{
  return kiosk_pinyin_ime_get_candidate (ime, index);
}

static char *
ime_choose (gpointer ime, guint index)
{
  return kiosk_pinyin_ime_choose (ime, index);
}

static void
ime_free (gpointer ime)
{
  kiosk_pinyin_ime_free (ime);
}

static const KioskOskPinyinEngine ime_engine = {
  .load = ime_load,
  .feed = ime_feed,
  .backspace = ime_backspace,
  .reset = ime_reset,
  .get_preedit = ime_get_preedit,
  .get_n_candidates = ime_get_n_candidates,
  .get_candidate = ime_get_candidate,
  .choose = ime_choose,
  .free = ime_free,
};

void
kiosk_osk_use_pinyin_ime (KioskOsk *osk)
{
  g_return_if_fail (KIOSK_IS_OSK (osk));
  kiosk_osk_set_pinyin_engine (osk, &ime_engine, kiosk_pinyin_ime_new (NULL));
}
