/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-idcard"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sam-codec.h"

/* ---- SAM id and read reply ---------------------------------------------- */

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

char *
sam_format_sam_id (const guint8 *data, gsize len)
{
  if (len < 16)
    return NULL;
  return g_strdup_printf ("%02u.%02u-%08u-%010u-%010u", (guint) (data[0] | (data[1] << 8)),
                          (guint) (data[2] | (data[3] << 8)), le32 (data + 4), le32 (data + 8), le32 (data + 12));
}

static gsize
be16 (const guint8 *p)
{
  return ((gsize) p[0] << 8) | p[1];
}

gboolean
sam_read_reply_split (const SamReply *reply, SamReadData *out)
{
  const guint8 *d = reply->data;
  gsize n = reply->data_len, t, ph, fp;

  memset (out, 0, sizeof *out);
  if (n < 4)
    return FALSE;
  t = be16 (d);
  ph = be16 (d + 2);
  if (t != SAM_TEXT_LEN)
    return FALSE;
  if (4 + t + ph == n)
    {
      out->text = d + 4;
      out->photo = d + 4 + t;
      out->photo_len = ph;
      return TRUE;
    }
  if (n < 6)
    return FALSE;
  fp = be16 (d + 4);
  if (6 + t + ph + fp != n)
    return FALSE;
  out->text = d + 6;
  out->photo = d + 6 + t;
  out->photo_len = ph;
  out->fingerprint = d + 6 + t + ph;
  out->fingerprint_len = fp;
  return TRUE;
}

gboolean
sam_reply_fits (guint8 cmd, guint8 para, const SamReply *reply)
{
  SamReadData rd;
  guint16 c = (guint16) (cmd << 8 | para);

  if (!sam_status_is_success (reply->sw3))
    return TRUE;
  switch (c)
    {
    case 0x11FF: /* SAM status */
    case 0x10FF: /* reset */
      return reply->sw3 == SAM_SW3_OK && reply->data_len == 0;
    case 0x12FF: /* SAM id */
      return reply->sw3 == SAM_SW3_OK && reply->data_len == 16;
    case 0x2001: /* find */
      return reply->sw3 == SAM_SW3_FOUND && reply->data_len == 4;
    case 0x2002: /* select */
      return reply->sw3 == SAM_SW3_OK && reply->data_len == 8;
    case 0x3001: /* read */
    case 0x3010: /* read with fingerprints */
      return reply->sw3 == SAM_SW3_OK && sam_read_reply_split (reply, &rd);
    default:
      return TRUE;
    }
}

/* ---- tables ------------------------------------------------------------- */

static const char *const nations[] = {
  NULL,   "汉",   "蒙古",   "回",   "藏",     "维吾尔",   "苗",   "彝",       "壮",     "布依",   "朝鲜", "满",
  "侗",   "瑶",   "白",     "土家", "哈尼",   "哈萨克",   "傣",   "黎",       "傈僳",   "佤",     "畲",   "高山",
  "拉祜", "水",   "东乡",   "纳西", "景颇",   "柯尔克孜", "土",   "达斡尔",   "仫佬",   "羌",     "布朗", "撒拉",
  "毛南", "仡佬", "锡伯",   "阿昌", "普米",   "塔吉克",   "怒",   "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
  "裕固", "京",   "塔塔尔", "独龙", "鄂伦春", "赫哲",     "门巴", "珞巴",     "基诺",
};

const char *
sam_nation_name (const char *code)
{
  int n;

  if (code == NULL || !g_ascii_isdigit (code[0]) || !g_ascii_isdigit (code[1]) || code[2] != '\0')
    return NULL;
  n = (code[0] - '0') * 10 + (code[1] - '0');
  if (n >= 1 && n < (int) G_N_ELEMENTS (nations))
    return nations[n];
  if (n == 97)
    return "其他";
  if (n == 98)
    return "外国血统中国籍人士";
  return NULL;
}

const char *
sam_gender_name (char code)
{
  switch (code)
    {
    case '0':
      return "未知";
    case '1':
      return "男";
    case '2':
      return "女";
    case '9':
      return "未说明";
    default:
      return NULL;
    }
}

char
sam_id_check_char (const char *first17)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;

  for (int i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (first17[i]))
        return '?';
      sum += (first17[i] - '0') * weights[i];
    }
  return "10X98765432"[sum % 11];
}

gboolean
sam_id_number_valid (const char *id)
{
  if (id == NULL || strlen (id) != 18)
    return FALSE;
  return sam_id_check_char (id) == id[17];
}

gboolean
sam_date_valid (const char *s)
{
  int y, m, d;

  if (s == NULL || strlen (s) != 8)
    return FALSE;
  for (int i = 0; i < 8; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = (s[4] - '0') * 10 + (s[5] - '0');
  d = (s[6] - '0') * 10 + (s[7] - '0');
  return y >= 1800 && g_date_valid_dmy (d, m, y);
}

gboolean
sam_card_expired (const SamCard *card, const char *today)
{
  if (card->valid_to == NULL || g_str_equal (card->valid_to, "长期"))
    return FALSE;
  return strcmp (card->valid_to, today) < 0;
}

const char *
sam_card_type_to_string (SamCardType t)
{
  switch (t)
    {
    case SAM_CARD_RESIDENT:
      return "resident";
    case SAM_CARD_FOREIGN_2017:
      return "foreign_2017";
    case SAM_CARD_FOREIGN_2023:
      return "foreign_2023";
    case SAM_CARD_HMT_PERMIT:
      return "hmt_permit";
    default:
      return "unknown";
    }
}

gboolean
sam_card_type_from_string (const char *s, SamCardType *out)
{
  for (SamCardType t = SAM_CARD_RESIDENT; t <= SAM_CARD_HMT_PERMIT; t++)
    if (g_strcmp0 (s, sam_card_type_to_string (t)) == 0)
      {
        *out = t;
        return TRUE;
      }
  return FALSE;
}

/* ---- card --------------------------------------------------------------- */

SamCard *
sam_card_new (void)
{
  SamCard *c = g_new0 (SamCard, 1);
  c->renewal_count = -1;
  c->issue_count = -1;
  return c;
}

static void
wipe_str (char *s)
{
  if (s)
    {
      explicit_bzero (s, strlen (s));
      g_free (s);
    }
}

void
sam_card_free (SamCard *c)
{
  if (c == NULL)
    return;
  wipe_str (c->name);
  wipe_str (c->name_en);
  wipe_str (c->birth_date);
  wipe_str (c->id_number);
  wipe_str (c->nation_code);
  wipe_str (c->address);
  wipe_str (c->authority);
  wipe_str (c->valid_from);
  wipe_str (c->valid_to);
  wipe_str (c->nationality);
  wipe_str (c->card_version);
  wipe_str (c->authority_code);
  wipe_str (c->pass_number);
  if (c->photo)
    {
      gsize n;
      /* The bytes are ours alone (created with g_bytes_new_take). */
      guint8 *p = (guint8 *) g_bytes_get_data (c->photo, &n);
      if (p)
        explicit_bzero (p, n);
      g_bytes_unref (c->photo);
    }
  explicit_bzero (c, sizeof *c);
  g_free (c);
}

/* ---- text block: decoding ----------------------------------------------- */

#define FLAG_OFFSET 248

/* Text a card field may hold. Control characters are a format error
 * (drivers/idcard/README.md), and so is anything that is not a visible
 * character or a plain space: C0/C1 controls (U+0085 NEL), format
 * characters (U+200B zero width space, U+202E and U+2066 bidi overrides and
 * isolates, U+FEFF), line and paragraph separators (U+2028, U+2029),
 * noncharacters. Private-use characters stay: rare characters in names are
 * encoded there. */
static gboolean
text_char (gunichar c)
{
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
    return FALSE;
  if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)
    return FALSE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SURROGATE:
      return FALSE;
    default:
      return TRUE;
    }
}

/* UCS-2 LE at [off, off+len) to UTF-8, spaces trimmed at both ends. NUL is
 * padding (some readers pad with it instead of spaces): it may only be
 * followed by more padding, so a NUL inside the text is a format error, not
 * the silent end of the field. NULL when a code unit is not text. */
static char *
field (const guint8 *text, gsize off, gsize len)
{
  GString *s = g_string_sized_new (len * 2);
  gboolean padding = FALSE; /* a NUL was seen: only padding may follow */
  char *out;

  for (gsize i = off; i + 1 < off + len; i += 2)
    {
      gunichar c = text[i] | (text[i + 1] << 8);

      if (c >= 0xD800 && c <= 0xDBFF && i + 3 < off + len)
        {
          gunichar lo = text[i + 2] | (text[i + 3] << 8);
          if (lo < 0xDC00 || lo > 0xDFFF)
            goto bad;
          c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
          i += 2;
        }
      else if (c >= 0xD800 && c <= 0xDFFF)
        goto bad;
      if (c == 0)
        {
          padding = TRUE;
          c = ' ';
        }
      else if (padding && c != ' ')
        goto bad;
      if (!text_char (c))
        goto bad;
      g_string_append_unichar (s, c);
    }
  out = g_strdup (g_strstrip (s->str));
  explicit_bzero (s->str, s->allocated_len);
  g_string_free (s, TRUE);
  return out;

bad:
  explicit_bzero (s->str, s->allocated_len);
  g_string_free (s, TRUE);
  return NULL;
}

/* A YYYYMMDD field as YYYY-MM-DD; NULL when not a date. */
static char *
date_field (const guint8 *text, gsize off, gboolean allow_long_term)
{
  g_autofree char *raw = field (text, off, 16);

  if (raw == NULL)
    return NULL;
  if (allow_long_term && g_str_equal (raw, "长期"))
    return g_steal_pointer (&raw);
  if (!sam_date_valid (raw))
    return NULL;
  return g_strdup_printf ("%.4s-%.2s-%.2s", raw, raw + 4, raw + 6);
}

static gboolean
all_digits (const char *s, gsize n)
{
  if (strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
gender_field (const guint8 *text, gsize off, SamCard *c)
{
  g_autofree char *g = field (text, off, 2);
  if (g == NULL || strlen (g) != 1 || sam_gender_name (g[0]) == NULL)
    return FALSE;
  c->gender_code = g[0];
  return TRUE;
}

/* GB 11643 for 18-character numbers. The 2017 foreign card number has no
 * published check digit: it is valid when it reads three capital letters
 * (its nationality) and twelve digits. */
static gboolean
foreign_2017_number_valid (const char *number, const char *nationality)
{
  if (strlen (number) != 15 || strncmp (number, nationality, 3) != 0)
    return FALSE;
  for (int i = 0; i < 3; i++)
    if (!g_ascii_isupper (number[i]))
      return FALSE;
  return all_digits (number + 3, 12);
}

gboolean
sam_card_id_number_valid (const SamCard *c)
{
  if (c->id_number == NULL)
    return FALSE;
  if (c->card_type == SAM_CARD_FOREIGN_2017)
    return c->nationality && foreign_2017_number_valid (c->id_number, c->nationality);
  /* Resident, J, and the 2023 foreign card (18 characters, same check). */
  return sam_id_number_valid (c->id_number);
}

#define FAIL(msg)   \
  do                \
    {               \
      *why = (msg); \
      return FALSE; \
    }               \
  while (0)

static gboolean
decode_resident_like (const guint8 *text, SamCard *c, const char **why)
{
  g_autofree char *nation = NULL;

  if (!(c->name = field (text, 0, 30)) || c->name[0] == '\0')
    FAIL ("name missing or not text");
  if (!gender_field (text, 30, c))
    FAIL ("gender code not 0, 1, 2 or 9");
  if (!(nation = field (text, 32, 4)))
    FAIL ("nation not text");
  if (nation[0] != '\0' || c->card_type == SAM_CARD_RESIDENT)
    {
      if (sam_nation_name (nation) == NULL)
        FAIL ("nation code unknown");
      c->nation_code = g_steal_pointer (&nation);
    }
  if (!(c->birth_date = date_field (text, 36, FALSE)))
    FAIL ("birth date not a date");
  if (!(c->address = field (text, 52, 70)))
    FAIL ("address not text");
  if (!(c->id_number = field (text, 122, 36)) || c->id_number[0] == '\0')
    FAIL ("ID number missing or not text");
  c->id_number_valid = sam_card_id_number_valid (c);
  if (!(c->authority = field (text, 158, 30)))
    FAIL ("issuing authority not text");
  if (!(c->valid_from = date_field (text, 188, FALSE)))
    FAIL ("valid-from not a date");
  if (!(c->valid_to = date_field (text, 204, TRUE)))
    FAIL ("valid-to not a date or 长期");
  if (c->card_type == SAM_CARD_HMT_PERMIT)
    {
      g_autofree char *issues = NULL;
      if (!(c->pass_number = field (text, 220, 18)))
        FAIL ("pass number not text");
      if (!(issues = field (text, 238, 4)))
        FAIL ("number of issues not text");
      if (issues[0] != '\0')
        {
          if (!all_digits (issues, strlen (issues)) || strlen (issues) > 2)
            FAIL ("number of issues not a number");
          c->issue_count = (int) g_ascii_strtoll (issues, NULL, 10);
        }
    }
  return TRUE;
}

static gboolean
decode_foreign_2017 (const guint8 *text, SamCard *c, const char **why)
{
  if (!(c->name_en = field (text, 0, 120)))
    FAIL ("English name not text");
  if (!gender_field (text, 120, c))
    FAIL ("gender code not 0, 1, 2 or 9");
  if (!(c->id_number = field (text, 122, 30)) || c->id_number[0] == '\0')
    FAIL ("card number missing or not text");
  if (!(c->nationality = field (text, 152, 6)) || strlen (c->nationality) != 3)
    FAIL ("nationality not three letters");
  if (!(c->name = field (text, 158, 30)))
    FAIL ("Chinese name not text");
  if (c->name[0] == '\0' && c->name_en[0] == '\0')
    FAIL ("no name");
  if (!(c->valid_from = date_field (text, 188, FALSE)))
    FAIL ("valid-from not a date");
  if (!(c->valid_to = date_field (text, 204, TRUE)))
    FAIL ("valid-to not a date or 长期");
  if (!(c->birth_date = date_field (text, 220, FALSE)))
    FAIL ("birth date not a date");
  if (!(c->card_version = field (text, 236, 4)))
    FAIL ("card version not text");
  if (!(c->authority_code = field (text, 240, 8)))
    FAIL ("authority code not text");
  c->id_number_valid = sam_card_id_number_valid (c);
  return TRUE;
}

static gboolean
decode_foreign_2023 (const guint8 *text, SamCard *c, const char **why)
{
  g_autofree char *renewals = NULL, *en1 = NULL, *en2 = NULL;
  guint8 en[92];

  if (!(c->name = field (text, 0, 30)))
    FAIL ("Chinese name not text");
  if (!gender_field (text, 30, c))
    FAIL ("gender code not 0, 1, 2 or 9");
  if (!(renewals = field (text, 32, 4)))
    FAIL ("renewal count not text");
  if (renewals[0] != '\0')
    {
      if (strlen (renewals) > 2 || !all_digits (renewals, strlen (renewals)))
        FAIL ("renewal count not a number");
      c->renewal_count = (int) g_ascii_strtoll (renewals, NULL, 10);
    }
  if (!(c->birth_date = date_field (text, 36, FALSE)))
    FAIL ("birth date not a date");
  /* The English name is split: characters 1-35 at 52, 36-46 at 220. */
  memcpy (en, text + 52, 70);
  memcpy (en + 70, text + 220, 22);
  c->name_en = field (en, 0, sizeof en);
  explicit_bzero (en, sizeof en);
  if (c->name_en == NULL)
    FAIL ("English name not text");
  if (c->name[0] == '\0' && c->name_en[0] == '\0')
    FAIL ("no name");
  if (!(c->id_number = field (text, 122, 36)) || c->id_number[0] == '\0')
    FAIL ("card number missing or not text");
  if (!(c->valid_from = date_field (text, 188, FALSE)))
    FAIL ("valid-from not a date");
  if (!(c->valid_to = date_field (text, 204, TRUE)))
    FAIL ("valid-to not a date or 长期");
  if (!(c->nationality = field (text, 242, 6)) || strlen (c->nationality) != 3)
    FAIL ("nationality not three letters");
  c->id_number_valid = sam_card_id_number_valid (c);
  return TRUE;
}

SamCard *
sam_decode_text (const guint8 *text, const char **why)
{
  SamCard *c = sam_card_new ();
  gunichar flag = text[FLAG_OFFSET] | (text[FLAG_OFFSET + 1] << 8);
  const char *dummy;
  gboolean ok;

  if (why == NULL)
    why = &dummy;
  switch (flag)
    {
    case ' ':
    case 0:
      c->card_type = SAM_CARD_RESIDENT;
      ok = decode_resident_like (text, c, why);
      break;
    case 'J':
      c->card_type = SAM_CARD_HMT_PERMIT;
      ok = decode_resident_like (text, c, why);
      break;
    case 'I':
      c->card_type = SAM_CARD_FOREIGN_2017;
      ok = decode_foreign_2017 (text, c, why);
      break;
    case 'Y':
      c->card_type = SAM_CARD_FOREIGN_2023;
      ok = decode_foreign_2023 (text, c, why);
      break;
    default:
      *why = "unknown card type flag";
      ok = FALSE;
      break;
    }
  if (!ok)
    {
      sam_card_free (c);
      return NULL;
    }
  return c;
}

SamCard *
sam_decode_read_reply (const SamReply *reply, gboolean keep_photo, const char **why)
{
  SamReadData rd;
  SamCard *c;

  if (!sam_read_reply_split (reply, &rd))
    {
      *why = "not a read reply (text, photo and fingerprint lengths do not add up)";
      return NULL;
    }
  c = sam_decode_text (rd.text, why);
  if (c == NULL)
    return NULL;
  c->has_fingerprint = rd.fingerprint_len > 0;
  if (keep_photo && rd.photo_len)
    c->photo = g_bytes_new_take (g_memdup2 (rd.photo, rd.photo_len), rd.photo_len);
  return c;
}

/* ---- text block: encoding ----------------------------------------------- */

/* Writes @s (UTF-8) as UCS-2 LE into [off, off+len), padded with spaces. */
static gboolean
put (guint8 *text, gsize off, gsize len, const char *s)
{
  gsize pos = off;

  for (gsize i = off; i < off + len; i += 2)
    {
      text[i] = ' ';
      text[i + 1] = 0;
    }
  if (s == NULL)
    return TRUE;
  if (!g_utf8_validate (s, -1, NULL))
    return FALSE;
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar units[2];
      int n = 1;

      if (c > 0xFFFF)
        {
          units[0] = 0xD800 + ((c - 0x10000) >> 10);
          units[1] = 0xDC00 + ((c - 0x10000) & 0x3FF);
          n = 2;
        }
      else
        units[0] = c;
      for (int k = 0; k < n; k++)
        {
          if (pos + 2 > off + len)
            return FALSE;
          text[pos] = units[k] & 0xFF;
          text[pos + 1] = units[k] >> 8;
          pos += 2;
        }
    }
  return TRUE;
}

/* YYYY-MM-DD (or YYYYMMDD, or 长期 when allowed) into a 16-byte slot. */
static gboolean
put_date (guint8 *text, gsize off, const char *date, gboolean allow_long_term)
{
  char raw[9];
  gsize n = 0;

  if (date == NULL)
    return FALSE;
  if (allow_long_term && g_str_equal (date, "长期"))
    return put (text, off, 16, date);
  for (const char *p = date; *p && n < 8; p++)
    if (*p != '-')
      raw[n++] = *p;
  raw[n] = '\0';
  return put (text, off, 16, raw);
}

static gboolean
put_count (guint8 *text, gsize off, int count)
{
  char buf[8];

  if (count < 0)
    return put (text, off, 4, NULL);
  if (count > 99)
    return FALSE;
  g_snprintf (buf, sizeof buf, "%02d", count);
  return put (text, off, 4, buf);
}

#define PUT(expr, msg) \
  do                   \
    {                  \
      if (!(expr))     \
        FAIL (msg);    \
    }                  \
  while (0)

gboolean
sam_encode_text (const SamCard *c, guint8 text[SAM_TEXT_LEN], const char **why)
{
  char gender[2] = { c->gender_code ? c->gender_code : '0', '\0' };
  const char *dummy;

  if (why == NULL)
    why = &dummy;
  put (text, 0, SAM_TEXT_LEN, NULL);
  switch (c->card_type)
    {
    case SAM_CARD_RESIDENT:
    case SAM_CARD_HMT_PERMIT:
      PUT (put (text, 0, 30, c->name), "name too long");
      PUT (put (text, 30, 2, gender), "gender");
      PUT (put (text, 32, 4, c->nation_code), "nation code too long");
      PUT (put_date (text, 36, c->birth_date, FALSE), "birth date");
      PUT (put (text, 52, 70, c->address), "address too long");
      PUT (put (text, 122, 36, c->id_number), "ID number too long");
      PUT (put (text, 158, 30, c->authority), "authority too long");
      PUT (put_date (text, 188, c->valid_from, FALSE), "valid-from");
      PUT (put_date (text, 204, c->valid_to, TRUE), "valid-to");
      if (c->card_type == SAM_CARD_HMT_PERMIT)
        {
          PUT (put (text, 220, 18, c->pass_number), "pass number too long");
          PUT (put_count (text, 238, c->issue_count), "number of issues");
          PUT (put (text, FLAG_OFFSET, 2, "J"), "flag");
        }
      break;
    case SAM_CARD_FOREIGN_2017:
      PUT (put (text, 0, 120, c->name_en), "English name too long");
      PUT (put (text, 120, 2, gender), "gender");
      PUT (put (text, 122, 30, c->id_number), "card number too long");
      PUT (put (text, 152, 6, c->nationality), "nationality too long");
      PUT (put (text, 158, 30, c->name), "name too long");
      PUT (put_date (text, 188, c->valid_from, FALSE), "valid-from");
      PUT (put_date (text, 204, c->valid_to, TRUE), "valid-to");
      PUT (put_date (text, 220, c->birth_date, FALSE), "birth date");
      PUT (put (text, 236, 4, c->card_version), "card version too long");
      PUT (put (text, 240, 8, c->authority_code), "authority code too long");
      PUT (put (text, FLAG_OFFSET, 2, "I"), "flag");
      break;
    case SAM_CARD_FOREIGN_2023:
      {
        const char *en = c->name_en ? c->name_en : "";
        glong n = g_utf8_strlen (en, -1);
        g_autofree char *first = g_utf8_substring (en, 0, MIN (n, 35));
        g_autofree char *rest = g_utf8_substring (en, MIN (n, 35), n);

        PUT (put (text, 0, 30, c->name), "name too long");
        PUT (put (text, 30, 2, gender), "gender");
        PUT (put_count (text, 32, c->renewal_count), "renewal count");
        PUT (put_date (text, 36, c->birth_date, FALSE), "birth date");
        PUT (put (text, 52, 70, first), "English name");
        PUT (put (text, 122, 36, c->id_number), "card number too long");
        PUT (put_date (text, 188, c->valid_from, FALSE), "valid-from");
        PUT (put_date (text, 204, c->valid_to, TRUE), "valid-to");
        PUT (put (text, 220, 22, rest), "English name too long");
        PUT (put (text, 242, 6, c->nationality), "nationality too long");
        PUT (put (text, FLAG_OFFSET, 2, "Y"), "flag");
        break;
      }
    default:
      FAIL ("unknown card type");
    }
  return TRUE;
}

GByteArray *
sam_build_read_reply (const SamCard *card, gboolean with_fingerprint, const char **why)
{
  gsize fp_len = with_fingerprint ? 1024 : 0;
  gsize head = with_fingerprint ? 6 : 4;
  gsize n = head + SAM_TEXT_LEN + SAM_PHOTO_LEN + fp_len;
  g_autofree guint8 *data = g_malloc0 (n);
  GByteArray *frame;

  data[0] = SAM_TEXT_LEN >> 8;
  data[1] = SAM_TEXT_LEN & 0xFF;
  data[2] = SAM_PHOTO_LEN >> 8;
  data[3] = SAM_PHOTO_LEN & 0xFF;
  if (with_fingerprint)
    {
      data[4] = fp_len >> 8;
      data[5] = fp_len & 0xFF;
    }
  if (!sam_encode_text (card, data + head, why))
    {
      explicit_bzero (data, n);
      return NULL;
    }
  /* "WLT" filler: a recognisable header and a byte ramp. */
  for (gsize i = 0; i < SAM_PHOTO_LEN; i++)
    data[head + SAM_TEXT_LEN + i] = (guint8) (i * 7 + 1);
  data[head + SAM_TEXT_LEN] = 'W';
  data[head + SAM_TEXT_LEN + 1] = 'L';
  for (gsize t = 0; t < fp_len / 512; t++)
    {
      guint8 *fp = data + head + SAM_TEXT_LEN + SAM_PHOTO_LEN + t * 512;
      fp[0] = 'C';
      fp[4] = 0x01;        /* registered */
      fp[5] = t ? 16 : 11; /* left thumb, right thumb */
      fp[6] = 80;          /* quality */
    }
  frame = sam_build_reply (0, 0, SAM_SW3_OK, data, n);
  explicit_bzero (data, n);
  return frame;
}
