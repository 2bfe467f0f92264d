/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-config"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk-config.h"
#include "kiosk-config-schema.h"

struct _KioskConfig {
  gatomicrefcount ref;
  char *path;
  char *dir;
  GKeyFile *keyfile;
};

G_DEFINE_QUARK (kiosk - config - error - quark, kiosk_config_error)

/* Translations are kept so that validate() sees "key[locale]" lines (and
 * refuses them) whatever the current locale. */
#define KEYFILE_FLAGS (G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS)

static const KioskConfigKey *
find_key (const char *group, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kiosk_config_schema); i++)
    if (g_str_equal (kiosk_config_schema[i].group, group) && g_str_equal (kiosk_config_schema[i].key, key))
      return &kiosk_config_schema[i];
  return NULL;
}

static gboolean
group_known (const char *group)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kiosk_config_schema); i++)
    if (g_str_equal (kiosk_config_schema[i].group, group))
      return TRUE;
  return FALSE;
}

static gboolean
choice_ok (const char *choices, const char *value)
{
  g_auto (GStrv) list = g_strsplit (choices, "|", -1);
  return g_strv_contains ((const char *const *) list, value);
}

static gboolean
parse_long (const char *s, long *out)
{
  char *end = NULL;
  errno = 0;
  long v = strtol (s, &end, 10);
  if (errno != 0 || end == s || *g_strchug ((char *) end) != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

/* Validates one value against its schema row. */
static gboolean
check_value (const char *where, const KioskConfigKey *k, const char *value, GError **error)
{
  switch (k->type)
    {
    case KIOSK_KEY_INT:
      {
        long v;
        if (!parse_long (value, &v))
          {
            g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                         "%s: [%s] %s = '%s' is not a whole number (%s)", where, k->group, k->key, value, k->help);
            return FALSE;
          }
        if (k->min <= k->max && (v < k->min || v > k->max))
          {
            g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                         "%s: [%s] %s = %ld is out of range %.0f..%.0f (%s)", where, k->group, k->key, v, k->min,
                         k->max, k->help);
            return FALSE;
          }
        return TRUE;
      }
    case KIOSK_KEY_DOUBLE:
      {
        char *end = NULL;
        double v = g_ascii_strtod (value, &end);
        if (end == value || *end != '\0' || (k->min <= k->max && (v < k->min || v > k->max)))
          {
            g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                         "%s: [%s] %s = '%s' is not a number in %g..%g (%s)", where, k->group, k->key, value, k->min,
                         k->max, k->help);
            return FALSE;
          }
        return TRUE;
      }
    case KIOSK_KEY_BOOL:
      if (!g_str_equal (value, "true") && !g_str_equal (value, "false"))
        {
          g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                       "%s: [%s] %s = '%s' must be true or false", where, k->group, k->key, value);
          return FALSE;
        }
      return TRUE;
    case KIOSK_KEY_ENUM:
      if (!choice_ok (k->choices, value))
        {
          g_autofree char *nice = g_strdelimit (g_strdup (k->choices), "|", ',');
          g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                       "%s: [%s] %s = '%s' is not one of: %s", where, k->group, k->key, value, nice);
          return FALSE;
        }
      return TRUE;
    case KIOSK_KEY_URL:
      if (!g_str_has_prefix (value, "http://") && !g_str_has_prefix (value, "https://"))
        {
          g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                       "%s: [%s] %s = '%s' is not an http:// or https:// URL", where, k->group, k->key, value);
          return FALSE;
        }
      {
        g_autoptr (GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
        if (uri == NULL)
          {
            g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                         "%s: [%s] %s = '%s' is not a valid URL", where, k->group, k->key, value);
            return FALSE;
          }
        /* "https://" parses, with an empty host: nothing to connect to. */
        if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
          {
            g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                         "%s: [%s] %s = '%s' has no host name", where, k->group, k->key, value);
            return FALSE;
          }
      }
      return TRUE;
    case KIOSK_KEY_PATH:
      if (value[0] == '\0')
        {
          g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                       "%s: [%s] %s is empty: give a path (%s)", where, k->group, k->key, k->help);
          return FALSE;
        }
      return TRUE;
    case KIOSK_KEY_STRING:
      if (k->choices != NULL)
        {
          g_autofree char *anchored = g_strdup_printf ("^(?:%s)$", k->choices);
          if (!g_regex_match_simple (anchored, value, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT))
            {
              g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                           "%s: [%s] %s = '%s' has the wrong form (%s)", where, k->group, k->key, value, k->help);
              return FALSE;
            }
        }
      return TRUE;
    case KIOSK_KEY_LIST:
    default:
      return TRUE;
    }
}

/* One problem found: with @problems (kiosk_config_check), it is kept and
 * validation goes on (TRUE); without, it becomes *error (FALSE: stop). */
static gboolean
problem (GPtrArray *problems, GError **error, const char *group, const char *key, GError *found)
{
  KioskConfigProblem *p;

  if (problems == NULL)
    {
      g_propagate_error (error, found);
      return FALSE;
    }
  p = g_new0 (KioskConfigProblem, 1);
  p->group = g_strdup (group);
  p->key = g_strdup (key);
  p->message = g_strdup (found->message);
  g_ptr_array_add (problems, p);
  g_error_free (found);
  return TRUE;
}

static gboolean
validate (KioskConfig *self, GPtrArray *problems, GError **error)
{
  const char *where = self->path ? self->path : "configuration";
  g_auto (GStrv) groups = g_key_file_get_groups (self->keyfile, NULL);
  GError *found = NULL;
  guint before = problems ? problems->len : 0;

  for (char **g = groups; *g; g++)
    {
      if (!group_known (*g))
        {
          found
              = g_error_new (KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_UNKNOWN_GROUP, "%s: unknown group [%s]", where, *g);
          if (!problem (problems, error, *g, NULL, found))
            return FALSE;
          continue;
        }
      g_auto (GStrv) keys = g_key_file_get_keys (self->keyfile, *g, NULL, NULL);
      for (char **k = keys; k && *k; k++)
        {
          const KioskConfigKey *row;
          const char *bracket = strchr (*k, '[');
          if (bracket != NULL)
            {
              /* GKeyFile reads "key[locale]" as a translation and, without
               * G_KEY_FILE_KEEP_TRANSLATIONS, silently drops the ones not in
               * the current locale. No key of ours is translated. */
              g_autofree char *base = g_strndup (*k, (gsize) (bracket - *k));
              found
                  = g_error_new (KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_UNKNOWN_KEY,
                                 find_key (*g, base) ? "%s: [%s] %s: the key %s takes no locale suffix (%s)"
                                                     : "%s: unknown key [%s] %s (a typo? %s takes no locale suffix %s)",
                                 where, *g, *k, base, bracket);
              if (!problem (problems, error, *g, *k, found))
                return FALSE;
              continue;
            }
          row = find_key (*g, *k);
          if (row == NULL)
            {
              found = g_error_new (KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_UNKNOWN_KEY,
                                   "%s: unknown key [%s] %s (a typo?)", where, *g, *k);
              if (!problem (problems, error, *g, *k, found))
                return FALSE;
              continue;
            }
          g_autofree char *value = g_key_file_get_string (self->keyfile, *g, *k, NULL);
          if (value == NULL)
            {
              found = g_error_new (KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                                   "%s: [%s] %s cannot be read as text", where, *g, *k);
              if (!problem (problems, error, *g, *k, found))
                return FALSE;
              continue;
            }
          g_strstrip (value);
          if (!check_value (where, row, value, &found) && !problem (problems, error, *g, *k, found))
            return FALSE;
          found = NULL;
        }
    }

  for (gsize i = 0; i < G_N_ELEMENTS (kiosk_config_schema); i++)
    {
      const KioskConfigKey *k = &kiosk_config_schema[i];
      if (k->required && !g_key_file_has_key (self->keyfile, k->group, k->key, NULL))
        {
          found = g_error_new (KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_MISSING_KEY,
                               "%s: missing required key [%s] %s (%s)", where, k->group, k->key, k->help);
          if (!problem (problems, error, k->group, k->key, found))
            return FALSE;
        }
    }

  /* Cross-key rule: plain HTTP to the platform only when allowed. */
  g_autofree char *url = g_key_file_get_string (self->keyfile, "platform", "url", NULL);
  g_autofree char *allow = g_key_file_get_string (self->keyfile, "platform", "allow-http", NULL);
  if (url && g_str_has_prefix (g_strstrip (url), "http://") && !(allow && g_str_equal (g_strstrip (allow), "true")))
    {
      found = g_error_new (KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE,
                           "%s: [platform] url is plain http:// but [platform] allow-http is not true", where);
      if (!problem (problems, error, "platform", "url", found))
        return FALSE;
    }
  return problems == NULL || problems->len == before;
}

static KioskConfig *
config_new (GKeyFile *kf, const char *path, const char *dir)
{
  KioskConfig *self = g_new0 (KioskConfig, 1);
  g_atomic_ref_count_init (&self->ref);
  self->keyfile = kf;
  self->path = g_strdup (path);
  self->dir = g_strdup (dir);
  return self;
}

KioskConfig *
kiosk_config_load (const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;
  const char *p = path ? path : KIOSK_DEFAULT_CONFIG;
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  if (!g_key_file_load_from_file (kf, p, KEYFILE_FLAGS, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_NOT_FOUND,
                     "%s: no such configuration file (give one with --config FILE)", p);
      else
        g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_PARSE, "%s: %s", p, local->message);
      return NULL;
    }

  g_autofree char *abs = g_canonicalize_filename (p, NULL);
  g_autofree char *dir = g_path_get_dirname (abs);
  g_autoptr (KioskConfig) self = config_new (g_steal_pointer (&kf), abs, dir);
  if (!validate (self, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
kiosk_config_problem_free (KioskConfigProblem *p)
{
  if (p == NULL)
    return;
  g_free (p->group);
  g_free (p->key);
  g_free (p->message);
  g_free (p);
}

KioskConfig *
kiosk_config_check (const char *path, GPtrArray **problems)
{
  g_autoptr (GError) error = NULL;
  const char *p = path ? path : KIOSK_DEFAULT_CONFIG;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_config_problem_free);
  g_autoptr (KioskConfig) self = NULL;
  g_autofree char *abs = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (problems != NULL, NULL);
  if (!g_key_file_load_from_file (kf, p, KEYFILE_FLAGS, &error))
    {
      /* The same words as kiosk_config_load(), without a group or key. */
      g_autoptr (GError) load_error = NULL;
      g_autoptr (KioskConfig) unused = kiosk_config_load (p, &load_error);
      problem (found, NULL, NULL, NULL, load_error ? g_steal_pointer (&load_error) : g_steal_pointer (&error));
      *problems = g_steal_pointer (&found);
      return NULL;
    }
  abs = g_canonicalize_filename (p, NULL);
  dir = g_path_get_dirname (abs);
  self = config_new (g_steal_pointer (&kf), abs, dir);
  if (!validate (self, found, NULL))
    g_clear_pointer (&self, kiosk_config_unref);
  *problems = g_steal_pointer (&found);
  return g_steal_pointer (&self);
}

KioskConfig *
kiosk_config_new_from_data (const char *data, const char *dir, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  if (!g_key_file_load_from_data (kf, data, (gsize) -1, KEYFILE_FLAGS, &local))
    {
      g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_PARSE, "configuration: %s", local->message);
      return NULL;
    }
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr (KioskConfig) self = config_new (g_steal_pointer (&kf), NULL, dir ? dir : cwd);
  if (!validate (self, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

KioskConfig *
kiosk_config_ref (KioskConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
kiosk_config_unref (KioskConfig *self)
{
  if (self == NULL)
    return;
  if (g_atomic_ref_count_dec (&self->ref))
    {
      g_key_file_free (self->keyfile);
      g_free (self->path);
      g_free (self->dir);
      g_free (self);
    }
}

const char *
kiosk_config_get_path (KioskConfig *self)
{
  return self->path;
}

GKeyFile *
kiosk_config_get_keyfile (KioskConfig *self)
{
  return self->keyfile;
}

static const KioskConfigKey *
schema_or_die (const char *group, const char *key)
{
  const KioskConfigKey *k = find_key (group, key);
  if (k == NULL)
    g_error ("programming error: [%s] %s is not in kiosk-config-schema.h", group, key);
  return k;
}

char *
kiosk_config_get_string (KioskConfig *self, const char *group, const char *key)
{
  const KioskConfigKey *k = schema_or_die (group, key);
  char *v = g_key_file_get_string (self->keyfile, group, key, NULL);
  if (v != NULL)
    return g_strstrip (v);
  return g_strdup (k->default_value);
}

int
kiosk_config_get_int (KioskConfig *self, const char *group, const char *key)
{
  g_autofree char *v = kiosk_config_get_string (self, group, key);
  long n = 0;
  if (v == NULL || !parse_long (v, &n))
    return 0;
  return (int) n;
}

double
kiosk_config_get_double (KioskConfig *self, const char *group, const char *key)
{
  g_autofree char *v = kiosk_config_get_string (self, group, key);
  return v ? g_ascii_strtod (v, NULL) : 0.0;
}

gboolean
kiosk_config_get_bool (KioskConfig *self, const char *group, const char *key)
{
  g_autofree char *v = kiosk_config_get_string (self, group, key);
  return v != NULL && g_str_equal (v, "true");
}

char **
kiosk_config_get_list (KioskConfig *self, const char *group, const char *key)
{
  g_autofree char *v = kiosk_config_get_string (self, group, key);
  if (v == NULL || *v == '\0')
    return g_new0 (char *, 1);
  g_auto (GStrv) parts = g_strsplit (v, ";", -1);
  GPtrArray *out = g_ptr_array_new ();
  for (char **p = parts; *p; p++)
    {
      g_strstrip (*p);
      if (**p)
        g_ptr_array_add (out, g_strdup (*p));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

char *
kiosk_config_get_path_value (KioskConfig *self, const char *group, const char *key)
{
  g_autofree char *v = kiosk_config_get_string (self, group, key);
  if (v == NULL || *v == '\0')
    return NULL;
  if (g_path_is_absolute (v))
    return g_steal_pointer (&v);
  return g_build_filename (self->dir, v, NULL);
}

gboolean
kiosk_config_set (KioskConfig *self, const char *group, const char *key, const char *value, GError **error)
{
  const KioskConfigKey *k = find_key (group, key);
  if (k == NULL)
    {
      g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_UNKNOWN_KEY, "unknown key [%s] %s", group, key);
      return FALSE;
    }
  if (!check_value ("override", k, value, error))
    return FALSE;
  g_key_file_set_string (self->keyfile, group, key, value);
  return TRUE;
}

char *
kiosk_config_get_backend (KioskConfig *self, const char *device)
{
  return kiosk_config_get_string (self, device, "backend");
}
