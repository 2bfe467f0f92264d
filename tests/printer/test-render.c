/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer-test"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "print-document.h"
#include "printer-test-util.h"

/* Each template rendered to PDF (A4, and the 80 mm roll where it matters):
 * fonts embedded as subsets, the text extracts back without replacement
 * characters, no missing glyphs, the QR code decodes to the payload, and a
 * PNG of page 1 lands in tests/printer/output/ for people to look at. */

typedef struct {
  const char *template_name;
  KioskPaper paper;
  gboolean with_data;
  const char *const *expect;
  const char *const *forbid; /* personal data that must not appear in full */
} Case;

static const char *const receipt_expect[] = { "政务服务受理回执单",
                                              "LQ20261122-000123",
                                              "临时编号",
                                              "城乡居民养老保险参保登记",
                                              "张三丰",
                                              "1101**********1234",
                                              "居民户口簿",
                                              "银行卡复印件",
                                              "2026年11月25日",
                                              "3 个工作日",
                                              "鹿泉区上庄镇西龙贵村便民服务站",
                                              "0311-82012345",
                                              "2026年11月22日 10:15",
                                              "跨省通办",
                                              "河北省石家庄市鹿泉区",
                                              "鹿泉区社会保险事业服务中心",
                                              "容缺受理通知书",
                                              NULL };
static const char *const receipt_forbid[] = { "110101199003071234", NULL };
/* Issue 14: the 容缺受理通知书, every owed material with how and by when,
 * the consequence, the station and its phone; the provisional number
 * marked as such. */
static const char *const deferral_expect[] = { "容缺受理通知书",
                                               "鹿泉区上庄镇西龙贵村便民服务站",
                                               "LQ-XLG-01-20261122-000124K",
                                               "临时编号",
                                               "社会保障卡申领",
                                               "张三丰",
                                               "1101**********1234",
                                               "符合制卡要求的电子照片",
                                               "到本服务站自助拍照",
                                               "银行卡复印件",
                                               "2026年11月27日前",
                                               "逾期未补齐的后果",
                                               "逾期未补齐的按不予受理处理",
                                               "5 个工作日",
                                               "2026年11月29日",
                                               "0311-82012345",
                                               NULL };
static const char *const certificate_expect[]
    = { "养老待遇证明",        "有关单位",       "特此证明", "鹿泉区社会保险事业服务中心", "2026年11月22日",
        "YLZM-2026-8F3K-7Q2M", "贰佰壹拾伍元整", NULL };
static const char *const proxy_expect[]
    = { "代办服务委托书", "李秀英",         "王建国", "高龄津贴申领", "1301**********1226", "代为领取办理结果",
        "2026年12月31日", "委托人（签字）", NULL };
static const char *const proxy_forbid[] = { "130185193805121226", "130185198807093317", NULL };
static const char *const guide_expect[] = { "办事指南",
                                            "城乡居民养老保险参保登记",
                                            "人力资源和社会保障局",
                                            "居民身份证",
                                            "城乡居民基本养老保险参保登记表",
                                            "承诺时限 3 个工作日",
                                            "法定时限 5 个工作日",
                                            "一次性告知",
                                            "国发〔2014〕8号",
                                            NULL };
static const char *const test_page_expect[]
    = { "打印机测试页", "ipp://localhost:8631/ipp/print", "LQ-XLG-01", "字体测试", "灰度测试", NULL };
static const char *const test_page_plain_expect[] = { "打印机测试页", "未配置", NULL };

static const Case cases[] = {
  { "receipt", KIOSK_PAPER_A4, TRUE, receipt_expect, receipt_forbid },
  { "receipt", KIOSK_PAPER_ROLL80, TRUE, receipt_expect, receipt_forbid },
  { "deferral-notice", KIOSK_PAPER_A4, TRUE, deferral_expect, receipt_forbid },
  { "deferral-notice", KIOSK_PAPER_ROLL80, TRUE, deferral_expect, receipt_forbid },
  { "certificate", KIOSK_PAPER_A4, TRUE, certificate_expect, NULL },
  { "certificate", KIOSK_PAPER_ROLL80, TRUE, certificate_expect, NULL },
  { "proxy-authorisation", KIOSK_PAPER_A4, TRUE, proxy_expect, proxy_forbid },
  { "guide", KIOSK_PAPER_A4, TRUE, guide_expect, NULL },
  { "test-page", KIOSK_PAPER_A4, TRUE, test_page_expect, NULL },
  { "test-page", KIOSK_PAPER_A4, FALSE, test_page_plain_expect, NULL },
  { "test-page", KIOSK_PAPER_ROLL80, TRUE, test_page_expect, NULL },
};

static void
test_template (gconstpointer user_data)
{
  const Case *c = user_data;
  g_autoptr (JsonObject) data = c->with_data ? ptu_load_data (c->template_name) : NULL;
  g_autofree char *base = ptu_data_path ("");
  g_autofree char *stem
      = g_strdup_printf ("%s-%s%s", c->template_name, kiosk_paper_to_string (c->paper), c->with_data ? "" : "-nodata");
  g_autofree char *pdf_name = g_strdup_printf ("%s.pdf", stem);
  g_autofree char *png_name = g_strdup_printf ("%s.png", stem);
  g_autofree char *pdf_path = ptu_output_path (pdf_name);
  g_autofree char *png_path = ptu_output_path (png_name);
  g_autofree char *text = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *expected_qr = kiosk_print_qr_payload (c->template_name, data);
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GError) error = NULL;
  KioskRenderStats stats = { 0 };

  if (!ptu_have_tools ())
    return;
  pdf = kiosk_print_render_with_stats (c->template_name, data, c->paper, base, &stats, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  g_assert_cmpuint (stats.pages, >=, 1);
  /* A receipt and a deferral notice are one A4 sheet, QR code included. */
  if (c->paper == KIOSK_PAPER_A4
      && (g_str_equal (c->template_name, "receipt") || g_str_equal (c->template_name, "deferral-notice")))
    g_assert_cmpuint (stats.pages, ==, 1);
  g_assert_cmpuint (stats.unknown_glyphs, ==, 0);
  g_assert_true (g_file_set_contents (pdf_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes, %u page(s)", pdf_name, g_bytes_get_size (pdf), stats.pages);

  ptu_assert_fonts_embedded (pdf_path);
  text = ptu_pdf_text (pdf_path);
  ptu_assert_text_contains (text, c->expect);
  for (int i = 0; c->forbid && c->forbid[i]; i++)
    g_assert_null (strstr (text, c->forbid[i]));

  ptu_pdf_to_png (pdf_path, png_path, 110);
  if (expected_qr)
    {
      /* One page: the PNG made above is enough; else every page. */
      qr = stats.pages == 1 ? ptu_decode_qr (png_path) : ptu_decode_pdf_qr (pdf_path);
      g_assert_cmpstr (qr, ==, expected_qr);
    }
}

static void
test_reprint_mark (void)
{
  g_autoptr (JsonObject) data = ptu_load_data ("certificate");
  g_autoptr (JsonObject) mark = json_object_new ();
  g_autofree char *pdf_path = ptu_output_path ("certificate-reprint-a4.pdf");
  g_autofree char *png_path = ptu_output_path ("certificate-reprint-a4.png");
  g_autofree char *text = NULL;
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GError) error = NULL;
  const char *const expect[] = { "补打件", "第 2 次补打", "2026年11月23日 09:05", "以最近一次打印件为准", NULL };

  if (!ptu_have_tools ())
    return;
  json_object_set_int_member (mark, "count", 2);
  json_object_set_string_member (mark, "at", "2026-11-23T09:05");
  json_object_set_object_member (data, "reprint", g_steal_pointer (&mark));
  pdf = kiosk_print_render ("certificate", data, KIOSK_PAPER_A4, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (pdf_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  text = ptu_pdf_text (pdf_path);
  ptu_assert_text_contains (text, expect);
  ptu_pdf_to_png (pdf_path, png_path, 110);
}

/* Renders @template_name with @data to <output>/@stem.pdf and .png and
 * returns the PDF's text; the QR code must decode to the case number. */
static char *
render_text (const char *template_name, JsonObject *data, KioskPaper paper, const char *stem)
{
  g_autofree char *pdf_name = g_strdup_printf ("%s.pdf", stem);
  g_autofree char *png_name = g_strdup_printf ("%s.png", stem);
  g_autofree char *pdf_path = ptu_output_path (pdf_name);
  g_autofree char *png_path = ptu_output_path (png_name);
  g_autofree char *qr = NULL;
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GError) error = NULL;

  pdf = kiosk_print_render (template_name, data, paper, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (pdf_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  ptu_pdf_to_png (pdf_path, png_path, 110);
  qr = ptu_decode_qr (png_path);
  g_assert_cmpstr (qr, ==, json_object_get_string_member (data, "case_number"));
  return ptu_pdf_text (pdf_path);
}

/* Issue 14: a receipt with an official number and no cross-region handling
 * says neither "provisional" nor "通办"; posted results name the address;
 * the cross-region receipt names the handling region and department. */
static void
test_receipt_variants (void)
{
  g_autoptr (JsonObject) data = ptu_load_data ("receipt");
  g_autoptr (JsonObject) delivery = json_object_new ();
  g_autofree char *text = NULL;
  g_autofree char *plain = NULL;
  const char *const post_expect[] = { "ZW2026112200000123", "免费邮寄送达", "示例县示例镇示例村 1 组", NULL };

  if (!ptu_have_tools ())
    return;
  json_object_set_boolean_member (data, "provisional", FALSE);
  json_object_set_string_member (data, "case_number", "ZW2026112200000123");
  json_object_remove_member (data, "cross_region");
  json_object_set_string_member (delivery, "method", "post");
  json_object_set_string_member (delivery, "address", "示例县示例镇示例村 1 组");
  json_object_set_object_member (data, "delivery", g_steal_pointer (&delivery));
  text = render_text ("receipt", data, KIOSK_PAPER_A4, "receipt-official-post-a4");
  ptu_assert_text_contains (text, post_expect);
  plain = g_strdup (text);
  {
    char *w = plain;
    for (const char *r = plain; *r; r++)
      if (!g_ascii_isspace (*r))
        *w++ = *r;
    *w = '\0';
  }
  g_assert_null (strstr (plain, "临时"));
  g_assert_null (strstr (plain, "通办"));
  g_assert_null (strstr (plain, "承办地"));
}

/* Bad data in the new fields is refused with the field named. */
static void
test_receipt_bad_fields (void)
{
  static const struct {
    const char *json, *names;
  } bad[] = {
    { "{\"method\": \"drone\"}", "delivery.method" },
    { "{\"scope\": \"跨省通办\"}", "region" },
    { "{\"region\": \"河北省\"}", "scope" },
    { "true", "cross_region" },
    { "[{\"name\": \"照片\", \"deadline\": \"下周\"}]", "materials_owed[0].deadline" },
    { "[{\"name\": \"照片\", \"deadline\": \"2026-11-26\"}]", "promised_date" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) data = ptu_load_data ("receipt");
      g_autoptr (JsonNode) node = json_from_string (bad[i].json, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) pdf = NULL;

      json_object_set_member (data,
                              i == 0                  ? "delivery"
                              : bad[i].json[0] == '[' ? "materials_owed"
                                                      : "cross_region",
                              g_steal_pointer (&node));
      pdf = kiosk_print_render ("receipt", data, KIOSK_PAPER_A4, NULL, &error);
      g_assert_null (pdf);
      g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, bad[i].names));
    }
}

/* The 容缺受理通知书 needs every owed material with how and a real date,
 * never later than the promised date, and the consequence: each gap is
 * refused with the field named. */
static void
test_deferral_bad_data (void)
{
  static const struct {
    const char *member, *json, *names;
  } bad[] = {
    { "materials_owed", "[]", "materials_owed" },
    { "materials_owed", "\"照片\"", "materials_owed" },
    { "materials_owed", "[\"照片\"]", "materials_owed[0]" },
    { "materials_owed", "[{\"name\": \"照片\", \"deadline\": \"2026-11-27\"}]", "how" },
    { "materials_owed", "[{\"name\": \"照片\", \"how\": \"交至本站\"}]", "deadline" },
    { "materials_owed", "[{\"name\": \"照片\", \"how\": \"交至本站\", \"deadline\": \"2026-02-30\"}]",
      "materials_owed[0].deadline" },
    { "materials_owed", "[{\"name\": \"照片\", \"how\": \"交至本站\", \"deadline\": \"下周\"}]",
      "materials_owed[0].deadline" },
    { "materials_owed", "[{\"name\": \"照片\", \"how\": \"交至本站\", \"deadline\": \"2026-11-30\"}]",
      "promised_date" },
    { "promised_date", "\"2026-13-01\"", "promised_date" },
    { "consequence", "\"\"", "consequence" },
    { "station", "null", "station" },
    { "case_number", "\"\"", "case_number" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) data = ptu_load_data ("deferral-notice");
      g_autoptr (JsonNode) node = json_from_string (bad[i].json, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) pdf = NULL;

      g_assert_nonnull (node);
      json_object_set_member (data, bad[i].member, g_steal_pointer (&node));
      pdf = kiosk_print_render ("deferral-notice", data, i % 2 ? KIOSK_PAPER_ROLL80 : KIOSK_PAPER_A4, NULL, &error);
      g_assert_null (pdf);
      g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA);
      g_test_message ("%s: %s", bad[i].json, error->message);
      g_assert_nonnull (strstr (error->message, bad[i].names));
    }
  /* A deadline on the promised date itself is allowed. */
  {
    g_autoptr (JsonObject) data = ptu_load_data ("deferral-notice");
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) pdf = NULL;
    JsonArray *owed = json_object_get_array_member (data, "materials_owed");

    json_object_set_string_member (json_array_get_object_element (owed, 0), "deadline", "2026-11-29");
    pdf = kiosk_print_render ("deferral-notice", data, KIOSK_PAPER_A4, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (pdf);
  }
}

/* Printed text takes no control characters (terminal escapes, a NUL's
 * neighbours) and no bidirectional overrides, which can make a case number
 * read differently from its text: refused with the field named, in every
 * template; tabs and line breaks are text. */
static void
test_control_chars_refused (void)
{
  static const char *const controls[] = { "\x1B[2J", "\x01", "\x7F", "\xC2\x85", "\xE2\x80\xAE", "\xE2\x81\xA6" };
  static const struct {
    const char *template_name, *field;
  } fields[] = {
    { "receipt", "applicant_name" },        { "receipt", "case_number" }, { "deferral-notice", "item_name" },
    { "deferral-notice", "consequence" },   { "certificate", "body" },    { "guide", "notes" },
    { "proxy-authorisation", "item_name" }, { "test-page", "station" },
  };
  g_autofree char *base = ptu_data_path ("");

  for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
    for (gsize c = 0; c < G_N_ELEMENTS (controls); c++)
      {
        g_autoptr (JsonObject) data = ptu_load_data (fields[f].template_name);
        g_autofree char *text = g_strdup_printf ("张%s三", controls[c]);
        g_autoptr (GError) error = NULL;
        g_autoptr (GBytes) pdf = NULL;

        json_object_set_string_member (data, fields[f].field, text);
        g_assert_false (kiosk_print_check_data (fields[f].template_name, data, &error));
        g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA);
        g_assert_nonnull (strstr (error->message, fields[f].field));
        g_clear_error (&error);
        pdf = kiosk_print_render (fields[f].template_name, data, KIOSK_PAPER_A4, base, &error);
        g_assert_null (pdf);
        g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA);
      }
  {
    g_autoptr (JsonObject) data = ptu_load_data ("deferral-notice");
    g_autoptr (GError) error = NULL;

    json_object_set_string_member (data, "consequence", "逾期\t未补齐的，\n按不予受理处理。");
    g_assert_true (kiosk_print_check_data ("deferral-notice", data, &error));
    g_assert_no_error (error);
  }
}

/* A character no installed font has is caught (the tofu check can fail). */
static void
test_tofu_detected (void)
{
  g_autoptr (JsonObject) data = ptu_load_data ("receipt");
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GError) error = NULL;
  KioskRenderStats stats = { 0 };

  json_object_set_string_member (data, "applicant_name", "张\xEE\x80\x80"); /* U+E000, private use */
  g_test_expect_message ("kiosk-printer", G_LOG_LEVEL_WARNING, "*no glyph*");
  pdf = kiosk_print_render_with_stats ("receipt", data, KIOSK_PAPER_A4, NULL, &stats, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_nonnull (pdf); /* still printed: a box is better than no document */
  g_assert_cmpuint (stats.unknown_glyphs, >=, 1);
}

static void
test_bad_data (void)
{
  g_autoptr (JsonObject) data = ptu_load_data ("receipt");
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GError) error = NULL;

  json_object_remove_member (data, "case_number");
  pdf = kiosk_print_render ("receipt", data, KIOSK_PAPER_A4, NULL, &error);
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA);
  g_assert_null (pdf);
  g_assert_nonnull (strstr (error->message, "case_number"));
  g_clear_error (&error);

  pdf = kiosk_print_render ("no-such-template", NULL, KIOSK_PAPER_A4, NULL, &error);
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNKNOWN_TEMPLATE);
  g_assert_null (pdf);
  g_clear_error (&error);

  /* A broken signature image is refused, not silently left out. */
  data = (json_object_unref (data), ptu_load_data ("proxy-authorisation"));
  json_object_set_string_member (data, "signature_png", "bm90IGEgcG5n");
  pdf = kiosk_print_render ("proxy-authorisation", data, KIOSK_PAPER_A4, NULL, &error);
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA);
  g_assert_null (pdf);
}

/* The signature captured on screen arrives as base64 PNG and is embedded. */
static void
test_signature_base64 (void)
{
  g_autoptr (JsonObject) data = ptu_load_data ("proxy-authorisation");
  g_autofree char *sig_path = ptu_data_path ("signature.png");
  g_autofree char *png = NULL;
  g_autofree char *b64 = NULL;
  g_autoptr (GBytes) with = NULL;
  g_autoptr (GBytes) without = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (sig_path, &png, &len, NULL));
  b64 = g_base64_encode ((const guchar *) png, len);
  json_object_remove_member (data, "signature_file");
  without = kiosk_print_render ("proxy-authorisation", data, KIOSK_PAPER_A4, NULL, NULL);
  json_object_set_string_member (data, "signature_png", b64);
  with = kiosk_print_render ("proxy-authorisation", data, KIOSK_PAPER_A4, NULL, NULL);
  g_assert_nonnull (with);
  g_assert_nonnull (without);
  g_assert_nonnull (memmem (g_bytes_get_data (with, NULL), g_bytes_get_size (with), "/Subtype /Image", 15));
  g_assert_null (memmem (g_bytes_get_data (without, NULL), g_bytes_get_size (without), "/Subtype /Image", 15));
}

/* Issue #12.11: every field and list is capped to what the document can
 * show. One past any cap (characters, lines or items) is refused with
 * KIOSK_PRINT_ERROR_TOO_LONG naming the field, before anything is laid out;
 * everything at its caps renders on A4. */
static void
test_caps (gconstpointer user_data)
{
  const char *template_name = user_data;
  const KioskPrintCap *caps = kiosk_print_template_caps (template_name);
  g_autoptr (JsonObject) full = ptu_data_at_caps (template_name, NULL, 0);
  g_autofree char *base = ptu_data_path ("");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = NULL;
  KioskRenderStats stats = { 0 };
  guint refused = 0;

  g_assert_nonnull (caps);
  g_assert_true (kiosk_print_check_data (template_name, full, &error));
  g_assert_no_error (error);
  pdf = kiosk_print_render_with_stats (template_name, full, KIOSK_PAPER_A4, base, &stats, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  g_test_message ("%s at its caps: %u page(s)", template_name, stats.pages);

  for (const KioskPrintCap *c = caps; c->path; c++)
    {
      const char whats[] = { 'c', 'l', 'i' };
      for (gsize w = 0; w < G_N_ELEMENTS (whats); w++)
        {
          g_autoptr (JsonObject) over = NULL;
          g_autoptr (GError) e = NULL;
          g_autoptr (GBytes) none = NULL;
          g_autofree char *key = g_strndup (c->path, strcspn (c->path, "[."));

          if ((whats[w] == 'c' && c->max_chars == 0) || (whats[w] == 'l' && (c->max_lines == 0 || c->max_chars == 0))
              || (whats[w] == 'i' && c->max_items == 0))
            continue;
          over = ptu_data_at_caps (template_name, c->path, whats[w]);
          none = kiosk_print_render (template_name, over, KIOSK_PAPER_A4, base, &e);
          g_test_message ("%s %s +1 %c: %s", template_name, c->path, whats[w], e ? e->message : "(accepted)");
          g_assert_null (none);
          g_assert_error (e, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG);
          g_assert_nonnull (strstr (e->message, key));
          refused++;
        }
    }
  g_assert_cmpuint (refused, >, 0);
}

/* The sizes that took seconds to minutes in issue #12.11 are refused at
 * once, and the message says which field. */
static void
test_issue_sizes_refused (void)
{
  static const struct {
    const char *template_name, *field;
    guint chars, items;
  } sizes[] = {
    { "test-page", "station", 40000, 0 }, { "guide", "legal_basis", 80000, 0 },
    { "guide", "steps", 5, 200000 },      { "receipt", "materials_received", 3, 100000 },
    { "certificate", "body", 500000, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr (JsonObject) data = ptu_load_data (sizes[i].template_name);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) pdf = NULL;
      g_autofree char *text = ptu_text (sizes[i].chars, 1);

      if (sizes[i].items)
        {
          JsonArray *a = json_array_new ();
          for (guint k = 0; k < sizes[i].items; k++)
            json_array_add_string_element (a, text);
          json_object_set_array_member (data, sizes[i].field, a);
        }
      else
        json_object_set_string_member (data, sizes[i].field, text);
      pdf = kiosk_print_render (sizes[i].template_name, data, KIOSK_PAPER_A4, NULL, &error);
      g_assert_null (pdf);
      g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG);
      g_assert_nonnull (strstr (error->message, sizes[i].field));
    }
}

/* Issue #12.9: a station of 200,000 newlines made the render pass fail
 * without an error (a pango height overflow); callers then read
 * error->message from NULL. A failed render always sets the error. */
static void
test_newlines_station (void)
{
  const KioskPaper papers[] = { KIOSK_PAPER_A4, KIOSK_PAPER_ROLL80 };

  for (gsize p = 0; p < G_N_ELEMENTS (papers); p++)
    {
      g_autoptr (JsonObject) data = json_object_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) pdf = NULL;
      char *newlines = g_malloc (200001);

      memset (newlines, '\n', 200000);
      newlines[200000] = '\0';
      json_object_set_string_member (data, "station", newlines);
      g_free (newlines);
      pdf = kiosk_print_render ("test-page", data, papers[p], NULL, &error);
      g_assert_null (pdf);
      g_assert_nonnull (error);
      g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG);
      g_assert_nonnull (strstr (error->message, "station"));
    }
}

/* Issue #12.16: an empty QR payload is bad data (it was a zint failure,
 * KIOSK_PRINT_ERROR_RENDER); an empty verify_url falls back to the
 * verification reference as documented. */
static void
test_empty_qr_payload (void)
{
  static const struct {
    const char *template_name, *field;
  } bad[] = { { "guide", "guide_url" }, { "proxy-authorisation", "case_number" }, { "receipt", "case_number" } };
  g_autofree char *base = ptu_data_path ("");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) data = ptu_load_data (bad[i].template_name);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) pdf = NULL;

      json_object_set_string_member (data, bad[i].field, "");
      pdf = kiosk_print_render (bad[i].template_name, data, KIOSK_PAPER_A4, base, &error);
      g_assert_null (pdf);
      g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA);
      g_assert_nonnull (strstr (error->message, bad[i].field));
    }
  {
    g_autoptr (JsonObject) data = ptu_load_data ("certificate");
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) pdf = NULL;

    json_object_set_string_member (data, "verify_url", "");
    pdf = kiosk_print_render ("certificate", data, KIOSK_PAPER_A4, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (pdf);
  }
}

/* A signature PNG whose header claims 30000×30000 pixels is refused from
 * its header, before cairo allocates 3.6 GB for it. */
static void
test_signature_too_large (void)
{
  g_autoptr (JsonObject) data = ptu_load_data ("proxy-authorisation");
  g_autofree char *sig_path = ptu_data_path ("signature.png");
  g_autofree char *png = NULL;
  g_autofree char *b64 = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (sig_path, &png, &len, NULL));
  g_assert_cmpuint (len, >, 24);
  /* IHDR width and height, big-endian, at bytes 16 and 20 (the CRC is not
   * read before the size check). */
  for (int k = 0; k < 2; k++)
    {
      guint32 side = 30000;
      png[16 + 4 * k] = (char) (side >> 24);
      png[17 + 4 * k] = (char) (side >> 16);
      png[18 + 4 * k] = (char) (side >> 8);
      png[19 + 4 * k] = (char) side;
    }
  b64 = g_base64_encode ((const guchar *) png, len);
  json_object_remove_member (data, "signature_file");
  json_object_set_string_member (data, "signature_png", b64);
  pdf = kiosk_print_render ("proxy-authorisation", data, KIOSK_PAPER_A4, NULL, &error);
  g_assert_null (pdf);
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "30000"));
}

/* A capped guide is longer than a roll takes: refused, not a 3 m page. */
static void
test_roll_too_long (void)
{
  g_autoptr (JsonObject) data = ptu_data_at_caps ("guide", NULL, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = kiosk_print_render ("guide", data, KIOSK_PAPER_ROLL80, NULL, &error);

  g_assert_null (pdf);
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "A4"));
}

/* Print data nested deeper than it can be (a 2 MB file of '[' overflowed
 * json-glib's recursive parser: SIGSEGV) is refused before parsing; the
 * depth counter skips brackets inside strings. */
static void
test_deep_nesting (void)
{
  gsize n = 1000000;
  GString *deep = g_string_new ("{\"station\":");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) o = NULL;
  g_autofree char *text = NULL;

  for (gsize i = 0; i < n; i++)
    g_string_append_c (deep, '[');
  for (gsize i = 0; i < n; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  text = g_string_free (deep, FALSE);
  o = kiosk_print_parse_data (text, strlen (text), &error);
  g_assert_null (o);
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* At the limit, and brackets in strings do not count. */
  {
    GString *ok = g_string_new ("{\"station\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\",\"x\":");
    g_autofree char *t = NULL;
    for (int i = 0; i < KIOSK_PRINT_DATA_MAX_DEPTH - 1; i++)
      g_string_append_c (ok, '[');
    for (int i = 0; i < KIOSK_PRINT_DATA_MAX_DEPTH - 1; i++)
      g_string_append_c (ok, ']');
    g_string_append_c (ok, '}');
    t = g_string_free (ok, FALSE);
    g_clear_pointer (&o, json_object_unref);
    o = kiosk_print_parse_data (t, strlen (t), &error);
    g_assert_no_error (error);
    g_assert_nonnull (o);
    g_assert_cmpstr (json_object_get_string_member (o, "station"), ==, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"[[[[");
  }
  /* Not JSON, not an object: bad data. */
  g_clear_pointer (&o, json_object_unref);
  o = kiosk_print_parse_data ("[1]", 3, &error);
  g_assert_null (o);
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA);
  g_clear_error (&error);
  o = kiosk_print_parse_data ("{\"a\":", 5, &error);
  g_assert_null (o);
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA);
}

/* A data file over the size limit is refused before it is parsed. */
static void
test_data_file_too_large (void)
{
  g_autofree char *path = ptu_output_path ("too-large.json");
  g_autoptr (GString) s = g_string_new ("{\"station\":\"");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) o = NULL;

  while (s->len <= KIOSK_PRINT_DATA_MAX_BYTES)
    g_string_append (s, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (s, "\"}");
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  o = kiosk_print_load_data (path, &error);
  g_assert_null (o);
  g_assert_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG);
  g_remove (path);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path
          = g_strdup_printf ("/printer/render/%s/%s%s", cases[i].template_name, kiosk_paper_to_string (cases[i].paper),
                             cases[i].with_data ? "" : "-nodata");
      g_test_add_data_func (path, &cases[i], test_template);
    }
  g_test_add_func ("/printer/render/reprint-mark", test_reprint_mark);
  g_test_add_func ("/printer/render/tofu-detected", test_tofu_detected);
  g_test_add_func ("/printer/render/bad-data", test_bad_data);
  g_test_add_func ("/printer/render/receipt-variants", test_receipt_variants);
  g_test_add_func ("/printer/render/receipt-bad-fields", test_receipt_bad_fields);
  g_test_add_func ("/printer/render/deferral-bad-data", test_deferral_bad_data);
  g_test_add_func ("/printer/render/control-chars-refused", test_control_chars_refused);
  g_test_add_func ("/printer/render/signature-base64", test_signature_base64);
  for (const char *const *t = kiosk_print_templates (); *t; t++)
    {
      g_autofree char *path = g_strdup_printf ("/printer/render/caps/%s", *t);
      g_test_add_data_func (path, *t, test_caps);
    }
  g_test_add_func ("/printer/render/issue-sizes-refused", test_issue_sizes_refused);
  g_test_add_func ("/printer/render/newlines-station", test_newlines_station);
  g_test_add_func ("/printer/render/empty-qr-payload", test_empty_qr_payload);
  g_test_add_func ("/printer/render/signature-too-large", test_signature_too_large);
  g_test_add_func ("/printer/render/roll-too-long", test_roll_too_long);
  g_test_add_func ("/printer/render/data-file-too-large", test_data_file_too_large);
  g_test_add_func ("/printer/render/deep-nesting", test_deep_nesting);
  return g_test_run ();
}
