/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-pinyin"

#include "config.h"

#include "kiosk-module.h"
#include "kiosk-pinyin.h"

struct _KioskPinyin {
  const KioskPinyinApi *api;
  KioskPinyinEngine *engine;
};

G_DEFINE_QUARK (kiosk - pinyin - error - quark, kiosk_pinyin_error)

const char *
kiosk_pinyin_data_dir (void)
{
  const char *dir = g_getenv ("KIOSK_PINYIN_DATA_DIR");

  return dir && *dir ? dir : KIOSK_PINYIN_SYSTEM_DATA_DIR;
}

KioskPinyin *
kiosk_pinyin_open (const char *user_dir, GError **error)
{
  g_autoptr (GError) local = NULL;
  const KioskPinyinApi *api
      = kiosk_module_lookup (KIOSK_PINYIN_MODULE, KIOSK_PINYIN_MODULE_SYMBOL, KIOSK_PINYIN_API_VERSION, &local);
  KioskPinyinEngine *engine;
  KioskPinyin *self;

  if (api == NULL)
    {
      g_set_error (error, KIOSK_PINYIN_ERROR, KIOSK_PINYIN_ERROR_UNAVAILABLE, "no pinyin support: %s", local->message);
      return NULL;
    }
  engine = api->open (kiosk_pinyin_data_dir (), user_dir, &local);
  if (engine == NULL)
    {
      g_set_error (error, KIOSK_PINYIN_ERROR, KIOSK_PINYIN_ERROR_UNAVAILABLE, "%s", local->message);
      return NULL;
    }
  self = g_new0 (KioskPinyin, 1);
  self->api = api;
  self->engine = engine;
  return self;
}

void
kiosk_pinyin_free (KioskPinyin *self)
{
  if (self == NULL)
    return;
  self->api->close (self->engine);
  g_free (self);
}

char **
kiosk_pinyin_readings (KioskPinyin *self, gunichar c)
{
  char one[8] = { 0 };

  if (c == 0 || !g_unichar_validate (c))
    return NULL;
  g_unichar_to_utf8 (c, one);
  return self->api->readings (self->engine, one);
}

const KioskPinyinApi *
kiosk_pinyin_get_api (KioskPinyin *self)
{
  return self->api;
}

KioskPinyinEngine *
kiosk_pinyin_get_engine (KioskPinyin *self)
{
  return self->engine;
}
