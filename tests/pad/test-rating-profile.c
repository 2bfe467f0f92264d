/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Wire mapping of ratings: the built-in GB/T 39046-2020 profile and the
 * shipped provincial example (reverse levels, "pf" channel codes). */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "kiosk-rating-profile.h"

static KioskRatingRecord *
make_record (KioskRatingLevel level, KioskRatingChannel channel)
{
  KioskRatingRecord *r = g_new0 (KioskRatingRecord, 1);
  const char *codes[] = { "slow", NULL };
  const char *texts[] = { "办理时间太长", NULL };

  r->case_number = g_strdup ("K1-20261122-0000017");
  r->item_code = g_strdup ("11000000000000000001");
  r->kind = g_strdup ("apply");
  r->channel = channel;
  r->time = g_strdup ("20261122T101500");
  r->sequence = 2;
  r->level = level;
  r->source = KIOSK_RATING_SOURCE_SCREEN;
  r->reason_codes = g_strdupv ((char **) codes);
  r->reasons = g_strdupv ((char **) texts);
  r->region_code = g_strdup ("330106001");
  return r;
}

static JsonObject *
parse (const char *json, JsonParser **parser)
{
  g_autoptr (GError) error = NULL;
  *parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (*parser, json, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*parser));
}

static char *
profile_path (const char *name)
{
  return g_build_filename (KIOSK_SOURCE_DIR, "app", "rating", "profiles", name, NULL);
}

static void
test_default_gbt39046 (void)
{
  g_autoptr (KioskRatingProfile) p = kiosk_rating_profile_new_default ();
  const char *expected_channels[]
      = { "PC端", "移动服务端", "二维码", "政务大厅平板电脑", "政务大厅其他终端", "电话", "短信" };

  g_assert_cmpstr (kiosk_rating_profile_get_id (p), ==, "gbt39046");
  for (int l = KIOSK_RATING_VERY_SATISFIED; l <= KIOSK_RATING_VERY_DISSATISFIED; l++)
    {
      g_autofree char *want = g_strdup_printf ("%d", l); /* 1 = 非常满意 … 5 = 非常不满意 */
      g_autoptr (KioskRatingRecord) r = make_record (l, KIOSK_RATING_CHANNEL_HALL_TERMINAL);
      g_autofree char *json = kiosk_rating_profile_to_json (p, r, NULL);
      g_autoptr (JsonParser) parser = NULL;
      JsonObject *o = parse (json, &parser);

      g_assert_cmpstr (kiosk_rating_profile_level_code (p, l), ==, want);
      g_assert_cmpstr (json_object_get_string_member (o, "level"), ==, want);
      g_assert_cmpstr (json_object_get_string_member (o, "channel"), ==, "政务大厅其他终端");
      g_assert_true (json_object_get_boolean_member (o, "rated"));
      g_assert_cmpstr (json_object_get_string_member (o, "time"), ==, "20261122T101500");
      g_assert_cmpint (json_object_get_int_member (o, "sequence"), ==, 2);
      g_assert_cmpstr (json_object_get_string_member (o, "region_code"), ==, "330106001");
      g_assert_cmpstr (json_object_get_string_member (o, "case_number"), ==, "K1-20261122-0000017");
      g_assert_cmpstr (json_object_get_string_member (o, "item_code"), ==, "11000000000000000001");
      g_assert_cmpstr (json_object_get_string_member (o, "level_name"), ==, kiosk_rating_level_to_string (l));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "reasons")), ==, 1);
    }
  for (int c = 0; c < KIOSK_RATING_N_CHANNELS; c++)
    g_assert_cmpstr (kiosk_rating_profile_channel_code (p, c), ==, expected_channels[c]);
  g_assert_null (kiosk_rating_profile_level_code (p, KIOSK_RATING_NOT_RATED));
}

static void
test_shipped_gbt_file_matches_default (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = profile_path ("gbt39046.conf");
  g_autoptr (KioskRatingProfile) file = kiosk_rating_profile_load (path, &error);
  g_autoptr (KioskRatingProfile) builtin = kiosk_rating_profile_new_default ();

  g_assert_no_error (error);
  for (int l = KIOSK_RATING_VERY_SATISFIED; l <= KIOSK_RATING_VERY_DISSATISFIED; l++)
    g_assert_cmpstr (kiosk_rating_profile_level_code (file, l), ==, kiosk_rating_profile_level_code (builtin, l));
  for (int c = 0; c < KIOSK_RATING_N_CHANNELS; c++)
    g_assert_cmpstr (kiosk_rating_profile_channel_code (file, c), ==, kiosk_rating_profile_channel_code (builtin, c));
}

static void
test_provincial_reverse_pf (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = profile_path ("provincial-pf.conf");
  g_autoptr (KioskRatingProfile) p = kiosk_rating_profile_load (path, &error);

  g_assert_no_error (error);
  for (int l = KIOSK_RATING_VERY_SATISFIED; l <= KIOSK_RATING_VERY_DISSATISFIED; l++)
    {
      g_autoptr (KioskRatingRecord) r = make_record (l, KIOSK_RATING_CHANNEL_HALL_TERMINAL);
      g_autofree char *json = kiosk_rating_profile_to_json (p, r, &error);
      g_autoptr (JsonParser) parser = NULL;
      JsonObject *o;

      g_assert_no_error (error);
      o = parse (json, &parser);
      /* 1 = 非常不满意 … 5 = 非常满意, as numbers */
      g_assert_cmpint (json_object_get_int_member (o, "level"), ==, 6 - l);
      g_assert_cmpint (json_object_get_int_member (o, "pf"), ==, 5);
      g_assert_false (json_object_has_member (o, "channel"));
    }
  {
    const int pf[] = { 1, 2, 3, 4, 5 };
    for (int c = 0; c <= KIOSK_RATING_CHANNEL_HALL_TERMINAL; c++)
      {
        g_autofree char *want = g_strdup_printf ("%d", pf[c]);
        g_assert_cmpstr (kiosk_rating_profile_channel_code (p, c), ==, want);
      }
    g_assert_cmpstr (kiosk_rating_profile_channel_code (p, KIOSK_RATING_CHANNEL_SMS), ==, "6");
  }
  /* no phone channel in this interface: refused, not invented */
  {
    g_autoptr (KioskRatingRecord) r = make_record (KIOSK_RATING_SATISFIED, KIOSK_RATING_CHANNEL_PHONE);
    g_autofree char *json = kiosk_rating_profile_to_json (p, r, &error);
    g_assert_null (json);
    g_assert_error (error, KIOSK_RATING_PROFILE_ERROR, KIOSK_RATING_PROFILE_ERROR_UNMAPPED);
  }
}

static void
test_not_rated_has_no_level (void)
{
  g_autofree char *path = profile_path ("provincial-pf.conf");
  KioskRatingProfile *profiles[] = { kiosk_rating_profile_new_default (), kiosk_rating_profile_load (path, NULL) };

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      KioskRatingRecord *r = make_record (KIOSK_RATING_NOT_RATED, KIOSK_RATING_CHANNEL_HALL_TERMINAL);
      g_autofree char *json = kiosk_rating_profile_to_json (profiles[i], r, NULL);
      g_autoptr (JsonParser) parser = NULL;
      JsonObject *o;

      kiosk_rating_record_free (r);
      o = parse (json, &parser);

      g_assert_true (json_object_get_null_member (o, "level"));
      g_assert_false (json_object_get_boolean_member (o, "rated"));
      g_assert_cmpstr (json_object_get_string_member (o, "level_name"), ==, "not-rated");
      kiosk_rating_profile_free (profiles[i]);
    }
}

static void
test_anonymous_hides_rater (void)
{
  g_autoptr (KioskRatingProfile) p = kiosk_rating_profile_new_default ();
  KioskRatingRecord *r = make_record (KIOSK_RATING_DISSATISFIED, KIOSK_RATING_CHANNEL_HALL_TERMINAL);
  g_autofree char *json = NULL;
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o;

  r->rater_id_number = g_strdup ("11010519491231002X");
  r->anonymous = TRUE;
  json = kiosk_rating_profile_to_json (p, r, NULL);
  kiosk_rating_record_free (r);
  g_assert_null (strstr (json, "11010519491231002X"));
  o = parse (json, &parser);
  g_assert_true (json_object_get_boolean_member (o, "anonymous"));
  g_assert_true (json_object_get_null_member (o, "rater_id_number"));
}

static void
test_invalid_profiles (void)
{
  const char *bad[] = {
    "[profile]\nname=x\n",                                   /* no id */
    "[profile]\nid=x\nname=x\n[levels]\nvery-satisfied=1\n", /* levels missing */
    "[profile]\nid=x\nname=x\n[levels]\nvery-satisfied=1\nsatisfied=1\nbasic=3\ndissatisfied=4\n"
    "very-dissatisfied=5\n[channels]\nhall-terminal=5\n", /* duplicate code */
    "[profile]\nid=x\nname=x\n[levels]\nvery-satisfied=1\nsatisfied=2\nbasic=3\ndissatisfied=4\n"
    "very-dissatisfied=5\n", /* no hall-terminal */
    "[profile]\nid=x\nname=x\nnumeric-codes=true\n[levels]\nvery-satisfied=a\nsatisfied=2\nbasic=3\n"
    "dissatisfied=4\nvery-dissatisfied=5\n[channels]\nhall-terminal=5\n", /* not numeric */
    "[profile]\nid=x\nname=x\n[levels]\nnot-rated=0\n",                   /* no code for not rated */
    "[profile]\nid=x\nname=x\n[colours]\nred=1\n",                        /* unknown group */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskRatingProfile) p = kiosk_rating_profile_new_from_data (bad[i], &error);
      g_assert_null (p);
      g_assert_error (error, KIOSK_RATING_PROFILE_ERROR, KIOSK_RATING_PROFILE_ERROR_INVALID);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rating/profile/default-gbt39046", test_default_gbt39046);
  g_test_add_func ("/rating/profile/shipped-gbt-file", test_shipped_gbt_file_matches_default);
  g_test_add_func ("/rating/profile/provincial-reverse-pf", test_provincial_reverse_pf);
  g_test_add_func ("/rating/profile/not-rated-has-no-level", test_not_rated_has_no_level);
  g_test_add_func ("/rating/profile/anonymous-hides-rater", test_anonymous_hides_rater);
  g_test_add_func ("/rating/profile/invalid", test_invalid_profiles);
  return g_test_run ();
}
