/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "kiosk-store.h"

/* kioskctl guide search QUERY [--json] on a store holding the seed
 * catalog: the text lines and the JSON array are contracts. */

static char *dir;
static char *conf;       /* store with the seed catalog */
static char *conf_empty; /* store without a catalog */

static int
run (const char *config, char **out, const char *const *args)
{
  const char *kioskctl = g_getenv ("KIOSKCTL") ? g_getenv ("KIOSKCTL") : KIOSK_BUILD_DIR "/tools/kioskctl";
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (argv, (char *) kioskctl);
  g_ptr_array_add (argv, (char *) "--config");
  g_ptr_array_add (argv, (char *) config);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

/* Parses --json output: an array of {"code", "name"} objects, nothing more. */
static JsonArray *
parse_matches (JsonParser *parser, const char *text)
{
  g_autoptr (GError) error = NULL;
  JsonNode *root;
  JsonArray *a;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  a = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      g_assert_nonnull (o);
      g_assert_cmpuint (json_object_get_size (o), ==, 2);
      g_assert_nonnull (json_object_get_string_member (o, "code"));
      g_assert_nonnull (json_object_get_string_member (o, "name"));
    }
  return a;
}

static gboolean
has_code (JsonArray *a, const char *code)
{
  for (guint i = 0; i < json_array_get_length (a); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (a, i), "code"), code))
      return TRUE;
  return FALSE;
}

static void
test_text (void)
{
  g_autofree char *out = NULL;
  g_autofree char *none = NULL;
  g_autofree char *words = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_cmpint (run (conf, &out, (const char *const[]){ "guide", "search", "gljt", NULL }), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "MZ-026 高龄津贴申领");
  g_assert_true (g_str_has_suffix (out, "\n"));
  /* Several words are one query. */
  g_assert_cmpint (run (conf, &words, (const char *const[]){ "guide", "search", "养老", "注销", NULL }), ==, 0);
  g_assert_true (g_str_has_prefix (words, "RS-004 城乡居民养老保险注销登记"));
  g_assert_cmpint (run (conf, &none, (const char *const[]){ "guide", "search", "火箭", NULL }), ==, 0);
  g_assert_cmpstr (none, ==, "");
}

static void
test_json (void)
{
  g_autofree char *out = NULL;
  g_autofree char *ylbx = NULL;
  g_autofree char *yanglao = NULL;
  g_autofree char *none = NULL;
  g_autoptr (JsonParser) p1 = json_parser_new ();
  g_autoptr (JsonParser) p2 = json_parser_new ();
  g_autoptr (JsonParser) p3 = json_parser_new ();
  g_autoptr (JsonParser) p4 = json_parser_new ();
  JsonArray *a;

  g_assert_cmpint (run (conf, &out, (const char *const[]){ "--json", "guide", "search", "gljt", NULL }), ==, 0);
  a = parse_matches (p1, out);
  g_assert_cmpuint (json_array_get_length (a), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 0), "code"), ==, "MZ-026");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 0), "name"), ==, "高龄津贴申领");

  /* --json after the command, as kioskctl allows. */
  g_assert_cmpint (run (conf, &ylbx, (const char *const[]){ "guide", "search", "ylbx", "--json", NULL }), ==, 0);
  a = parse_matches (p2, ylbx);
  for (const char *const *c = (const char *const[]){ "RS-001", "RS-002", "RS-003", "RS-004", NULL }; *c; c++)
    g_assert_true (has_code (a, *c));

  g_assert_cmpint (run (conf, &yanglao, (const char *const[]){ "--json", "guide", "search", "yanglao", NULL }), ==, 0);
  a = parse_matches (p3, yanglao);
  g_assert_true (has_code (a, "RS-001"));
  g_assert_true (has_code (a, "RS-003"));

  g_assert_cmpint (run (conf, &none, (const char *const[]){ "--json", "guide", "search", "qqqqxz", NULL }), ==, 0);
  a = parse_matches (p4, none);
  g_assert_cmpuint (json_array_get_length (a), ==, 0);
}

static void
expect_failure (const char *config, int code, const char *const *args, const char *says)
{
  g_autofree char *out = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *o;

  g_assert_cmpint (run (config, &out, args), ==, code);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (o, "ok"));
  g_assert_cmpint (json_object_get_int_member (o, "exit_code"), ==, code);
  g_assert_nonnull (strstr (json_object_get_string_member (o, "error"), says));
}

static void
test_errors (void)
{
  g_autofree char *out = NULL;

  expect_failure (conf, 2, (const char *const[]){ "--json", "guide", "search", NULL }, "usage");
  expect_failure (conf, 2, (const char *const[]){ "--json", "guide", "search", "  ", NULL }, "usage");
  expect_failure (conf, 2, (const char *const[]){ "--json", "guide", NULL }, "usage");
  expect_failure (conf, 2, (const char *const[]){ "--json", "guide", "find", "x", NULL }, "usage");
  expect_failure (conf_empty, 1, (const char *const[]){ "--json", "guide", "search", "gljt", NULL }, "empty");
  g_assert_cmpint (run (conf_empty, &out, (const char *const[]){ "guide", "search", "gljt", NULL }), ==, 1);
  g_assert_cmpstr (out, ==, "");
}

static char *
write_conf (const char *name, const char *db)
{
  g_autofree char *text = g_strdup_printf ("[kiosk]\nid=K-GUIDE\nstation=测试站\n[store]\npath=%s\nmin-free-mb=0\n"
                                           "[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n",
                                           db);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
remove_tree (const char *path)
{
  GDir *d = g_dir_open (path, 0, NULL);
  const char *name;

  if (d == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
  g_dir_close (d);
  g_rmdir (path);
}

int
main (int argc, char **argv)
{
  g_autofree char *seed_path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *seed = NULL;
  g_autofree char *db = NULL;
  g_autofree char *db_empty = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("kioskctl-guide-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "kiosk.db", NULL);
  db_empty = g_build_filename (dir, "empty.db", NULL);
  g_assert_true (g_file_get_contents (seed_path, &seed, NULL, NULL));
  {
    g_autoptr (KioskStore) store = kiosk_store_open (db, "K-GUIDE", &error);
    g_assert_no_error (error);
    g_assert_true (kiosk_store_set_catalog (store, seed, "\"seed\"", &error));
    g_assert_no_error (error);
  }
  conf = write_conf ("kiosk.conf", db);
  conf_empty = write_conf ("empty.conf", db_empty);

  g_test_add_func ("/kioskctl/guide/text", test_text);
  g_test_add_func ("/kioskctl/guide/json", test_json);
  g_test_add_func ("/kioskctl/guide/errors", test_errors);
  status = g_test_run ();
  remove_tree (dir);
  g_free (dir);
  g_free (conf);
  g_free (conf_empty);
  return status;
}
