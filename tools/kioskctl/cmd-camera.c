/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "camera-capture.h"
#include "kioskctl.h"

/* kioskctl [--config FILE] [--json] camera list
 *
 * The cameras libcamera sees and, when the configuration (if any) chooses
 * the simulated camera, that one too, marked simulated: the same cameras
 * kioskctl doctor reports. Needs no configuration. Without any camera:
 * "no camera found" (exit 0); with --json a JSON array of {"id", "model",
 * "location", "width", "height", "backend": "libcamera"|"sim"} ([] without
 * any). Exit 1 when libcamera is unavailable and no simulated camera is
 * configured; 2 when a configuration given with --config is not valid. */

static void
add_camera (JsonBuilder *b, const char *id, const char *model, const char *location, int width, int height,
            const char *backend)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model);
  json_builder_set_member_name (b, "location");
  json_builder_add_string_value (b, location);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, width);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, height);
  json_builder_set_member_name (b, "backend");
  json_builder_add_string_value (b, backend);
  json_builder_end_object (b);
}

int
kioskctl_camera (KioskctlContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cams = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *backend = NULL;
  g_autofree char *sim_images = NULL;
  KioskConfig *config = NULL;
  guint listed = 0;

  if (argc != 2 || !g_str_equal (argv[1], "list"))
    {
      fprintf (stderr, "usage: kioskctl [--config FILE] [--json] camera list\n");
      return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "usage: kioskctl [--config FILE] [--json] camera list");
    }
  /* The configuration is optional here: only a --config FILE that fails
   * is an error. */
  if (ctx->config_path || g_file_test (KIOSK_DEFAULT_CONFIG, G_FILE_TEST_EXISTS))
    {
      config = kioskctl_config (ctx);
      if (config == NULL)
        return KIOSKCTL_EXIT_USAGE;
      backend = kiosk_config_get_backend (config, "camera");
      sim_images = kiosk_config_get_path_value (config, "camera", "sim-images");
    }

  cams = kiosk_camera_list (&error);
  json_builder_begin_array (b);
  for (guint i = 0; cams && i < cams->len; i++)
    {
      KioskCameraInfo *c = g_ptr_array_index (cams, i);
      add_camera (b, c->id, c->model, c->location, c->width, c->height, "libcamera");
      if (!ctx->json)
        printf ("%s\t%s\t%s\t%dx%d\n", c->id, *c->model ? c->model : "-", *c->location ? c->location : "-", c->width,
                c->height);
      listed++;
    }
  if (backend && g_str_equal (backend, "sim"))
    {
      g_autofree char *model = g_strdup_printf ("simulated camera (image files%s%s)", sim_images ? " from " : "",
                                                sim_images ? sim_images : "");
      add_camera (b, "sim", model, "", 0, 0, "sim");
      if (!ctx->json)
        printf ("sim\t%s\t-\t-\n", model);
      listed++;
    }
  json_builder_end_array (b);

  if (cams == NULL && listed == 0)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "cannot list cameras: %s", error->message);
  if (cams == NULL && !ctx->json)
    fprintf (stderr, "kioskctl: libcamera cannot list cameras: %s\n", error->message);
  if (ctx->json)
    kioskctl_print_json (b);
  else if (listed == 0)
    printf ("no camera found (libcamera lists none%s)\n",
            backend && g_str_equal (backend, "real") ? "; the configuration wants a real one" : "");
  return KIOSKCTL_EXIT_OK;
}
