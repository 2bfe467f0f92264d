/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-pad"

#include "config.h"

#include <string.h>

#include "pad-report.h"

G_DEFINE_QUARK (kiosk - pad - error - quark, kiosk_pad_error)

static const char *const key_names[] = {
  "none", "very-satisfied", "satisfied", "basic", "dissatisfied", "very-dissatisfied", "confirm", "cancel",
};

const char *
kiosk_pad_key_to_string (KioskPadKey key)
{
  if ((guint) key < G_N_ELEMENTS (key_names))
    return key_names[key];
  return "none";
}

KioskPadKey
kiosk_pad_key_from_string (const char *name)
{
  if (name == NULL)
    return KIOSK_PAD_KEY_NONE;
  for (guint i = 1; i < G_N_ELEMENTS (key_names); i++)
    if (g_str_equal (name, key_names[i]))
      return (KioskPadKey) i;
  return KIOSK_PAD_KEY_NONE;
}

gboolean
kiosk_pad_key_is_level (KioskPadKey key)
{
  return key >= KIOSK_PAD_KEY_VERY_SATISFIED && key <= KIOSK_PAD_KEY_VERY_DISSATISFIED;
}

const char *
kiosk_pad_report_kind_to_string (KioskPadReportKind kind)
{
  switch (kind)
    {
    case KIOSK_PAD_REPORT_KEY:
      return "key";
    case KIOSK_PAD_REPORT_RELEASE:
      return "release";
    case KIOSK_PAD_REPORT_UNMAPPED:
      return "unmapped";
    case KIOSK_PAD_REPORT_OTHER:
      return "other";
    case KIOSK_PAD_REPORT_MALFORMED:
      return "malformed";
    default:
      return "unknown";
    }
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

GBytes *
kiosk_pad_hex_parse (const char *hex, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  int hi = -1;

  g_return_val_if_fail (hex != NULL, NULL);
  if (g_str_has_prefix (hex, "0x") || g_str_has_prefix (hex, "0X"))
    hex += 2;
  for (const char *p = hex; *p; p++)
    {
      int d;
      if (*p == ' ' || *p == '\t' || *p == ':' || *p == '-')
        {
          if (hi >= 0)
            {
              g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_HEX, "'%s': odd number of hex digits in a byte",
                           hex);
              return NULL;
            }
          continue;
        }
      d = hex_digit (*p);
      if (d < 0)
        {
          g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_HEX, "'%s': '%c' is not a hex digit", hex, *p);
          return NULL;
        }
      if (hi < 0)
        hi = d;
      else
        {
          guint8 b = (guint8) (hi << 4 | d);
          g_byte_array_append (out, &b, 1);
          hi = -1;
        }
    }
  if (hi >= 0)
    {
      g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_HEX, "'%s': odd number of hex digits", hex);
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

char *
kiosk_pad_hex_format (const guint8 *data, gsize len)
{
  GString *s = g_string_sized_new (len * 2 + 1);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, "%02x", data[i]);
  return g_string_free (s, FALSE);
}

gboolean
kiosk_pad_key_map_parse (KioskPadKeyMap *map, const char *const *entries, GError **error)
{
  g_return_val_if_fail (map != NULL, FALSE);

  map->n_keys = 0;
  for (const char *const *e = entries; e && *e; e++)
    {
      g_auto (GStrv) parts = NULL;
      g_autoptr (GBytes) value = NULL;
      g_autoptr (GError) local = NULL;
      g_autofree char *entry = g_strstrip (g_strdup (*e));
      KioskPadKey key;
      guint8 v;

      if (*entry == '\0')
        continue;
      parts = g_strsplit (entry, ":", 2);
      if (g_strv_length (parts) != 2)
        {
          g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_KEY_MAP,
                       "key-map entry '%s' is not VALUE:KEY (e.g. 01:very-satisfied)", entry);
          return FALSE;
        }
      value = kiosk_pad_hex_parse (g_strstrip (parts[0]), &local);
      if (value == NULL || g_bytes_get_size (value) != 1)
        {
          g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_KEY_MAP,
                       "key-map entry '%s': the value must be one hex byte (00 is 'released')", entry);
          return FALSE;
        }
      v = ((const guint8 *) g_bytes_get_data (value, NULL))[0];
      key = kiosk_pad_key_from_string (g_strstrip (parts[1]));
      if (key == KIOSK_PAD_KEY_NONE)
        {
          g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_KEY_MAP,
                       "key-map entry '%s': unknown key '%s' (very-satisfied, satisfied, basic, dissatisfied, "
                       "very-dissatisfied, confirm, cancel)",
                       entry, parts[1]);
          return FALSE;
        }
      if (v == 0 || (v & map->mask) != v)
        {
          g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_KEY_MAP,
                       "key-map entry '%s': value %02x is 00 or has bits outside key-mask %02x", entry, v, map->mask);
          return FALSE;
        }
      for (guint i = 0; i < map->n_keys; i++)
        if (map->keys[i].value == v)
          {
            g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_KEY_MAP, "key-map: value %02x is mapped twice", v);
            return FALSE;
          }
      if (map->n_keys == KIOSK_PAD_MAX_KEYS)
        {
          g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_KEY_MAP, "key-map: more than %d entries",
                       KIOSK_PAD_MAX_KEYS);
          return FALSE;
        }
      map->keys[map->n_keys].value = v;
      map->keys[map->n_keys].key = key;
      map->n_keys++;
    }
  return TRUE;
}

gboolean
kiosk_pad_key_map_value_for (const KioskPadKeyMap *map, KioskPadKey key, guint8 *value)
{
  for (guint i = 0; i < map->n_keys; i++)
    if (map->keys[i].key == key)
      {
        *value = map->keys[i].value;
        return TRUE;
      }
  return FALSE;
}

KioskPadReportKind
kiosk_pad_report_parse (const KioskPadKeyMap *map, const guint8 *data, gsize len, KioskPadKey *key, guint8 *value)
{
  guint8 v;

  g_return_val_if_fail (map != NULL, KIOSK_PAD_REPORT_MALFORMED);
  if (key)
    *key = KIOSK_PAD_KEY_NONE;
  if (value)
    *value = 0;
  if (data == NULL || len == 0)
    return KIOSK_PAD_REPORT_MALFORMED;
  if (map->report_id >= 0 && data[0] != (guint8) map->report_id)
    return KIOSK_PAD_REPORT_OTHER;
  if (map->offset >= len)
    return KIOSK_PAD_REPORT_MALFORMED;

  v = data[map->offset] & map->mask;
  if (value)
    *value = v;
  if (v == 0)
    return KIOSK_PAD_REPORT_RELEASE;
  for (guint i = 0; i < map->n_keys; i++)
    if (map->keys[i].value == v)
      {
        if (key)
          *key = map->keys[i].key;
        return KIOSK_PAD_REPORT_KEY;
      }
  return KIOSK_PAD_REPORT_UNMAPPED;
}

gboolean
kiosk_pad_report_build (const KioskPadKeyMap *map, KioskPadKey key, guint8 *data, gsize len)
{
  guint8 v = 0;

  if (len == 0 || map->offset >= len)
    return FALSE;
  if (key != KIOSK_PAD_KEY_NONE && !kiosk_pad_key_map_value_for (map, key, &v))
    return FALSE;
  memset (data, 0, len);
  if (map->report_id >= 0)
    data[0] = (guint8) map->report_id;
  data[map->offset] = v;
  return TRUE;
}

GHashTable *
kiosk_pad_feedback_parse (const char *const *entries, GError **error)
{
  g_autoptr (GHashTable) table
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);

  for (const char *const *e = entries; e && *e; e++)
    {
      g_autofree char *entry = g_strstrip (g_strdup (*e));
      g_auto (GStrv) parts = NULL;
      g_autoptr (GError) local = NULL;
      GBytes *bytes;

      if (*entry == '\0')
        continue;
      parts = g_strsplit (entry, ":", 2);
      if (g_strv_length (parts) != 2 || *g_strstrip (parts[0]) == '\0')
        {
          g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_FEEDBACK,
                       "feedback entry '%s' is not EVENT:HEX (e.g. thanks:0102)", entry);
          return NULL;
        }
      bytes = kiosk_pad_hex_parse (g_strstrip (parts[1]), &local);
      if (bytes == NULL || g_bytes_get_size (bytes) == 0)
        {
          g_clear_pointer (&bytes, g_bytes_unref);
          g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_FEEDBACK, "feedback entry '%s': %s", entry,
                       local ? local->message : "no bytes");
          return NULL;
        }
      g_hash_table_replace (table, g_strdup (parts[0]), bytes);
    }
  return g_steal_pointer (&table);
}
