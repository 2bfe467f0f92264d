/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-pinyin"

#include "config.h"

#include <string.h>

#include "kiosk-pinyin-ime.h"
#include "kiosk-pinyin.h"

struct _KioskPinyinIme {
  GMutex lock; /* kiosk_pinyin_ime_load() may run in another thread */
  char *user_dir;
  KioskPinyin *pinyin; /* NULL until loaded */
  gboolean dirty;      /* the candidates do not follow the letters yet */
  GString *letters;
  GString *chosen;  /* hanzi chosen for letters[0..offset) */
  gsize offset;     /* letters converted by the choices */
  gsize parsed;     /* letters libpinyin parsed */
  GPtrArray *cands; /* KioskPinyinCandidate, as the engine listed them */
  GPtrArray *shown; /* const char *, what the keyboard shows */
  GArray *map;      /* guint: shown index -> engine index */
};

KioskPinyinIme *
kiosk_pinyin_ime_new (const char *user_dir)
{
  KioskPinyinIme *self = g_new0 (KioskPinyinIme, 1);

  g_mutex_init (&self->lock);
  self->user_dir = g_strdup (user_dir);
  self->letters = g_string_new (NULL);
  self->chosen = g_string_new (NULL);
  self->shown = g_ptr_array_new ();
  self->map = g_array_new (FALSE, FALSE, sizeof (guint));
  return self;
}

static void
clear_candidates (KioskPinyinIme *self)
{
  g_clear_pointer (&self->cands, g_ptr_array_unref);
  g_ptr_array_set_size (self->shown, 0);
  g_array_set_size (self->map, 0);
}

void
kiosk_pinyin_ime_free (KioskPinyinIme *self)
{
  if (self == NULL)
    return;
  clear_candidates (self);
  g_clear_pointer (&self->pinyin, kiosk_pinyin_free);
  /* What was typed does not linger in freed memory. */
  memset (self->letters->str, 0, self->letters->allocated_len);
  memset (self->chosen->str, 0, self->chosen->allocated_len);
  g_string_free (self->letters, TRUE);
  g_string_free (self->chosen, TRUE);
  g_ptr_array_unref (self->shown);
  g_array_unref (self->map);
  g_free (self->user_dir);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* Recomputes the candidates from the letters and the choices. Locked. */
static void
refresh (KioskPinyinIme *self)
{
  const KioskPinyinApi *api;
  KioskPinyinEngine *engine;

  self->dirty = FALSE;
  clear_candidates (self);
  if (self->pinyin == NULL)
    return;
  api = kiosk_pinyin_get_api (self->pinyin);
  engine = kiosk_pinyin_get_engine (self->pinyin);
  if (self->letters->len == 0)
    {
      api->reset (engine);
      g_string_truncate (self->chosen, 0);
      self->offset = self->parsed = 0;
      return;
    }
  self->parsed = api->set_input (engine, self->letters->str);
  if (self->offset > 0 && self->offset >= self->parsed)
    {
      /* The choices no longer fit the letters: start again. */
      api->reset (engine);
      g_string_truncate (self->chosen, 0);
      self->offset = 0;
      self->parsed = api->set_input (engine, self->letters->str);
    }
  self->cands = api->candidates (engine, self->offset);
  for (guint i = 0; i < self->cands->len; i++)
    {
      KioskPinyinCandidate *c = self->cands->pdata[i];
      const char *text = c->text;

      /* A sentence repeats the hanzi already chosen. */
      if (c->sentence && self->chosen->len > 0 && g_str_has_prefix (text, self->chosen->str))
        text += self->chosen->len;
      if (*text == '\0')
        continue;
      g_ptr_array_add (self->shown, (gpointer) text);
      g_array_append_val (self->map, i);
    }
}

static void
sync_locked (KioskPinyinIme *self)
{
  if (self->dirty)
    refresh (self);
}

gboolean
kiosk_pinyin_ime_load (KioskPinyinIme *self, GError **error)
{
  KioskPinyin *pinyin;
  g_autofree char *user_dir = NULL;

  g_mutex_lock (&self->lock);
  if (self->pinyin != NULL)
    {
      g_mutex_unlock (&self->lock);
      return TRUE;
    }
  user_dir = g_strdup (self->user_dir);
  g_mutex_unlock (&self->lock);

  /* The slow part, unlocked: the owner keeps typing meanwhile. */
  pinyin = kiosk_pinyin_open (user_dir, error);
  if (pinyin == NULL)
    return FALSE;

  g_mutex_lock (&self->lock);
  if (self->pinyin == NULL)
    {
      self->pinyin = pinyin;
      self->dirty = TRUE;
      pinyin = NULL;
    }
  g_mutex_unlock (&self->lock);
  kiosk_pinyin_free (pinyin);
  return TRUE;
}

gboolean
kiosk_pinyin_ime_is_loaded (KioskPinyinIme *self)
{
  gboolean loaded;

  g_mutex_lock (&self->lock);
  loaded = self->pinyin != NULL;
  g_mutex_unlock (&self->lock);
  return loaded;
}

gboolean
kiosk_pinyin_ime_feed (KioskPinyinIme *self, char letter)
{
  char c = g_ascii_tolower (letter);

  if (c < 'a' || c > 'z')
    return FALSE;
  g_mutex_lock (&self->lock);
  if (self->letters->len >= KIOSK_PINYIN_IME_MAX_LETTERS)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_string_append_c (self->letters, c);
  refresh (self);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

gboolean
kiosk_pinyin_ime_backspace (KioskPinyinIme *self)
{
  gboolean done = TRUE;

  g_mutex_lock (&self->lock);
  if (self->chosen->len > 0 || self->offset > 0)
    {
      if (self->pinyin)
        kiosk_pinyin_get_api (self->pinyin)->reset (kiosk_pinyin_get_engine (self->pinyin));
      g_string_truncate (self->chosen, 0);
      self->offset = 0;
    }
  else if (self->letters->len > 0)
    g_string_truncate (self->letters, self->letters->len - 1);
  else
    done = FALSE;
  if (done)
    refresh (self);
  g_mutex_unlock (&self->lock);
  return done;
}

void
kiosk_pinyin_ime_reset (KioskPinyinIme *self)
{
  g_mutex_lock (&self->lock);
  memset (self->letters->str, 0, self->letters->len);
  g_string_truncate (self->letters, 0);
  memset (self->chosen->str, 0, self->chosen->len);
  g_string_truncate (self->chosen, 0);
  self->offset = self->parsed = 0;
  refresh (self);
  g_mutex_unlock (&self->lock);
}

const char *
kiosk_pinyin_ime_get_letters (KioskPinyinIme *self)
{
  return self->letters->str;
}

char *
kiosk_pinyin_ime_get_preedit (KioskPinyinIme *self)
{
  char *text;

  g_mutex_lock (&self->lock);
  text = g_strconcat (self->chosen->str, self->letters->str + MIN (self->offset, self->letters->len), NULL);
  g_mutex_unlock (&self->lock);
  return text;
}

guint
kiosk_pinyin_ime_get_n_candidates (KioskPinyinIme *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  sync_locked (self);
  n = self->shown->len;
  g_mutex_unlock (&self->lock);
  return n;
}

const char *
kiosk_pinyin_ime_get_candidate (KioskPinyinIme *self, guint index)
{
  const char *text = NULL;

  g_mutex_lock (&self->lock);
  sync_locked (self);
  if (index < self->shown->len)
    text = self->shown->pdata[index];
  g_mutex_unlock (&self->lock);
  return text;
}

/* Everything converted: hands out @text, keeps the letters libpinyin could
 * not parse as the next input. Locked. */
static char *
commit (KioskPinyinIme *self, char *text)
{
  g_autofree char *tail = g_strdup (self->letters->str + MIN (self->parsed, self->letters->len));

  kiosk_pinyin_get_api (self->pinyin)->reset (kiosk_pinyin_get_engine (self->pinyin));
  g_string_assign (self->letters, tail);
  g_string_truncate (self->chosen, 0);
  self->offset = 0;
  refresh (self);
  return text;
}

char *
kiosk_pinyin_ime_choose (KioskPinyinIme *self, guint index)
{
  KioskPinyinCandidate *c;
  char *result = NULL;

  g_mutex_lock (&self->lock);
  sync_locked (self);
  if (self->pinyin == NULL || self->cands == NULL || index >= self->shown->len)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  c = self->cands->pdata[g_array_index (self->map, guint, index)];
  if (c->sentence)
    result = commit (self, g_strdup (c->text));
  else
    {
      const KioskPinyinApi *api = kiosk_pinyin_get_api (self->pinyin);
      gsize next
          = api->choose (kiosk_pinyin_get_engine (self->pinyin), self->offset, g_array_index (self->map, guint, index));

      g_string_append (self->chosen, c->text);
      self->offset = MAX (next, self->offset + 1);
      if (self->offset >= self->parsed)
        result = commit (self, g_strdup (self->chosen->str));
      else
        refresh (self);
    }
  g_mutex_unlock (&self->lock);
  return result;
}
