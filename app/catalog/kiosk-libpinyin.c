/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-pinyin"

/* The kiosk-libpinyin module: the only file that includes libpinyin's
 * header (which also defines constants, so it may be included by one
 * translation unit only). Only kiosk_pinyin_module() is exported.
 *
 * Privacy: what residents type (names, addresses) is never learned into
 * a file. pinyin_train(), pinyin_remember_user_input() and pinyin_save()
 * are never called; choosing a candidate only sets a constraint in the
 * instance (libpinyin 2.8's pinyin_choose_candidate() changes frequencies
 * only for "longer" candidates and for the sort without sentences, neither
 * of which is used here), and the user folder is a private temporary one
 * by default, removed on close. */

#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <pinyin.h>

#include "kiosk-pinyin-module.h"

/* libpinyin's ChewingKey (src/storage/chewing_key.h) is one guint16 of bit
 * fields (initial 5, middle 2, final 5, tone 3, padding 1); its arrays in
 * the API (ChewingKeyVector) are GArrays of that element size, which C
 * callers must give since the struct is not in the public header. */
#define KIOSK_CHEWING_KEY_SIZE 2

struct _KioskPinyinEngine {
  pinyin_context_t *context;
  pinyin_instance_t *instance;
  char *user_dir;
  gboolean own_user_dir;
  GArray *tokens; /* phrase_token_t */
  GArray *keys;   /* ChewingKey */
};

/* libpinyin reports a missing user.conf on stderr on every start with a
 * new user folder: write the one it expects (the system model's versions)
 * so that kioskctl's output stays clean. */
static void
write_user_conf (const char *system_dir, const char *user_dir)
{
  g_autofree char *sys = g_build_filename (system_dir, "table.conf", NULL);
  g_autofree char *user = g_build_filename (user_dir, "user.conf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *conf = NULL;
  const char *binary, *model;
  char *end1 = NULL, *end2 = NULL;
  gint64 b, m;

  if (g_file_test (user, G_FILE_TEST_EXISTS) || !g_file_get_contents (sys, &text, NULL, NULL))
    return;
  binary = strstr (text, "binary format version:");
  model = strstr (text, "model data version:");
  if (binary == NULL || model == NULL)
    return;
  b = g_ascii_strtoll (binary + strlen ("binary format version:"), &end1, 10);
  m = g_ascii_strtoll (model + strlen ("model data version:"), &end2, 10);
  if (*end1 != '\n' || *end2 != '\n')
    return;
  conf = g_strdup_printf ("binary format version:%" G_GINT64_FORMAT "\nmodel data version:%" G_GINT64_FORMAT
                          "\ndatabase format:BerkeleyDB\n",
                          b, m);
  g_file_set_contents (user, conf, -1, NULL);
}

static void
remove_dir (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_unlink (file);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

static void
engine_close (KioskPinyinEngine *engine)
{
  if (engine == NULL)
    return;
  if (engine->instance)
    pinyin_free_instance (engine->instance);
  if (engine->context)
    pinyin_fini (engine->context);
  if (engine->own_user_dir)
    remove_dir (engine->user_dir);
  g_free (engine->user_dir);
  g_array_unref (engine->tokens);
  g_array_unref (engine->keys);
  g_free (engine);
}

static KioskPinyinEngine *
engine_open (const char *system_dir, const char *user_dir, GError **error)
{
  KioskPinyinEngine *engine = g_new0 (KioskPinyinEngine, 1);
  g_autofree char *table = g_build_filename (system_dir, "table.conf", NULL);
  g_autoptr (GError) local = NULL;

  engine->tokens = g_array_new (FALSE, TRUE, sizeof (phrase_token_t));
  engine->keys = g_array_new (FALSE, TRUE, KIOSK_CHEWING_KEY_SIZE);
  if (!g_file_test (table, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no pinyin data in %s (Debian package libpinyin-data)",
                   system_dir);
      engine_close (engine);
      return NULL;
    }
  if (user_dir == NULL)
    {
      engine->user_dir = g_dir_make_tmp ("kiosk-pinyin-XXXXXX", &local);
      if (engine->user_dir == NULL)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "no folder for pinyin: %s", local->message);
          engine_close (engine);
          return NULL;
        }
      engine->own_user_dir = TRUE;
    }
  else
    {
      if (g_mkdir_with_parents (user_dir, 0700) != 0)
        {
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot make %s: %s", user_dir,
                       g_strerror (errno));
          engine_close (engine);
          return NULL;
        }
      engine->user_dir = g_strdup (user_dir);
    }
  write_user_conf (system_dir, engine->user_dir);
  engine->context = pinyin_init (system_dir, engine->user_dir);
  if (engine->context == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "libpinyin cannot load its data from %s", system_dir);
      engine_close (engine);
      return NULL;
    }
  pinyin_set_options (engine->context,
                      PINYIN_INCOMPLETE | PINYIN_CORRECT_ALL | USE_DIVIDED_TABLE | USE_RESPLIT_TABLE | DYNAMIC_ADJUST);
  engine->instance = pinyin_alloc_instance (engine->context);
  if (engine->instance == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "libpinyin cannot make an instance");
      engine_close (engine);
      return NULL;
    }
  return engine;
}

static char **
engine_readings (KioskPinyinEngine *engine, const char *character)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  char one[8] = { 0 };
  gunichar c = g_utf8_get_char_validated (character, -1);

  if (c == (gunichar) -1 || c == (gunichar) -2 || c == 0)
    return NULL;
  g_unichar_to_utf8 (c, one);
  g_array_set_size (engine->tokens, 0);
  if (!pinyin_lookup_tokens (engine->instance, one, engine->tokens))
    return NULL;
  for (guint i = 0; i < engine->tokens->len; i++)
    {
      phrase_token_t token = g_array_index (engine->tokens, phrase_token_t, i);
      guint n = 0;

      if (!pinyin_token_get_n_pronunciation (engine->instance, token, &n))
        continue;
      for (guint k = 0; k < n; k++)
        {
          char *s = NULL;
          char *w, *r;

          if (!pinyin_token_get_nth_pronunciation (engine->instance, token, k, engine->keys) || engine->keys->len != 1)
            continue;
          if (!pinyin_get_pinyin_string (engine->instance, (ChewingKey *) (gpointer) engine->keys->data, &s)
              || s == NULL)
            continue;
          /* Toneless, lower-case ASCII ("ü" as "v"). */
          for (r = w = s; *r; r++)
            if (g_ascii_isalpha (*r))
              *w++ = g_ascii_tolower (*r);
          *w = '\0';
          if (*s == '\0' || g_ptr_array_find_with_equal_func (out, s, g_str_equal, NULL))
            g_free (s);
          else
            g_ptr_array_add (out, s);
        }
    }
  if (out->len == 0)
    return NULL;
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

static gsize
engine_set_input (KioskPinyinEngine *engine, const char *letters)
{
  pinyin_parse_more_full_pinyins (engine->instance, letters);
  pinyin_guess_sentence (engine->instance);
  return pinyin_get_parsed_input_length (engine->instance);
}

static GPtrArray *
engine_candidates (KioskPinyinEngine *engine, gsize offset)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  guint n = 0;

  if (offset >= pinyin_get_parsed_input_length (engine->instance))
    return out;
  /* Sentences first, then phrases by length, pinyin length and frequency;
   * no "longer" candidates (choosing one would change frequencies). */
  if (!pinyin_guess_candidates (engine->instance, offset, SORT_BY_PHRASE_LENGTH_AND_PINYIN_LENGTH_AND_FREQUENCY))
    return out;
  pinyin_get_n_candidate (engine->instance, &n);
  for (guint i = 0; i < n; i++)
    {
      lookup_candidate_t *cand = NULL;
      lookup_candidate_type_t type = NORMAL_CANDIDATE;
      const char *text = NULL;
      KioskPinyinCandidate *c;
      gsize len;

      if (!pinyin_get_candidate (engine->instance, i, &cand)
          || !pinyin_get_candidate_string (engine->instance, cand, &text) || text == NULL)
        text = "";
      pinyin_get_candidate_type (engine->instance, cand, &type);
      len = strlen (text);
      c = g_malloc0 (sizeof *c + len + 1);
      c->sentence = type == NBEST_MATCH_CANDIDATE;
      c->text = (char *) (c + 1);
      memcpy (c->text, text, len);
      g_ptr_array_add (out, c);
    }
  return out;
}

static gsize
engine_choose (KioskPinyinEngine *engine, gsize offset, guint index)
{
  lookup_candidate_t *cand = NULL;
  int next;

  if (!pinyin_get_candidate (engine->instance, index, &cand))
    return offset;
  next = pinyin_choose_candidate (engine->instance, offset, cand);
  pinyin_guess_sentence (engine->instance);
  return next > 0 ? (gsize) next : offset;
}

static void
engine_reset (KioskPinyinEngine *engine)
{
  pinyin_reset (engine->instance);
}

__attribute__ ((visibility ("default"))) const KioskPinyinApi *kiosk_pinyin_module (void);

const KioskPinyinApi *
kiosk_pinyin_module (void)
{
  static const KioskPinyinApi api = {
    KIOSK_PINYIN_API_VERSION, engine_open,       engine_close,  engine_readings,
    engine_set_input,         engine_candidates, engine_choose, engine_reset,
  };
  return &api;
}
