/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer-test"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* The kioskctl print contract: render (templates, exit codes), status
 * (--json) and test-page against the simulated printer. */

typedef struct {
  char *dir;
  char *config;
} Fixture;

static int
kioskctl_run (char **out, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  int status;

  g_ptr_array_add (argv, g_build_filename (KIOSK_BUILD_DIR, "tools", "kioskctl", NULL));
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* kioskctl (&out, "print", "status"): runs kioskctl, returns its exit code. */
#define kioskctl(out, ...) kioskctl_run ((out), (const char *const[]){ __VA_ARGS__, NULL })

static void
fixture_set_up (Fixture *f, gconstpointer backend)
{
  g_autofree char *text = NULL;

  f->dir = g_dir_make_tmp ("kiosk-print-cli-XXXXXX", NULL);
  f->config = g_build_filename (f->dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nid=CLI-01\nstation=测试站\n[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=https://127.0.0.1:9/\n[printer]\n%s\nsim-spool=%s/spool\n",
                          f->dir, (const char *) backend, f->dir);
  g_assert_true (g_file_set_contents (f->config, text, -1, NULL));
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->config);
}

static void
test_render (Fixture *f, gconstpointer data)
{
  static const char *const templates[]
      = { "receipt", "deferral-notice", "certificate", "proxy-authorisation", "guide", "test-page" };

  for (gsize i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autofree char *json = g_strdup_printf ("%s.json", templates[i]);
      g_autofree char *data_path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "printer", "data", json, NULL);
      g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", f->dir, templates[i]);
      g_autofree char *content = NULL;
      gsize len;

      g_assert_cmpint (
          kioskctl (NULL, "print", "render", "--template", templates[i], "--data", data_path, "--out", pdf), ==, 0);
      g_assert_true (g_file_get_contents (pdf, &content, &len, NULL));
      g_assert_cmpuint (len, >, 1000);
      g_assert_true (g_str_has_prefix (content, "%PDF-"));
    }
  /* test-page needs no data; roll paper */
  {
    g_autofree char *pdf = g_strdup_printf ("%s/tp.pdf", f->dir);
    g_assert_cmpint (kioskctl (NULL, "print", "render", "--template", "test-page", "--out", pdf), ==, 0);
    g_assert_cmpint (kioskctl (NULL, "print", "render", "--template", "test-page", "--paper", "roll80", "--out", pdf),
                     ==, 0);
  }
}

static void
test_render_usage (Fixture *f, gconstpointer data)
{
  g_autofree char *pdf = g_strdup_printf ("%s/x.pdf", f->dir);
  g_autofree char *bad = g_strdup_printf ("%s/bad.json", f->dir);
  g_autofree char *empty = g_strdup_printf ("%s/empty.json", f->dir);

  g_assert_true (g_file_set_contents (bad, "{not json", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "{}", -1, NULL));
  g_assert_cmpint (kioskctl (NULL, "print"), ==, 2);
  g_assert_cmpint (kioskctl (NULL, "print", "render", "--template", "receipt"), ==, 2);
  g_assert_cmpint (kioskctl (NULL, "print", "render", "--template", "nope", "--out", pdf), ==, 2);
  g_assert_cmpint (kioskctl (NULL, "print", "render", "--template", "receipt", "--out", pdf), ==, 2);
  g_assert_cmpint (kioskctl (NULL, "print", "render", "--template", "receipt", "--data", bad, "--out", pdf), ==, 2);
  g_assert_cmpint (kioskctl (NULL, "print", "render", "--template", "receipt", "--data", empty, "--out", pdf), ==, 2);
  g_assert_cmpint (kioskctl (NULL, "print", "render", "--template", "test-page", "--paper", "a5", "--out", pdf), ==, 2);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

/* Issue #12.9, .11, .16: oversized or empty fields are the caller's bad
 * input: exit 2 with a message, never a crash (a station of 200,000
 * newlines dereferenced a NULL GError) nor exit 1 (an empty guide_url was
 * a zint error). */
static void
test_render_refused_data (Fixture *f, gconstpointer data)
{
  g_autofree char *pdf = g_strdup_printf ("%s/x.pdf", f->dir);
  g_autofree char *guide_path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "printer", "data", "guide.json", NULL);
  g_autofree char *guide = NULL;
  static const char *const cases[][2] = {
    { "test-page", "newlines" }, { "test-page", "long-station" }, { "guide", "empty-url" },
    { "guide", "many-steps" },   { "test-page", "deep" },
  };

  g_assert_true (g_file_get_contents (guide_path, &guide, NULL, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autofree char *path = g_strdup_printf ("%s/%s.json", f->dir, cases[i][1]);
      g_autofree char *text = NULL;
      JsonObject *o;
      JsonNode *root;

      if (g_str_equal (cases[i][1], "deep"))
        {
          /* 2 MB of '[': overflowed json-glib's recursive parser (SIGSEGV). */
          GString *deep = g_string_new ("{\"station\":");
          for (int k = 0; k < 999990; k++)
            g_string_append_c (deep, '[');
          for (int k = 0; k < 999990; k++)
            g_string_append_c (deep, ']');
          g_string_append_c (deep, '}');
          g_assert_true (g_file_set_contents (path, deep->str, (gssize) deep->len, NULL));
          g_string_free (deep, TRUE);
          g_assert_cmpint (kioskctl (NULL, "print", "render", "--template", cases[i][0], "--data", path, "--out", pdf),
                           ==, 2);
          continue;
        }
      g_assert_true (json_parser_load_from_data (parser, g_str_equal (cases[i][0], "guide") ? guide : "{}", -1, NULL));
      root = json_parser_get_root (parser);
      o = json_node_get_object (root);
      if (g_str_equal (cases[i][1], "newlines") || g_str_equal (cases[i][1], "long-station"))
        {
          char *station = g_strnfill (g_str_equal (cases[i][1], "newlines") ? 200000 : 40000,
                                      g_str_equal (cases[i][1], "newlines") ? '\n' : 'x');
          json_object_set_string_member (o, "station", station);
          g_free (station);
        }
      else if (g_str_equal (cases[i][1], "empty-url"))
        json_object_set_string_member (o, "guide_url", "");
      else
        {
          JsonArray *steps = json_array_new ();
          for (int k = 0; k < 200000; k++)
            json_array_add_string_element (steps, "step");
          json_object_set_array_member (o, "steps", steps);
        }
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      g_test_message ("%s %s", cases[i][0], cases[i][1]);
      g_assert_cmpint (kioskctl (NULL, "print", "render", "--template", cases[i][0], "--data", path, "--out", pdf), ==,
                       2);
      g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
    }
}

static JsonObject *
parse (const char *text)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);
  JsonObject *o;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  o = json_object_ref (json_node_get_object (node));
  json_node_unref (node);
  return o;
}

static void
test_sim_status_and_test_page (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autoptr (JsonObject) o = NULL;
  g_autoptr (JsonObject) p = NULL;
  g_autofree char *spool = g_build_filename (f->dir, "spool", NULL);
  g_autoptr (GDir) dir = NULL;
  const char *name;
  int pdfs = 0;

  /* No kiosk runs: the simulated printer lives only inside a kiosk, and
   * print status starts no simulator of its own to answer. */
  g_assert_cmpint (kioskctl (&out, "--config", f->config, "--json", "print", "status"), ==, 1);
  o = parse (out);
  g_assert_cmpstr (json_object_get_string_member (o, "backend"), ==, "sim");
  g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "none");
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "unknown");
  g_assert_nonnull (json_object_get_string_member (o, "error"));

  /* A running kiosk (its state file): print status says what it sees. */
  {
    static const struct {
      const char *state, *reason;
      int exit_code;
    } states[] = { { "error", "media-empty", 1 }, { "ready", "printer idle", 0 } };
    g_autofree char *state_path = g_build_filename (f->dir, "kiosk.db.state.json", NULL);

    for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
      {
        g_autofree char *state = g_strdup_printf (
            "{\"format\":1,\"pid\":%d,\"running\":true,\"updated_at\":%" G_GINT64_FORMAT
            ",\"heartbeat_seconds\":5,\"devices\":{\"printer\":{\"backend\":\"sim\",\"state\":\"%s\","
            "\"reason\":\"%s\",\"message\":\"打印机缺纸\"}}}",
            (int) getpid (), g_get_real_time () / G_USEC_PER_SEC, states[i].state, states[i].reason);
        g_autoptr (JsonObject) k = NULL;
        g_autofree char *kout = NULL;

        g_assert_true (g_file_set_contents (state_path, state, -1, NULL));
        g_assert_cmpint (kioskctl (&kout, "--config", f->config, "--json", "print", "status"), ==, states[i].exit_code);
        k = parse (kout);
        g_assert_cmpstr (json_object_get_string_member (k, "source"), ==, "kiosk");
        g_assert_true (json_object_get_boolean_member (k, "in_use_by_kiosk"));
        g_assert_cmpstr (json_object_get_string_member (k, "state"), ==, states[i].state);
        g_assert_cmpstr (json_object_get_string_member (k, "reason"), ==, states[i].reason);
      }
    g_unlink (state_path);
  }

  g_assert_cmpint (kioskctl (&out2, "--config", f->config, "--json", "print", "test-page"), ==, 0);
  p = parse (out2);
  g_assert_true (json_object_get_boolean_member (p, "printed"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (p, "record"), "status"), ==,
                   "printed");
  dir = g_dir_open (spool, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    pdfs += g_str_has_suffix (name, ".pdf");
  g_assert_cmpint (pdfs, ==, 1);
}

static void
test_unreachable (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autoptr (JsonObject) o = NULL;

  g_assert_cmpint (kioskctl (&out, "--config", f->config, "--json", "print", "status"), ==, 1);
  o = parse (out);
  g_assert_false (json_object_get_boolean_member (o, "reachable"));
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "absent");
  g_assert_nonnull (json_object_get_string_member (o, "message"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (kioskctl (&out, "--config", f->config, "print", "test-page"), ==, 1);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/printer/kioskctl/render", Fixture, "backend=sim", fixture_set_up, test_render, fixture_tear_down);
  g_test_add ("/printer/kioskctl/render-usage", Fixture, "backend=sim", fixture_set_up, test_render_usage,
              fixture_tear_down);
  g_test_add ("/printer/kioskctl/render-refused-data", Fixture, "backend=sim", fixture_set_up, test_render_refused_data,
              fixture_tear_down);
  g_test_add ("/printer/kioskctl/sim-status-and-test-page", Fixture, "backend=sim", fixture_set_up,
              test_sim_status_and_test_page, fixture_tear_down);
  /* Port 9 (discard) on loopback: nothing listens there. */
  g_test_add ("/printer/kioskctl/unreachable", Fixture, "backend=real\nuri=ipp://127.0.0.1:9/ipp/print", fixture_set_up,
              test_unreachable, fixture_tear_down);
  return g_test_run ();
}
