/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "camera-zxing.h"
#include "kiosk-device-manager.h"
#include "kiosk-module.h"
#include "kiosk-platform-adapter.h"
#include "kioskctl.h"
#include "print-ipp.h"
#if HAVE_LIBCAMERA
#include "camera-libcamera.h"
#endif

/* The kiosk modules (app/kiosk-module.h): a missing or broken one leaves
 * its device (or the platform link) without its library. */
static const struct {
  const char *path, *symbol;
  int version;
} modules[] = {
  { KIOSK_ZX_MODULE, KIOSK_ZX_MODULE_SYMBOL, KIOSK_ZX_API_VERSION },
#if HAVE_LIBCAMERA
  { KIOSK_LC_MODULE, KIOSK_LC_MODULE_SYMBOL, KIOSK_LC_API_VERSION },
#endif
  { KIOSK_IPP_MODULE, KIOSK_IPP_MODULE_SYMBOL, KIOSK_IPP_API_VERSION },
  { KIOSK_HTTP_MODULE, KIOSK_HTTP_MODULE_SYMBOL, KIOSK_HTTP_API_VERSION },
};

/* kioskctl doctor: the configuration in use, the store path, and for each
 * device the backend and whether it answers a probe. Exit 0 when every
 * device answered, 1 otherwise. */
int
kioskctl_doctor (KioskctlContext *ctx, int argc, char **argv)
{
  KioskConfig *config;
  g_autoptr (KioskDeviceManager) devices = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *store = NULL;
  g_autofree char *url = NULL;
  gboolean all_ok = TRUE;

  if (argc > 1)
    {
      fprintf (stderr, "usage: kioskctl [--config FILE] [--json] doctor\n");
      return KIOSKCTL_EXIT_USAGE;
    }
  config = kioskctl_config (ctx);
  if (config == NULL)
    return KIOSKCTL_EXIT_USAGE;

  store = kiosk_config_get_path_value (config, "store", "path");
  url = kiosk_config_get_string (config, "platform", "url");
  devices = kiosk_device_manager_new (config);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "config");
  json_builder_add_string_value (b, kiosk_config_get_path (config));
  json_builder_set_member_name (b, "store");
  json_builder_add_string_value (b, store);
  json_builder_set_member_name (b, "platform");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "devices");
  json_builder_begin_array (b);

  if (!ctx->json)
    printf ("configuration: %s\nstore:         %s\nplatform:      %s\n", kiosk_config_get_path (config), store, url);

  for (const char *const *k = kiosk_device_kinds (); *k; k++)
    {
      KioskDevice *dev = kiosk_device_manager_get (devices, *k);
      g_autoptr (GError) error = NULL;
      g_autofree char *detail = kiosk_device_probe_sync (dev, NULL, &error);

      all_ok &= detail != NULL;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, *k);
      json_builder_set_member_name (b, "backend");
      json_builder_add_string_value (b, kiosk_device_get_backend (dev));
      json_builder_set_member_name (b, "answers");
      json_builder_add_boolean_value (b, detail != NULL);
      json_builder_set_member_name (b, detail ? "detail" : "error");
      json_builder_add_string_value (b, detail ? detail : error->message);
      json_builder_end_object (b);

      if (!ctx->json)
        printf ("%-8s %-5s %s: %s\n", *k, kiosk_device_get_backend (dev), detail ? "ok" : "NOT ANSWERING",
                detail ? detail : error->message);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "modules");
  json_builder_begin_array (b);
  for (gsize i = 0; i < G_N_ELEMENTS (modules); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = kiosk_module_path (modules[i].path);
      g_autofree char *name = g_path_get_basename (modules[i].path);
      gboolean loads = kiosk_module_lookup (modules[i].path, modules[i].symbol, modules[i].version, &error) != NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, path);
      json_builder_set_member_name (b, "loads");
      json_builder_add_boolean_value (b, loads);
      if (!loads)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, error->message);
        }
      json_builder_end_object (b);
      if (!ctx->json)
        printf ("module   %-20s %s\n", name, loads ? "ok" : error->message);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, all_ok);
  json_builder_end_object (b);

  if (ctx->json)
    kioskctl_print_json (b);
  return all_ok ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_FAIL;
}
