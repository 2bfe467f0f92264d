/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "kiosk-config.h"

#define VALID \
  "[kiosk]\nid=k1\nstation=测试站\n[store]\npath=kiosk.db\n[platform]\nurl=http://127.0.0.1:8080/\nallow-http=true\n"

static void
test_valid_defaults (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) c = kiosk_config_new_from_data (VALID, "/tmp/x", &error);
  g_autofree char *station = NULL, *store = NULL, *backend = NULL;
  g_auto (GStrv) ids = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (c);
  station = kiosk_config_get_string (c, "kiosk", "station");
  g_assert_cmpstr (station, ==, "测试站");
  store = kiosk_config_get_path_value (c, "store", "path");
  g_assert_cmpstr (store, ==, "/tmp/x/kiosk.db");
  g_assert_cmpint (kiosk_config_get_int (c, "session", "idle-warning-seconds"), ==, 90);
  g_assert_cmpint (kiosk_config_get_int (c, "store", "retention-days"), ==, 7);
  backend = kiosk_config_get_backend (c, "idcard");
  g_assert_cmpstr (backend, ==, "real");
  ids = kiosk_config_get_list (c, "idcard", "usb-ids");
  g_assert_true (g_strv_contains ((const char *const *) ids, "0400:c35a"));
}

typedef struct {
  const char *extra;
  KioskConfigError code;
  const char *must_mention;
} BadCase;

static const BadCase bad_cases[] = {
  { "[idcard]\nbackend=fake\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[idcard] backend" },
  { "[idcard]\nbaud=12345\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[idcard] baud" },
  { "[idcard]\nbauds=9600\n", KIOSK_CONFIG_ERROR_UNKNOWN_KEY, "[idcard] bauds" },
  { "[scanner]\nbackend=sim\n", KIOSK_CONFIG_ERROR_UNKNOWN_GROUP, "[scanner]" },
  { "[session]\nidle-warning-seconds=abc\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[session] idle-warning-seconds" },
  { "[session]\nidle-warning-seconds=0\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "out of range" },
  { "[ui]\nfullscreen=yes\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[ui] fullscreen" },
  { "[ui]\nblank-after-minutes=-1\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[ui] blank-after-minutes" },
  { "[ui]\nblank-after-minutes=1441\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "out of range" },
  { "[ui]\nblank-after-minutes=ten\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[ui] blank-after-minutes" },
  { "[kiosk]\nregion-code=12ab\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[kiosk] region-code" },
  { "[printer]\nuri=http://x\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[printer] uri" },
  /* Issue #12.15: a locale suffix on a key that takes none (GKeyFile kept
   * it only in that locale, and validation never saw it), and a URL
   * without a host. */
  { "[kiosk]\nstation[en]=x\n", KIOSK_CONFIG_ERROR_UNKNOWN_KEY, "[kiosk] station[en]" },
  { "[kiosk]\nstation[zh_CN]=x\n", KIOSK_CONFIG_ERROR_UNKNOWN_KEY, "[kiosk] station[zh_CN]" },
  { "[kiosk]\nstatoin[en]=x\n", KIOSK_CONFIG_ERROR_UNKNOWN_KEY, "[kiosk] statoin[en]" },
  { "[store]\npath[C]=/tmp/x.db\n", KIOSK_CONFIG_ERROR_UNKNOWN_KEY, "[store] path[C]" },
  { "[platform]\nurl=https://\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[platform] url" },
  { "[platform]\nurl=https:///v1\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[platform] url" },
  { "[platform]\nurl=http://:8080/\n", KIOSK_CONFIG_ERROR_INVALID_VALUE, "[platform] url" },
};

static void
test_bad_value (gconstpointer data)
{
  const BadCase *bc = data;
  g_autoptr (GError) error = NULL;
  /* Groups repeat in a keyfile: a later [kiosk] adds to the first one. */
  g_autofree char *text = g_strconcat (VALID, bc->extra, NULL);
  g_autoptr (KioskConfig) c = kiosk_config_new_from_data (text, NULL, &error);

  g_assert_null (c);
  g_assert_error (error, KIOSK_CONFIG_ERROR, (int) bc->code);
  if (strstr (error->message, bc->must_mention) == NULL)
    g_error ("message '%s' does not name '%s'", error->message, bc->must_mention);
}

/* Screen blanking: 10 minutes unless set; 0 (never) and a whole day are
 * the bounds. */
static void
test_blank_after_bounds (void)
{
  const int values[] = { 0, 1, 1440 };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) c = kiosk_config_new_from_data (VALID, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (kiosk_config_get_int (c, "ui", "blank-after-minutes"), ==, 10);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *text = g_strdup_printf ("%s[ui]\nblank-after-minutes=%d\n", VALID, values[i]);
      g_autoptr (KioskConfig) b = kiosk_config_new_from_data (text, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (kiosk_config_get_int (b, "ui", "blank-after-minutes"), ==, values[i]);
    }
}

static void
test_missing_required (void)
{
  const char *required[][2] = { { "kiosk", "id" }, { "kiosk", "station" }, { "store", "path" }, { "platform", "url" } };

  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      g_autofree char *text = NULL;
      g_autofree char *want = g_strdup_printf ("[%s] %s", required[i][0], required[i][1]);
      g_autoptr (KioskConfig) c = NULL;

      g_assert_true (g_key_file_load_from_data (kf, VALID, -1, 0, NULL));
      g_key_file_remove_key (kf, required[i][0], required[i][1], NULL);
      text = g_key_file_to_data (kf, NULL, NULL);
      c = kiosk_config_new_from_data (text, NULL, &error);
      g_assert_null (c);
      g_assert_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_MISSING_KEY);
      g_assert_nonnull (strstr (error->message, want));
    }
}

static void
test_http_needs_allow (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) c = kiosk_config_new_from_data (
      "[kiosk]\nid=k1\nstation=s\n[store]\npath=a.db\n[platform]\nurl=http://example.org/\n", NULL, &error);
  g_assert_null (c);
  g_assert_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "allow-http"));
}

/* Hosts in every form still pass the URL check, and a locale suffix is
 * refused whatever the current locale (GKeyFile drops other locales'). */
static void
test_url_hosts_and_locale_keys (void)
{
  const char *ok[] = { "https://[::1]:8443/", "https://127.0.0.1/", "https://zwfw.example.gov.cn/api" };

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("%s[platform]\nurl=%s\n", VALID, ok[i]);
      g_autoptr (KioskConfig) c = kiosk_config_new_from_data (text, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (c);
    }
  {
    /* From a file too, and in whatever locale the tests run. */
    g_autoptr (GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("kiosk-config-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "kiosk.conf", NULL);
    g_autofree char *text = g_strconcat (VALID, "[kiosk]\nstation[en]=x\n", NULL);
    g_autoptr (KioskConfig) c = NULL;

    g_assert_true (g_file_set_contents (path, text, -1, NULL));
    c = kiosk_config_load (path, &error);
    g_assert_null (c);
    g_assert_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_UNKNOWN_KEY);
    g_assert_nonnull (strstr (error->message, "[kiosk] station[en]"));
    g_unlink (path);
    g_rmdir (dir);
  }
}

static void
test_parse_error_and_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kiosk-config-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.conf", NULL);
  KioskConfig *c;

  c = kiosk_config_load ("/nonexistent/kiosk.conf", &error);
  g_assert_null (c);
  g_assert_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/kiosk.conf"));

  g_assert_true (g_file_set_contents (path, "[kiosk\nid=1\n", -1, NULL));
  c = kiosk_config_load (path, &error2);
  g_assert_null (c);
  g_assert_error (error2, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_PARSE);
  g_assert_nonnull (strstr (error2->message, path));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_example_file_is_valid (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (KIOSK_SOURCE_DIR, "assets", "kiosk.conf.example", NULL);
  g_autoptr (KioskConfig) c = kiosk_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/valid-defaults", test_valid_defaults);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/config/bad-value/%zu", i);
      g_test_add_data_func (name, &bad_cases[i], test_bad_value);
    }
  g_test_add_func ("/config/blank-after-bounds", test_blank_after_bounds);
  g_test_add_func ("/config/missing-required", test_missing_required);
  g_test_add_func ("/config/http-needs-allow", test_http_needs_allow);
  g_test_add_func ("/config/url-hosts-and-locale-keys", test_url_hosts_and_locale_keys);
  g_test_add_func ("/config/parse-error-and-missing-file", test_parse_error_and_missing_file);
  g_test_add_func ("/config/example-file-is-valid", test_example_file_is_valid);
  return g_test_run ();
}
