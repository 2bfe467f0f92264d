/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "store-test-util.h"

/* kioskctl queue status / sync run / demo seed, as a technician runs them:
 * the exit codes and output formats are contracts. */

static const char *
kioskctl (void)
{
  const char *p = g_getenv ("KIOSKCTL");
  return p ? p : KIOSK_BUILD_DIR "/tools/kioskctl";
}

/* Runs kioskctl with @args (space-separated); returns the exit status,
 * stdout in @out. */
static int
run (const char *conf, char **out, const char *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) words = g_strsplit (args, " ", -1);

  g_ptr_array_add (argv, (char *) kioskctl ());
  g_ptr_array_add (argv, (char *) "--config");
  g_ptr_array_add (argv, (char *) conf);
  for (guint i = 0; words[i]; i++)
    g_ptr_array_add (argv, words[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

static JsonObject *
parse (JsonParser *parser, const char *text)
{
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_kioskctl (void)
{
  g_autofree char *dir = store_test_fast_tmpdir ("kioskctl");
  g_autofree char *conf = g_build_filename (dir, "kiosk.conf", NULL);
  g_autofree char *conf_down = g_build_filename (dir, "down.conf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  TestPlatform *platform = test_platform_start (dir, NULL);
  JsonObject *o;
  char *s;

  text = g_strdup_printf ("[kiosk]\nid=K-CTL\nstation=测试站\n[store]\npath=queue.db\nmin-free-mb=0\n"
                          "[platform]\nurl=%s\nallow-http=true\ntimeout-seconds=2\n",
                          platform->url);
  g_assert_true (g_file_set_contents (conf, text, -1, NULL));
  g_free (text);
  text = g_strdup ("[kiosk]\nid=K-CTL\nstation=测试站\n[store]\npath=queue.db\nmin-free-mb=0\n"
                   "[platform]\nurl=http://127.0.0.1:1/\nallow-http=true\ntimeout-seconds=1\n");
  g_assert_true (g_file_set_contents (conf_down, text, -1, NULL));

  /* Usage errors: exit 2. */
  g_assert_cmpint (run (conf, &s, "queue"), ==, 2);
  g_clear_pointer (&s, g_free);
  g_assert_cmpint (run (conf, &s, "sync run --timeout x"), ==, 2);
  g_clear_pointer (&s, g_free);
  g_assert_cmpint (run (conf, &s, "demo seed --cases 3"), ==, 2);
  g_clear_pointer (&s, g_free);

  /* Seed 3 cases with 2 pages: 3 valid provisional numbers. */
  g_assert_cmpint (run (conf, &out, "demo seed --cases 3 --pages 2 --page-size 40x40"), ==, 0);
  {
    g_auto (GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 3);
    for (guint i = 0; lines[i]; i++)
      g_assert_true (kiosk_case_number_is_valid (lines[i]));
  }
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (conf, &out, "--json queue status"), ==, 0);
  o = parse (parser, out);
  g_assert_cmpint (json_object_get_int_member (o, "pending"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "rejected"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "oldest_pending_age_seconds"), >=, 0);
  g_clear_pointer (&out, g_free);

  /* Platform down: one pass fails (exit 1), nothing lost. */
  g_assert_cmpint (run (conf_down, &s, "sync run"), ==, 1);
  g_clear_pointer (&s, g_free);
  g_assert_cmpint (run (conf_down, &s, "sync run --until-empty --timeout 1"), ==, 1);
  g_clear_pointer (&s, g_free);
  /* The technician sees what failed and why (issue #12 point 3). */
  g_assert_cmpint (run (conf_down, &out, "--json queue status"), ==, 0);
  o = parse (parser, out);
  {
    JsonArray *failing = json_object_get_array_member (o, "failing_items");
    JsonObject *first;

    g_assert_cmpuint (json_array_get_length (failing), >=, 1);
    first = json_array_get_object_element (failing, 0);
    g_assert_cmpint (json_object_get_int_member (first, "attempts"), >=, 1);
    g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "case");
    g_assert_cmpint (strlen (json_object_get_string_member (first, "reason")), >, 0);
  }
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (conf_down, &out, "queue status"), ==, 0);
  g_assert_nonnull (strstr (out, "failing (retried automatically"));
  g_clear_pointer (&out, g_free);

  /* Platform up: everything goes, exit 0. */
  g_assert_cmpint (run (conf, &out, "sync run --until-empty --timeout 60"), ==, 0);
  g_assert_nonnull (strstr (out, "delivered 3"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (test_platform_stat (platform, "cases"), ==, 3);
  g_assert_cmpint (test_platform_stat (platform, "attachments"), ==, 6);

  g_assert_cmpint (run (conf, &out, "queue status"), ==, 0);
  g_assert_nonnull (strstr (out, "pending:   0"));
  g_assert_nonnull (strstr (out, "done:      3"));
  g_clear_pointer (&out, g_free);

  test_platform_stop (platform);
  store_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/store/kioskctl", test_kioskctl);
  return g_test_run ();
}
