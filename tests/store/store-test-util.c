/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kiosk-demo.h"
#include "store-test-util.h"

char *
store_test_tmpdir (const char *name)
{
  g_autofree char *tmpl = g_strdup_printf ("kiosk-%s-XXXXXX", name);
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

char *
store_test_fast_tmpdir (const char *name)
{
  g_autofree char *tmpl = g_strdup_printf ("/dev/shm/kiosk-%s-XXXXXX", name);

  if (g_getenv ("KIOSK_TEST_ON_DISK") == NULL && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR)
      && access ("/dev/shm", W_OK) == 0)
    {
      char *dir = g_mkdtemp (g_steal_pointer (&tmpl));
      if (dir)
        return dir;
    }
  return store_test_tmpdir (name);
}

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir)
    {
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rm_rf (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

void
store_test_rmdir (const char *path)
{
  if (path && g_getenv ("KIOSK_KEEP_TEST_FILES") == NULL)
    rm_rf (path);
}

static const char *
platform_binary (void)
{
  const char *p = g_getenv ("KIOSK_PLATFORM");
  return p ? p : KIOSK_BUILD_DIR "/platform/kiosk-platform";
}

/* The platform's --db: the file @path, or with KIOSK_TEST_PG_URI set (the
 * PostgreSQL suite, tests/platform/pg-run.sh: a URI without a database,
 * such as "postgresql://", the server named by the PG* environment) a
 * database of its own named after @path, created on first use, so that a
 * test restarting its platform on the same path finds its data again. */
static char *
platform_db_target (const char *path)
{
  const char *base = g_getenv ("KIOSK_TEST_PG_URI");
  g_autofree char *sum = NULL;
  g_autofree char *name = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (base == NULL || *base == '\0')
    return g_strdup (path);
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
  name = g_strdup_printf ("kiosk_test_%.20s", sum);
  {
    const char *argv[] = { "createdb", name, NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                  &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL) && strstr (err ? err : "", "already exists") == NULL)
    g_error ("createdb %s: %s", name, err ? err : "");
  /* "postgresql://" + "/" + name: the host and the rest from PG*. */
  return g_strconcat (base, g_str_has_suffix (base, "/") && !g_str_has_suffix (base, "://") ? "" : "/", name, NULL);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

TestPlatform *
test_platform_start (const char *dir, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  TestPlatform *p = g_new0 (TestPlatform, 1);

  {
    g_autofree char *path = g_build_filename (dir, "platform.db", NULL);
    p->db = platform_db_target (path);
  }
  g_ptr_array_add (argv, (gpointer) platform_binary ());
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, p->db);
  for (int i = 0; args && args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  {
    g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    /* The platform dies with the test, even when an assertion aborts it. */
    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    p->proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  }
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->proc));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  p->url = g_strdup (line + strlen ("listening on "));
  return p;
}

void
test_platform_stop (TestPlatform *p)
{
  if (p == NULL)
    return;
  g_subprocess_force_exit (p->proc);
  g_subprocess_wait (p->proc, NULL, NULL);
  g_object_unref (p->proc);
  g_free (p->url);
  g_free (p->db);
  g_free (p);
}

GBytes *
test_platform_get (TestPlatform *p, const char *path, int *status)
{
  /* One session for every check, its connections kept alive: a new
   * session per GET left its connection open until the main loop ran, and
   * exactly-once's 3,000 page checks ran the platform out of file
   * descriptors on a machine with the usual limit of 1,024 (a fresh
   * chroot; `ulimit -n 1024` shows it): it stopped accepting, and every
   * GET timed out. */
  static SoupSession *session;
  g_autofree char *uri = g_strconcat (p->url, path[0] == '/' ? path + 1 : path, NULL);
  GBytes *body = NULL;

  if (session == NULL)
    session = soup_session_new_with_options ("max-conns-per-host", 2, NULL);
  /* The platform's side is what the tests look at, not this request: a GET
   * that gets no answer is said and tried again, up to three times. */
  for (int attempt = 1;; attempt++)
    {
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
      g_autoptr (GError) error = NULL;

      g_clear_pointer (&body, g_bytes_unref);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      if (status)
        *status = soup_message_get_status (msg);
      if (error == NULL || attempt == 3)
        {
          if (error)
            g_test_message ("GET %s: %s (attempt %d)", path, error->message, attempt);
          break;
        }
      g_test_message ("GET %s: %s (attempt %d, trying again)", path, error->message, attempt);
      g_usleep (200 * 1000);
    }
  return body;
}

gint64
test_platform_stat (TestPlatform *p, const char *name)
{
  g_autoptr (GBytes) body = test_platform_get (p, "/v1/admin/stats", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (body);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), name);
}

typedef struct {
  char *url;
  char *kiosk_id;
} FactoryData;

static void
factory_data_free (FactoryData *d)
{
  g_free (d->url);
  g_free (d->kiosk_id);
  g_free (d);
}

static KioskPlatformAdapter *
factory (gpointer data, GError **error)
{
  FactoryData *d = data;
  KioskHttpAdapterOptions o = {
    .base_url = d->url,
    .kiosk_id = d->kiosk_id,
    .allow_http = TRUE,
    .timeout_seconds = 5,
  };
  return kiosk_http_adapter_new (&o, error);
}

KioskSync *
test_sync_new (KioskStore *store, const char *url, guint base_ms, guint max_ms)
{
  FactoryData *d = g_new0 (FactoryData, 1);
  KioskSync *sync;

  d->url = g_strdup (url);
  d->kiosk_id = g_strdup (kiosk_store_get_kiosk_id (store));
  sync = kiosk_sync_new (store, factory, d, (GDestroyNotify) factory_data_free);
  kiosk_sync_set_backoff (sync, base_ms, max_ms);
  return sync;
}

char *
test_submit_demo_case (KioskStore *store, guint seed, guint pages, int w, int h, GError **error)
{
  g_autoptr (GPtrArray) atts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *demo = kiosk_demo_case_json (seed);
  g_autoptr (JsonNode) root = json_from_string (demo, NULL);
  g_autofree char *json = NULL;
  JsonObject *o = json_node_get_object (root);
  JsonArray *materials = json_array_new ();
  JsonObject *id_card = json_object_new ();
  JsonObject *scanned = json_object_new ();
  JsonArray *scanned_pages = json_array_new ();

  for (guint k = 0; k < pages; k++)
    {
      KioskAttachmentDraft *d = g_new0 (KioskAttachmentDraft, 1);
      GBytes *page = kiosk_demo_page_jpeg (seed, k, w, h);
      JsonObject *p = json_object_new ();
      g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, page);
      g_ptr_array_add (blobs, page);
      d->name = "page";
      d->media_type = "image/jpeg";
      d->data = page;
      g_ptr_array_add (atts, d);
      json_object_set_string_member (p, "name", "page");
      json_object_set_string_member (p, "media_type", "image/jpeg");
      json_object_set_int_member (p, "size", (gint64) g_bytes_get_size (page));
      json_object_set_string_member (p, "sha256", sum);
      json_array_add_object_element (scanned_pages, p);
    }
  /* The case lists its materials (the pages as one scanned material, up to
   * the store's 64) and, for every other seed, a handling region (issue 14),
   * so every test that resends demo cases resends these members too. */
  json_object_set_string_member (id_card, "name", "身份证");
  json_object_set_string_member (id_card, "state", "id_card");
  json_object_set_array_member (id_card, "pages", json_array_new ());
  json_array_add_object_element (materials, id_card);
  json_object_set_string_member (scanned, "name", "户口簿");
  json_object_set_string_member (scanned, "state", pages ? "scanned" : "missing");
  json_object_set_array_member (scanned, "pages", scanned_pages);
  json_array_add_object_element (materials, scanned);
  if (pages <= 64)
    json_object_set_array_member (o, "materials", materials);
  else
    json_array_unref (materials);
  if (seed % 2 == 1)
    {
      JsonObject *region = json_object_new ();
      json_object_set_string_member (region, "code", "440300");
      json_object_set_string_member (region, "name", "深圳市");
      json_object_set_object_member (o, "handling_region", region);
    }
  else
    json_object_set_null_member (o, "handling_region");
  json = json_to_string (root, FALSE);
  return kiosk_store_submit_case (store, json, atts, error);
}
