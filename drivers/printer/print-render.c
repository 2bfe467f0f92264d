/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sys/stat.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <zint.h>

#include "kiosk-identity.h"
#include "print-document.h"

/* A small flowing-layout engine over cairo + pango, and the five templates.
 * Units are PDF points; fonts are Noto Serif/Sans CJK SC, which cairo
 * embeds as CFF subsets. Text goes through pango line by line so a long
 * paragraph breaks across A4 pages; on the 80 mm roll the page is as long as
 * the content (a measuring pass first). */

#define MM(x) ((x) *72.0 / 25.4)
#define SERIF "Noto Serif CJK SC"
/* Latin letters and digits come from DejaVu Sans, CJK from Noto Sans CJK: cairo
 * 1.16 cannot subset the subroutines of Noto Sans CJK once some Latin glyphs
 * (e.g. "L" with "F") share a subset with CJK ones and then embeds ~800 KB of
 * them; Noto Serif CJK is not affected. */
#define SANS "DejaVu Sans, Noto Sans CJK SC"

static const char *const templates[]
    = { "receipt", "deferral-notice", "certificate", "proxy-authorisation", "guide", "test-page", NULL };
static const char *const template_titles[]
    = { "回执单", "容缺受理通知书", "证明", "代办服务委托书", "办事指南", "打印机测试页" };

const char *const *
kiosk_print_templates (void)
{
  return templates;
}

gboolean
kiosk_print_template_exists (const char *name)
{
  return name && g_strv_contains (templates, name);
}

const char *
kiosk_print_template_title (const char *name)
{
  for (int i = 0; templates[i]; i++)
    if (g_strcmp0 (templates[i], name) == 0)
      return template_titles[i];
  return NULL;
}

gboolean
kiosk_paper_from_string (const char *s, KioskPaper *out)
{
  if (g_strcmp0 (s, "a4") == 0)
    *out = KIOSK_PAPER_A4;
  else if (g_strcmp0 (s, "roll80") == 0)
    *out = KIOSK_PAPER_ROLL80;
  else
    return FALSE;
  return TRUE;
}

const char *
kiosk_paper_to_string (KioskPaper paper)
{
  return paper == KIOSK_PAPER_ROLL80 ? "roll80" : "a4";
}

/* ---- JSON helpers --------------------------------------------------------- */

static const char *
jstr (JsonObject *o, const char *key)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, key))
    return NULL;
  n = json_object_get_member (o, key);
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
need_str (JsonObject *o, const char *key, const char **out, GError **error)
{
  *out = jstr (o, key);
  if (*out == NULL || **out == '\0')
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA, "field '%s' (a non-empty string) is required",
                   key);
      return FALSE;
    }
  return TRUE;
}

static gint64
jint (JsonObject *o, const char *key, gint64 fallback)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, key))
    return fallback;
  n = json_object_get_member (o, key);
  if (!JSON_NODE_HOLDS_VALUE (n))
    return fallback;
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    return json_node_get_int (n);
  if (json_node_get_value_type (n) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (n);
  return fallback;
}

static gboolean
jbool (JsonObject *o, const char *key)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, key))
    return FALSE;
  n = json_object_get_member (o, key);
  return JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN && json_node_get_boolean (n);
}

static JsonArray *
jarr (JsonObject *o, const char *key)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, key))
    return NULL;
  n = json_object_get_member (o, key);
  return JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static JsonObject *
jobj (JsonObject *o, const char *key)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, key))
    return NULL;
  n = json_object_get_member (o, key);
  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* Reads exactly @n decimal digits at @s into @out. */
static gboolean
digits (const char *s, int n, int *out)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* "2026-11-22" -> "2026年11月22日", "2026-11-22T10:15" -> "2026年11月22日 10:15";
 * anything else unchanged. */
static char *
cn_date (const char *iso)
{
  int y, m, d, hh, mm;

  if (iso == NULL)
    return g_strdup ("");
  if (strlen (iso) >= 10 && digits (iso, 4, &y) && iso[4] == '-' && digits (iso + 5, 2, &m) && iso[7] == '-'
      && digits (iso + 8, 2, &d))
    {
      if (strlen (iso) >= 16 && (iso[10] == 'T' || iso[10] == ' ') && digits (iso + 11, 2, &hh) && iso[13] == ':'
          && digits (iso + 14, 2, &mm))
        return g_strdup_printf ("%d年%d月%d日 %02d:%02d", y, m, d, hh, mm);
      return g_strdup_printf ("%d年%d月%d日", y, m, d);
    }
  return g_strdup (iso);
}

/* Masks an ID number unless it already is. */
static char *
masked_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return g_strdup ("");
  if (strchr (id, '*'))
    return g_strdup (id);
  if (!g_str_is_ascii (id))
    {
      /* kiosk_mask_id_number() counts bytes (ID numbers are ASCII): mask
       * other text by characters, so that no character is cut in two. */
      glong n = g_utf8_strlen (id, -1);
      GString *out = g_string_new (NULL);
      const char *p = id;
      for (glong i = 0; i < n; i++, p = g_utf8_next_char (p))
        {
          if (n > 8 && (i < 4 || i >= n - 4))
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
          else
            g_string_append_c (out, '*');
        }
      return g_string_free (out, FALSE);
    }
  return kiosk_mask_id_number (id);
}

/* ---- layout engine -------------------------------------------------------- */

typedef struct {
  cairo_t *cr;
  cairo_surface_t *surface;
  PangoContext *pango;
  KioskPaper paper;
  double page_w, page_h;
  double left, right, top, bottom; /* margins */
  double y;
  int page;
  gboolean roll;
  const char *base_dir;
  const char *footer;   /* repeated at the foot of each A4 page, with the page number */
  guint unknown_glyphs; /* characters no installed font has (tofu) */
  gboolean serif_only;  /* one font family: smaller PDF (certificates) */
} Doc;

typedef struct {
  const char *family;
  double size;
  PangoWeight weight;
  PangoAlignment align;
  double line_spacing; /* factor */
  double r, g, b;
} Style;

static const Style S_TITLE = { SERIF, 22, PANGO_WEIGHT_BOLD, PANGO_ALIGN_CENTER, 1.0, 0, 0, 0 };
static const Style S_BODY = { SERIF, 14, PANGO_WEIGHT_NORMAL, PANGO_ALIGN_LEFT, 1.5, 0, 0, 0 };
static const Style S_CELL = { SANS, 10.5, PANGO_WEIGHT_NORMAL, PANGO_ALIGN_LEFT, 1.2, 0, 0, 0 };
static const Style S_LABEL = { SANS, 10.5, PANGO_WEIGHT_BOLD, PANGO_ALIGN_LEFT, 1.2, 0, 0, 0 };
static const Style S_SMALL = { SANS, 9, PANGO_WEIGHT_NORMAL, PANGO_ALIGN_LEFT, 1.2, 0.2, 0.2, 0.2 };
static const Style S_HEAD = { SANS, 12, PANGO_WEIGHT_BOLD, PANGO_ALIGN_LEFT, 1.2, 0, 0, 0 };

static double
content_w (Doc *d)
{
  return d->page_w - d->left - d->right;
}

static Style
scaled (const Style *s, Doc *d)
{
  Style out = *s;
  /* The roll is a third of A4's width: smaller type, still legible. */
  if (d->roll)
    out.size = MAX (7.5, s->size * 0.78);
  return out;
}

static PangoLayout *
make_layout (Doc *d, const Style *st0, double width, const char *text)
{
  Style st = scaled (st0, d);
  PangoLayout *layout = pango_layout_new (d->pango);
  PangoFontDescription *fd = pango_font_description_new ();

  pango_font_description_set_family (fd, d->serif_only ? SERIF : st.family);
  pango_font_description_set_weight (fd, st.weight);
  pango_font_description_set_absolute_size (fd, st.size * PANGO_SCALE);
  pango_layout_set_font_description (layout, fd);
  pango_font_description_free (fd);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, st.align);
  if (st.line_spacing > 0)
    pango_layout_set_line_spacing (layout, (float) st.line_spacing);
  pango_layout_set_text (layout, text ? text : "", -1);
  d->unknown_glyphs += (guint) pango_layout_get_unknown_glyphs_count (layout);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  PangoRectangle logical;
  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

static void draw_footer (Doc *d);

static void
new_page (Doc *d)
{
  draw_footer (d);
  cairo_show_page (d->cr);
  d->page++;
  d->y = d->top;
}

static void
ensure_space (Doc *d, double h)
{
  if (!d->roll && d->y + h > d->page_h - d->bottom && d->y > d->top + 1)
    new_page (d);
}

static void
set_colour (Doc *d, const Style *st)
{
  cairo_set_source_rgb (d->cr, st->r, st->g, st->b);
}

/* Draws @layout at (@x, d->y), line by line, breaking pages as needed, and
 * advances d->y. */
static void
flow_layout (Doc *d, PangoLayout *layout, double x, const Style *st)
{
  PangoLayoutIter *it = pango_layout_get_iter (layout);
  double base = d->y;

  set_colour (d, st);
  do
    {
      PangoRectangle logical;
      double top, h, baseline;

      pango_layout_iter_get_line_extents (it, NULL, &logical);
      top = (double) logical.y / PANGO_SCALE;
      h = (double) logical.height / PANGO_SCALE;
      baseline = (double) pango_layout_iter_get_baseline (it) / PANGO_SCALE;
      if (!d->roll && base + top + h > d->page_h - d->bottom && base + top > d->top + 1)
        {
          new_page (d);
          set_colour (d, st);
          base = d->top - top;
        }
      cairo_move_to (d->cr, x + (double) logical.x / PANGO_SCALE, base + baseline);
      pango_cairo_show_layout_line (d->cr, pango_layout_iter_get_line_readonly (it));
      d->y = base + top + h;
    }
  while (pango_layout_iter_next_line (it));
  pango_layout_iter_free (it);
}

static void
text_at (Doc *d, const Style *st, double x, double width, const char *text)
{
  PangoLayout *layout = make_layout (d, st, width, text);
  flow_layout (d, layout, x, st);
  g_object_unref (layout);
}

static void
para (Doc *d, const Style *st, const char *text, double space_after)
{
  text_at (d, st, d->left, content_w (d), text);
  d->y += space_after;
}

static void
gap (Doc *d, double pts)
{
  d->y += d->roll ? pts * 0.6 : pts;
}

static void
hrule (Doc *d, double width, double r, double g, double b)
{
  cairo_set_source_rgb (d->cr, r, g, b);
  cairo_set_line_width (d->cr, width);
  cairo_move_to (d->cr, d->left, d->y);
  cairo_line_to (d->cr, d->page_w - d->right, d->y);
  cairo_stroke (d->cr);
}

static void
draw_footer (Doc *d)
{
  g_autofree char *text = NULL;
  PangoLayout *layout;
  double save_y = d->y;

  if (d->roll || d->footer == NULL)
    return;
  text = g_strdup_printf ("%s    第 %d 页", d->footer, d->page);
  layout = make_layout (d, &S_SMALL, content_w (d), text);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  d->y = d->page_h - d->bottom + MM (4);
  set_colour (d, &S_SMALL);
  cairo_move_to (d->cr, d->left, d->y);
  pango_cairo_show_layout (d->cr, layout);
  g_object_unref (layout);
  d->y = save_y;
}

/* A bordered two-column table of label/value rows. On the roll the label
 * sits above its value. */
typedef struct {
  const char *label;
  char *value;
} Row;

static void
rows_add (GArray *rows, const char *label, const char *value)
{
  Row r = { label, g_strdup (value ? value : "") };
  g_array_append_val (rows, r);
}

static void
row_clear (gpointer p)
{
  g_free (((Row *) p)->value);
}

static GArray *
rows_new (void)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_array_set_clear_func (rows, row_clear);
  return rows;
}

static void
kv_table (Doc *d, GArray *rows, double label_w_mm)
{
  double pad = d->roll ? 2 : 5;
  double lw = d->roll ? content_w (d) : MM (label_w_mm);
  double vw = d->roll ? content_w (d) : content_w (d) - lw;

  if (d->roll)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          Row *r = &g_array_index (rows, Row, i);
          g_autofree char *label = g_strdup_printf ("%s：", r->label);
          text_at (d, &S_LABEL, d->left, lw, label);
          text_at (d, &S_CELL, d->left + MM (2), vw - MM (2), r->value);
          d->y += 3;
        }
      return;
    }

  cairo_set_line_width (d->cr, 0.8);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = &g_array_index (rows, Row, i);
      PangoLayout *ll = make_layout (d, &S_LABEL, lw - 2 * pad, r->label);
      PangoLayout *vl = make_layout (d, &S_CELL, vw - 2 * pad, r->value);
      /* Line up the first baselines: a line of Latin (DejaVu) sits lower
       * in its box than a line of CJK. */
      double lb = (double) pango_layout_get_baseline (ll) / PANGO_SCALE;
      double vb = (double) pango_layout_get_baseline (vl) / PANGO_SCALE;
      double l_off = MAX (0, vb - lb), v_off = MAX (0, lb - vb);
      double h = MAX (layout_height (ll) + l_off, layout_height (vl) + v_off) + 2 * pad;
      double y0;

      ensure_space (d, h);
      y0 = d->y;
      if (i == 0 || y0 == d->top)
        {
          cairo_set_source_rgb (d->cr, 0, 0, 0);
          cairo_move_to (d->cr, d->left, y0);
          cairo_line_to (d->cr, d->page_w - d->right, y0);
          cairo_stroke (d->cr);
        }
      cairo_set_source_rgb (d->cr, 0.94, 0.94, 0.94);
      cairo_rectangle (d->cr, d->left, y0, lw, h);
      cairo_fill (d->cr);
      set_colour (d, &S_LABEL);
      cairo_move_to (d->cr, d->left + pad, y0 + pad + l_off);
      pango_cairo_show_layout (d->cr, ll);
      cairo_move_to (d->cr, d->left + lw + pad, y0 + pad + v_off);
      pango_cairo_show_layout (d->cr, vl);
      cairo_set_source_rgb (d->cr, 0, 0, 0);
      cairo_rectangle (d->cr, d->left, y0, content_w (d), h);
      cairo_move_to (d->cr, d->left + lw, y0);
      cairo_line_to (d->cr, d->left + lw, y0 + h);
      cairo_stroke (d->cr);
      d->y = y0 + h;
      g_object_unref (ll);
      g_object_unref (vl);
    }
}

/* Draws a QR code of @payload as vector squares in a @size square at (@x, @y),
 * quiet zone included. */
static gboolean
draw_qr (Doc *d, const char *payload, double x, double y, double size, GError **error)
{
  struct zint_symbol *sym = ZBarcode_Create ();
  int ret;
  double scale;

  if (sym == NULL)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_RENDER, "zint: out of memory");
      return FALSE;
    }
  sym->symbology = BARCODE_QRCODE;
  sym->input_mode = UNICODE_MODE;
  sym->option_1 = 2; /* error correction M */
  sym->output_options |= BARCODE_QUIET_ZONES;
  ret = ZBarcode_Encode (sym, (const unsigned char *) payload, (int) strlen (payload));
  if (ret < ZINT_ERROR)
    ret = ZBarcode_Buffer_Vector (sym, 0);
  if (ret >= ZINT_ERROR || sym->vector == NULL || sym->vector->width <= 0)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_RENDER, "zint could not encode a QR code: %s",
                   sym->errtxt);
      ZBarcode_Delete (sym);
      return FALSE;
    }
  scale = size / MAX (sym->vector->width, sym->vector->height);
  cairo_save (d->cr);
  cairo_set_source_rgb (d->cr, 1, 1, 1);
  cairo_rectangle (d->cr, x, y, size, size);
  cairo_fill (d->cr);
  cairo_set_source_rgb (d->cr, 0, 0, 0);
  cairo_set_antialias (d->cr, CAIRO_ANTIALIAS_NONE);
  for (struct zint_vector_rect *r = sym->vector->rectangles; r; r = r->next)
    if (r->colour == -1 || r->colour == 7)
      cairo_rectangle (d->cr, x + r->x * scale, y + r->y * scale, r->width * scale, r->height * scale);
  cairo_fill (d->cr);
  cairo_restore (d->cr);
  ZBarcode_Delete (sym);
  return TRUE;
}

/* Draws a QR code with a caption beside (A4) or below (roll) it. */
static gboolean
qr_block (Doc *d, const char *payload, const char *caption, GError **error)
{
  double size = d->roll ? MM (36) : MM (32);

  ensure_space (d, size + 10);
  if (d->roll)
    {
      double x = (d->page_w - size) / 2;
      if (!draw_qr (d, payload, x, d->y, size, error))
        return FALSE;
      d->y += size + 2;
      if (caption)
        {
          Style st = S_SMALL;
          st.align = PANGO_ALIGN_CENTER;
          text_at (d, &st, d->left, content_w (d), caption);
        }
    }
  else
    {
      double y0 = d->y;
      double x = d->page_w - d->right - size;
      if (!draw_qr (d, payload, x, y0, size, error))
        return FALSE;
      if (caption)
        {
          d->y = y0 + MM (4);
          text_at (d, &S_SMALL, d->left, content_w (d) - size - MM (6), caption);
        }
      d->y = MAX (d->y, y0 + size);
    }
  d->y += 4;
  return TRUE;
}

/* The station header and the document title with a rule under it. @side
 * keeps the title clear of a corner block (e.g. a QR code) on both sides. */
static void
heading_full (Doc *d, const char *station, const char *title, double side, double r, double g, double b)
{
  Style st = S_TITLE;

  if (station && *station)
    {
      Style s = S_SMALL;
      s.align = PANGO_ALIGN_CENTER;
      text_at (d, &s, d->left + side, content_w (d) - 2 * side, station);
      d->y += 4;
    }
  st.r = r, st.g = g, st.b = b;
  if (d->roll)
    st.size = 20;
  text_at (d, &st, d->left + side, content_w (d) - 2 * side, title);
  d->y += 6;
  hrule (d, d->roll ? 1.0 : 2.0, r, g, b);
  d->y += 2.5;
  hrule (d, 0.6, r, g, b);
  gap (d, 12);
}

static void
heading (Doc *d, const char *station, const char *title, double r, double g, double b)
{
  heading_full (d, station, title, 0, r, g, b);
}

static char *
join_list (JsonArray *a, gboolean numbered)
{
  GString *s = g_string_new (NULL);
  guint n = a ? json_array_get_length (a) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (a, i);
      const char *text = NULL;
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        text = json_node_get_string (node);
      else if (JSON_NODE_HOLDS_OBJECT (node))
        text = jstr (json_node_get_object (node), "name");
      if (text == NULL)
        continue;
      if (s->len)
        g_string_append_c (s, '\n');
      if (numbered)
        g_string_append_printf (s, "%u. ", i + 1);
      g_string_append (s, text);
    }
  return g_string_free (s, FALSE);
}

static char *
now_string (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M");
}

/* ---- templates ------------------------------------------------------------ */

/* Dates given as YYYY-MM-DD (optionally followed by a time): a real
 * calendar date, as a sortable number (20261125). */
static gboolean
iso_date (const char *s, int *ymd)
{
  int y, m, dd;

  if (s == NULL || strlen (s) < 10 || !digits (s, 4, &y) || s[4] != '-' || !digits (s + 5, 2, &m) || s[7] != '-'
      || !digits (s + 8, 2, &dd) || (s[10] != '\0' && s[10] != 'T' && s[10] != ' '))
    return FALSE;
  if (y < 1 || !g_date_valid_dmy ((GDateDay) dd, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  *ymd = y * 10000 + m * 100 + dd;
  return TRUE;
}

/* A framed notice that the number is provisional (the kiosk's own, given
 * before the platform answered: every case handed in at the kiosk, online
 * or not), so nobody takes it for the platform's official number. */
static void
provisional_banner (Doc *d)
{
  Style st = { SANS, 10.5, PANGO_WEIGHT_BOLD, PANGO_ALIGN_LEFT, 1.2, 0.6, 0, 0 };
  const char *text = "【临时编号】本件由自助服务终端受理，受理编号为临时编号。报送平台后生成正式编号（网络中断时"
                     "联网后自动报送）；凭临时编号仍可查询办理进度，效力不受影响。";
  double pad = d->roll ? 3 : 6, w = content_w (d) - 2 * pad, y0, h;
  PangoLayout *layout = make_layout (d, &st, w, text);

  h = layout_height (layout) + 2 * pad;
  ensure_space (d, h);
  y0 = d->y;
  cairo_set_source_rgb (d->cr, 0.6, 0, 0);
  cairo_set_line_width (d->cr, 1.2);
  cairo_rectangle (d->cr, d->left, y0, content_w (d), h);
  cairo_stroke (d->cr);
  cairo_move_to (d->cr, d->left + pad, y0 + pad);
  pango_cairo_show_layout (d->cr, layout);
  g_object_unref (layout);
  d->y = y0 + h;
  gap (d, 10);
}

/* The 补打 mark of a receipt or notice printed again (the driver's
 * "reprint" member): framed under the heading, where the QR code in the
 * corner leaves room. */
static void
reprint_banner (Doc *d, JsonObject *reprint)
{
  Style st = { SANS, 10.5, PANGO_WEIGHT_BOLD, PANGO_ALIGN_LEFT, 1.2, 0.75, 0, 0 };
  g_autofree char *when = cn_date (jstr (reprint, "at"));
  g_autofree char *text = g_strdup_printf ("【补打件】第 %" G_GINT64_FORMAT " 次补打，补打时间 %s。内容与原件一致，"
                                           "以最近一次打印件为准。",
                                           jint (reprint, "count", 1), when);
  double pad = d->roll ? 3 : 6, w = content_w (d) - 2 * pad, y0, h;
  PangoLayout *layout = make_layout (d, &st, w, text);

  h = layout_height (layout) + 2 * pad;
  ensure_space (d, h);
  y0 = d->y;
  cairo_set_source_rgb (d->cr, 0.75, 0, 0);
  cairo_set_line_width (d->cr, 1.2);
  cairo_rectangle (d->cr, d->left, y0, content_w (d), h);
  cairo_stroke (d->cr);
  cairo_move_to (d->cr, d->left + pad, y0 + pad);
  pango_cairo_show_layout (d->cr, layout);
  g_object_unref (layout);
  d->y = y0 + h;
  gap (d, 10);
}

/* The heading of a document carrying a case number: on A4 the number's QR
 * code sits in the top right corner (the document stays on one page);
 * on the roll it comes at the end (qr_footer). */
static gboolean
qr_heading (Doc *d, const char *station, const char *title, const char *payload, GError **error)
{
  double size = MM (26);

  if (d->roll)
    {
      heading (d, station, title, 0, 0, 0);
      return TRUE;
    }
  if (!draw_qr (d, payload, d->page_w - d->right - size + MM (2), d->top - MM (8), size, error))
    return FALSE;
  heading_full (d, station, title, size + MM (2), 0, 0, 0);
  return TRUE;
}

/* The notes under a document: on the roll with the QR code above them. */
static gboolean
qr_footer (Doc *d, const char *payload, const char *caption, GError **error)
{
  if (d->roll)
    return qr_block (d, payload, caption, error);
  para (d, &S_SMALL, caption, 0);
  return TRUE;
}

/* "2026年11月22日 10:15" from @key, or now. */
static char *
when_or_now (JsonObject *o, const char *key)
{
  g_autofree char *now = NULL;
  char *s = cn_date (jstr (o, key) ? jstr (o, key) : "");

  if (*s != '\0')
    return s;
  g_free (s);
  now = now_string ();
  return cn_date (now);
}

/* The promised time limit in words: "3 个工作日，预计2026年11月25日前办结". */
static char *
promised_text (JsonObject *o)
{
  g_autofree char *date = cn_date (jstr (o, "promised_date"));
  gint64 days = jint (o, "time_limit_days", -1);
  g_autofree char *promised = NULL;

  if (days == 0)
    promised = g_strdup ("即办件，当场办结");
  else if (days > 0 && *date)
    promised = g_strdup_printf ("%" G_GINT64_FORMAT " 个工作日，预计%s前办结", days, date);
  else if (days > 0)
    promised = g_strdup_printf ("%" G_GINT64_FORMAT " 个工作日", days);
  else if (*date)
    promised = g_strdup_printf ("预计%s前办结", date);
  else
    promised = g_strdup ("以审批部门告知为准");
  if (jint (o, "statutory_days", -1) > 0)
    return g_strdup_printf ("%s（法定时限 %" G_GINT64_FORMAT " 个工作日）", promised, jint (o, "statutory_days", -1));
  return g_steal_pointer (&promised);
}

static gboolean
render_receipt (Doc *d, JsonObject *o, GError **error)
{
  const char *case_no, *item, *name;
  g_autoptr (GArray) rows = rows_new ();
  g_autofree char *id = NULL;
  g_autofree char *accepted = NULL;
  g_autofree char *received = NULL;
  g_autofree char *promised = NULL;
  g_autofree char *case_line = NULL;
  g_autofree char *caption = NULL;
  JsonArray *owed;
  JsonObject *delivery, *cross;
  const char *method;
  gboolean provisional = jbool (o, "provisional");

  if (!need_str (o, "case_number", &case_no, error) || !need_str (o, "item_name", &item, error)
      || !need_str (o, "applicant_name", &name, error))
    return FALSE;
  delivery = jobj (o, "delivery");
  method = jstr (delivery, "method");
  if (method && !g_str_equal (method, "pickup") && !g_str_equal (method, "post"))
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                   "field 'delivery.method' is '%s': it is 'pickup' or 'post'", method);
      return FALSE;
    }
  /* Owed materials: a deadline given is a date, never after the promised
   * date (as on the deferral notice). */
  {
    JsonArray *owed_in = jarr (o, "materials_owed");
    int promised_ymd = 0;
    gboolean has_promised = iso_date (jstr (o, "promised_date"), &promised_ymd);

    for (guint i = 0; owed_in && i < json_array_get_length (owed_in); i++)
      {
        JsonNode *node = json_array_get_element (owed_in, i);
        const char *deadline = JSON_NODE_HOLDS_OBJECT (node) ? jstr (json_node_get_object (node), "deadline") : NULL;
        int ymd;

        if (deadline == NULL)
          continue;
        if (!iso_date (deadline, &ymd) || (has_promised && ymd > promised_ymd))
          {
            g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                         "field 'materials_owed[%u].deadline' is %s", i,
                         iso_date (deadline, &ymd) ? "after 'promised_date': a deferral never passes the promised "
                                                     "time limit"
                                                   : "not a date (YYYY-MM-DD)");
            return FALSE;
          }
      }
  }
  cross = jobj (o, "cross_region");
  if (cross == NULL && json_object_has_member (o, "cross_region")
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (o, "cross_region")))
    {
      /* The catalog's flag is a bool: the receipt needs where, not whether. */
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                   "field 'cross_region' is an object {scope, region, department} (or null)");
      return FALSE;
    }
  if (cross)
    {
      const char *unused;
      if (!need_str (cross, "scope", &unused, error) || !need_str (cross, "region", &unused, error))
        {
          g_prefix_error (error, "'cross_region': ");
          return FALSE;
        }
    }

  if (!qr_heading (d, jstr (o, "station"), "政务服务受理回执单", case_no, error))
    return FALSE;
  if (jobj (o, "reprint"))
    reprint_banner (d, jobj (o, "reprint"));
  if (provisional)
    provisional_banner (d);

  case_line = g_strdup_printf ("%s%s", case_no, provisional ? "（临时编号，报送平台后生成正式编号）" : "");
  rows_add (rows, "受理编号", case_line);
  rows_add (rows, "事项名称", item);
  if (cross)
    {
      g_autofree char *how = g_strdup_printf ("%s：本站受理收件，由承办地审批办理", jstr (cross, "scope"));
      g_autofree char *where = jstr (cross, "department") && *jstr (cross, "department")
                                   ? g_strdup_printf ("%s %s", jstr (cross, "region"), jstr (cross, "department"))
                                   : g_strdup (jstr (cross, "region"));
      rows_add (rows, "通办方式", how);
      rows_add (rows, "承办地及部门", where);
    }
  rows_add (rows, "申请人", name);
  id = masked_id (jstr (o, "applicant_id_number"));
  if (*id)
    rows_add (rows, "证件号码", id);
  if (jstr (o, "applicant_phone"))
    rows_add (rows, "联系电话", jstr (o, "applicant_phone"));
  received = join_list (jarr (o, "materials_received"), TRUE);
  rows_add (rows, "已收材料", *received ? received : "无");

  owed = jarr (o, "materials_owed");
  if (owed && json_array_get_length (owed) > 0)
    {
      GString *s = g_string_new ("本件按容缺受理，以下材料请在期限内补交（详见《容缺受理通知书》）：");
      for (guint i = 0; i < json_array_get_length (owed); i++)
        {
          JsonNode *node = json_array_get_element (owed, i);
          JsonObject *m = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          g_autofree char *deadline = cn_date (jstr (m, "deadline"));
          if (m == NULL || jstr (m, "name") == NULL)
            continue;
          g_string_append_printf (s, "\n%u. %s，须于%s前补交", i + 1, jstr (m, "name"), deadline);
          if (jstr (m, "how"))
            g_string_append_printf (s, "（%s）", jstr (m, "how"));
        }
      rows_add (rows, "容缺材料", s->str);
      g_string_free (s, TRUE);
    }

  promised = promised_text (o);
  rows_add (rows, "承诺时限", promised);

  if (g_strcmp0 (method, "post") == 0)
    {
      g_autofree char *s
          = g_strdup_printf ("免费邮寄送达：%s", jstr (delivery, "address") ? jstr (delivery, "address") : "");
      rows_add (rows, "结果送达", s);
    }
  else
    {
      g_autofree char *s = g_strdup_printf ("窗口自取（%s），领取时请携带本回执和身份证件",
                                            jstr (delivery, "place") ? jstr (delivery, "place") : "受理地点");
      rows_add (rows, "结果送达", s);
    }
  rows_add (rows, "收费标准", jstr (o, "fee") ? jstr (o, "fee") : "不收费");
  if (jstr (o, "station"))
    rows_add (rows, "受理地点", jstr (o, "station"));
  if (jstr (o, "office_phone") && *jstr (o, "office_phone"))
    rows_add (rows, "咨询电话", jstr (o, "office_phone"));
  accepted = when_or_now (o, "accepted_at");
  rows_add (rows, "受理时间", accepted);

  kv_table (d, rows, 28);
  gap (d, 14);

  caption = g_strdup_printf ("温馨提示：\n1. 请妥善保管本回执，领取结果时凭本回执和身份证件办理。\n"
                             "2. 扫描%s二维码（%s），或在自助终端“进度查询”中输入受理编号，可随时查询办理进度。\n"
                             "3. 本回执由自助服务终端打印，不收取任何费用。",
                             d->roll ? "上方" : "右上角", provisional ? "临时受理编号" : "受理编号");
  return qr_footer (d, case_no, caption, error);
}

/* One row of a grid table: the layouts of its cells, and its height. */
static double
grid_row_layouts (Doc *d, const char *const *texts, const double *fractions, guint ncols, gboolean header,
                  GPtrArray *layouts)
{
  double pad = 4, h = 0, top = 0;

  for (guint c = 0; c < ncols; c++)
    {
      PangoLayout *l = make_layout (d, header ? &S_LABEL : &S_CELL, content_w (d) * fractions[c] - 2 * pad, texts[c]);
      if (header || c == 0)
        pango_layout_set_alignment (l, PANGO_ALIGN_CENTER);
      top = MAX (top, (double) pango_layout_get_baseline (l) / PANGO_SCALE);
      g_ptr_array_add (layouts, l);
    }
  /* Each cell moves down by the difference of first baselines (grid_row_draw). */
  for (guint c = 0; c < ncols; c++)
    {
      PangoLayout *l = layouts->pdata[c];
      h = MAX (h, layout_height (l) + top - (double) pango_layout_get_baseline (l) / PANGO_SCALE + 2 * pad);
    }
  return h;
}

static void
grid_row_draw (Doc *d, GPtrArray *layouts, const double *fractions, guint ncols, double h, gboolean header)
{
  double pad = 4, x = d->left, y0 = d->y, top = 0;

  /* Line up the first baselines (a line of Latin sits lower in its box
   * than a line of CJK), as kv_table does. */
  for (guint c = 0; c < ncols; c++)
    top = MAX (top, (double) pango_layout_get_baseline (layouts->pdata[c]) / PANGO_SCALE);
  if (header)
    {
      cairo_set_source_rgb (d->cr, 0.94, 0.94, 0.94);
      cairo_rectangle (d->cr, d->left, y0, content_w (d), h);
      cairo_fill (d->cr);
    }
  cairo_set_source_rgb (d->cr, 0, 0, 0);
  for (guint c = 0; c < ncols; c++)
    {
      double base = (double) pango_layout_get_baseline (layouts->pdata[c]) / PANGO_SCALE;
      cairo_move_to (d->cr, x + pad, y0 + pad + top - base);
      pango_cairo_show_layout (d->cr, layouts->pdata[c]);
      x += content_w (d) * fractions[c];
    }
  cairo_set_line_width (d->cr, 0.8);
  cairo_rectangle (d->cr, d->left, y0, content_w (d), h);
  x = d->left;
  for (guint c = 0; c + 1 < ncols; c++)
    {
      x += content_w (d) * fractions[c];
      cairo_move_to (d->cr, x, y0);
      cairo_line_to (d->cr, x, y0 + h);
    }
  cairo_stroke (d->cr);
  d->y = y0 + h;
}

/* A bordered table with a shaded header row; @fractions are the column
 * widths as parts of the content width; @cells holds the rows' texts, row
 * by row. A row that does not fit on the page starts the next one, under
 * the header again. On the roll each row is a block: the first two columns
 * (number and name) in bold, then "header：value" lines. */
static void
grid_table (Doc *d, const char *const *headers, const double *fractions, guint ncols, GPtrArray *cells)
{
  guint nrows = cells->len / ncols;

  if (d->roll)
    {
      for (guint r = 0; r < nrows; r++)
        {
          g_autofree char *title = ncols > 1 ? g_strdup_printf ("%s. %s", (char *) cells->pdata[r * ncols],
                                                                (char *) cells->pdata[r * ncols + 1])
                                             : g_strdup (cells->pdata[r * ncols]);
          text_at (d, &S_LABEL, d->left, content_w (d), title);
          for (guint c = 2; c < ncols; c++)
            {
              g_autofree char *line = g_strdup_printf ("%s：%s", headers[c], (char *) cells->pdata[r * ncols + c]);
              text_at (d, &S_CELL, d->left + MM (2), content_w (d) - MM (2), line);
            }
          d->y += 3;
          hrule (d, 0.4, 0.5, 0.5, 0.5);
          d->y += 3;
        }
      return;
    }

  for (guint r = 0; r <= nrows; r++)
    {
      const char *const *texts = r == 0 ? headers : (const char *const *) &cells->pdata[(r - 1) * ncols];
      g_autoptr (GPtrArray) layouts = g_ptr_array_new_with_free_func (g_object_unref);
      double h = grid_row_layouts (d, texts, fractions, ncols, r == 0, layouts);
      int page = d->page;

      ensure_space (d, h);
      if (r > 0 && d->page != page)
        {
          g_autoptr (GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);
          double hh = grid_row_layouts (d, headers, fractions, ncols, TRUE, again);
          grid_row_draw (d, again, fractions, ncols, hh, TRUE);
        }
      grid_row_draw (d, layouts, fractions, ncols, h, r == 0);
    }
}

/* 容缺受理通知书: each owed material, how to supply it and by when, and
 * what happens if it is late (the catalog's deferral rule). */
static gboolean
render_deferral_notice (Doc *d, JsonObject *o, GError **error)
{
  static const char *const headers[] = { "序号", "所缺材料", "补交方式", "补交期限" };
  static const double fractions[] = { 0.08, 0.31, 0.37, 0.24 };
  const char *case_no, *item, *name, *station, *consequence;
  JsonArray *owed = jarr (o, "materials_owed");
  g_autoptr (GArray) rows = rows_new ();
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = NULL;
  g_autofree char *accepted = NULL;
  g_autofree char *case_line = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *issued = NULL;
  Style body = S_BODY, right = S_CELL;
  int promised_ymd = 0;
  gboolean has_promised;
  gboolean provisional = jbool (o, "provisional");

  if (!need_str (o, "case_number", &case_no, error) || !need_str (o, "item_name", &item, error)
      || !need_str (o, "applicant_name", &name, error) || !need_str (o, "station", &station, error)
      || !need_str (o, "consequence", &consequence, error))
    return FALSE;
  if (owed == NULL || json_array_get_length (owed) == 0)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                   "field 'materials_owed' (a list of at least one {name, how, deadline}) is required");
      return FALSE;
    }
  has_promised = jstr (o, "promised_date") != NULL;
  if (has_promised && !iso_date (jstr (o, "promised_date"), &promised_ymd))
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                   "field 'promised_date' is not a date (YYYY-MM-DD)");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (owed); i++)
    {
      JsonNode *node = json_array_get_element (owed, i);
      JsonObject *m = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *mname, *how, *deadline;
      int ymd;

      if (m == NULL)
        {
          g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                       "'materials_owed[%u]' is not an object {name, how, deadline}", i);
          return FALSE;
        }
      if (!need_str (m, "name", &mname, error) || !need_str (m, "how", &how, error)
          || !need_str (m, "deadline", &deadline, error))
        {
          g_prefix_error (error, "'materials_owed[%u]': ", i);
          return FALSE;
        }
      if (!iso_date (deadline, &ymd))
        {
          g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                       "field 'materials_owed[%u].deadline' is not a date (YYYY-MM-DD)", i);
          return FALSE;
        }
      /* The deadline never passes the item's promised time limit. */
      if (has_promised && ymd > promised_ymd)
        {
          g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                       "field 'materials_owed[%u].deadline' is after 'promised_date': a deferral never passes the "
                       "promised time limit",
                       i);
          return FALSE;
        }
      g_ptr_array_add (cells, g_strdup_printf ("%u", i + 1));
      g_ptr_array_add (cells, g_strdup (mname));
      g_ptr_array_add (cells, g_strdup (how));
      {
        g_autofree char *date = cn_date (deadline);
        g_ptr_array_add (cells, g_strdup_printf ("%s前", date));
      }
    }

  if (!qr_heading (d, station, "容缺受理通知书", case_no, error))
    return FALSE;
  if (jobj (o, "reprint"))
    reprint_banner (d, jobj (o, "reprint"));
  if (provisional)
    provisional_banner (d);

  id = masked_id (jstr (o, "applicant_id_number"));
  rows_add (rows, "申请人", name);
  if (*id)
    rows_add (rows, "证件号码", id);
  if (jstr (o, "applicant_phone"))
    rows_add (rows, "联系电话", jstr (o, "applicant_phone"));
  rows_add (rows, "事项名称", item);
  case_line = g_strdup_printf ("%s%s", case_no, provisional ? "（临时编号，报送平台后生成正式编号）" : "");
  rows_add (rows, "受理编号", case_line);
  accepted = when_or_now (o, "accepted_at");
  rows_add (rows, "受理时间", accepted);
  if (jint (o, "time_limit_days", -1) >= 0 || jstr (o, "promised_date"))
    {
      g_autofree char *promised = promised_text (o);
      rows_add (rows, "承诺时限", promised);
    }
  kv_table (d, rows, 28);
  gap (d, 12);

  body.size = 12;
  para (d, &body,
        "\u3000\u3000您申请办理的上述事项，经审查，主要申请材料齐全、符合法定形式，所缺材料可以容缺后补，"
        "现予以容缺受理。请在下表所列期限内，按所列方式补齐以下材料：",
        8);
  grid_table (d, headers, fractions, G_N_ELEMENTS (headers), cells);
  gap (d, 10);
  {
    g_autofree char *late = g_strdup_printf ("\u3000\u3000逾期未补齐的后果：%s", consequence);
    para (d, &body, late, 4);
  }
  para (d, &body,
        "\u3000\u3000补交期限不超过本事项的承诺办结时限。补交材料时请携带本通知书和本人身份证件；"
        "材料补齐后，本单位按规定时限办结。",
        14);

  right.align = PANGO_ALIGN_RIGHT;
  {
    g_autofree char *date = cn_date (jstr (o, "accepted_at") ? jstr (o, "accepted_at") : "");
    g_autofree char *now = NULL;
    g_autofree char *day = NULL;
    if (*date == '\0')
      {
        now = now_string ();
        g_free (date);
        date = cn_date (now);
      }
    /* The date without its time, under the issuing station. */
    day = g_strndup (date, strcspn (date, " "));
    issued = jstr (o, "office_phone") && *jstr (o, "office_phone")
                 ? g_strdup_printf ("受理单位：%s\n咨询电话：%s\n%s", station, jstr (o, "office_phone"), day)
                 : g_strdup_printf ("受理单位：%s\n%s", station, day);
  }
  ensure_space (d, MM (24));
  para (d, &right, issued, 12);

  caption = g_strdup_printf ("扫描%s二维码（%s），或在自助终端“进度查询”中输入受理编号，可查询办理进度和待补材料。"
                             "本通知书由自助服务终端打印，请妥善保管。",
                             d->roll ? "上方" : "右上角", provisional ? "临时受理编号" : "受理编号");
  return qr_footer (d, case_no, caption, error);
}

static void
reprint_mark (Doc *d, JsonObject *reprint, const char *reason)
{
  g_autofree char *when = cn_date (jstr (reprint, "at"));
  g_autofree char *text = NULL;
  gint64 n = jint (reprint, "count", 1);
  PangoLayout *layout;
  double w = d->roll ? content_w (d) : MM (52), h, x = d->page_w - d->right - w, y = d->roll ? d->y : MM (12);
  Style st = { SANS, 10, PANGO_WEIGHT_BOLD, PANGO_ALIGN_CENTER, 1.1, 0.75, 0, 0 };

  text = reason && *reason
             ? g_strdup_printf ("补打件（第 %" G_GINT64_FORMAT " 次补打）\n%s\n补打原因：%s", n, when, reason)
             : g_strdup_printf ("补打件（第 %" G_GINT64_FORMAT " 次补打）\n%s", n, when);
  layout = make_layout (d, &st, w - 8, text);
  h = layout_height (layout) + 8;
  cairo_set_source_rgb (d->cr, 0.75, 0, 0);
  cairo_set_line_width (d->cr, 1.2);
  cairo_rectangle (d->cr, x, y, w, h);
  cairo_stroke (d->cr);
  cairo_move_to (d->cr, x + 4, y + 4);
  pango_cairo_show_layout (d->cr, layout);
  g_object_unref (layout);
  if (d->roll)
    d->y += h + 6;
}

static gboolean
render_certificate (Doc *d, JsonObject *o, GError **error)
{
  const char *title, *body, *issuer, *ref;
  g_autofree char *date = NULL;
  g_auto (GStrv) paras = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *payload = kiosk_print_qr_payload ("certificate", o);
  JsonObject *reprint = jobj (o, "reprint");
  Style body_st = S_BODY, right = S_BODY;

  /* Two faces only (Serif Regular and Bold): keeps a certificate small. */
  d->serif_only = TRUE;

  if (!need_str (o, "title", &title, error) || !need_str (o, "body", &body, error)
      || !need_str (o, "issuer", &issuer, error) || !need_str (o, "verification_ref", &ref, error))
    return FALSE;

  if (reprint)
    reprint_mark (d, reprint, jstr (o, "reprint_reason"));
  if (!d->roll)
    gap (d, 24);
  {
    Style st = S_TITLE;
    st.size = d->roll ? 20 : 26;
    para (d, &st, title, jstr (o, "watermark") ? (d->roll ? 4 : 8) : (d->roll ? 10 : 28));
  }
  /* The use the certificate is limited to (仅供办理政务服务事项时使用),
   * under the title and across the page behind the text. */
  if (jstr (o, "watermark"))
    {
      Style st = { SERIF, d->roll ? 9 : 11, PANGO_WEIGHT_BOLD, PANGO_ALIGN_CENTER, 1.0, 0.6, 0.1, 0.1 };
      g_autofree char *line = g_strdup_printf ("（%s）", jstr (o, "watermark"));
      PangoLayout *layout;
      para (d, &st, line, d->roll ? 8 : 22);
      if (!d->roll)
        {
          Style big = { SERIF, 40, PANGO_WEIGHT_BOLD, PANGO_ALIGN_CENTER, 1.0, 0.88, 0.88, 0.88 };
          cairo_save (d->cr);
          cairo_translate (d->cr, d->page_w / 2, d->page_h / 2);
          cairo_rotate (d->cr, -G_PI / 6);
          layout = make_layout (d, &big, d->page_w, jstr (o, "watermark"));
          set_colour (d, &big);
          cairo_move_to (d->cr, -d->page_w / 2, -layout_height (layout) / 2);
          pango_cairo_show_layout (d->cr, layout);
          g_object_unref (layout);
          cairo_restore (d->cr);
        }
    }
  if (jstr (o, "recipient"))
    {
      g_autofree char *to = g_strdup_printf ("%s：", jstr (o, "recipient"));
      para (d, &body_st, to, 4);
    }
  paras = g_strsplit (body, "\n", -1);
  for (int i = 0; paras[i]; i++)
    {
      g_autofree char *indented = NULL;
      g_strstrip (paras[i]);
      if (*paras[i] == '\0')
        continue;
      indented = g_strdup_printf ("\u3000\u3000%s", paras[i]);
      para (d, &body_st, indented, 6);
    }
  gap (d, d->roll ? 12 : 40);
  right.align = PANGO_ALIGN_RIGHT;
  date = cn_date (jstr (o, "issued_date"));
  {
    g_autofree char *sign = g_strdup_printf ("%s\n%s", issuer, date);
    para (d, &right, sign, d->roll ? 10 : 36);
  }
  if (!d->roll)
    {
      /* The verification block sits at the foot of the page. */
      double foot = d->page_h - d->bottom - MM (40);
      if (d->y < foot)
        d->y = foot;
      hrule (d, 0.6, 0.4, 0.4, 0.4);
      d->y += 6;
    }
  caption = g_strdup_printf ("验证编号：%s\n本证明由政务服务自助终端打印。扫描%s二维码或登录政务服务网“电子证明核验”，"
                             "输入验证编号，可核验本证明的真实性。%s",
                             ref, d->roll ? "上方" : "右侧", reprint ? "\n本件为补打件，以最近一次打印件为准。" : "");
  return qr_block (d, payload, caption, error);
}

typedef struct {
  const guchar *p;
  gsize left;
} PngSource;

static cairo_status_t
png_read_cb (void *closure, unsigned char *data, unsigned int length)
{
  PngSource *src = closure;

  if (length > src->left)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, src->p, length);
  src->p += length;
  src->left -= length;
  return CAIRO_STATUS_SUCCESS;
}

/* The signature pad's image: a few hundred pixels each way. Checked in the
 * PNG header before decoding, so a small file cannot unpack into gigabytes. */
#define SIGNATURE_MAX_SIDE 4096
#define SIGNATURE_MAX_PIXELS (4096 * 1024)
#define SIGNATURE_MAX_BYTES (768 * 1024)

static gboolean
png_size_ok (const guchar *p, gsize len, GError **error)
{
  static const guchar magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
  guint32 w, h;

  if (len < 24 || memcmp (p, magic, 8) != 0 || memcmp (p + 12, "IHDR", 4) != 0)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA, "the signature image is not a PNG");
      return FALSE;
    }
  w = (guint32) p[16] << 24 | (guint32) p[17] << 16 | (guint32) p[18] << 8 | p[19];
  h = (guint32) p[20] << 24 | (guint32) p[21] << 16 | (guint32) p[22] << 8 | p[23];
  if (w == 0 || h == 0 || w > SIGNATURE_MAX_SIDE || h > SIGNATURE_MAX_SIDE || (guint64) w * h > SIGNATURE_MAX_PIXELS)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG,
                   "the signature image is %u×%u pixels: at most %d each way and %d in all", w, h, SIGNATURE_MAX_SIDE,
                   SIGNATURE_MAX_PIXELS);
      return FALSE;
    }
  return TRUE;
}

static cairo_surface_t *
load_signature (Doc *d, JsonObject *o, GError **error)
{
  const char *b64 = jstr (o, "signature_png");
  const char *file = jstr (o, "signature_file");
  g_autofree guchar *bytes = NULL;
  gsize len = 0;
  cairo_surface_t *img;
  PngSource src;

  if (b64 && *b64)
    bytes = g_base64_decode (b64, &len);
  else if (file && *file)
    {
      g_autofree char *path = g_path_is_absolute (file) || d->base_dir == NULL
                                  ? g_strdup (file)
                                  : g_build_filename (d->base_dir, file, NULL);
      g_autoptr (GError) local = NULL;
      GStatBuf st;

      if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > SIGNATURE_MAX_BYTES)
        {
          g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG,
                       "the signature file is %lld bytes: at most %d", (long long) st.st_size, SIGNATURE_MAX_BYTES);
          return NULL;
        }
      if (!g_file_get_contents (path, (char **) &bytes, &len, &local))
        {
          g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA, "the signature file cannot be read: %s",
                       local->message);
          return NULL;
        }
    }
  else
    return NULL;
  if (len > SIGNATURE_MAX_BYTES)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG,
                   "the signature image is %" G_GSIZE_FORMAT " bytes: at most %d", len, SIGNATURE_MAX_BYTES);
      return NULL;
    }
  if (!png_size_ok (bytes, len, error))
    return NULL;
  src.p = bytes;
  src.left = len;
  img = cairo_image_surface_create_from_png_stream (png_read_cb, &src);
  if (img == NULL || cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                   "the signature image is not a readable PNG (%s)",
                   img ? cairo_status_to_string (cairo_surface_status (img)) : "no data");
      if (img)
        cairo_surface_destroy (img);
      return NULL;
    }
  return img;
}

static gboolean
render_proxy (Doc *d, JsonObject *o, GError **error)
{
  JsonObject *principal = jobj (o, "principal");
  JsonObject *agent = jobj (o, "agent");
  const char *item, *pname, *aname;
  g_autoptr (GArray) rows = rows_new ();
  g_autofree char *pid = NULL;
  g_autofree char *aid = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *period = NULL;
  g_autofree char *signed_at = NULL;
  g_autoptr (GError) sig_error = NULL;
  cairo_surface_t *sig;
  Style body = S_BODY;

  if (!need_str (o, "item_name", &item, error) || !need_str (principal, "name", &pname, error)
      || !need_str (agent, "name", &aname, error))
    {
      if (error && *error && (principal == NULL || agent == NULL))
        g_prefix_error (error, "'principal' and 'agent' objects: ");
      return FALSE;
    }
  sig = load_signature (d, o, &sig_error);
  if (sig_error)
    {
      g_propagate_error (error, g_steal_pointer (&sig_error));
      return FALSE;
    }

  heading (d, jstr (o, "station"), "代办服务委托书", 0, 0, 0);
  pid = masked_id (jstr (principal, "id_number"));
  aid = masked_id (jstr (agent, "id_number"));
  rows_add (rows, "委托人", pname);
  rows_add (rows, "委托人证件号码", pid);
  if (jstr (principal, "phone"))
    rows_add (rows, "委托人联系电话", jstr (principal, "phone"));
  rows_add (rows, "受托人（代办员）", aname);
  if (*aid)
    rows_add (rows, "受托人证件号码", aid);
  if (jstr (agent, "phone"))
    rows_add (rows, "受托人联系电话", jstr (agent, "phone"));
  rows_add (rows, "委托事项", item);
  if (jstr (o, "case_number"))
    rows_add (rows, "受理编号", jstr (o, "case_number"));
  scope = join_list (jarr (o, "scope"), TRUE);
  rows_add (rows, "委托权限", *scope ? scope : "代为提交申请材料、领取办理结果");
  {
    g_autofree char *from = cn_date (jstr (o, "period_from"));
    g_autofree char *to = cn_date (jstr (o, "period_to"));
    period = *from || *to ? g_strdup_printf ("自%s起至%s止", from, *to ? to : "事项办结") : g_strdup ("至事项办结止");
  }
  rows_add (rows, "委托期限", period);
  kv_table (d, rows, 36);
  gap (d, 12);

  body.size = 12;
  para (d, &body,
        "\u3000\u3000本人自愿委托上述受托人代为办理上述事项。受托人在委托权限内办理的相关事务，本人均予以承认，"
        "并承担相应的法律责任。本人已知悉该事项的办理流程、所需材料和承诺时限，所提供的材料真实有效。",
        4);
  para (d, &body,
        "\u3000\u3000受托人应当按照委托权限和期限办理，不得超越权限，不得收取法定费用以外的任何费用，"
        "并在办结后及时将办理结果和材料交还委托人。告知承诺书须由申请人本人签署，受托人不得代为承诺。",
        16);

  ensure_space (d, MM (40));
  {
    double y0 = d->y, sig_w = d->roll ? content_w (d) * 0.8 : MM (60), sig_h = MM (24);
    double x_sig = d->roll ? d->left : d->left + MM (38);
    text_at (d, &S_HEAD, d->left, d->roll ? content_w (d) : MM (40), "委托人（签字）：");
    if (d->roll)
      d->y += 2;
    if (sig)
      {
        double iw = cairo_image_surface_get_width (sig), ih = cairo_image_surface_get_height (sig);
        double s = MIN (sig_w / iw, sig_h / ih);
        double yy = d->roll ? d->y : y0 - MM (4);
        cairo_save (d->cr);
        cairo_translate (d->cr, x_sig, yy);
        cairo_scale (d->cr, s, s);
        cairo_set_source_surface (d->cr, sig, 0, 0);
        cairo_paint (d->cr);
        cairo_restore (d->cr);
        d->y = d->roll ? yy + ih * s + 4 : MAX (d->y, yy + ih * s);
        cairo_surface_destroy (sig);
      }
    else if (d->roll)
      d->y += sig_h;
    if (!d->roll)
      {
        double x2 = d->left + content_w (d) / 2 + MM (10);
        double save = d->y;
        d->y = y0;
        text_at (d, &S_HEAD, x2, content_w (d) / 2 - MM (10), "受托人（签字）：");
        d->y = MAX (save, d->y) + 6;
      }
    else
      text_at (d, &S_HEAD, d->left, content_w (d), "受托人（签字）：\n\n");
  }
  signed_at = cn_date (jstr (o, "signed_at") ? jstr (o, "signed_at") : "");
  if (*signed_at == '\0')
    {
      g_autofree char *now = now_string ();
      g_free (signed_at);
      signed_at = cn_date (now);
    }
  {
    Style right = S_CELL;
    g_autofree char *line = g_strdup_printf ("签署时间：%s", signed_at);
    right.align = PANGO_ALIGN_RIGHT;
    gap (d, 8);
    para (d, &right, line, 8);
  }
  if (jstr (o, "case_number"))
    return qr_block (d, jstr (o, "case_number"),
                     "扫描二维码可查询本代办事项的办理进度。本委托书一式两份，委托人、受托人各执一份。", error);
  return TRUE;
}

static gboolean
render_guide (Doc *d, JsonObject *o, GError **error)
{
  const char *item;
  g_autoptr (GArray) rows = rows_new ();
  JsonArray *materials = jarr (o, "materials");
  JsonArray *steps = jarr (o, "steps");
  g_autofree char *title = NULL;
  gint64 days, stat;

  if (!need_str (o, "item_name", &item, error))
    return FALSE;
  title = g_strdup_printf ("办事指南\n%s", item);
  if (jstr (o, "guide_url") && !d->roll)
    {
      /* On A4 the QR code sits in the top corner, keeping the guide on one page. */
      double size = MM (24);
      if (!draw_qr (d, jstr (o, "guide_url"), d->page_w - d->right - size, d->top - MM (6), size, error))
        return FALSE;
      heading_full (d, jstr (o, "station"), title, size + MM (2), 0, 0, 0);
    }
  else
    heading (d, jstr (o, "station"), title, 0, 0, 0);

  if (jstr (o, "department"))
    rows_add (rows, "实施部门", jstr (o, "department"));
  if (jstr (o, "item_type"))
    rows_add (rows, "事项类型", jstr (o, "item_type"));
  days = jint (o, "time_limit_days", -1);
  stat = jint (o, "statutory_days", -1);
  if (days >= 0 || stat >= 0)
    {
      g_autofree char *a = days == 0  ? g_strdup ("即办")
                           : days > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT " 个工作日", days)
                                      : g_strdup ("—");
      g_autofree char *b
          = stat > 0 ? g_strdup_printf ("；法定时限 %" G_GINT64_FORMAT " 个工作日", stat) : g_strdup ("");
      g_autofree char *s = g_strdup_printf ("承诺时限 %s%s", a, b);
      rows_add (rows, "办理时限", s);
    }
  rows_add (rows, "收费标准", jstr (o, "fee") ? jstr (o, "fee") : "不收费");
  if (jstr (o, "handling"))
    rows_add (rows, "办理层级", jstr (o, "handling"));
  if (jstr (o, "where"))
    rows_add (rows, "办理地点", jstr (o, "where"));
  if (jstr (o, "phone"))
    rows_add (rows, "咨询电话", jstr (o, "phone"));
  if (jbool (o, "commitment"))
    rows_add (rows, "告知承诺", "本事项可选择告知承诺方式办理：由申请人本人签署告知承诺书后，可免于提交相应证明材料。");
  if (jstr (o, "legal_basis"))
    rows_add (rows, "设定依据", jstr (o, "legal_basis"));
  kv_table (d, rows, 26);
  gap (d, 14);

  para (d, &S_HEAD, "一、申请材料", 6);
  if (materials && json_array_get_length (materials) > 0)
    {
      g_autoptr (GArray) mrows = rows_new ();
      for (guint i = 0; i < json_array_get_length (materials); i++)
        {
          JsonNode *node = json_array_get_element (materials, i);
          JsonObject *m = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *name = m ? jstr (m, "name") : (JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL);
          g_autofree char *label = g_strdup_printf ("材料 %u", i + 1);
          g_autofree char *value = NULL;
          if (name == NULL)
            continue;
          value = jstr (m, "note") ? g_strdup_printf ("%s\n%s", name, jstr (m, "note")) : g_strdup (name);
          rows_add (mrows, g_intern_string (label), value);
        }
      kv_table (d, mrows, 20);
    }
  else
    para (d, &S_CELL, "无需提交材料。", 0);
  gap (d, 14);
  if (steps && json_array_get_length (steps) > 0)
    {
      g_autofree char *s = join_list (steps, TRUE);
      para (d, &S_HEAD, "二、办理流程", 6);
      para (d, &S_CELL, s, 14);
    }
  if (jstr (o, "notes"))
    {
      para (d, &S_HEAD, steps ? "三、注意事项" : "二、注意事项", 6);
      para (d, &S_CELL, jstr (o, "notes"), 14);
    }
  if (jstr (o, "guide_url") && d->roll)
    return qr_block (d, jstr (o, "guide_url"),
                     "扫描二维码查看本事项的完整办事指南和最新要求。\n一次性告知：以上为办理本事项所需的全部材料。",
                     error);
  para (d, &S_SMALL,
        jstr (o, "guide_url") ? "一次性告知：以上为办理本事项所需的全部材料。扫描右上角二维码可查看最新办事指南。"
                              : "一次性告知：以上为办理本事项所需的全部材料。",
        0);
  return TRUE;
}

static gboolean
render_test_page (Doc *d, JsonObject *o, GError **error)
{
  g_autoptr (GArray) rows = rows_new ();
  g_autofree char *when = NULL;
  g_autofree char *payload = kiosk_print_qr_payload ("test-page", o);
  double y0, w;

  heading (d, jstr (o, "station"), "打印机测试页", 0, 0, 0);
  rows_add (rows, "打印机", jstr (o, "printer_name") ? jstr (o, "printer_name") : "（未指定）");
  rows_add (rows, "打印机状态", jstr (o, "printer_state") ? jstr (o, "printer_state") : "（未知）");
  rows_add (rows, "终端编号", jstr (o, "kiosk_id") ? jstr (o, "kiosk_id") : "（未配置）");
  if (jstr (o, "station"))
    rows_add (rows, "服务站点", jstr (o, "station"));
  when = cn_date (jstr (o, "printed_at") ? jstr (o, "printed_at") : "");
  if (*when == '\0')
    {
      g_autofree char *now = now_string ();
      g_free (when);
      when = cn_date (now);
    }
  rows_add (rows, "打印时间", when);
  rows_add (rows, "软件版本", "kiosk " PACKAGE_VERSION);
  rows_add (rows, "纸张", d->roll ? "80 毫米卷纸" : "A4");
  kv_table (d, rows, 26);
  gap (d, 12);

  para (d, &S_HEAD, "字体测试", 4);
  para (d, &S_BODY, "宋体：政务服务一网通办，最多跑一次，就近办、马上办。", 2);
  {
    Style sans = S_BODY;
    sans.family = SANS;
    para (d, &sans, "黑体：ABCDEFGHIJKLM abcdefghijklm 0123456789 ，。；：“”（）", 10);
  }
  para (d, &S_HEAD, "灰度测试", 6);
  ensure_space (d, 30);
  y0 = d->y;
  w = content_w (d) / 10;
  for (int i = 0; i < 10; i++)
    {
      double v = i / 9.0;
      cairo_set_source_rgb (d->cr, v, v, v);
      cairo_rectangle (d->cr, d->left + i * w, y0, w, d->roll ? 14 : 22);
      cairo_fill (d->cr);
    }
  cairo_set_source_rgb (d->cr, 0, 0, 0);
  cairo_set_line_width (d->cr, 0.5);
  cairo_rectangle (d->cr, d->left, y0, content_w (d), d->roll ? 14 : 22);
  cairo_stroke (d->cr);
  d->y = y0 + (d->roll ? 14 : 22) + 12;
  if (!d->roll)
    {
      /* A frame at the printable edge shows clipping and skew. */
      cairo_set_line_width (d->cr, 0.5);
      cairo_rectangle (d->cr, MM (5), MM (5), d->page_w - MM (10), d->page_h - MM (10));
      cairo_stroke (d->cr);
    }
  return qr_block (d, payload, "扫描此二维码应得到“KIOSK-TEST-PAGE”开头的文字，用于检查打印清晰度。", error);
}

/* ---- caps ------------------------------------------------------------------- */

/* What a document can show. Layout time grows faster than the text (pango
 * lays a paragraph out as a whole), so each field and list is capped before
 * anything is drawn: a station name is a line or two of the header, a step a
 * few lines of the guide. The same table is in drivers/printer/README.md. */
typedef KioskPrintCap Cap;

#define DATE_CAP(key)    \
  {                      \
    key, 32, 1, 0, FALSE \
  }

static const Cap receipt_caps[] = {
  { "station", 64, 2, 0, FALSE },
  { "case_number", 64, 1, 0, TRUE },
  { "item_name", 200, 4, 0, FALSE },
  { "applicant_name", 64, 1, 0, FALSE },
  { "applicant_id_number", 32, 1, 0, FALSE },
  { "applicant_phone", 32, 1, 0, FALSE },
  { "materials_received[]", 100, 2, 20, FALSE },
  { "materials_received[].name", 100, 2, 0, FALSE },
  { "materials_owed[]", 0, 0, 10, FALSE },
  { "materials_owed[].name", 100, 2, 0, FALSE },
  { "materials_owed[].how", 100, 2, 0, FALSE },
  DATE_CAP ("materials_owed[].deadline"),
  DATE_CAP ("promised_date"),
  { "delivery.method", 16, 1, 0, FALSE },
  { "delivery.place", 200, 2, 0, FALSE },
  { "delivery.address", 200, 3, 0, FALSE },
  { "fee", 200, 3, 0, FALSE },
  { "office_phone", 32, 1, 0, FALSE },
  DATE_CAP ("accepted_at"),
  { "cross_region.scope", 16, 1, 0, FALSE },
  { "cross_region.region", 100, 2, 0, FALSE },
  { "cross_region.department", 100, 2, 0, FALSE },
  { NULL, 0, 0, 0, FALSE },
};

static const Cap deferral_caps[] = {
  { "station", 64, 2, 0, FALSE },
  { "case_number", 64, 1, 0, TRUE },
  { "item_name", 200, 4, 0, FALSE },
  { "applicant_name", 64, 1, 0, FALSE },
  { "applicant_id_number", 32, 1, 0, FALSE },
  { "applicant_phone", 32, 1, 0, FALSE },
  { "materials_owed[]", 0, 0, 10, FALSE },
  { "materials_owed[].name", 100, 2, 0, FALSE },
  { "materials_owed[].how", 100, 2, 0, FALSE },
  DATE_CAP ("materials_owed[].deadline"),
  { "consequence", 200, 4, 0, FALSE },
  DATE_CAP ("promised_date"),
  { "office_phone", 32, 1, 0, FALSE },
  DATE_CAP ("accepted_at"),
  { NULL, 0, 0, 0, FALSE },
};

static const Cap certificate_caps[] = {
  { "title", 64, 2, 0, FALSE },
  { "recipient", 100, 2, 0, FALSE },
  { "body", 1500, 30, 0, FALSE },
  { "issuer", 100, 3, 0, FALSE },
  DATE_CAP ("issued_date"),
  { "verification_ref", 64, 1, 0, TRUE },
  { "verify_url", 256, 1, 0, FALSE }, /* "" falls back to verification_ref */
  { "watermark", 32, 1, 0, FALSE },
  { "reprint_reason", 100, 2, 0, FALSE },
  DATE_CAP ("reprint.at"),
  { NULL, 0, 0, 0, FALSE },
};

static const Cap proxy_caps[] = {
  { "station", 64, 2, 0, FALSE },
  { "item_name", 200, 4, 0, FALSE },
  { "principal.name", 64, 1, 0, FALSE },
  { "principal.id_number", 32, 1, 0, FALSE },
  { "principal.phone", 32, 1, 0, FALSE },
  { "agent.name", 64, 1, 0, FALSE },
  { "agent.id_number", 32, 1, 0, FALSE },
  { "agent.phone", 32, 1, 0, FALSE },
  { "case_number", 64, 1, 0, TRUE },
  { "scope[]", 200, 2, 10, FALSE },
  { "scope[].name", 200, 2, 0, FALSE },
  DATE_CAP ("period_from"),
  DATE_CAP ("period_to"),
  DATE_CAP ("signed_at"),
  { "signature_png", 1024 * 1024, 0, 0, FALSE },
  { "signature_file", 4096, 1, 0, FALSE },
  { NULL, 0, 0, 0, FALSE },
};

static const Cap guide_caps[] = {
  { "station", 64, 2, 0, FALSE },
  { "item_name", 200, 4, 0, FALSE },
  { "department", 100, 2, 0, FALSE },
  { "item_type", 50, 1, 0, FALSE },
  { "fee", 200, 3, 0, FALSE },
  { "handling", 200, 4, 0, FALSE },
  { "where", 200, 4, 0, FALSE },
  { "phone", 32, 1, 0, FALSE },
  { "legal_basis", 1000, 10, 0, FALSE },
  { "notes", 1000, 20, 0, FALSE },
  { "materials[]", 100, 2, 30, FALSE },
  { "materials[].name", 100, 2, 0, FALSE },
  { "materials[].note", 100, 2, 0, FALSE },
  { "steps[]", 200, 3, 20, FALSE },
  { "steps[].name", 200, 3, 0, FALSE },
  { "guide_url", 256, 1, 0, TRUE },
  { NULL, 0, 0, 0, FALSE },
};

static const Cap test_page_caps[] = {
  { "station", 64, 2, 0, FALSE },
  { "printer_name", 256, 1, 0, FALSE },
  { "printer_state", 64, 1, 0, FALSE },
  { "kiosk_id", 64, 1, 0, FALSE },
  DATE_CAP ("printed_at"),
  { NULL, 0, 0, 0, FALSE },
};

const KioskPrintCap *
kiosk_print_template_caps (const char *name)
{
  if (g_strcmp0 (name, "receipt") == 0)
    return receipt_caps;
  if (g_strcmp0 (name, "deferral-notice") == 0)
    return deferral_caps;
  if (g_strcmp0 (name, "certificate") == 0)
    return certificate_caps;
  if (g_strcmp0 (name, "proxy-authorisation") == 0)
    return proxy_caps;
  if (g_strcmp0 (name, "guide") == 0)
    return guide_caps;
  if (g_strcmp0 (name, "test-page") == 0)
    return test_page_caps;
  return NULL;
}

/* Lines as pango breaks them: \n, \r, U+2028, U+2029 (a CR LF counts twice:
 * a cap, not a layout). */
static guint
count_lines (const char *s)
{
  guint n = 1;

  for (const char *p = s; *p; p++)
    if (*p == '\n' || *p == '\r' || (p[0] == '\xE2' && p[1] == '\x80' && (p[2] == '\xA8' || p[2] == '\xA9')))
      n++;
  return n;
}

/* The first character of @s that has no place on paper, or 0: C0 controls
 * but tab and the line breaks, DEL, C1 controls, and the bidirectional
 * embeddings, overrides and isolates (U+202A-202E, U+2066-2069), which
 * can make a printed case number or name read differently from its text. */
static gunichar
first_control_char (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E)
          || (c >= 0x2066 && c <= 0x2069))
        return c;
    }
  return 0;
}

static gboolean
check_string (const char *template_name, const char *label, JsonNode *node, const Cap *cap, GError **error)
{
  const char *s;
  glong chars;
  guint lines;
  gunichar bad;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return TRUE; /* not a string: the template ignores it */
  s = json_node_get_string (node);
  if (s == NULL)
    return TRUE;
  bad = first_control_char (s);
  if (bad)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                   "field '%s' contains the control character U+%04X: printed text takes none", label, bad);
      return FALSE;
    }
  if (cap->nonempty && *s == '\0')
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA,
                   "field '%s' is empty: it is the QR code's content (leave it out, or give the text)", label);
      return FALSE;
    }
  chars = g_utf8_strlen (s, -1);
  if ((gulong) chars > cap->max_chars)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG,
                   "field '%s' is %ld characters long: the %s shows at most %u", label, chars, template_name,
                   cap->max_chars);
      return FALSE;
    }
  lines = cap->max_lines ? count_lines (s) : 0;
  if (lines > cap->max_lines)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG,
                   "field '%s' has %u lines: the %s shows at most %u", label, lines, template_name, cap->max_lines);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
member (JsonObject *o, const char *key)
{
  return o && json_object_has_member (o, key) ? json_object_get_member (o, key) : NULL;
}

static gboolean
check_cap (const char *template_name, JsonObject *data, const Cap *cap, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (cap->path, ".", 2);
  gboolean is_list = g_str_has_suffix (parts[0], "[]");
  g_autofree char *key = is_list ? g_strndup (parts[0], strlen (parts[0]) - 2) : g_strdup (parts[0]);
  JsonNode *node = member (data, key);

  if (node == NULL)
    return TRUE;
  if (!is_list)
    {
      g_autofree char *label = NULL;
      if (parts[1] == NULL)
        return check_string (template_name, key, node, cap, error);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return TRUE;
      label = g_strdup_printf ("%s.%s", key, parts[1]);
      return check_string (template_name, label, member (json_node_get_object (node), parts[1]), cap, error);
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;
  {
    JsonArray *a = json_node_get_array (node);
    guint n = json_array_get_length (a);

    if (parts[1] == NULL && n > cap->max_items)
      {
        g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG,
                     "list '%s' has %u items: the %s shows at most %u", key, n, template_name, cap->max_items);
        return FALSE;
      }
    for (guint i = 0; i < n; i++)
      {
        JsonNode *item = json_array_get_element (a, i);
        g_autofree char *label = NULL;

        if (parts[1] == NULL)
          {
            if (cap->max_chars == 0)
              continue;
            label = g_strdup_printf ("%s[%u]", key, i);
            if (!check_string (template_name, label, item, cap, error))
              return FALSE;
          }
        else if (JSON_NODE_HOLDS_OBJECT (item))
          {
            label = g_strdup_printf ("%s[%u].%s", key, i, parts[1]);
            if (!check_string (template_name, label, member (json_node_get_object (item), parts[1]), cap, error))
              return FALSE;
          }
      }
  }
  return TRUE;
}

gboolean
kiosk_print_check_data (const char *template_name, JsonObject *data, GError **error)
{
  const Cap *caps = kiosk_print_template_caps (template_name);

  if (caps == NULL)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) templates);
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNKNOWN_TEMPLATE, "unknown template '%s' (known: %s)",
                   template_name ? template_name : "(null)", known);
      return FALSE;
    }
  for (const Cap *c = caps; data && c->path; c++)
    if (!check_cap (template_name, data, c, error))
      return FALSE;
  return TRUE;
}

/* ---- entry points --------------------------------------------------------- */

char *
kiosk_print_qr_payload (const char *template_name, JsonObject *data)
{
  if (g_strcmp0 (template_name, "receipt") == 0 || g_strcmp0 (template_name, "deferral-notice") == 0)
    return g_strdup (jstr (data, "case_number"));
  if (g_strcmp0 (template_name, "certificate") == 0)
    {
      if (jstr (data, "verify_url") && *jstr (data, "verify_url"))
        return g_strdup (jstr (data, "verify_url"));
      return g_strdup (jstr (data, "verification_ref"));
    }
  if (g_strcmp0 (template_name, "proxy-authorisation") == 0)
    return g_strdup (jstr (data, "case_number"));
  if (g_strcmp0 (template_name, "guide") == 0)
    return g_strdup (jstr (data, "guide_url"));
  if (g_strcmp0 (template_name, "test-page") == 0)
    return g_strdup_printf ("KIOSK-TEST-PAGE %s", jstr (data, "kiosk_id") ? jstr (data, "kiosk_id") : "-");
  return NULL;
}

typedef gboolean (*RenderFunc) (Doc *d, JsonObject *o, GError **error);

static RenderFunc
render_func (const char *name)
{
  if (g_strcmp0 (name, "receipt") == 0)
    return render_receipt;
  if (g_strcmp0 (name, "deferral-notice") == 0)
    return render_deferral_notice;
  if (g_strcmp0 (name, "certificate") == 0)
    return render_certificate;
  if (g_strcmp0 (name, "proxy-authorisation") == 0)
    return render_proxy;
  if (g_strcmp0 (name, "guide") == 0)
    return render_guide;
  if (g_strcmp0 (name, "test-page") == 0)
    return render_test_page;
  return NULL;
}

/* The longest roll document: PDF viewers and printers take pages up to
 * 200 inches (14400 pt). */
#define ROLL_MAX_LENGTH MM (2000)

static cairo_status_t
write_bytes_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
write_null_cb (void *closure, const unsigned char *data, unsigned int length)
{
  return CAIRO_STATUS_SUCCESS;
}

/* One pass: renders into a PDF of @page_h (points). Sets *@height to the
 * content height reached on the last page; FALSE with @error set on any
 * failure (a failed pass never leaves @error unset). */
static gboolean render_pass_to (RenderFunc fn, const char *template_name, JsonObject *o, KioskPaper paper,
                                const char *base_dir, double page_h, GByteArray *out, cairo_surface_t *raster,
                                double scale, KioskRenderStats *stats, double *height, GError **error);

static gboolean
render_pass (RenderFunc fn, const char *template_name, JsonObject *o, KioskPaper paper, const char *base_dir,
             double page_h, GByteArray *out, KioskRenderStats *stats, double *height, GError **error)
{
  return render_pass_to (fn, template_name, o, paper, base_dir, page_h, out, NULL, 1.0, stats, height, error);
}

/* The same pass drawing into @raster (an image surface @scale pixels per
 * point) instead of a PDF when @raster is given: the screen's preview. */
static gboolean
render_pass_to (RenderFunc fn, const char *template_name, JsonObject *o, KioskPaper paper, const char *base_dir,
                double page_h, GByteArray *out, cairo_surface_t *raster, double scale, KioskRenderStats *stats,
                double *height, GError **error)
{
  Doc d = { 0 };
  cairo_font_options_t *fo;
  cairo_status_t status;
  gboolean ok;
  g_autofree char *footer = NULL;

  d.paper = paper;
  d.roll = paper == KIOSK_PAPER_ROLL80;
  d.page_w = d.roll ? MM (80) : MM (210);
  d.page_h = page_h;
  d.left = d.right = d.roll ? MM (4) : MM (22);
  d.top = d.roll ? MM (4) : MM (22);
  d.bottom = d.roll ? MM (4) : MM (20);
  d.y = d.top;
  d.page = 1;
  d.base_dir = base_dir;
  if (g_strcmp0 (template_name, "guide") == 0)
    {
      footer = g_strdup_printf ("%s · 办事指南", jstr (o, "item_name") ? jstr (o, "item_name") : "");
      d.footer = footer;
    }
  else if (g_strcmp0 (template_name, "deferral-notice") == 0)
    {
      /* Each page names the case it belongs to (ten long materials take
       * more than one sheet). */
      footer = g_strdup_printf ("容缺受理通知书 · 受理编号 %s", jstr (o, "case_number") ? jstr (o, "case_number") : "");
      d.footer = footer;
    }

  if (raster)
    {
      d.surface = cairo_surface_reference (raster);
      d.cr = cairo_create (d.surface);
      cairo_set_source_rgb (d.cr, 1, 1, 1);
      cairo_paint (d.cr);
      cairo_scale (d.cr, scale, scale);
    }
  else
    {
      d.surface = cairo_pdf_surface_create_for_stream (out ? write_bytes_cb : write_null_cb, out, d.page_w, d.page_h);
      cairo_pdf_surface_restrict_to_version (d.surface, CAIRO_PDF_VERSION_1_5);
      cairo_pdf_surface_set_metadata (d.surface, CAIRO_PDF_METADATA_TITLE, kiosk_print_template_title (template_name));
      cairo_pdf_surface_set_metadata (d.surface, CAIRO_PDF_METADATA_CREATOR, "kiosk " PACKAGE_VERSION);
      d.cr = cairo_create (d.surface);
    }
  d.pango = pango_cairo_create_context (d.cr);
  fo = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (d.pango, fo);
  cairo_font_options_destroy (fo);
  {
    PangoLanguage *zh = pango_language_from_string ("zh-cn");
    pango_context_set_language (d.pango, zh);
  }

  ok = fn (&d, o, error);
  if (ok)
    {
      draw_footer (&d);
      if (raster == NULL)
        cairo_show_page (d.cr);
    }
  g_object_unref (d.pango);
  cairo_destroy (d.cr);
  if (raster == NULL)
    cairo_surface_finish (d.surface);
  cairo_surface_flush (d.surface);
  status = cairo_surface_status (d.surface);
  cairo_surface_destroy (d.surface);
  if (stats)
    {
      stats->pages = (guint) d.page;
      stats->unknown_glyphs = d.unknown_glyphs;
    }
  if (!ok)
    {
      /* Every template sets @error when it fails; never leave it unset. */
      if (error && *error == NULL)
        g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_RENDER, "%s: rendering failed", template_name);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_RENDER, "cairo: %s", cairo_status_to_string (status));
      return FALSE;
    }
  /* Pango measures in int units of 1/1024 pt: a layout taller than ~2 million
   * points wraps around to negative heights. */
  if (!isfinite (d.y) || d.y < d.top)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG,
                   "%s: the content is too long to lay out (height overflow)", template_name);
      return FALSE;
    }
  *height = d.y + d.bottom;
  return TRUE;
}

GBytes *
kiosk_print_render (const char *template_name, JsonObject *data, KioskPaper paper, const char *base_dir, GError **error)
{
  return kiosk_print_render_with_stats (template_name, data, paper, base_dir, NULL, error);
}

GBytes *
kiosk_print_render_with_stats (const char *template_name, JsonObject *data, KioskPaper paper, const char *base_dir,
                               KioskRenderStats *stats, GError **error)
{
  KioskRenderStats local = { 0 };
  RenderFunc fn = render_func (template_name);
  g_autoptr (GByteArray) out = NULL;
  g_autoptr (JsonObject) empty = NULL;
  double page_h = MM (297), height;

  if (fn == NULL)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) templates);
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNKNOWN_TEMPLATE, "unknown template '%s' (known: %s)",
                   template_name ? template_name : "(null)", known);
      return NULL;
    }
  if (data == NULL)
    {
      empty = json_object_new ();
      data = empty;
    }
  if (!kiosk_print_check_data (template_name, data, error))
    return NULL;
  if (paper == KIOSK_PAPER_ROLL80)
    {
      /* Measure on an endless page, then render on a page of that length. */
      if (!render_pass (fn, template_name, data, paper, base_dir, MM (5000), NULL, NULL, &page_h, error))
        return NULL;
      if (page_h > ROLL_MAX_LENGTH)
        {
          g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG,
                       "%s: %.0f mm of content, the roll takes at most %.0f mm: print it on A4", template_name,
                       page_h * 25.4 / 72.0, ROLL_MAX_LENGTH * 25.4 / 72.0);
          return NULL;
        }
    }
  out = g_byte_array_new ();
  if (!render_pass (fn, template_name, data, paper, base_dir, page_h, out, &local, &height, error))
    return NULL;
  if (local.unknown_glyphs > 0)
    g_warning ("%s: %u character(s) have no glyph in the installed fonts and print as boxes", template_name,
               local.unknown_glyphs);
  if (stats)
    *stats = local;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
kiosk_print_render_preview_png (const char *template_name, JsonObject *data, KioskPaper paper, double scale,
                                GError **error)
{
  RenderFunc fn = render_func (template_name);
  g_autoptr (GByteArray) png = NULL;
  cairo_surface_t *raster;
  double page_h = MM (297), height;
  gboolean ok;

  if (fn == NULL || data == NULL || paper != KIOSK_PAPER_A4 || scale <= 0 || scale > 4)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA, "%s: no A4 preview at this scale",
                   template_name ? template_name : "(null)");
      return NULL;
    }
  if (!kiosk_print_check_data (template_name, data, error))
    return NULL;
  raster = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (MM (210) * scale), (int) ceil (page_h * scale));
  ok = render_pass_to (fn, template_name, data, paper, NULL, page_h, NULL, raster, scale, NULL, &height, error);
  if (ok)
    {
      png = g_byte_array_new ();
      if (cairo_surface_write_to_png_stream (raster, write_bytes_cb, png) != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_RENDER, "%s: the preview could not be encoded",
                       template_name);
          ok = FALSE;
        }
    }
  cairo_surface_destroy (raster);
  return ok ? g_byte_array_free_to_bytes (g_steal_pointer (&png)) : NULL;
}

/* The nesting depth of JSON text, strings skipped; stops counting past
 * @max. */
static guint
json_depth (const char *text, gsize len, guint max)
{
  guint depth = 0, deepest = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len && deepest <= max; i++)
    {
      char c = text[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          depth++;
          deepest = MAX (deepest, depth);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return deepest;
}

gboolean
kiosk_print_json_depth_ok (const char *text, gsize len, guint max_depth)
{
  return json_depth (text, len, max_depth) <= max_depth;
}

/* json-glib 1.6 reads escapes it should refuse ("\\631" as an octal byte),
 * so a parsed string can be invalid UTF-8 although the text was valid:
 * every string and member name is checked (depth is already bounded). */
gboolean
kiosk_print_json_all_utf8 (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      const char *s = json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
      return s == NULL || g_utf8_validate (s, -1, NULL);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        if (!kiosk_print_json_all_utf8 (json_array_get_element (a, i)))
          return FALSE;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, o);
      while (json_object_iter_next (&iter, &name, &member))
        if (!g_utf8_validate (name, -1, NULL) || !kiosk_print_json_all_utf8 (member))
          return FALSE;
    }
  return TRUE;
}

JsonObject *
kiosk_print_parse_data (const char *text, gsize len, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  JsonNode *root;

  if (len > KIOSK_PRINT_DATA_MAX_BYTES)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG,
                   "%" G_GSIZE_FORMAT " bytes of data: at most %d", len, KIOSK_PRINT_DATA_MAX_BYTES);
      return NULL;
    }
  if (json_depth (text, len, KIOSK_PRINT_DATA_MAX_DEPTH) > KIOSK_PRINT_DATA_MAX_DEPTH)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG, "the data nests more than %d levels deep",
                   KIOSK_PRINT_DATA_MAX_DEPTH);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA, "not JSON: %s", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA, "the data must be a JSON object");
      return NULL;
    }
  if (!kiosk_print_json_all_utf8 (root))
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA, "a string in the data is not UTF-8");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

JsonObject *
kiosk_print_load_data (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  GStatBuf st;

  /* Look before reading: a data file is a few KB (a signature a few
   * hundred). */
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > KIOSK_PRINT_DATA_MAX_BYTES)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG, "%s: %lld bytes, data files take at most %d",
                   path, (long long) st.st_size, KIOSK_PRINT_DATA_MAX_BYTES);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  return kiosk_print_parse_data (text, len, error);
}
