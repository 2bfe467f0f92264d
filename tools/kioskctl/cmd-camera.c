/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "camera-capture.h"
#include "kioskctl.h"

/* kioskctl [--json] camera list
 *
 * The cameras libcamera sees. Without any: "no camera found" (exit 0);
 * with --json a JSON array of {"id", "model", "location", "width",
 * "height"} ([] without any). Exit 1 when libcamera is unavailable. */

int
kioskctl_camera (KioskctlContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cams = NULL;

  if (argc != 2 || !g_str_equal (argv[1], "list"))
    {
      fprintf (stderr, "usage: kioskctl [--json] camera list\n");
      return KIOSKCTL_EXIT_USAGE;
    }
  cams = kiosk_camera_list (&error);
  if (cams == NULL)
    {
      fprintf (stderr, "kioskctl: cannot list cameras: %s\n", error->message);
      return KIOSKCTL_EXIT_FAIL;
    }
  if (ctx->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < cams->len; i++)
        {
          KioskCameraInfo *c = g_ptr_array_index (cams, i);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, c->id);
          json_builder_set_member_name (b, "model");
          json_builder_add_string_value (b, c->model);
          json_builder_set_member_name (b, "location");
          json_builder_add_string_value (b, c->location);
          json_builder_set_member_name (b, "width");
          json_builder_add_int_value (b, c->width);
          json_builder_set_member_name (b, "height");
          json_builder_add_int_value (b, c->height);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      kioskctl_print_json (b);
      return KIOSKCTL_EXIT_OK;
    }
  if (cams->len == 0)
    {
      printf ("no camera found (libcamera lists none)\n");
      return KIOSKCTL_EXIT_OK;
    }
  for (guint i = 0; i < cams->len; i++)
    {
      KioskCameraInfo *c = g_ptr_array_index (cams, i);
      printf ("%s\t%s\t%s\t%dx%d\n", c->id, *c->model ? c->model : "-", *c->location ? c->location : "-", c->width,
              c->height);
    }
  return KIOSKCTL_EXIT_OK;
}
