/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kiosk-speech-text.h"

static gboolean
is_mask (gunichar c)
{
  return c == '*' || c == 0xFF0A /* ＊ */ || c == 0x2022 /* • */ || c == 0x25CF /* ● */ || c == 0x00D7 /* × */;
}

/* A "word" here is a run of characters between spaces or CJK characters:
 * ASCII letters, digits, masks and the joiners of codes. Chinese text has
 * no spaces, so a CJK character always ends a word. */
static gboolean
is_word_char (gunichar c)
{
  return (c < 0x80 && (g_ascii_isalnum ((char) c) || c == '-' || c == '_' || c == '/' || c == '.'))
         || (c >= 0xFF10 && c <= 0xFF19) /* full-width digits */;
}

static int
digit_value (gunichar c)
{
  if (c >= '0' && c <= '9')
    return (int) (c - '0');
  if (c >= 0xFF10 && c <= 0xFF19)
    return (int) (c - 0xFF10);
  return -1;
}

static void
append_space (GString *out)
{
  if (out->len > 0 && out->str[out->len - 1] != ' ')
    g_string_append_c (out, ' ');
}

static void
emit_word (GString *out, const gunichar *w, gsize n, gboolean zh)
{
  static const char *const zh_digits[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
  gsize digits = 0, letters = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (digit_value (w[i]) >= 0)
        digits++;
      else if (w[i] < 0x80 && g_ascii_isalpha ((char) w[i]))
        letters++;
    }
  if (digits >= 3 || (digits > 0 && letters > 0))
    {
      /* One character at a time; joiners are pauses. */
      append_space (out);
      for (gsize i = 0; i < n; i++)
        {
          int d = digit_value (w[i]);

          if (d >= 0)
            g_string_append (out, zh ? zh_digits[d]
                                     : (const char *[]){ "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" }[d]);
          else if (w[i] < 0x80 && g_ascii_isalpha ((char) w[i]))
            g_string_append_c (out, g_ascii_toupper ((char) w[i]));
          else
            continue;
          g_string_append_c (out, ' ');
        }
      return;
    }
  for (gsize i = 0; i < n; i++)
    {
      int d = digit_value (w[i]);

      if (d >= 0)
        g_string_append_c (out, (char) ('0' + d));
      else
        g_string_append_unichar (out, w[i]);
    }
}

/* Where a masked token ends: spaces, controls and punctuation other than
 * the masks themselves and the joiners of codes and numbers. Chinese text
 * has no spaces, so a masked token may take its neighbours with it
 * ("申请人张*已提交" says nothing): saying too little is the safe side. */
static gboolean
ends_token (gunichar c)
{
  if (is_mask (c) || c == '-' || c == '_' || c == '/' || c == '.')
    return FALSE;
  return g_unichar_isspace (c) || g_unichar_iscntrl (c) || g_unichar_ispunct (c)
         || g_unichar_type (c) == G_UNICODE_FORMAT;
}

char *
kiosk_speech_text_prepare (const char *text, const char *language)
{
  g_autofree char *valid = NULL;
  g_autofree gunichar *chars = NULL;
  g_autofree gboolean *drop = NULL;
  glong n = 0;
  gboolean zh = language == NULL || g_str_has_prefix (language, "zh");
  GString *out = g_string_new (NULL);
  glong i = 0;

  if (text == NULL)
    return g_string_free (out, FALSE);
  valid = g_utf8_make_valid (text, -1);
  chars = g_utf8_to_ucs4_fast (valid, -1, &n);
  /* Pass 1: every token holding a mask is dropped whole. */
  drop = g_new0 (gboolean, n + 1);
  while (i < n)
    {
      glong start = i;
      gboolean masked = FALSE;

      if (ends_token (chars[i]))
        {
          i++;
          continue;
        }
      while (i < n && !ends_token (chars[i]))
        masked |= is_mask (chars[i++]);
      if (masked)
        for (glong j = start; j < i; j++)
          drop[j] = TRUE;
    }
  /* Pass 2: codes and long numbers one character at a time. */
  i = 0;
  while (i < n)
    {
      gunichar c = chars[i];

      if (drop[i])
        {
          append_space (out);
          i++;
          continue;
        }
      if (is_word_char (c))
        {
          glong start = i;

          while (i < n && !drop[i] && is_word_char (chars[i]))
            i++;
          emit_word (out, chars + start, (gsize) (i - start), zh);
          continue;
        }
      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        append_space (out);
      else
        g_string_append_unichar (out, c);
      i++;
    }
  /* Trim. */
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len > 0 && out->str[0] == ' ')
    g_string_erase (out, 0, 1);
  return g_string_free (out, FALSE);
}

gboolean
kiosk_speech_text_is_speakable (const char *text)
{
  g_autofree char *said = kiosk_speech_text_prepare (text, "zh_CN");

  for (const char *p = said; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        return TRUE;
    }
  return FALSE;
}
