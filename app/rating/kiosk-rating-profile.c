/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-rating"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "kiosk-rating-profile.h"

G_DEFINE_QUARK (kiosk - rating - profile - error - quark, kiosk_rating_profile_error)

/* The built-in default; profiles/gbt39046.conf is the same text. */
static const char default_profile[] = "[profile]\n"
                                      "id=gbt39046\n"
                                      "name=GB/T 39046-2020\n"
                                      "numeric-codes=false\n"
                                      "[levels]\n"
                                      "very-satisfied=1\n"
                                      "satisfied=2\n"
                                      "basic=3\n"
                                      "dissatisfied=4\n"
                                      "very-dissatisfied=5\n"
                                      "[channels]\n"
                                      "pc=PC端\n"
                                      "mobile=移动服务端\n"
                                      "qr=二维码\n"
                                      "hall-tablet=政务大厅平板电脑\n"
                                      "hall-terminal=政务大厅其他终端\n"
                                      "phone=电话\n"
                                      "sms=短信\n";

/* Internal field names, in the order they are written. */
static const char *const fields[] = {
  "profile",       "case_number", "item_code",       "kind",        "channel", "time",         "sequence",
  "rated",         "level",       "level_name",      "source",      "reasons", "reason_codes", "text",
  "contact_phone", "anonymous",   "rater_id_number", "region_code", "proxy",   "agent_id",
};

struct _KioskRatingProfile {
  char *id;
  char *name;
  gboolean numeric_codes;
  char *levels[KIOSK_RATING_N_LEVELS + 1]; /* index = KioskRatingLevel; [0] unused */
  char *channels[KIOSK_RATING_N_CHANNELS];
  GHashTable *field_names; /* internal → wire ("" = omitted) */
};

void
kiosk_rating_profile_free (KioskRatingProfile *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->name);
  for (guint i = 0; i < G_N_ELEMENTS (self->levels); i++)
    g_free (self->levels[i]);
  for (guint i = 0; i < G_N_ELEMENTS (self->channels); i++)
    g_free (self->channels[i]);
  g_clear_pointer (&self->field_names, g_hash_table_unref);
  g_free (self);
}

static gboolean invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;
  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, KIOSK_RATING_PROFILE_ERROR, KIOSK_RATING_PROFILE_ERROR_INVALID, msg);
  return FALSE;
}

static gboolean
all_digits (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 9)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
fill_profile (KioskRatingProfile *self, GKeyFile *kf, GError **error)
{
  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);
  g_auto (GStrv) level_keys = NULL;
  g_auto (GStrv) channel_keys = NULL;

  for (char **g = groups; *g; g++)
    if (!g_strv_contains ((const char *const[]){ "profile", "levels", "channels", "fields", NULL }, *g))
      return invalid (error, "unknown group [%s] (profile, levels, channels, fields)", *g);

  self->id = g_key_file_get_string (kf, "profile", "id", NULL);
  self->name = g_key_file_get_string (kf, "profile", "name", NULL);
  if (self->id == NULL || self->name == NULL)
    return invalid (error, "[profile] needs id= and name=");
  self->numeric_codes = g_key_file_get_boolean (kf, "profile", "numeric-codes", NULL);

  level_keys = g_key_file_get_keys (kf, "levels", NULL, NULL);
  for (char **k = level_keys; k && *k; k++)
    {
      int level = kiosk_rating_level_from_string (*k);
      if (level <= 0)
        return invalid (error,
                        "[levels] %s: not a level (very-satisfied, satisfied, basic, dissatisfied, "
                        "very-dissatisfied; 'not rated' has no code)",
                        *k);
      self->levels[level] = g_strstrip (g_key_file_get_string (kf, "levels", *k, NULL));
    }
  for (int l = 1; l <= KIOSK_RATING_N_LEVELS; l++)
    {
      if (self->levels[l] == NULL || *self->levels[l] == '\0')
        return invalid (error, "[levels] %s has no code", kiosk_rating_level_to_string (l));
      if (self->numeric_codes && !all_digits (self->levels[l]))
        return invalid (error, "[levels] %s = '%s' is not numeric (numeric-codes=true)",
                        kiosk_rating_level_to_string (l), self->levels[l]);
      for (int m = 1; m < l; m++)
        if (g_str_equal (self->levels[l], self->levels[m]))
          return invalid (error, "[levels] %s and %s share the code '%s'", kiosk_rating_level_to_string (m),
                          kiosk_rating_level_to_string (l), self->levels[l]);
    }

  channel_keys = g_key_file_get_keys (kf, "channels", NULL, NULL);
  for (char **k = channel_keys; k && *k; k++)
    {
      int ch = kiosk_rating_channel_from_string (*k);
      if (ch < 0)
        return invalid (error, "[channels] %s: not a channel (pc, mobile, qr, hall-tablet, hall-terminal, phone, sms)",
                        *k);
      self->channels[ch] = g_strstrip (g_key_file_get_string (kf, "channels", *k, NULL));
      if (self->numeric_codes && !all_digits (self->channels[ch]))
        return invalid (error, "[channels] %s = '%s' is not numeric (numeric-codes=true)", *k, self->channels[ch]);
    }
  if (self->channels[KIOSK_RATING_CHANNEL_HALL_TERMINAL] == NULL)
    return invalid (error, "[channels] hall-terminal (the kiosk's own channel) has no code");

  self->field_names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_hash_table_insert (self->field_names, (gpointer) fields[i], g_strdup (fields[i]));
  if (g_key_file_has_group (kf, "fields"))
    {
      g_auto (GStrv) keys = g_key_file_get_keys (kf, "fields", NULL, NULL);
      for (char **k = keys; k && *k; k++)
        {
          const char *internal = NULL;
          for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
            if (g_str_equal (fields[i], *k))
              internal = fields[i];
          if (internal == NULL)
            return invalid (error, "[fields] %s: not a record field", *k);
          g_hash_table_insert (self->field_names, (gpointer) internal,
                               g_strstrip (g_key_file_get_string (kf, "fields", *k, NULL)));
        }
    }
  return TRUE;
}

static KioskRatingProfile *
profile_from_keyfile (GKeyFile *kf, GError **error)
{
  KioskRatingProfile *self = g_new0 (KioskRatingProfile, 1);

  if (!fill_profile (self, kf, error))
    {
      kiosk_rating_profile_free (self);
      return NULL;
    }
  return self;
}

KioskRatingProfile *
kiosk_rating_profile_new_from_data (const char *data, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  if (!g_key_file_load_from_data (kf, data, (gsize) -1, G_KEY_FILE_NONE, error))
    return NULL;
  return profile_from_keyfile (kf, error);
}

KioskRatingProfile *
kiosk_rating_profile_new_default (void)
{
  g_autoptr (GError) error = NULL;
  KioskRatingProfile *p = kiosk_rating_profile_new_from_data (default_profile, &error);
  g_assert_no_error (error);
  return p;
}

KioskRatingProfile *
kiosk_rating_profile_load (const char *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  KioskRatingProfile *p;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "rating profile %s: ", path);
      return NULL;
    }
  p = profile_from_keyfile (kf, error);
  if (p == NULL)
    g_prefix_error (error, "rating profile %s: ", path);
  return p;
}

const char *
kiosk_rating_profile_get_id (KioskRatingProfile *self)
{
  return self->id;
}

const char *
kiosk_rating_profile_get_name (KioskRatingProfile *self)
{
  return self->name;
}

const char *
kiosk_rating_profile_level_code (KioskRatingProfile *self, KioskRatingLevel level)
{
  if (level < KIOSK_RATING_VERY_SATISFIED || level > KIOSK_RATING_VERY_DISSATISFIED)
    return NULL;
  return self->levels[level];
}

const char *
kiosk_rating_profile_channel_code (KioskRatingProfile *self, KioskRatingChannel channel)
{
  if ((guint) channel >= KIOSK_RATING_N_CHANNELS)
    return NULL;
  return self->channels[channel];
}

const char *
kiosk_rating_profile_field (KioskRatingProfile *self, const char *field)
{
  const char *name = g_hash_table_lookup (self->field_names, field);
  return name && *name ? name : NULL;
}

static gboolean
member (KioskRatingProfile *self, JsonBuilder *b, const char *field)
{
  const char *name = kiosk_rating_profile_field (self, field);
  if (name == NULL)
    return FALSE;
  json_builder_set_member_name (b, name);
  return TRUE;
}

static void
add_code (KioskRatingProfile *self, JsonBuilder *b, const char *code)
{
  if (code == NULL)
    json_builder_add_null_value (b);
  else if (self->numeric_codes)
    json_builder_add_int_value (b, g_ascii_strtoll (code, NULL, 10));
  else
    json_builder_add_string_value (b, code);
}

static void
add_string_or_null (JsonBuilder *b, const char *s)
{
  if (s == NULL || *s == '\0')
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, s);
}

char *
kiosk_rating_profile_to_json (KioskRatingProfile *self, const KioskRatingRecord *r, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  const char *channel = kiosk_rating_profile_channel_code (self, r->channel);
  gboolean rated = r->level != KIOSK_RATING_NOT_RATED;

  if (channel == NULL)
    {
      g_set_error (error, KIOSK_RATING_PROFILE_ERROR, KIOSK_RATING_PROFILE_ERROR_UNMAPPED,
                   "rating profile %s has no code for channel %s", self->id,
                   kiosk_rating_channel_to_string (r->channel));
      return NULL;
    }

  json_builder_begin_object (b);
  if (member (self, b, "profile"))
    json_builder_add_string_value (b, self->id);
  if (member (self, b, "case_number"))
    add_string_or_null (b, r->case_number);
  if (member (self, b, "item_code"))
    add_string_or_null (b, r->item_code);
  if (member (self, b, "kind"))
    add_string_or_null (b, r->kind);
  if (member (self, b, "channel"))
    add_code (self, b, channel);
  if (member (self, b, "time"))
    json_builder_add_string_value (b, r->time);
  if (member (self, b, "sequence"))
    json_builder_add_int_value (b, r->sequence);
  if (member (self, b, "rated"))
    json_builder_add_boolean_value (b, rated);
  if (member (self, b, "level"))
    add_code (self, b, kiosk_rating_profile_level_code (self, r->level));
  if (member (self, b, "level_name"))
    json_builder_add_string_value (b, kiosk_rating_level_to_string (r->level));
  if (member (self, b, "source"))
    json_builder_add_string_value (b, kiosk_rating_source_to_string (r->source));
  if (member (self, b, "reasons"))
    {
      json_builder_begin_array (b);
      for (char **s = r->reasons; s && *s; s++)
        json_builder_add_string_value (b, *s);
      json_builder_end_array (b);
    }
  if (member (self, b, "reason_codes"))
    {
      json_builder_begin_array (b);
      for (char **s = r->reason_codes; s && *s; s++)
        json_builder_add_string_value (b, *s);
      json_builder_end_array (b);
    }
  if (member (self, b, "text"))
    add_string_or_null (b, r->text);
  if (member (self, b, "contact_phone"))
    add_string_or_null (b, r->phone);
  if (member (self, b, "anonymous"))
    json_builder_add_boolean_value (b, r->anonymous);
  if (member (self, b, "rater_id_number"))
    add_string_or_null (b, r->anonymous ? NULL : r->rater_id_number);
  if (member (self, b, "region_code"))
    add_string_or_null (b, r->region_code);
  if (member (self, b, "proxy"))
    json_builder_add_boolean_value (b, r->proxy);
  if (member (self, b, "agent_id"))
    add_string_or_null (b, r->agent_id);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}
