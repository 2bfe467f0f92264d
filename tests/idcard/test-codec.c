/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SAM codec: the vendor sheet's own example frames, built frames for
 * every card type and status, every malformed case the domain file lists,
 * and the exact JSON of `kioskctl idcard decode`. */
#include "config.h"

#include <string.h>

#include "idcard-json.h"
#include "sam-codec.h"

static GByteArray *
hex (const char *text)
{
  GByteArray *a = g_byte_array_new ();
  int hi = -1;

  for (const char *p = text; *p; p++)
    {
      int v = g_ascii_xdigit_value (*p);
      if (v < 0)
        continue;
      if (hi < 0)
        hi = v;
      else
        {
          guint8 b = (guint8) (hi << 4 | v);
          g_byte_array_append (a, &b, 1);
          hi = -1;
        }
    }
  g_assert_cmpint (hi, <, 0);
  return a;
}

static char *
to_hex (const guint8 *p, gsize n)
{
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, "%02X%s", p[i], (i % 32 == 31) ? "\n" : " ");
  return g_string_free (s, FALSE);
}

static char *
fixture_path (const char *name)
{
  return g_build_filename (g_getenv ("KIOSK_SOURCE_DIR") ? g_getenv ("KIOSK_SOURCE_DIR") : KIOSK_SOURCE_DIR, "drivers",
                           "idcard", "fixtures", name, NULL);
}

static SamCard *
load_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr (GError) error = NULL;
  SamCard *c = idcard_card_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

/* decode via the kioskctl function; returns exit code, sets json */
static int
decode_bytes (const guint8 *p, gsize n, char **json)
{
  g_autofree char *h = to_hex (p, n);
  return idcard_decode_hex (h, json);
}

/* ---- the vendor sheet ---------------------------------------------------- */

static void
test_vendor_commands (void)
{
  static const struct {
    guint8 cmd, para;
    const char *frame;
  } cases[] = {
    { 0x11, 0xFF, "AA AA AA 96 69 00 03 11 FF ED" }, { 0x12, 0xFF, "AA AA AA 96 69 00 03 12 FF EE" },
    { 0x20, 0x01, "AA AA AA 96 69 00 03 20 01 22" }, { 0x20, 0x02, "AA AA AA 96 69 00 03 20 02 21" },
    { 0x30, 0x01, "AA AA AA 96 69 00 03 30 01 32" }, { 0x30, 0x10, "AA AA AA 96 69 00 03 30 10 23" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GByteArray) want = hex (cases[i].frame);
      guint8 out[16];
      gsize n = sam_build_command (cases[i].cmd, cases[i].para, NULL, 0, out);
      g_assert_cmpmem (out, n, want->data, want->len);
    }
}

static void
test_vendor_replies (void)
{
  g_autoptr (GByteArray) status = hex ("AA AA AA 96 69 00 04 00 00 90 94");
  g_autoptr (GByteArray) find = hex ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
  g_autoptr (GByteArray) select = hex ("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C");
  /* The SAM id reply as the sheet prints it. */
  g_autoptr (GByteArray) samid
      = hex ("AA AA AA 96 69 00 14 00 00 90 05 00 01 00 09 B8 32 01 05 BE 12 00 AD C5 B1 11 63");
  g_autofree char *id = NULL;
  SamReply r;

  g_assert_cmpint (sam_parse_frame (status->data, status->len, &r), ==, SAM_PARSE_OK);
  g_assert_cmphex (r.sw3, ==, 0x90);
  g_assert_cmpuint (r.data_len, ==, 0);
  g_assert_true (sam_reply_fits (SAM_CMD_STATUS, &r));

  g_assert_cmpint (sam_parse_frame (find->data, find->len, &r), ==, SAM_PARSE_OK);
  g_assert_cmphex (r.sw3, ==, 0x9F);
  g_assert_cmpuint (r.data_len, ==, 4);
  g_assert_true (sam_reply_fits (SAM_CMD_FIND, &r));
  g_assert_false (sam_reply_fits (SAM_CMD_SELECT, &r));

  g_assert_cmpint (sam_parse_frame (select->data, select->len, &r), ==, SAM_PARSE_OK);
  g_assert_cmphex (r.sw3, ==, 0x90);
  g_assert_cmpuint (r.data_len, ==, 8);
  g_assert_true (sam_reply_fits (SAM_CMD_SELECT, &r));
  /* A reply to a different command. */
  g_assert_false (sam_reply_fits (SAM_CMD_FIND, &r));
  g_assert_false (sam_reply_fits (SAM_CMD_READ, &r));
  g_assert_false (sam_reply_fits (SAM_CMD_STATUS, &r));

  g_assert_cmpint (sam_parse_frame (samid->data, samid->len, &r), ==, SAM_PARSE_OK);
  g_assert_cmpuint (r.data_len, ==, 16);
  g_assert_true (sam_reply_fits (SAM_CMD_SAM_ID, &r));
  id = sam_format_sam_id (r.data, r.data_len);
  g_assert_cmpstr (id, ==, "05.01-20101129-0001228293-0296863149");
}

static void
test_vendor_read_layout (void)
{
  g_autoptr (SamCard) c = load_fixture ("resident.json");
  g_autoptr (GByteArray) f = sam_build_read_reply (c, FALSE, NULL);
  g_autoptr (GByteArray) fp = NULL;
  g_autoptr (GByteArray) head = hex ("AA AA AA 96 69 05 08 00 00 90 01 00 04 00");
  g_autoptr (GByteArray) head_fp = hex ("AA AA AA 96 69 09 0A 00 00 90 01 00 04 00 04 00");
  g_autoptr (SamCard) elder = load_fixture ("resident-elder.json");

  g_assert_cmpuint (f->len, ==, 1295);
  g_assert_cmpmem (f->data, head->len, head->data, head->len);
  fp = sam_build_read_reply (elder, TRUE, NULL);
  g_assert_cmpuint (fp->len, ==, 2321);
  g_assert_cmpmem (fp->data, head_fp->len, head_fp->data, head_fp->len);
}

/* ---- statuses ----------------------------------------------------------- */

static void
test_every_status (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sam_all_statuses); i++)
    {
      guint8 sw3 = sam_all_statuses[i];
      g_autoptr (GByteArray) f = sam_build_reply (0, 0, sw3, NULL, 0);
      g_autofree char *json = NULL;
      g_autofree char *want = NULL;
      int rc = decode_bytes (f->data, f->len, &json);

      g_assert_cmpint (rc, ==, 2);
      g_assert_cmpstr (sam_status_describe (sw3), !=, "unknown status");
      if (sw3 == 0x90 || sw3 == 0x9F)
        {
          /* Success statuses without a text block: not a read reply. */
          g_assert_true (g_str_has_prefix (json, "{\"error\":\"format\""));
          continue;
        }
      want = g_strdup_printf (
          "{\"error\":\"status\",\"sw3\":\"%02x\",\"message\":\"the reader reported status %02x: %s\"}", sw3, sw3,
          sam_status_describe (sw3));
      g_assert_cmpstr (json, ==, want);
    }
  /* SW1 SW2 may be anything ("XX XX 31" in the sheet). */
  {
    g_autoptr (GByteArray) f = sam_build_reply (0x12, 0x34, 0x31, NULL, 0);
    g_autofree char *json = NULL;
    g_assert_cmpint (decode_bytes (f->data, f->len, &json), ==, 2);
    g_assert_nonnull (strstr (json, "\"sw3\":\"31\""));
  }
  g_assert_cmpstr (sam_status_describe (0x55), ==, "unknown status");
}

/* ---- every card type: exact JSON ---------------------------------------- */

typedef struct {
  const char *fixture;
  gboolean fingerprints;
  const char *json;
} CardCase;

static const CardCase card_cases[] = {
  { "resident.json", FALSE,
    "{\"card_type\":\"resident\",\"name\":\"张三\",\"gender_code\":\"1\",\"gender\":\"男\",\"birth_date\":\"1990-01-"
    "01\","
    "\"id_number\":\"440304199001011233\",\"id_number_valid\":true,\"nation_code\":\"01\",\"nation\":\"汉\","
    "\"address\":\"广东省深圳市福田区测试路1号\",\"authority\":\"深圳市公安局福田分局\",\"valid_from\":\"2015-06-01\","
    "\"valid_to\":\"2035-06-01\",\"has_fingerprint\":false}" },
  { "resident-elder.json", TRUE,
    "{\"card_type\":\"resident\",\"name\":\"欧阳秀兰\",\"gender_code\":\"2\",\"gender\":\"女\",\"birth_date\":\"1949-"
    "12-31\","
    "\"id_number\":\"11010519491231002X\",\"id_number_valid\":true,\"nation_code\":\"03\",\"nation\":\"回\","
    "\"address\":\"北京市朝阳区演示街道示例小区3号楼2单元101室\",\"authority\":\"北京市公安局朝阳分局\","
    "\"valid_from\":\"2010-03-01\",\"valid_to\":\"长期\",\"has_fingerprint\":true}" },
  { "foreign-2017.json", FALSE,
    "{\"card_type\":\"foreign_2017\",\"name\":\"史密斯\",\"name_en\":\"SMITH, JOHN WILLIAM\",\"gender_code\":\"1\","
    "\"gender\":\"男\",\"birth_date\":\"1980-07-04\",\"id_number\":\"USA110080070401\",\"id_number_valid\":true,"
    "\"nationality\":\"USA\",\"valid_from\":\"2018-05-20\",\"valid_to\":\"2028-05-20\",\"has_fingerprint\":false,"
    "\"card_version\":\"01\",\"authority_code\":\"1500\"}" },
  { "foreign-2023.json", FALSE,
    "{\"card_type\":\"foreign_2023\",\"name\":\"玛丽亚\",\"name_en\":\"GARCIA LOPEZ, MARIA DE LOS ANGELES FERNANDA\","
    "\"gender_code\":\"2\",\"gender\":\"女\",\"birth_date\":\"2000-02-15\",\"id_number\":\"911560200002150017\","
    "\"id_number_valid\":true,\"nationality\":\"ESP\",\"valid_from\":\"2024-01-02\",\"valid_to\":\"2034-01-02\","
    "\"has_fingerprint\":false,\"renewal_count\":0}" },
  { "hmt-permit.json", FALSE,
    "{\"card_type\":\"hmt_permit\",\"name\":\"陈大文\",\"gender_code\":\"1\",\"gender\":\"男\",\"birth_date\":\"1980-"
    "01-01\","
    "\"id_number\":\"810000198001010014\",\"id_number_valid\":true,\"address\":\"广东省珠海市香洲区示范路6号\","
    "\"authority\":\"珠海市公安局\",\"valid_from\":\"2019-09-01\",\"valid_to\":\"2029-09-01\",\"has_fingerprint\":"
    "false,"
    "\"pass_number\":\"H12345678\",\"issue_count\":1}" },
};

static void
test_card_json (gconstpointer data)
{
  const CardCase *cc = data;
  g_autoptr (SamCard) c = load_fixture (cc->fixture);
  g_autoptr (GByteArray) f = sam_build_read_reply (c, cc->fingerprints, NULL);
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;

  g_assert_nonnull (f);
  g_assert_cmpint (decode_bytes (f->data, f->len, &json), ==, 0);
  g_assert_cmpstr (json, ==, cc->json);
  /* The fixture's own JSON form is the same (the simulator and decode
   * agree on one format). */
  c->has_fingerprint = cc->fingerprints;
  again = idcard_card_to_json (c);
  g_assert_cmpstr (again, ==, cc->json);
}

/* ---- malformed frames --------------------------------------------------- */

static GByteArray *
resident_frame (void)
{
  g_autoptr (SamCard) c = load_fixture ("resident.json");
  return sam_build_read_reply (c, FALSE, NULL);
}

static void
expect_error (const guint8 *p, gsize n, const char *error)
{
  g_autofree char *json = NULL;
  g_autofree char *prefix = g_strdup_printf ("{\"error\":\"%s\",", error);
  int rc = decode_bytes (p, n, &json);

  g_test_message ("%s", json);
  g_assert_cmpint (rc, ==, 2);
  g_assert_true (g_str_has_prefix (json, prefix));
  g_assert_nonnull (strstr (json, "\"message\":\""));
}

static void
test_garbage_before_preamble (void)
{
  g_autoptr (GByteArray) f = resident_frame ();
  g_autoptr (GByteArray) g = hex ("00 13 AA AA 96 AA AA AA AA 96");
  g_autofree char *json = NULL;

  g_byte_array_append (g, f->data, f->len);
  g_assert_cmpint (decode_bytes (g->data, g->len, &json), ==, 0);
  g_assert_cmpstr (json, ==, card_cases[0].json);
}

static void
test_no_preamble (void)
{
  g_autoptr (GByteArray) g = hex ("00 13 AA AA 96 69 00 04 00 00 90 94");
  g_autofree char *json = NULL;

  expect_error (g->data, g->len, "preamble");
  g_assert_cmpint (idcard_decode_hex ("", &json), ==, 2);
  g_assert_cmpstr (json, ==,
                   "{\"error\":\"preamble\",\"message\":\"no frame preamble (AA AA AA 96 69) in the input\"}");
}

static void
test_bad_length (void)
{
  g_autoptr (GByteArray) f = resident_frame ();
  g_autoptr (GByteArray) tiny = hex ("AA AA AA 96 69 00 03 00 00 03");
  g_autoptr (GByteArray) header_only = hex ("AA AA AA 96 69 05");

  /* Shorter than LEN says. */
  expect_error (f->data, f->len - 1, "length");
  expect_error (f->data, 20, "length");
  expect_error (header_only->data, header_only->len, "length");
  /* Longer than LEN says. */
  g_byte_array_append (f, (const guint8 *) "\x00", 1);
  expect_error (f->data, f->len, "length");
  /* LEN too small for SW1 SW2 SW3 CHK. */
  expect_error (tiny->data, tiny->len, "length");
}

static void
test_bad_checksum (void)
{
  g_autoptr (GByteArray) f = resident_frame ();
  g_autoptr (GByteArray) s = hex ("AA AA AA 96 69 00 04 00 00 90 95");

  f->data[f->len - 1] ^= 0x01;
  expect_error (f->data, f->len, "checksum");
  expect_error (s->data, s->len, "checksum");
  /* A flipped data bit. */
  f->data[f->len - 1] ^= 0x01;
  f->data[100] ^= 0x40;
  expect_error (f->data, f->len, "checksum");
}

/* Builds a read reply around a text block we edit by hand. */
static GByteArray *
frame_with_text (const guint8 *text)
{
  guint8 data[4 + SAM_TEXT_LEN + SAM_PHOTO_LEN] = { 0x01, 0x00, 0x04, 0x00 };
  memcpy (data + 4, text, SAM_TEXT_LEN);
  return sam_build_reply (0, 0, 0x90, data, sizeof data);
}

static void
put_ascii (guint8 *text, gsize off, gsize len, const char *s)
{
  gsize n = strlen (s);

  for (gsize i = 0; i < len / 2; i++)
    {
      text[off + 2 * i] = i < n ? (guint8) s[i] : ' ';
      text[off + 2 * i + 1] = 0;
    }
}

static void
resident_text (guint8 *text)
{
  g_autoptr (SamCard) c = load_fixture ("resident.json");
  g_assert_true (sam_encode_text (c, text, NULL));
}

static void
test_text_padding_and_flag (void)
{
  guint8 text[SAM_TEXT_LEN];
  g_autoptr (GByteArray) f = NULL;
  g_autofree char *json = NULL;

  /* NUL padding instead of spaces, and no flag at all: still a resident
   * card with the same fields. */
  resident_text (text);
  for (gsize i = 0; i < SAM_TEXT_LEN; i += 2)
    if (text[i] == ' ' && text[i + 1] == 0)
      text[i] = 0;
  f = frame_with_text (text);
  g_assert_cmpint (decode_bytes (f->data, f->len, &json), ==, 0);
  g_assert_cmpstr (json, ==, card_cases[0].json);
  g_clear_pointer (&f, g_byte_array_unref);

  /* Leading spaces are trimmed too. */
  resident_text (text);
  memmove (text + 2, text, 28);
  text[0] = ' ';
  text[1] = 0;
  f = frame_with_text (text);
  g_clear_pointer (&json, g_free);
  g_assert_cmpint (decode_bytes (f->data, f->len, &json), ==, 0);
  g_assert_nonnull (strstr (json, "\"name\":\"张三\""));
  g_clear_pointer (&f, g_byte_array_unref);

  /* An unknown flag. */
  resident_text (text);
  text[248] = 'Q';
  f = frame_with_text (text);
  expect_error (f->data, f->len, "format");
  g_clear_pointer (&f, g_byte_array_unref);

  /* A control character inside a field. */
  resident_text (text);
  text[2] = 0x07;
  text[3] = 0;
  f = frame_with_text (text);
  expect_error (f->data, f->len, "format");
  g_clear_pointer (&f, g_byte_array_unref);

  /* A lone surrogate. */
  resident_text (text);
  text[52] = 0x00;
  text[53] = 0xD8;
  text[54] = 0x41;
  text[55] = 0x00;
  f = frame_with_text (text);
  expect_error (f->data, f->len, "format");
}

/* Puts UCS-2 code unit @u at character @pos of the name (offset 0). */
static void
put_unit (guint8 *text, gsize pos, gunichar u)
{
  text[2 * pos] = (guint8) (u & 0xFF);
  text[2 * pos + 1] = (guint8) (u >> 8);
}

/* Issue #12.16: invisible and control characters inside a name (they
 * reorder or hide what the clerk reads: U+202E shows "张三" written
 * backwards) are format errors, as documented; so is a NUL followed by more
 * text (it ended the field silently). NUL or space padding after the text,
 * private-use characters (rare characters in names), a CJK extension B
 * character and the middle dot of minority names still decode. */
static void
test_text_invisible_characters (void)
{
  static const gunichar bad[]
      = { 0x0085, 0x202E, 0x2066, 0x2028, 0x200B, 0x2029, 0xFEFF, 0x200D, 0x061C, 0x009F, 0x001B, 0xFDD0, 0x0000 };
  static const struct {
    gunichar units[3];
    gsize n;
    const char *name;
  } good[] = {
    { { 0xE000 }, 1, "张三\xEE\x80\x80" },                 /* private use */
    { { 0xD840, 0xDC00 }, 2, "张三\xF0\xA0\x80\x80" },     /* U+20000, a surrogate pair */
    { { 0x00B7, 0x4E30 }, 2, "张三\xC2\xB7\xE4\xB8\xB0" }, /* 张三·丰 */
    { { 0x0020, 0x4E30 }, 2, "张三 丰" },                  /* a space inside */
    { { 0x0000, 0x0000, 0x0020 }, 3, "张三" },             /* NUL then space padding */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint8 text[SAM_TEXT_LEN];
      g_autoptr (GByteArray) f = NULL;

      resident_text (text);
      /* 张 U+xxxx 三: the character between the two. */
      memmove (text + 4, text + 2, 24);
      put_unit (text, 1, bad[i]);
      f = frame_with_text (text);
      g_test_message ("U+%04X inside the name", bad[i]);
      expect_error (f->data, f->len, "format");
    }
  /* A NUL followed by text in an address (the field went on after it). */
  {
    guint8 text[SAM_TEXT_LEN];
    g_autoptr (GByteArray) f = NULL;

    resident_text (text);
    text[52 + 6] = 0;
    text[52 + 7] = 0;
    f = frame_with_text (text);
    expect_error (f->data, f->len, "format");
  }
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      guint8 text[SAM_TEXT_LEN];
      g_autoptr (GByteArray) f = NULL;
      g_autofree char *json = NULL;
      g_autofree char *want = g_strdup_printf ("\"name\":\"%s\"", good[i].name);

      resident_text (text);
      for (gsize k = 0; k < good[i].n; k++)
        put_unit (text, 2 + k, good[i].units[k]);
      f = frame_with_text (text);
      g_assert_cmpint (decode_bytes (f->data, f->len, &json), ==, 0);
      if (strstr (json, want) == NULL)
        g_error ("case %zu: %s does not have %s", i, json, want);
    }
}

static void
test_text_bad_fields (void)
{
  static const struct {
    gsize off, len;
    const char *value;
  } bad[] = {
    { 36, 16, "19900231" },  /* birth date: 31 February */
    { 36, 16, "1990-1-1" },  /* birth date: not YYYYMMDD */
    { 188, 16, "2015AB01" }, /* valid from */
    { 204, 16, "20351301" }, /* valid to: month 13 */
    { 204, 16, "forever" },  /* valid to: not 长期 */
    { 30, 2, "3" },          /* gender */
    { 32, 4, "60" },         /* nation code unknown */
    { 32, 4, "x1" },         /* nation code not digits */
    { 0, 30, "" },           /* no name */
    { 122, 36, "" },         /* no ID number */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint8 text[SAM_TEXT_LEN];
      g_autoptr (GByteArray) f = NULL;

      resident_text (text);
      put_ascii (text, bad[i].off, bad[i].len, bad[i].value);
      f = frame_with_text (text);
      g_test_message ("case %zu", i);
      expect_error (f->data, f->len, "format");
    }
}

static void
test_check_digit (void)
{
  guint8 text[SAM_TEXT_LEN];
  g_autoptr (GByteArray) f = NULL;
  g_autofree char *json = NULL;

  g_assert_true (sam_id_number_valid ("11010519491231002X"));
  g_assert_true (sam_id_number_valid ("440304199001011233"));
  g_assert_false (sam_id_number_valid ("440304199001011234"));
  g_assert_false (sam_id_number_valid ("11010519491231002x"));
  g_assert_false (sam_id_number_valid ("4403041990010112"));
  g_assert_false (sam_id_number_valid ("44030419900101123A"));
  g_assert_false (sam_id_number_valid (NULL));
  g_assert_true (sam_id_check_char ("11010519491231002") == 'X');

  /* A failing check digit still decodes, flagged. */
  resident_text (text);
  put_ascii (text, 122, 36, "440304199001011234");
  f = frame_with_text (text);
  g_assert_cmpint (decode_bytes (f->data, f->len, &json), ==, 0);
  g_assert_nonnull (strstr (json, "\"id_number\":\"440304199001011234\",\"id_number_valid\":false"));
}

static void
test_long_term_and_dates (void)
{
  SamCard c = { 0 };

  g_assert_true (sam_date_valid ("20000229"));
  g_assert_false (sam_date_valid ("19000229"));
  g_assert_false (sam_date_valid ("20230229"));
  g_assert_false (sam_date_valid ("20231232"));
  g_assert_false (sam_date_valid ("2023123"));
  g_assert_false (sam_date_valid ("00000101"));
  c.valid_to = (char *) "长期";
  g_assert_false (sam_card_expired (&c, "2999-01-01"));
  c.valid_to = (char *) "2025-01-10";
  g_assert_true (sam_card_expired (&c, "2025-01-11"));
  g_assert_false (sam_card_expired (&c, "2025-01-10"));
}

static void
test_nations_and_genders (void)
{
  static const char *const names[] = {
    "汉",   "蒙古",   "回",   "藏",     "维吾尔",   "苗",   "彝",       "壮",     "布依",   "朝鲜", "满",   "侗",
    "瑶",   "白",     "土家", "哈尼",   "哈萨克",   "傣",   "黎",       "傈僳",   "佤",     "畲",   "高山", "拉祜",
    "水",   "东乡",   "纳西", "景颇",   "柯尔克孜", "土",   "达斡尔",   "仫佬",   "羌",     "布朗", "撒拉", "毛南",
    "仡佬", "锡伯",   "阿昌", "普米",   "塔吉克",   "怒",   "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固",
    "京",   "塔塔尔", "独龙", "鄂伦春", "赫哲",     "门巴", "珞巴",     "基诺",
  };

  for (int i = 0; i < 56; i++)
    {
      char code[3];
      g_snprintf (code, sizeof code, "%02d", i + 1);
      g_assert_cmpstr (sam_nation_name (code), ==, names[i]);
    }
  g_assert_cmpstr (sam_nation_name ("97"), ==, "其他");
  g_assert_cmpstr (sam_nation_name ("98"), ==, "外国血统中国籍人士");
  g_assert_null (sam_nation_name ("00"));
  g_assert_null (sam_nation_name ("57"));
  g_assert_null (sam_nation_name ("1"));
  g_assert_cmpstr (sam_gender_name ('0'), ==, "未知");
  g_assert_cmpstr (sam_gender_name ('1'), ==, "男");
  g_assert_cmpstr (sam_gender_name ('2'), ==, "女");
  g_assert_cmpstr (sam_gender_name ('9'), ==, "未说明");
  g_assert_null (sam_gender_name ('3'));
}

static void
test_gender_json (void)
{
  const char codes[] = { '0', '9' };
  const char *texts[] = { "未知", "未说明" };

  for (int i = 0; i < 2; i++)
    {
      g_autoptr (SamCard) c = load_fixture ("resident.json");
      g_autoptr (GByteArray) f = NULL;
      g_autofree char *json = NULL;
      g_autofree char *want = g_strdup_printf ("\"gender_code\":\"%c\",\"gender\":\"%s\"", codes[i], texts[i]);

      c->gender_code = codes[i];
      f = sam_build_read_reply (c, FALSE, NULL);
      g_assert_cmpint (decode_bytes (f->data, f->len, &json), ==, 0);
      g_assert_nonnull (strstr (json, want));
    }
}

static void
test_read_reply_forms (void)
{
  g_autoptr (SamCard) c = load_fixture ("resident.json");
  g_autoptr (GByteArray) full = sam_build_read_reply (c, TRUE, NULL);
  SamReply r;
  SamReadData rd;
  static const gsize fp_lens[] = { 1024, 512, 0 };
  static const gsize totals[] = { 2321, 1809, 1297 };

  g_assert_cmpint (sam_parse_frame (full->data, full->len, &r), ==, SAM_PARSE_OK);
  for (gsize i = 0; i < G_N_ELEMENTS (fp_lens); i++)
    {
      gsize n = 6 + SAM_TEXT_LEN + SAM_PHOTO_LEN + fp_lens[i];
      g_autoptr (GByteArray) f = NULL;
      g_autofree char *json = NULL;
      guint8 *data = g_memdup2 (r.data, n);

      data[4] = (guint8) (fp_lens[i] >> 8);
      data[5] = (guint8) (fp_lens[i] & 0xFF);
      f = sam_build_reply (0, 0, 0x90, data, n);
      g_free (data);
      g_assert_cmpuint (f->len, ==, totals[i]);
      g_assert_cmpint (decode_bytes (f->data, f->len, &json), ==, 0);
      g_assert_nonnull (strstr (json, fp_lens[i] ? "\"has_fingerprint\":true" : "\"has_fingerprint\":false"));
      {
        SamReply r2;
        g_assert_cmpint (sam_parse_frame (f->data, f->len, &r2), ==, SAM_PARSE_OK);
        g_assert_true (sam_read_reply_split (&r2, &rd));
        g_assert_cmpuint (rd.fingerprint_len, ==, fp_lens[i]);
        if (fp_lens[i])
          g_assert_cmpint (rd.fingerprint[0], ==, 'C');
      }
    }
}

static void
test_not_a_read_reply (void)
{
  g_autoptr (GByteArray) select = hex ("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C");
  g_autoptr (GByteArray) find = hex ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
  g_autoptr (GByteArray) f = resident_frame ();
  guint8 *data;
  g_autoptr (GByteArray) g = NULL;

  expect_error (select->data, select->len, "format");
  expect_error (find->data, find->len, "format");
  /* The text length word says 0x0102: lengths do not add up. */
  data = g_memdup2 (f->data + 10, f->len - 11);
  data[1] = 0x02;
  g = sam_build_reply (0, 0, 0x90, data, f->len - 11);
  g_free (data);
  expect_error (g->data, g->len, "format");
}

static void
test_hex_input (void)
{
  g_autoptr (GByteArray) f = resident_frame ();
  g_autofree char *h = to_hex (f->data, f->len);
  g_autoptr (GString) messy = g_string_new ("\n  ");
  g_autofree char *json = NULL;
  g_autofree char *bad = NULL;

  /* Lower case, tabs, CRLF line breaks. */
  for (const char *p = h; *p; p++)
    {
      g_string_append_c (messy, g_ascii_tolower (*p));
      if (*p == '\n')
        g_string_append (messy, "\r\n\t");
    }
  g_assert_cmpint (idcard_decode_hex (messy->str, &json), ==, 0);
  g_assert_cmpstr (json, ==, card_cases[0].json);
  g_assert_cmpint (idcard_decode_hex ("AA AA AZ", &bad), ==, 2);
  g_assert_true (g_str_has_prefix (bad, "{\"error\":"));
}

/* ---- stream parser ------------------------------------------------------ */

static void
test_stream_split_everywhere (void)
{
  g_autoptr (GByteArray) f = resident_frame ();

  for (gsize cut = 1; cut < f->len; cut += (cut < 40 ? 1 : 97))
    {
      SamParser p;
      SamReply r = { 0 };

      sam_parser_init (&p);
      sam_parser_feed (&p, f->data, cut);
      g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_NEED_MORE);
      sam_parser_feed (&p, f->data + cut, f->len - cut);
      g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_OK);
      g_assert_cmpuint (r.frame_len, ==, 1295);
      g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_NEED_MORE);
      g_assert_cmpuint (sam_parser_pending (&p), ==, 0);
      sam_parser_clear (&p);
    }
}

static void
test_stream_byte_by_byte_with_garbage (void)
{
  g_autoptr (GByteArray) a = hex ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
  g_autoptr (GByteArray) b = hex ("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C");
  g_autoptr (GByteArray) stream = hex ("13 AA 00 AA AA");
  SamParser p;
  SamReply r;
  int frames = 0;

  g_byte_array_append (stream, a->data, a->len);
  g_byte_array_append (stream, (const guint8 *) "\xAA\xAA\x96\x00", 4);
  g_byte_array_append (stream, b->data, b->len);
  sam_parser_init (&p);
  for (guint i = 0; i < stream->len; i++)
    {
      sam_parser_feed (&p, stream->data + i, 1);
      while (sam_parser_next (&p, &r) == SAM_PARSE_OK)
        {
          frames++;
          g_assert_cmphex (r.sw3, ==, frames == 1 ? 0x9F : 0x90);
        }
    }
  g_assert_cmpint (frames, ==, 2);
  g_assert_cmpuint (p.garbage_bytes, ==, 9);
  sam_parser_clear (&p);
}

static void
test_stream_resync_after_bad_frames (void)
{
  g_autoptr (GByteArray) good = hex ("AA AA AA 96 69 00 04 00 00 90 94");
  g_autoptr (GByteArray) badsum = hex ("AA AA AA 96 69 00 04 00 00 90 95");
  /* LEN says 0x0508 but the frame stops after 3 bytes; a good frame then
   * follows (and 1300 filler bytes so the bogus length is reached). */
  g_autoptr (GByteArray) truncated = hex ("AA AA AA 96 69 05 08 00 00 90");
  g_autoptr (GByteArray) huge = hex ("AA AA AA 96 69 FF FF 00");
  SamParser p;
  SamReply r;
  guint8 filler[1300];

  memset (filler, 0x11, sizeof filler);
  sam_parser_init (&p);
  sam_parser_feed (&p, badsum->data, badsum->len);
  sam_parser_feed (&p, good->data, good->len);
  g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_BAD_CHECKSUM);
  g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_OK);
  g_assert_cmphex (r.sw3, ==, 0x90);

  sam_parser_feed (&p, huge->data, huge->len);
  g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_BAD_LENGTH);
  sam_parser_feed (&p, good->data, good->len);
  g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_OK);

  sam_parser_feed (&p, truncated->data, truncated->len);
  sam_parser_feed (&p, good->data, good->len);
  g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_NEED_MORE);
  g_assert_cmpuint (sam_parser_pending (&p), ==, truncated->len + good->len);
  sam_parser_feed (&p, filler, sizeof filler);
  g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_BAD_CHECKSUM);
  g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_OK);
  g_assert_cmpuint (r.frame_len, ==, good->len);
  g_assert_cmpuint (p.bad_checksums, ==, 2);
  g_assert_cmpuint (p.bad_lengths, ==, 1);
  sam_parser_clear (&p);
}

static void
test_stream_wipes_consumed (void)
{
  g_autoptr (GByteArray) f = resident_frame ();
  SamParser p;
  SamReply r;
  const guint8 name[] = { 0x20, 0x5F, 0x09, 0x4E }; /* 张三 in UCS-2 LE */

  sam_parser_init (&p);
  sam_parser_feed (&p, f->data, f->len);
  g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_OK);
  g_assert_nonnull (memmem (p.buf, p.cap, name, sizeof name));
  g_assert_cmpint (sam_parser_next (&p, &r), ==, SAM_PARSE_NEED_MORE);
  g_assert_null (memmem (p.buf, p.cap, name, sizeof name));
  sam_parser_clear (&p);
}

static void
test_roundtrip_all_fixtures (void)
{
  const char *names[] = { "resident.json",     "resident-elder.json", "resident-expired.json",
                          "foreign-2017.json", "foreign-2023.json",   "hmt-permit.json" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (SamCard) c = load_fixture (names[i]);
      guint8 text[SAM_TEXT_LEN];
      g_autoptr (SamCard) d = NULL;
      g_autofree char *a = NULL, *b = NULL;
      const char *why = NULL;

      g_assert_true (sam_encode_text (c, text, &why));
      d = sam_decode_text (text, &why);
      g_assert_nonnull (d);
      d->has_fingerprint = c->has_fingerprint;
      a = idcard_card_to_json (c);
      b = idcard_card_to_json (d);
      g_assert_cmpstr (a, ==, b);
    }
}

static void
test_fixture_rejects (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  SamCard *c;

  g_assert_true (
      json_parser_load_from_data (parser,
                                  "{\"card_type\":\"resident\",\"name\":\"一二三四五六七八九十一二三四五六\",\"valid_"
                                  "from\":\"2020-01-01\",\"valid_to\":\"长期\",\"birth_date\":\"2000-01-01\"}",
                                  -1, NULL));
  c = idcard_card_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_null (c);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* The fuzzer's seeds (tests/fuzz/make-idcard-corpus.py, written apart
 * from this codec) are byte for byte the frames the codec builds. */
static void
test_corpus_matches_codec (void)
{
  const char *names[]
      = { "resident", "resident-elder", "resident-expired", "foreign-2017", "foreign-2023", "hmt-permit" };
  const char *src = g_getenv ("KIOSK_SOURCE_DIR") ? g_getenv ("KIOSK_SOURCE_DIR") : KIOSK_SOURCE_DIR;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *json = g_strdup_printf ("%s.json", names[i]);
      g_autofree char *seed = g_strdup_printf ("%s/tests/fuzz/idcard-corpus/read-%s", src, names[i]);
      g_autoptr (SamCard) c = load_fixture (json);
      g_autoptr (GByteArray) f = sam_build_read_reply (c, FALSE, NULL);
      g_autofree char *bytes = NULL;
      gsize n = 0;

      g_assert_true (g_file_get_contents (seed, &bytes, &n, NULL));
      g_assert_cmpmem (bytes, n, f->data, f->len);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/idcard/codec/vendor-commands", test_vendor_commands);
  g_test_add_func ("/idcard/codec/vendor-replies", test_vendor_replies);
  g_test_add_func ("/idcard/codec/vendor-read-layout", test_vendor_read_layout);
  g_test_add_func ("/idcard/codec/every-status", test_every_status);
  for (gsize i = 0; i < G_N_ELEMENTS (card_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/idcard/codec/json/%s", card_cases[i].fixture);
      g_test_add_data_func (path, &card_cases[i], test_card_json);
    }
  g_test_add_func ("/idcard/codec/garbage-before-preamble", test_garbage_before_preamble);
  g_test_add_func ("/idcard/codec/no-preamble", test_no_preamble);
  g_test_add_func ("/idcard/codec/bad-length", test_bad_length);
  g_test_add_func ("/idcard/codec/bad-checksum", test_bad_checksum);
  g_test_add_func ("/idcard/codec/text-padding-and-flag", test_text_padding_and_flag);
  g_test_add_func ("/idcard/codec/text-invisible-characters", test_text_invisible_characters);
  g_test_add_func ("/idcard/codec/text-bad-fields", test_text_bad_fields);
  g_test_add_func ("/idcard/codec/check-digit", test_check_digit);
  g_test_add_func ("/idcard/codec/long-term-and-dates", test_long_term_and_dates);
  g_test_add_func ("/idcard/codec/nations-and-genders", test_nations_and_genders);
  g_test_add_func ("/idcard/codec/gender-json", test_gender_json);
  g_test_add_func ("/idcard/codec/read-reply-forms", test_read_reply_forms);
  g_test_add_func ("/idcard/codec/not-a-read-reply", test_not_a_read_reply);
  g_test_add_func ("/idcard/codec/hex-input", test_hex_input);
  g_test_add_func ("/idcard/codec/stream-split-everywhere", test_stream_split_everywhere);
  g_test_add_func ("/idcard/codec/stream-byte-by-byte", test_stream_byte_by_byte_with_garbage);
  g_test_add_func ("/idcard/codec/stream-resync", test_stream_resync_after_bad_frames);
  g_test_add_func ("/idcard/codec/stream-wipes", test_stream_wipes_consumed);
  g_test_add_func ("/idcard/codec/roundtrip", test_roundtrip_all_fixtures);
  g_test_add_func ("/idcard/codec/fixture-rejects", test_fixture_rejects);
  g_test_add_func ("/idcard/codec/corpus-matches-codec", test_corpus_matches_codec);
  return g_test_run ();
}
