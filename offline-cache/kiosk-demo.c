/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <json-glib/json-glib.h>

#include "kiosk-demo.h"

/* Item codes of the seed catalog (tests/platform/seed-catalog.json) that a
 * resident can apply for at the kiosk. */
static const char *const demo_items[] = {
  "RS-001", "RS-009", "RS-015", "YB-020", "MZ-026", "MZ-027", "WJ-028", "GA-036",
};

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴" };
static const char *const given[] = { "秀英", "建国", "桂兰", "志强", "玉梅", "海燕", "德胜", "丽娟" };

static char
id_check_digit (const char *first17)
{
  static const int weights[] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char map[] = "10X98765432";
  int sum = 0;

  for (int i = 0; i < 17; i++)
    sum += (first17[i] - '0') * weights[i];
  return map[sum % 11];
}

char *
kiosk_demo_case_json (guint seed)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GRand) r = g_rand_new_with_seed (seed * 2654435761u + 17);
  g_autofree char *name = NULL;
  char id[19];

  /* 1301xx (invented county), birth 1940-1999, sequence. */
  g_snprintf (id, sizeof id, "130182%04d%02d%02d%03d", g_rand_int_range (r, 1940, 2000), g_rand_int_range (r, 1, 13),
              g_rand_int_range (r, 1, 29), g_rand_int_range (r, 0, 1000));
  id[17] = id_check_digit (id);
  id[18] = '\0';
  name = g_strconcat (surnames[g_rand_int_range (r, 0, G_N_ELEMENTS (surnames))],
                      given[g_rand_int_range (r, 0, G_N_ELEMENTS (given))], NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "item_code");
  json_builder_add_string_value (b, demo_items[seed % G_N_ELEMENTS (demo_items)]);
  json_builder_set_member_name (b, "applicant");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "id_number");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "phone");
  {
    g_autofree char *phone = g_strdup_printf ("138%08u", g_rand_int_range (r, 0, 100000000));
    json_builder_add_string_value (b, phone);
  }
  json_builder_set_member_name (b, "address");
  json_builder_add_string_value (b, "示例县示例镇示例村 1 组");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "form");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "remark");
  json_builder_add_string_value (b, "演示数据 (demo)");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "commitment");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "owed_materials");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "delivery");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, seed % 3 == 0 ? "post" : "pickup");
  if (seed % 3 == 0)
    {
      json_builder_set_member_name (b, "address");
      json_builder_add_string_value (b, "示例县示例镇示例村 1 组");
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

GBytes *
kiosk_demo_page_jpeg (guint seed, guint page, int width, int height)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  unsigned char *out = NULL;
  unsigned long out_len = 0;
  g_autofree guchar *row = g_malloc (width);
  guint32 state = seed * 7919u + page * 104729u + 1;

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &out, &out_len);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 1;
  cinfo.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 70, TRUE);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      int y = cinfo.next_scanline;
      gboolean text_line = (y / 12) % 3 != 2 && y > height / 10 && y < height - height / 10;

      for (int x = 0; x < width; x++)
        {
          /* Paper with "text" strokes whose pattern depends on the seed. */
          state = state * 1664525u + 1013904223u;
          row[x] = 235 + (state >> 28);
          if (text_line && x > width / 12 && x < width - width / 12 && ((state >> 16) & 7) < 3
              && ((x / 9 + y / 12 + seed + page) % 5) != 0)
            row[x] = 40 + (state >> 27);
        }
      jpeg_write_scanlines (&cinfo, (JSAMPROW *) &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  return g_bytes_new_with_free_func (out, out_len, free, out);
}
