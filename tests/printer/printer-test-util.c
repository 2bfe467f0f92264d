/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "print-document.h"
#include "printer-test-util.h"

char *
ptu_data_path (const char *name)
{
  return g_build_filename (KIOSK_SOURCE_DIR, "tests", "printer", "data", name, NULL);
}

char *
ptu_output_path (const char *name)
{
  g_autofree char *dir = g_build_filename (KIOSK_BUILD_DIR, "tests", "printer", "output", NULL);
  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, name, NULL);
}

JsonObject *
ptu_load_data (const char *template_name)
{
  g_autofree char *file = g_strdup_printf ("%s.json", template_name);
  g_autofree char *path = ptu_data_path (file);
  g_autoptr (GError) error = NULL;
  JsonObject *o = kiosk_print_load_data (path, &error);

  g_assert_no_error (error);
  return o;
}

char *
ptu_text (guint chars, guint lines)
{
  static const char sample[] = "政务服务一网通办最多跑一次就近办马上办ABC123";
  glong sample_len = g_utf8_strlen (sample, -1);
  GString *s = g_string_new (NULL);
  guint breaks = lines > 1 ? MIN (lines - 1, chars) : 0;
  guint text = chars - breaks, k = 0;

  /* breaks + 1 segments of text, as even as they come, with a break between. */
  for (guint seg = 0; seg <= breaks; seg++)
    {
      guint len = text / (breaks + 1) + (seg < text % (breaks + 1));
      for (guint i = 0; i < len; i++, k++)
        g_string_append_unichar (s, g_utf8_get_char (g_utf8_offset_to_pointer (sample, (glong) k % sample_len)));
      if (seg < breaks)
        g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

static gboolean
has_object_items (const KioskPrintCap *caps, const char *list_key)
{
  g_autofree char *prefix = g_strdup_printf ("%s[].", list_key);

  for (const KioskPrintCap *c = caps; c->path; c++)
    if (g_str_has_prefix (c->path, prefix))
      return TRUE;
  return FALSE;
}

/* Date and time fields ("accepted_at", "promised_date", "deadline",
 * "period_from", "reprint.at"): the templates read them as dates. */
static gboolean
is_date_cap (const KioskPrintCap *c)
{
  const char *key = strrchr (c->path, '.') ? strrchr (c->path, '.') + 1 : c->path;

  return g_str_has_suffix (key, "_at") || g_str_has_suffix (key, "_date") || g_str_equal (key, "deadline")
         || g_str_has_prefix (key, "period_") || g_str_equal (key, "at");
}

/* A date of @chars characters ("2026-11-25T10:15:00" padded with zeros)
 * over @lines lines. */
static char *
date_text (guint chars, guint lines)
{
  GString *s = g_string_new ("2026-11-25T10:15:");

  while (s->len + (lines - 1) < chars)
    g_string_append_c (s, '0');
  for (guint i = 1; i < lines; i++)
    g_string_append_c (s, '\n');
  g_string_truncate (s, MAX (chars, lines));
  return g_string_free (s, FALSE);
}

static JsonNode *
text_node (const KioskPrintCap *c, const char *exceed_path, char what)
{
  gboolean over = g_strcmp0 (exceed_path, c->path) == 0;
  guint chars = c->max_chars + (over && what == 'c');
  guint lines = c->max_lines + (over && what == 'l');
  g_autofree char *text = is_date_cap (c) ? date_text (chars, lines) : ptu_text (MAX (chars, lines), lines);
  JsonNode *n = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (n, text);
  return n;
}

JsonObject *
ptu_data_at_caps (const char *template_name, const char *exceed_path, char what)
{
  JsonObject *o = ptu_load_data (template_name);
  const KioskPrintCap *caps = kiosk_print_template_caps (template_name);

  if (caps == NULL)
    g_error ("no caps for template '%s'", template_name);
  for (const KioskPrintCap *c = caps; c->path; c++)
    {
      g_auto (GStrv) parts = g_strsplit (c->path, ".", 2);
      gboolean is_list = g_str_has_suffix (parts[0], "[]");
      g_autofree char *key = is_list ? g_strndup (parts[0], strlen (parts[0]) - 2) : g_strdup (parts[0]);

      /* base64, a path and a choice (delivery.method: pickup or post): the
       * example's value, unless over the cap. */
      if ((c->max_lines == 0 && !is_list) || g_str_has_prefix (key, "signature_")
          || g_str_equal (c->path, "delivery.method"))
        if (g_strcmp0 (exceed_path, c->path) != 0)
          continue;
      if (!is_list && parts[1] == NULL)
        json_object_set_member (o, key, text_node (c, exceed_path, what));
      else if (!is_list)
        {
          JsonObject *sub = json_object_has_member (o, key) ? json_object_get_object_member (o, key) : NULL;
          if (sub == NULL)
            {
              sub = json_object_new ();
              json_object_set_object_member (o, key, sub);
            }
          json_object_set_member (sub, parts[1], text_node (c, exceed_path, what));
        }
      else if (parts[1] == NULL)
        {
          /* Objects when the table caps their members, unless the test is
           * one string item over its cap. */
          gboolean objects = has_object_items (caps, key) && !(g_strcmp0 (exceed_path, c->path) == 0 && what != 'i');
          guint n = c->max_items + (g_strcmp0 (exceed_path, c->path) == 0 && what == 'i');
          JsonArray *a = json_array_new ();
          for (guint i = 0; i < n; i++)
            {
              if (objects)
                json_array_add_object_element (a, json_object_new ());
              else
                json_array_add_element (a, text_node (c, exceed_path, what));
            }
          json_object_set_array_member (o, key, a);
        }
      else
        {
          JsonArray *a = json_object_has_member (o, key) ? json_object_get_array_member (o, key) : NULL;
          for (guint i = 0; a && i < json_array_get_length (a); i++)
            {
              JsonNode *item = json_array_get_element (a, i);
              if (JSON_NODE_HOLDS_OBJECT (item))
                json_object_set_member (json_node_get_object (item), parts[1],
                                        i == 0 ? text_node (c, exceed_path, what) : text_node (c, NULL, 0));
            }
        }
    }
  return o;
}

gboolean
ptu_have_tools (void)
{
  static const char *const tools[] = { "pdftotext", "pdffonts", "pdftoppm", "zbarimg" };

  for (gsize i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *p = g_find_program_in_path (tools[i]);
      if (p == NULL)
        {
          g_autofree char *msg = g_strdup_printf ("%s not installed (poppler-utils, zbar-tools)", tools[i]);
          g_test_skip (msg);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
run (const char *const *argv, int *exit_status)
{
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  if (exit_status)
    *exit_status = status;
  return out;
}

char *
ptu_pdf_text (const char *pdf_path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf_path, "-", NULL };
  int status;
  char *text = run (argv, &status);

  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  return text;
}

int
ptu_assert_fonts_embedded (const char *pdf_path)
{
  const char *argv[] = { "pdffonts", pdf_path, NULL };
  g_autofree char *out = run (argv, NULL);
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  int fonts = 0;

  /* name type encoding emb sub uni object ID: the three yes/no columns
   * come right before the object number. */
  for (int i = 2; lines[i]; i++)
    {
      g_auto (GStrv) cols = NULL;
      guint n;
      if (*g_strstrip (lines[i]) == '\0')
        continue;
      cols = g_regex_split_simple ("\\s+", lines[i], 0, 0);
      n = g_strv_length (cols);
      g_assert_cmpuint (n, >=, 6);
      if (g_strcmp0 (cols[n - 5], "yes") != 0 || g_strcmp0 (cols[n - 4], "yes") != 0
          || g_strcmp0 (cols[n - 3], "yes") != 0)
        g_error ("%s: font not embedded as a subset with a ToUnicode map: %s", pdf_path, lines[i]);
      if (!g_str_has_prefix (cols[0], "") || strstr (cols[0], "+") == NULL)
        g_error ("%s: font name is not a subset name: %s", pdf_path, lines[i]);
      fonts++;
    }
  g_assert_cmpint (fonts, >, 0);
  return fonts;
}

void
ptu_pdf_to_png (const char *pdf_path, const char *png_path, int dpi)
{
  g_autofree char *root = g_strndup (png_path, strlen (png_path) - strlen (".png"));
  g_autofree char *res = g_strdup_printf ("%d", dpi);
  const char *argv[] = { "pdftoppm", "-png", "-r", res, "-f", "1", "-l", "1", "-singlefile", pdf_path, root, NULL };
  int status;
  g_autofree char *out = run (argv, &status);

  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_test (png_path, G_FILE_TEST_EXISTS));
}

char *
ptu_decode_qr (const char *png_path)
{
  const char *argv[] = { "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png_path, NULL };
  int status;
  char *out = run (argv, &status);

  if (out == NULL || *out == '\0')
    {
      g_free (out);
      return NULL;
    }
  g_strchomp (out);
  return out;
}

static char *
squeeze (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isspace (c) && c != 0x3000)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

void
ptu_assert_text_contains (const char *text, const char *const *needles)
{
  g_autofree char *hay = squeeze (text);

  /* No replacement characters: every glyph mapped back to its character. */
  if (strstr (text, "\xEF\xBF\xBD"))
    g_error ("the PDF text contains U+FFFD replacement characters:\n%s", text);
  for (int i = 0; needles[i]; i++)
    {
      g_autofree char *needle = squeeze (needles[i]);
      if (strstr (hay, needle) == NULL)
        g_error ("'%s' not found in the PDF text:\n%s", needles[i], text);
    }
}

char *
ptu_decode_pdf_qr (const char *pdf_path)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-qr-XXXXXX", NULL);
  g_autofree char *root = g_build_filename (dir, "page", NULL);
  const char *argv[] = { "pdftoppm", "-png", "-r", "150", pdf_path, root, NULL };
  g_autoptr (GPtrArray) zargv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = NULL;
  const char *name;
  int status;
  g_autofree char *out = run (argv, &status);
  char *result;

  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_ptr_array_add (zargv, g_strdup ("zbarimg"));
  g_ptr_array_add (zargv, g_strdup ("--raw"));
  g_ptr_array_add (zargv, g_strdup ("-q"));
  g_ptr_array_add (zargv, g_strdup ("-Sdisable"));
  g_ptr_array_add (zargv, g_strdup ("-Sqrcode.enable"));
  d = g_dir_open (dir, 0, NULL);
  while (d && (name = g_dir_read_name (d)))
    g_ptr_array_add (zargv, g_build_filename (dir, name, NULL));
  g_ptr_array_add (zargv, NULL);
  result = run ((const char *const *) zargv->pdata, &status);
  for (guint i = 5; i + 1 < zargv->len; i++)
    g_unlink (zargv->pdata[i]);
  g_rmdir (dir);
  if (result == NULL || *result == '\0')
    {
      g_free (result);
      return NULL;
    }
  g_strchomp (result);
  return result;
}
