/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include <string.h>

#include "kiosk-catalog-search.h"

/* Field weights: where a match is found matters more than how. */
enum { W_NAME = 10, W_ALIAS = 9, W_CATEGORY = 6, W_DEPARTMENT = 5, W_TYPE = 4 };

/* Longest query word and field looked at for pinyin (a name is < 64). */
#define MAX_UNITS 96
#define MAX_LETTERS 64

typedef struct {
  gunichar c;                  /* lower-case ASCII letter or digit, or a hanzi */
  const char *const *readings; /* hanzi: borrowed from the readings cache */
} Unit;

typedef struct {
  char *folded; /* case-folded text */
  Unit *units;
  guint n_units;
  int weight;
} Field;

typedef struct {
  char *code;
  char *code_key; /* lower-case letters and digits */
  char *name;
  char *category;
  GPtrArray *fields; /* Field */
} Item;

struct _KioskCatalogSearch {
  GPtrArray *items;      /* Item */
  GPtrArray *categories; /* char *, NULL-terminated */
  GHashTable *readings;  /* gunichar -> char ** */
};

void
kiosk_catalog_match_free (KioskCatalogMatch *match)
{
  if (match == NULL)
    return;
  g_free (match->code);
  g_free (match->name);
  g_free (match->category);
  g_free (match);
}

static void
field_free (Field *f)
{
  g_free (f->folded);
  g_free (f->units);
  g_free (f);
}

static void
item_free (Item *it)
{
  g_free (it->code);
  g_free (it->code_key);
  g_free (it->name);
  g_free (it->category);
  g_ptr_array_unref (it->fields);
  g_free (it);
}

void
kiosk_catalog_search_free (KioskCatalogSearch *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->categories);
  g_hash_table_unref (self->readings);
  g_free (self);
}

/* Lower-case ASCII letters and digits of @s ("MZ-026" -> "mz026"). */
static char *
alnum_key (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s; s++)
    if (g_ascii_isalnum (*s))
      g_string_append_c (out, g_ascii_tolower (*s));
  return g_string_free (out, FALSE);
}

static const char *const *
readings_of (KioskCatalogSearch *self, KioskPinyin *pinyin, gunichar c)
{
  gpointer key = GUINT_TO_POINTER (c);
  char **r;

  if (g_hash_table_lookup_extended (self->readings, key, NULL, (gpointer *) &r))
    return (const char *const *) r;
  r = pinyin ? kiosk_pinyin_readings (pinyin, c) : NULL;
  g_hash_table_insert (self->readings, key, r);
  return (const char *const *) r;
}

static void
add_field (KioskCatalogSearch *self, KioskPinyin *pinyin, Item *it, const char *text, int weight)
{
  Field *f;
  GArray *units;

  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    return;
  f = g_new0 (Field, 1);
  f->folded = g_utf8_casefold (text, -1);
  f->weight = weight;
  units = g_array_new (FALSE, FALSE, sizeof (Unit));
  for (const char *p = text; *p && units->len < MAX_UNITS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      Unit u = { 0 };

      if (c < 0x80)
        {
          /* Punctuation and spaces are skipped: pinyin runs over them. */
          if (!g_ascii_isalnum ((char) c))
            continue;
          u.c = (guchar) g_ascii_tolower ((char) c);
        }
      else if (g_unichar_isalpha (c))
        {
          u.c = c;
          u.readings = readings_of (self, pinyin, c);
        }
      else
        continue;
      g_array_append_val (units, u);
    }
  f->n_units = units->len;
  f->units = (Unit *) (gpointer) g_array_free (units, FALSE);
  g_ptr_array_add (it->fields, f);
}

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

KioskCatalogSearch *
kiosk_catalog_search_new (JsonNode *catalog, KioskPinyin *pinyin, GError **error)
{
  KioskCatalogSearch *self;
  JsonArray *items = NULL;

  if (catalog && JSON_NODE_HOLDS_ARRAY (catalog))
    items = json_node_get_array (catalog);
  else if (catalog && JSON_NODE_HOLDS_OBJECT (catalog)
           && json_object_has_member (json_node_get_object (catalog), "items")
           && JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (catalog), "items")))
    items = json_object_get_array_member (json_node_get_object (catalog), "items");
  if (items == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the catalog is neither a list of items nor has one");
      return NULL;
    }

  self = g_new0 (KioskCatalogSearch, 1);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  self->categories = g_ptr_array_new_with_free_func (g_free);
  self->readings = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_strfreev);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *code = o ? member_string (o, "code") : NULL;
      const char *name = o ? member_string (o, "name") : NULL;
      const char *category, *department;
      Item *it;

      if (code == NULL || name == NULL || *code == '\0' || !g_utf8_validate (code, -1, NULL)
          || !g_utf8_validate (name, -1, NULL))
        continue;
      department = member_string (o, "department");
      category = member_string (o, "category");
      if (category == NULL || *category == '\0' || !g_utf8_validate (category, -1, NULL))
        category = department && g_utf8_validate (department, -1, NULL) ? department : "";
      it = g_new0 (Item, 1);
      it->code = g_strdup (code);
      it->code_key = alnum_key (code);
      it->name = g_strdup (name);
      it->category = g_strdup (category);
      it->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
      add_field (self, pinyin, it, name, W_NAME);
      if (json_object_has_member (o, "aliases") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "aliases")))
        {
          JsonArray *aliases = json_object_get_array_member (o, "aliases");
          for (guint k = 0; k < json_array_get_length (aliases); k++)
            {
              JsonNode *a = json_array_get_element (aliases, k);
              if (JSON_NODE_HOLDS_VALUE (a) && json_node_get_value_type (a) == G_TYPE_STRING)
                add_field (self, pinyin, it, json_node_get_string (a), W_ALIAS);
            }
        }
      add_field (self, pinyin, it, category, W_CATEGORY);
      if (department && g_strcmp0 (department, category) != 0)
        add_field (self, pinyin, it, department, W_DEPARTMENT);
      if (json_object_has_member (o, "item_type") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "item_type")))
        add_field (self, pinyin, it, member_string (json_object_get_object_member (o, "item_type"), "name"), W_TYPE);
      if (*category && !g_ptr_array_find_with_equal_func (self->categories, category, g_str_equal, NULL))
        g_ptr_array_add (self->categories, g_strdup (category));
      g_ptr_array_add (self->items, it);
    }
  g_ptr_array_add (self->categories, NULL);
  return self;
}

KioskCatalogSearch *
kiosk_catalog_search_new_from_json (const char *json, KioskPinyin *pinyin, GError **error)
{
  g_autoptr (JsonNode) node = json_from_string (json, error);

  if (node == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the catalog is empty");
      return NULL;
    }
  return kiosk_catalog_search_new (node, pinyin, error);
}

guint
kiosk_catalog_search_get_n_items (KioskCatalogSearch *self)
{
  return self->items->len;
}

static void
build_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskPinyin) pinyin = kiosk_pinyin_open (NULL, &error);
  KioskCatalogSearch *search;

  if (pinyin == NULL)
    {
      g_warning ("catalog search without pinyin: %s", error->message);
      g_clear_error (&error);
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  search = kiosk_catalog_search_new_from_json (data, pinyin, &error);
  if (search == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, search, (GDestroyNotify) kiosk_catalog_search_free);
}

void
kiosk_catalog_search_build_async (const char *json, GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, kiosk_catalog_search_build_async);
  g_task_set_task_data (task, g_strdup (json), g_free);
  g_task_run_in_thread (task, build_thread);
}

KioskCatalogSearch *
kiosk_catalog_search_build_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *const *
kiosk_catalog_search_get_categories (KioskCatalogSearch *self)
{
  return (const char *const *) self->categories->pdata;
}

/* ---- matching ------------------------------------------------------------ */

/* Pinyin of @q[qi..] against units from @ci on: the best value (2 a full
 * syllable, 1 an ASCII unit or an unfinished last syllable, plus WHOLE
 * when the match runs to the field's end), -1 when it does not match. A
 * unit is matched by a full reading, by its first letter, or by zh/ch/sh.
 * @memo holds value + 2 per (ci, qi), 0 while unknown. */
#define WHOLE 1000
static int
pinyin_at (const Field *f, const char *q, guint m, guint ci, guint qi, int *memo)
{
  const Unit *u;
  int best = -1;
  int *slot;

  if (qi == m)
    return ci == f->n_units ? WHOLE : 0;
  if (ci == f->n_units)
    return -1;
  slot = &memo[ci * (m + 1) + qi];
  if (*slot != 0)
    return *slot - 2;
  u = &f->units[ci];
  if (u->readings == NULL)
    {
      if (u->c < 0x80 && (char) u->c == q[qi])
        {
          int v = pinyin_at (f, q, m, ci + 1, qi + 1, memo);
          if (v >= 0)
            best = v + 1;
        }
    }
  else
    for (const char *const *r = u->readings; *r; r++)
      {
        gsize len = strlen (*r);
        int v;

        if (len == 0)
          continue;
        if (m - qi >= len && strncmp (q + qi, *r, len) == 0 && (v = pinyin_at (f, q, m, ci + 1, qi + len, memo)) >= 0)
          best = MAX (best, v + 2);
        if (m - qi < len && strncmp (q + qi, *r, m - qi) == 0)
          best = MAX (best, 1 + (ci + 1 == f->n_units ? WHOLE : 0));
        if ((*r)[0] == q[qi] && (v = pinyin_at (f, q, m, ci + 1, qi + 1, memo)) >= 0)
          best = MAX (best, v);
        if (len > 2 && (*r)[1] == 'h' && m - qi >= 2 && strncmp (q + qi, *r, 2) == 0
            && (v = pinyin_at (f, q, m, ci + 1, qi + 2, memo)) >= 0)
          best = MAX (best, v);
      }
  *slot = best + 2;
  return best;
}

/* Score of a pinyin word (lower-case ASCII letters) in @f, or -1. */
static int
pinyin_score (const Field *f, const char *q, int *memo)
{
  guint m = (guint) strlen (q);
  int best = -1;

  if (m == 0 || m > MAX_LETTERS || f->n_units == 0)
    return -1;
  memset (memo, 0, sizeof (int) * (f->n_units + 1) * (m + 1));
  for (guint start = 0; start < f->n_units; start++)
    {
      int v = pinyin_at (f, q, m, start, 0, memo);
      int where;

      if (v < 0)
        continue;
      /* The whole field, its beginning, or further in; then how many
       * syllables were typed in full. */
      where = start == 0 ? (v >= WHOLE ? 60 : 40) : 20 - (int) MIN (start, 15u);
      best = MAX (best, f->weight * 100 + where + MIN (v % WHOLE, 10));
    }
  return best;
}

/* Score of a text word (case-folded) in @f, or -1: contiguous, or (for
 * Chinese words) its characters in order ("养老登记"). */
static int
text_score (const Field *f, const char *word, gboolean chinese)
{
  const char *hit = strstr (f->folded, word);

  if (hit)
    {
      glong pos = g_utf8_pointer_to_offset (f->folded, hit);
      if (pos == 0 && strlen (word) == strlen (f->folded))
        return f->weight * 100 + 60;
      return f->weight * 100 + (pos == 0 ? 40 : 20 - (int) MIN (pos, 15));
    }
  if (chinese && g_utf8_strlen (word, -1) >= 2)
    {
      const char *p = f->folded;
      for (const char *w = word; *w; w = g_utf8_next_char (w))
        {
          char one[8] = { 0 };
          g_unichar_to_utf8 (g_utf8_get_char (w), one);
          p = strstr (p, one);
          if (p == NULL)
            return -1;
          p += strlen (one);
        }
      return f->weight * 100 - 80;
    }
  return -1;
}

typedef struct {
  char *text;       /* case-folded */
  char *letters;    /* pinyin: lower-case letters, or NULL */
  char *code;       /* alnum key when it has a digit, or NULL */
  gboolean chinese; /* has a non-ASCII character */
} Word;

static void
word_clear (Word *w)
{
  g_free (w->text);
  g_free (w->letters);
  g_free (w->code);
}

static GArray *
split_query (const char *query)
{
  GArray *words = g_array_new (FALSE, TRUE, sizeof (Word));
  g_autofree char *folded = NULL;
  g_auto (GStrv) parts = NULL;
  GString *norm;

  g_array_set_clear_func (words, (GDestroyNotify) word_clear);
  if (query == NULL || !g_utf8_validate (query, -1, NULL))
    return words;
  folded = g_utf8_casefold (query, -1);
  /* Spaces of any width separate words; ü is typed as v. */
  norm = g_string_new (NULL);
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c) || c == 0x3000)
        g_string_append_c (norm, ' ');
      else if (c == 0xFC)
        g_string_append_c (norm, 'v');
      else
        g_string_append_unichar (norm, c);
    }
  parts = g_strsplit (norm->str, " ", -1);
  g_string_free (norm, TRUE);
  for (char **p = parts; *p; p++)
    {
      Word *w;
      gboolean ascii = TRUE, letters = TRUE, digit = FALSE;

      if (**p == '\0')
        continue;
      for (const char *c = *p; *c; c++)
        {
          if ((guchar) *c >= 0x80)
            ascii = FALSE;
          else if (g_ascii_isdigit (*c))
            digit = TRUE;
          else if (!g_ascii_isalpha (*c) && *c != '\'')
            letters = FALSE;
        }
      g_array_set_size (words, words->len + 1);
      w = &g_array_index (words, Word, words->len - 1);
      w->text = g_strdup (*p);
      w->chinese = !ascii;
      if (ascii && letters && !digit)
        w->letters = alnum_key (*p);
      if (ascii && digit)
        w->code = alnum_key (*p);
    }
  return words;
}

static int
word_score (const Item *it, const Word *w, int *memo)
{
  int best = -1;

  if (w->code && *w->code)
    {
      if (g_str_equal (it->code_key, w->code))
        best = 2000;
      else if (g_str_has_prefix (it->code_key, w->code))
        best = 1500;
      else if (strstr (it->code_key, w->code))
        best = 1200;
    }
  for (guint i = 0; i < it->fields->len; i++)
    {
      const Field *f = it->fields->pdata[i];
      best = MAX (best, text_score (f, w->text, w->chinese));
      if (w->letters)
        best = MAX (best, pinyin_score (f, w->letters, memo));
    }
  return best;
}

typedef struct {
  KioskCatalogMatch *match;
  guint order;
} Ranked;

static gint
compare_ranked (gconstpointer a, gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->match->score != y->match->score)
    return x->match->score > y->match->score ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

GPtrArray *
kiosk_catalog_search_find (KioskCatalogSearch *self, const char *query, const char *category)
{
  g_autoptr (GArray) words = split_query (query);
  g_autoptr (GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  g_autoptr (GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_catalog_match_free);
  g_autofree int *memo = g_new0 (int, (MAX_UNITS + 1) * (MAX_LETTERS + 1));
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_catalog_match_free);

  if (query && !g_utf8_validate (query, -1, NULL))
    return out;
  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *it = self->items->pdata[i];
      int total = 0;
      KioskCatalogMatch *match;
      Ranked r;

      if (category && !g_str_equal (category, it->category))
        continue;
      for (guint k = 0; k < words->len && total >= 0; k++)
        {
          int s = word_score (it, &g_array_index (words, Word, k), memo);
          total = s < 0 ? -1 : total + s;
        }
      if (total < 0)
        continue;
      match = g_new0 (KioskCatalogMatch, 1);
      match->code = g_strdup (it->code);
      match->name = g_strdup (it->name);
      match->category = g_strdup (it->category);
      match->score = total;
      /* Sorted, then handed to @out. */
      g_ptr_array_add (pending, match);
      r.match = match;
      r.order = i;
      g_array_append_val (ranked, r);
    }
  g_array_sort (ranked, compare_ranked);
  for (guint i = 0; i < ranked->len; i++)
    g_ptr_array_add (out, g_array_index (ranked, Ranked, i).match);
  /* @out owns the matches now. */
  g_ptr_array_set_free_func (pending, NULL);
  return out;
}
