/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kiosk-certificate.h"
#include "kiosk-domain-codec.h"

/* Caps of one document (docs/platform-api.md, 证明打印). */
#define MAX_ANSWER_BYTES (256 * 1024)
#define MAX_DEPTH 8
#define MAX_TITLE 64
#define MAX_DEPARTMENT 100
#define MAX_BODY 1500
#define MAX_LINES 30
#define MAX_LABEL 32
#define MAX_VALUE 200

void
kiosk_certificate_free (KioskCertificate *cert)
{
  if (cert == NULL)
    return;
  g_free (cert->code);
  g_free (cert->kind);
  g_free (cert->title);
  g_free (cert->department);
  g_free (cert->issued_date);
  if (cert->body)
    explicit_bzero (cert->body, strlen (cert->body));
  g_free (cert->body);
  g_clear_pointer (&cert->fields, g_ptr_array_unref);
  g_free (cert);
}

static void
field_free (KioskCertificateField *f)
{
  if (f->value)
    explicit_bzero (f->value, strlen (f->value));
  g_free (f->label);
  g_free (f->value);
  g_free (f);
}

static GPtrArray *
fields_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
}

KioskCertificate *
kiosk_certificate_copy (const KioskCertificate *c)
{
  KioskCertificate *out = g_new0 (KioskCertificate, 1);

  out->code = g_strdup (c->code);
  out->kind = g_strdup (c->kind);
  out->title = g_strdup (c->title);
  out->department = g_strdup (c->department);
  out->issued_date = g_strdup (c->issued_date);
  out->body = g_strdup (c->body);
  out->prints = c->prints;
  out->printed_today = c->printed_today;
  out->fields = fields_new ();
  for (guint i = 0; c->fields && i < c->fields->len; i++)
    {
      const KioskCertificateField *f = c->fields->pdata[i];
      KioskCertificateField *g = g_new0 (KioskCertificateField, 1);
      g->label = g_strdup (f->label);
      g->value = g_strdup (f->value);
      g_ptr_array_add (out->fields, g);
    }
  return out;
}

/* A string member of 1..@max characters passing the text rules. */
static const char *
text (JsonObject *o, const char *member, guint max, gboolean newline)
{
  JsonNode *n = json_object_get_member (o, member);
  const char *s;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  s = json_node_get_string (n);
  if (*s == '\0' || !kiosk_domain_text_ok (s, newline) || g_utf8_strlen (s, -1) > (glong) max)
    return NULL;
  return s;
}

static gboolean
code_ok (const char *s)
{
  gsize n = s ? strlen (s) : 0;

  if (n < 4 || n > 64)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum (*s) && *s != '-')
      return FALSE;
  return TRUE;
}

static gboolean
kind_ok (const char *s)
{
  if (s == NULL || strlen (s) > 64)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_islower (*s) && *s != '_')
      return FALSE;
  return TRUE;
}

static gboolean
date_ok (const char *s)
{
  g_autoptr (GDateTime) d = NULL;
  g_autofree char *iso = NULL;

  if (s == NULL || strlen (s) != 10)
    return FALSE;
  iso = g_strconcat (s, "T00:00:00Z", NULL);
  d = g_date_time_new_from_iso8601 (iso, NULL);
  return d != NULL;
}

/* An optional count member: absent or null is 0; otherwise an integer
 * 0..100000. */
static gboolean
count (JsonObject *o, const char *member, guint *out)
{
  JsonNode *n = json_object_get_member (o, member);
  gint64 v;

  *out = 0;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (n);
  if (v < 0 || v > 100000)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static guint
count_lines (const char *s)
{
  guint n = 1;

  for (; *s; s++)
    n += *s == '\n';
  return n;
}

static KioskCertificate *
decode_one (JsonNode *node)
{
  g_autoptr (KioskCertificate) c = NULL;
  JsonObject *o;
  JsonNode *fields;
  const char *code, *kind, *title, *department, *date, *body;
  guint lines;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  code = text (o, "code", 64, FALSE);
  kind = text (o, "kind", 64, FALSE);
  title = text (o, "title", MAX_TITLE, FALSE);
  department = text (o, "department", MAX_DEPARTMENT, FALSE);
  date = text (o, "issued_date", 10, FALSE);
  body = text (o, "body", MAX_BODY, TRUE);
  if (!code_ok (code) || !kind_ok (kind) || title == NULL || department == NULL || !date_ok (date) || body == NULL)
    return NULL;
  c = g_new0 (KioskCertificate, 1);
  c->code = g_strdup (code);
  c->kind = g_strdup (kind);
  c->title = g_strdup (title);
  c->department = g_strdup (department);
  c->issued_date = g_strdup (date);
  c->body = g_strdup (body);
  c->fields = fields_new ();
  if (!count (o, "prints", &c->prints) || !count (o, "printed_today", &c->printed_today)
      || c->printed_today > c->prints)
    return NULL;
  lines = count_lines (body);
  fields = json_object_get_member (o, "fields");
  if (fields && !JSON_NODE_HOLDS_NULL (fields))
    {
      JsonArray *a;
      if (!JSON_NODE_HOLDS_ARRAY (fields))
        return NULL;
      a = json_node_get_array (fields);
      if (json_array_get_length (a) > KIOSK_CERTIFICATE_MAX_FIELDS)
        return NULL;
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          const char *label, *value;
          KioskCertificateField *f;
          if (!JSON_NODE_HOLDS_OBJECT (e))
            return NULL;
          label = text (json_node_get_object (e), "label", MAX_LABEL, FALSE);
          value = text (json_node_get_object (e), "value", MAX_VALUE, FALSE);
          if (label == NULL || value == NULL)
            return NULL;
          f = g_new0 (KioskCertificateField, 1);
          f->label = g_strdup (label);
          f->value = g_strdup (value);
          g_ptr_array_add (c->fields, f);
        }
    }
  /* The body and the field lines must fit the printed page. */
  if (lines + c->fields->len > MAX_LINES)
    return NULL;
  {
    glong chars = g_utf8_strlen (body, -1);
    for (guint i = 0; i < c->fields->len; i++)
      {
        const KioskCertificateField *f = c->fields->pdata[i];
        chars += 2 + g_utf8_strlen (f->label, -1) + g_utf8_strlen (f->value, -1);
      }
    if (chars > MAX_BODY)
      return NULL;
  }
  return g_steal_pointer (&c);
}

/* The deepest nesting of @text (brackets in strings do not count). */
static gboolean
depth_ok (const char *text_, gsize len, guint max)
{
  guint depth = 0;
  gboolean in_string = FALSE, escaped = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char ch = text_[i];
      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (ch == '\\')
            escaped = TRUE;
          else if (ch == '"')
            in_string = FALSE;
        }
      else if (ch == '"')
        in_string = TRUE;
      else if (ch == '[' || ch == '{')
        {
          if (++depth > max)
            return FALSE;
        }
      else if ((ch == ']' || ch == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

GPtrArray *
kiosk_certificate_list_decode (const char *json, guint *skipped, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GPtrArray) out = NULL;
  JsonNode *root, *docs;
  gsize len = json ? strlen (json) : 0;
  guint n_skipped = 0;

  if (skipped)
    *skipped = 0;
  if (json == NULL || len > MAX_ANSWER_BYTES || !g_utf8_validate (json, (gssize) len, NULL))
    {
      g_set_error (error, KIOSK_DOMAIN_ERROR,
                   json && len > MAX_ANSWER_BYTES ? KIOSK_DOMAIN_ERROR_TOO_LARGE : KIOSK_DOMAIN_ERROR_ENCODING,
                   "documents: no UTF-8 answer of at most %d bytes", MAX_ANSWER_BYTES);
      return NULL;
    }
  if (!depth_ok (json, len, MAX_DEPTH))
    {
      g_set_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_TOO_LARGE, "documents: nested deeper than %d",
                   MAX_DEPTH);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, json, (gssize) len, NULL) || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root)
      || (docs = json_object_get_member (json_node_get_object (root), "documents")) == NULL
      || !JSON_NODE_HOLDS_ARRAY (docs))
    {
      g_set_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_SYNTAX, "documents: expected {\"documents\": [...]}");
      return NULL;
    }
  if (json_array_get_length (json_node_get_array (docs)) > KIOSK_CERTIFICATE_MAX_DOCUMENTS)
    {
      g_set_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_TOO_LARGE, "documents: more than %d",
                   KIOSK_CERTIFICATE_MAX_DOCUMENTS);
      return NULL;
    }
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_certificate_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (docs)); i++)
    {
      KioskCertificate *c = decode_one (json_array_get_element (json_node_get_array (docs), i));
      gboolean duplicate = FALSE;
      for (guint k = 0; c && k < out->len; k++)
        duplicate |= g_str_equal (((KioskCertificate *) out->pdata[k])->code, c->code);
      if (c == NULL || duplicate)
        {
          kiosk_certificate_free (c);
          n_skipped++;
          continue;
        }
      g_ptr_array_add (out, c);
    }
  if (skipped)
    *skipped = n_skipped;
  return g_steal_pointer (&out);
}

JsonObject *
kiosk_certificate_to_print_data (const KioskCertificate *c, const char *reprint_reason)
{
  JsonObject *o = json_object_new ();
  GString *body = g_string_new (c->body);

  for (guint i = 0; c->fields && i < c->fields->len; i++)
    {
      const KioskCertificateField *f = c->fields->pdata[i];
      g_string_append_printf (body, "\n%s：%s", f->label, f->value);
    }
  json_object_set_string_member (o, "title", c->title);
  json_object_set_string_member (o, "body", body->str);
  json_object_set_string_member (o, "issuer", c->department);
  json_object_set_string_member (o, "issued_date", c->issued_date);
  json_object_set_string_member (o, "verification_ref", c->code);
  json_object_set_string_member (o, "watermark", KIOSK_CERTIFICATE_WATERMARK);
  if (reprint_reason && *reprint_reason)
    json_object_set_string_member (o, "reprint_reason", reprint_reason);
  explicit_bzero (body->str, body->len);
  g_string_free (body, TRUE);
  return o;
}

gboolean
kiosk_certificate_not_offered (const char *not_offered_json, const char *query, char **matched, char **where)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *q = NULL;
  JsonObject *o;
  JsonArray *a;

  if (matched)
    *matched = NULL;
  if (where)
    *where = NULL;
  if (not_offered_json == NULL || query == NULL || !g_utf8_validate (query, -1, NULL)
      || !json_parser_load_from_data (parser, not_offered_json, -1, NULL) || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  q = g_strstrip (g_strdup (query));
  /* "开…证明" and "…证明" name the same proof as the list's "…". */
  if (g_str_has_suffix (q, "证明") && g_utf8_strlen (q, -1) > 3)
    q[strlen (q) - strlen ("证明")] = '\0';
  if (g_str_has_prefix (q, "开"))
    memmove (q, q + strlen ("开"), strlen (q) - strlen ("开") + 1);
  if (g_utf8_strlen (q, -1) < 2)
    return FALSE;
  o = json_node_get_object (json_parser_get_root (parser));
  a = json_object_get_array_member (o, "in_person_only");
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      const char *name, *w;
      if (!JSON_NODE_HOLDS_OBJECT (e))
        continue;
      name = json_object_get_string_member_with_default (json_node_get_object (e), "name", NULL);
      w = json_object_get_string_member_with_default (json_node_get_object (e), "where", NULL);
      if (name && w && *name && (strstr (name, q) || strstr (q, name)) && kiosk_domain_text_ok (name, FALSE)
          && kiosk_domain_text_ok (w, FALSE))
        {
          if (matched)
            *matched = g_strdup (name);
          if (where)
            *where = g_strdup (w);
          return TRUE;
        }
    }
  a = json_object_get_array_member (o, "proofs");
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      const char *name;
      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        continue;
      name = json_node_get_string (e);
      if (*name && (strstr (name, q) || strstr (q, name)) && kiosk_domain_text_ok (name, FALSE))
        {
          if (matched)
            *matched = g_strdup (name);
          return TRUE;
        }
    }
  return FALSE;
}
