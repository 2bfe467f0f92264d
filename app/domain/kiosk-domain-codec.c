/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON codec of the domain objects (kiosk-domain-codec.h).
 *
 * Caps (characters, not bytes; lists in items):
 *   code 32, name 200, department 100, category 50, alias 50 (32 aliases),
 *   item type / case type names 50, level 32, handling 200, time limit
 *   note 200, fee text 200, legal basis 2000, source 4000, material name
 *   200 (64 materials), material note 1000, field id 64 ([a-z0-9_]),
 *   label 100 (64 fields), choice 100 (64 choices), commitment texts 2000,
 *   deferral texts 1000, region code 12 (digits), region name 100, where
 *   to apply 200; a case's values 200 (KIOSK_DOMAIN_MAX_VALUE_CHARS),
 *   names 100, ID numbers 32, dates 10, 64 pages per material.
 * Numbers: time limit 0-3650 days, deferral 1-365 days, fee 0-1,000,000
 * yuan. json-glib is only handed input that is UTF-8, within its size cap
 * and nested at most KIOSK_DOMAIN_MAX_DEPTH deep, and every string it
 * returns is checked again (json-glib 1.6 reads "\631" as an octal byte). */
#define G_LOG_DOMAIN "kiosk-domain"
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kiosk-domain-codec.h"
#include "kiosk-domain-private.h"

G_DEFINE_QUARK (kiosk - domain - error - quark, kiosk_domain_error)

#define SIGNATURE_NAME "告知承诺书签名"

/* ---- text and structure checks ------------------------------------------ */

gboolean
kiosk_domain_text_ok (const char *s, gboolean allow_newline)
{
  if (s == NULL || !g_utf8_validate (s, -1, NULL))
    return FALSE;
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType t;

      if (c == '\n' && allow_newline)
        continue;
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        return FALSE;
      t = g_unichar_type (c);
      if (t == G_UNICODE_FORMAT || t == G_UNICODE_LINE_SEPARATOR || t == G_UNICODE_PARAGRAPH_SEPARATOR
          || t == G_UNICODE_SURROGATE || t == G_UNICODE_UNASSIGNED)
        return FALSE;
    }
  return TRUE;
}

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

/* Every member name is UTF-8 without control characters; every string
 * UTF-8 (the member's own rules check the rest). */
static gboolean
all_utf8 (JsonNode *node)
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
        if (!all_utf8 (json_array_get_element (a, i)))
          return FALSE;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if (!kiosk_domain_text_ok (name, FALSE) || !all_utf8 (member))
          return FALSE;
    }
  return TRUE;
}

/* Parses @data into a root node of the given kind after the size, encoding
 * and depth checks. */
static JsonNode *
parse (const char *data, gsize len, gsize max_bytes, gboolean want_object, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local = NULL;
  JsonNode *root;

  if (data == NULL)
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_SYNTAX, "no data");
      return NULL;
    }
  if (len > max_bytes)
    {
      g_set_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_TOO_LARGE,
                   "%" G_GSIZE_FORMAT " bytes: at most %" G_GSIZE_FORMAT, len, max_bytes);
      return NULL;
    }
  if (!g_utf8_validate (data, (gssize) len, NULL))
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_ENCODING, "not UTF-8 (or a NUL byte)");
      return NULL;
    }
  if (json_depth (data, len, KIOSK_DOMAIN_MAX_DEPTH) > KIOSK_DOMAIN_MAX_DEPTH)
    {
      g_set_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_TOO_LARGE, "nested more than %d levels deep",
                   KIOSK_DOMAIN_MAX_DEPTH);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      g_set_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_SYNTAX, "not JSON: %s", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || (want_object ? !JSON_NODE_HOLDS_OBJECT (root) : FALSE))
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_SYNTAX, "not a JSON object");
      return NULL;
    }
  if (!all_utf8 (root))
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_ENCODING,
                           "a string or member name is not clean UTF-8");
      return NULL;
    }
  return json_node_ref (root);
}

/* ---- member readers ------------------------------------------------------ */

/* Where a member is, for error messages ("materials[2].name"). */
typedef struct {
  const char *prefix; /* "" or "materials[2]." */
} Ctx;

static void
fail (GError **error, int code, const Ctx *ctx, const char *member, const char *what)
{
  g_set_error (error, KIOSK_DOMAIN_ERROR, code, "%s%s: %s", ctx ? ctx->prefix : "", member, what);
}

static JsonNode *
member_node (JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;
  return n && !JSON_NODE_HOLDS_NULL (n) ? n : NULL;
}

/* A string member: absent or null is NULL (an error when @required);
 * otherwise a string of 1..@max characters passing the text rules. */
static gboolean
get_string (JsonObject *o, const char *member, gboolean required, guint max, gboolean newline, const Ctx *ctx,
            char **out, GError **error)
{
  JsonNode *n = member_node (o, member);
  const char *s;

  *out = NULL;
  if (n == NULL)
    {
      if (required)
        fail (error, KIOSK_DOMAIN_ERROR_MISSING, ctx, member, "missing");
      return !required;
    }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, ctx, member, "not a string");
      return FALSE;
    }
  s = json_node_get_string (n);
  if (!kiosk_domain_text_ok (s, newline))
    {
      fail (error, KIOSK_DOMAIN_ERROR_ENCODING, ctx, member, "control or format characters");
      return FALSE;
    }
  if (g_utf8_strlen (s, -1) > (glong) max)
    {
      fail (error, KIOSK_DOMAIN_ERROR_TOO_LARGE, ctx, member, "too long");
      return FALSE;
    }
  if (*s == '\0')
    {
      if (required)
        fail (error, KIOSK_DOMAIN_ERROR_MISSING, ctx, member, "empty");
      return !required;
    }
  *out = g_strdup (s);
  return TRUE;
}

static gboolean
get_bool (JsonObject *o, const char *member, gboolean fallback, const Ctx *ctx, gboolean *out, GError **error)
{
  JsonNode *n = member_node (o, member);

  *out = fallback;
  if (n == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, ctx, member, "not true or false");
      return FALSE;
    }
  *out = json_node_get_boolean (n);
  return TRUE;
}

static gboolean
get_flag (JsonObject *o, const char *member, const Ctx *ctx, KioskFlag *out, GError **error)
{
  gboolean b;

  *out = KIOSK_FLAG_UNSTATED;
  if (member_node (o, member) == NULL)
    return TRUE;
  if (!get_bool (o, member, FALSE, ctx, &b, error))
    return FALSE;
  *out = b ? KIOSK_FLAG_YES : KIOSK_FLAG_NO;
  return TRUE;
}

/* An integer in [min, max]; absent or null leaves *out as @fallback. */
static gboolean
get_int (JsonObject *o, const char *member, gboolean required, gint64 min, gint64 max, gint64 fallback, const Ctx *ctx,
         gint64 *out, GError **error)
{
  JsonNode *n = member_node (o, member);

  *out = fallback;
  if (n == NULL)
    {
      if (required)
        fail (error, KIOSK_DOMAIN_ERROR_MISSING, ctx, member, "missing");
      return !required;
    }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, ctx, member, "not an integer");
      return FALSE;
    }
  if (json_node_get_int (n) < min || json_node_get_int (n) > max)
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, ctx, member, "out of range");
      return FALSE;
    }
  *out = json_node_get_int (n);
  return TRUE;
}

/* An object member (NULL when absent or null). */
static gboolean
get_object (JsonObject *o, const char *member, gboolean required, const Ctx *ctx, JsonObject **out, GError **error)
{
  JsonNode *n = member_node (o, member);

  *out = NULL;
  if (n == NULL)
    {
      if (required)
        fail (error, KIOSK_DOMAIN_ERROR_MISSING, ctx, member, "missing");
      return !required;
    }
  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, ctx, member, "not an object");
      return FALSE;
    }
  *out = json_node_get_object (n);
  return TRUE;
}

static gboolean
get_array (JsonObject *o, const char *member, gboolean required, guint max, const Ctx *ctx, JsonArray **out,
           GError **error)
{
  JsonNode *n = member_node (o, member);

  *out = NULL;
  if (n == NULL)
    {
      if (required)
        fail (error, KIOSK_DOMAIN_ERROR_MISSING, ctx, member, "missing");
      return !required;
    }
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, ctx, member, "not a list");
      return FALSE;
    }
  if (json_array_get_length (json_node_get_array (n)) > max)
    {
      fail (error, KIOSK_DOMAIN_ERROR_TOO_LARGE, ctx, member, "too many entries");
      return FALSE;
    }
  *out = json_node_get_array (n);
  return TRUE;
}

/* A list of strings, each 1..@max_chars. */
static gboolean
get_strv (JsonObject *o, const char *member, guint max_items, guint max_chars, const Ctx *ctx, char ***out,
          GError **error)
{
  JsonArray *a;
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  *out = NULL;
  if (!get_array (o, member, FALSE, max_items, ctx, &a, error))
    return FALSE;
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      const char *s = JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
                          ? json_node_get_string (n)
                          : NULL;
      if (s == NULL || *s == '\0')
        {
          fail (error, KIOSK_DOMAIN_ERROR_INVALID, ctx, member, "an entry is not a non-empty string");
          return FALSE;
        }
      if (!kiosk_domain_text_ok (s, FALSE))
        {
          fail (error, KIOSK_DOMAIN_ERROR_ENCODING, ctx, member, "control or format characters");
          return FALSE;
        }
      if (g_utf8_strlen (s, -1) > (glong) max_chars)
        {
          fail (error, KIOSK_DOMAIN_ERROR_TOO_LARGE, ctx, member, "an entry is too long");
          return FALSE;
        }
      g_strv_builder_add (b, s);
    }
  *out = g_strv_builder_end (b);
  return TRUE;
}

static gboolean
is_token (const char *s, const char *extra)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
      return FALSE;
  return TRUE;
}

/* ---- catalog items ------------------------------------------------------- */

static gboolean
decode_material (JsonNode *n, guint index, KioskMaterial *m, GError **error)
{
  g_autofree char *prefix = g_strdup_printf ("materials[%u].", index);
  Ctx ctx = { prefix };
  JsonObject *o;
  g_autofree char *by = NULL;
  int v;

  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, NULL, prefix, "not an object");
      return FALSE;
    }
  o = json_node_get_object (n);
  if (!get_string (o, "name", TRUE, 200, FALSE, &ctx, &m->name, error)
      || !get_bool (o, "required", TRUE, &ctx, &m->required, error)
      || !get_string (o, "provided_by", TRUE, 32, FALSE, &ctx, &by, error)
      || !get_bool (o, "deferrable", FALSE, &ctx, &m->deferrable, error)
      || !get_string (o, "note", FALSE, 1000, TRUE, &ctx, &m->note, error)
      || !get_flag (o, "village_may_issue", &ctx, &m->village_may_issue, error)
      || !get_string (o, "replaced_by", FALSE, 64, FALSE, &ctx, &m->replaced_by, error))
    return FALSE;
  v = kiosk_provided_by_from_string (by);
  if (v < 0)
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, &ctx, "provided_by", "unknown value");
      return FALSE;
    }
  m->provided_by = (KioskProvidedBy) v;
  return TRUE;
}

/* The prefill a field asks for by its id, when the catalog names none. */
static KioskPrefill
prefill_by_id (const char *id)
{
  static const struct {
    const char *id;
    KioskPrefill prefill;
  } ids[] = {
    { "name", KIOSK_PREFILL_NAME },
    { "applicant_name", KIOSK_PREFILL_NAME },
    { "id_number", KIOSK_PREFILL_ID_NUMBER },
    { "applicant_id_number", KIOSK_PREFILL_ID_NUMBER },
    { "gender", KIOSK_PREFILL_GENDER },
    { "applicant_gender", KIOSK_PREFILL_GENDER },
    { "birth_date", KIOSK_PREFILL_BIRTH_DATE },
    { "date_of_birth", KIOSK_PREFILL_BIRTH_DATE },
    { "applicant_birth_date", KIOSK_PREFILL_BIRTH_DATE },
    { "address", KIOSK_PREFILL_ADDRESS },
    { "applicant_address", KIOSK_PREFILL_ADDRESS },
    { "household_address", KIOSK_PREFILL_ADDRESS },
  };
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    if (g_str_equal (ids[i].id, id))
      return ids[i].prefill;
  return KIOSK_PREFILL_NONE;
}

static gboolean
decode_field (JsonNode *n, guint index, KioskFormField *f, GError **error)
{
  g_autofree char *prefix = g_strdup_printf ("form_fields[%u].", index);
  Ctx ctx = { prefix };
  JsonObject *o;
  g_autofree char *type = NULL;
  g_autofree char *prefill = NULL;
  int v;

  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, NULL, prefix, "not an object");
      return FALSE;
    }
  o = json_node_get_object (n);
  if (!get_string (o, "id", TRUE, 64, FALSE, &ctx, &f->id, error)
      || !get_string (o, "label", TRUE, 100, FALSE, &ctx, &f->label, error)
      || !get_string (o, "type", TRUE, 32, FALSE, &ctx, &type, error)
      || !get_bool (o, "required", FALSE, &ctx, &f->required, error)
      || !get_string (o, "prefill", FALSE, 32, FALSE, &ctx, &prefill, error)
      || !get_bool (o, "past_only", FALSE, &ctx, &f->past_only, error))
    return FALSE;
  for (const char *p = f->id; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      {
        fail (error, KIOSK_DOMAIN_ERROR_INVALID, &ctx, "id", "not [a-z0-9_]");
        return FALSE;
      }
  v = kiosk_field_type_from_string (type);
  if (v < 0)
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, &ctx, "type", "unknown value");
      return FALSE;
    }
  f->type = (KioskFieldType) v;
  if (f->type == KIOSK_FIELD_CHOICE)
    {
      if (!get_strv (o, "choices", KIOSK_DOMAIN_MAX_CHOICES, 100, &ctx, &f->choices, error))
        return FALSE;
      if (f->choices == NULL || f->choices[0] == NULL)
        {
          fail (error, KIOSK_DOMAIN_ERROR_MISSING, &ctx, "choices", "a choice field without choices");
          return FALSE;
        }
    }
  if (prefill)
    {
      v = kiosk_prefill_from_string (prefill);
      if (v < 0)
        {
          fail (error, KIOSK_DOMAIN_ERROR_INVALID, &ctx, "prefill", "unknown value");
          return FALSE;
        }
      f->prefill = (KioskPrefill) v;
    }
  else
    f->prefill = prefill_by_id (f->id);
  if (f->prefill == KIOSK_PREFILL_BIRTH_DATE)
    f->past_only = TRUE;
  if (f->past_only && f->type != KIOSK_FIELD_DATE)
    f->past_only = FALSE;
  return TRUE;
}

static gboolean
decode_commitment (JsonObject *o, KioskCatalogItem *item, GError **error)
{
  Ctx ctx = { "commitment." };
  JsonObject *c;
  KioskCommitmentRule *r;

  if (item->commitment_allowed != KIOSK_FLAG_YES)
    return TRUE;
  if (!get_object (o, "commitment", TRUE, NULL, &c, error))
    return FALSE;
  r = item->commitment = g_new0 (KioskCommitmentRule, 1);
  return get_string (c, "proof", TRUE, 2000, TRUE, &ctx, &r->proof, error)
         && get_string (c, "content", TRUE, 2000, TRUE, &ctx, &r->content, error)
         && get_string (c, "basis", TRUE, 2000, TRUE, &ctx, &r->basis, error)
         && get_string (c, "liability", TRUE, 2000, TRUE, &ctx, &r->liability, error)
         && get_string (c, "excluded", FALSE, 2000, TRUE, &ctx, &r->excluded, error)
         && get_string (c, "withdrawable", FALSE, 2000, TRUE, &ctx, &r->withdrawable, error)
         && get_string (c, "source_grade", FALSE, 8, FALSE, &ctx, &r->source_grade, error);
}

static gboolean
decode_deferral (JsonObject *o, KioskCatalogItem *item, GError **error)
{
  Ctx ctx = { "deferral." };
  JsonObject *d;
  gint64 days;

  if (item->deferral_allowed != KIOSK_FLAG_YES)
    return TRUE;
  if (!get_object (o, "deferral", TRUE, NULL, &d, error))
    return FALSE;
  item->deferral = g_new0 (KioskDeferralRule, 1);
  if (!get_int (d, "deadline_days", TRUE, 1, 365, 0, &ctx, &days, error)
      || !get_string (d, "consequence", TRUE, 1000, TRUE, &ctx, &item->deferral->consequence, error)
      || !get_string (d, "source", FALSE, 200, FALSE, &ctx, &item->deferral->source, error))
    return FALSE;
  item->deferral->deadline_days = (int) days;
  return TRUE;
}

static gboolean
decode_item_object (JsonObject *o, KioskCatalogItem *it, GError **error)
{
  JsonObject *sub;
  JsonArray *a;
  gint64 n;
  Ctx none = { "" };

  if (!get_string (o, "code", TRUE, 32, FALSE, NULL, &it->code, error))
    return FALSE;
  if (!is_token (it->code, "-_"))
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, NULL, "code", "not [A-Za-z0-9_-]");
      return FALSE;
    }
  if (!get_string (o, "name", TRUE, 200, FALSE, NULL, &it->name, error)
      || !get_string (o, "department", TRUE, 100, FALSE, NULL, &it->department, error)
      || !get_string (o, "category", FALSE, 50, FALSE, NULL, &it->category, error))
    return FALSE;
  if (it->category == NULL)
    it->category = g_strdup (it->department);
  g_strfreev (it->aliases);
  if (!get_strv (o, "aliases", KIOSK_DOMAIN_MAX_ALIASES, 50, NULL, &it->aliases, error))
    return FALSE;
  if (it->aliases == NULL)
    it->aliases = g_new0 (char *, 1);

  if (!get_object (o, "item_type", FALSE, NULL, &sub, error))
    return FALSE;
  if (sub)
    {
      Ctx c = { "item_type." };
      if (!get_string (sub, "code", FALSE, 8, FALSE, &c, &it->item_type_code, error)
          || !get_string (sub, "name", FALSE, 50, FALSE, &c, &it->item_type_name, error))
        return FALSE;
    }
  if (!get_string (o, "level", FALSE, 32, FALSE, NULL, &it->level, error)
      || !get_string (o, "handling", FALSE, 200, FALSE, NULL, &it->handling, error)
      || !get_object (o, "case_type", FALSE, NULL, &sub, error))
    return FALSE;
  if (sub)
    {
      Ctx c = { "case_type." };
      if (!get_int (sub, "code", FALSE, 0, 9, 0, &c, &n, error)
          || !get_string (sub, "name", FALSE, 50, FALSE, &c, &it->case_type_name, error))
        return FALSE;
      it->case_type_code = (int) n;
    }
  if (!get_int (o, "time_limit_days", FALSE, 0, 3650, -1, NULL, &n, error)
      || !get_string (o, "time_limit_note", FALSE, 200, FALSE, NULL, &it->time_limit_note, error))
    return FALSE;
  it->time_limit_days = (int) n;

  if (!get_object (o, "fee", FALSE, NULL, &sub, error))
    return FALSE;
  if (sub)
    {
      Ctx c = { "fee." };
      JsonNode *amount = member_node (sub, "amount_yuan");
      if (amount)
        {
          double yuan;
          if (!JSON_NODE_HOLDS_VALUE (amount)
              || (json_node_get_value_type (amount) != G_TYPE_INT64
                  && json_node_get_value_type (amount) != G_TYPE_DOUBLE))
            {
              fail (error, KIOSK_DOMAIN_ERROR_INVALID, &c, "amount_yuan", "not a number");
              return FALSE;
            }
          yuan = json_node_get_double (amount);
          if (!(yuan >= 0 && yuan <= 1000000))
            {
              fail (error, KIOSK_DOMAIN_ERROR_INVALID, &c, "amount_yuan", "out of range");
              return FALSE;
            }
          it->fee.amount_fen = (gint64) (yuan * 100 + 0.5);
        }
      if (!get_string (sub, "text", FALSE, 200, FALSE, &c, &it->fee.text, error)
          || !get_bool (sub, "stated", FALSE, &c, &it->fee.stated, error))
        return FALSE;
    }
  if (!get_string (o, "legal_basis", FALSE, 2000, TRUE, NULL, &it->legal_basis, error))
    return FALSE;

  if (!get_array (o, "materials", TRUE, KIOSK_DOMAIN_MAX_MATERIALS, NULL, &a, error))
    return FALSE;
  it->materials = g_new0 (KioskMaterial, json_array_get_length (a) + 1);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      it->n_materials = i + 1;
      if (!decode_material (json_array_get_element (a, i), i, &it->materials[i], error))
        return FALSE;
      if (kiosk_catalog_item_find_material (it, it->materials[i].name) != (int) i)
        {
          fail (error, KIOSK_DOMAIN_ERROR_INVALID, NULL, "materials", "two materials with one name");
          return FALSE;
        }
    }

  if (!get_array (o, "form_fields", FALSE, KIOSK_DOMAIN_MAX_FIELDS, NULL, &a, error))
    return FALSE;
  it->form_fields = g_new0 (KioskFormField, (a ? json_array_get_length (a) : 0) + 1);
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      it->n_form_fields = i + 1;
      if (!decode_field (json_array_get_element (a, i), i, &it->form_fields[i], error))
        return FALSE;
      if (kiosk_catalog_item_find_field (it, it->form_fields[i].id) != &it->form_fields[i])
        {
          fail (error, KIOSK_DOMAIN_ERROR_INVALID, NULL, "form_fields", "two fields with one id");
          return FALSE;
        }
    }

  if (!get_flag (o, "commitment_allowed", NULL, &it->commitment_allowed, error) || !decode_commitment (o, it, error)
      || !get_flag (o, "deferral_allowed", NULL, &it->deferral_allowed, error) || !decode_deferral (o, it, error))
    return FALSE;

  if (!get_array (o, "delivery", FALSE, 8, NULL, &a, error))
    return FALSE;
  if (a)
    {
      guint methods = 0;
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          const char *s = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
                              ? json_node_get_string (e)
                              : NULL;
          if (s == NULL)
            {
              fail (error, KIOSK_DOMAIN_ERROR_INVALID, NULL, "delivery", "an entry is not a string");
              return FALSE;
            }
          /* A method this kiosk does not know is not offered here. */
          if (g_str_equal (s, "pickup"))
            methods |= KIOSK_DELIVERY_PICKUP;
          else if (g_str_equal (s, "post"))
            methods |= KIOSK_DELIVERY_POST;
        }
      if (methods)
        it->delivery = methods;
    }
  if (!get_flag (o, "proxy_allowed", NULL, &it->proxy_allowed, error)
      || !get_bool (o, "cross_region", FALSE, NULL, &it->cross_region, error))
    return FALSE;
  if (it->cross_region)
    {
      Ctx c = { "handling_region." };
      if (!get_string (o, "cross_region_scope", FALSE, 20, FALSE, NULL, &it->cross_region_scope, error)
          || !get_object (o, "handling_region", TRUE, NULL, &sub, error)
          || !get_string (sub, "code", FALSE, 12, FALSE, &c, &it->handling_region.code, error)
          || !get_string (sub, "name", TRUE, 100, FALSE, &c, &it->handling_region.name, error))
        return FALSE;
      for (const char *p = it->handling_region.code; p && *p; p++)
        if (!g_ascii_isdigit (*p))
          {
            fail (error, KIOSK_DOMAIN_ERROR_INVALID, &c, "code", "not digits");
            return FALSE;
          }
    }
  if (!get_bool (o, "kiosk_accepts", TRUE, NULL, &it->kiosk_accepts, error)
      || !get_string (o, "where_to_apply", !it->kiosk_accepts, 200, FALSE, NULL, &it->where_to_apply, error)
      || !get_string (o, "source", FALSE, 4000, TRUE, &none, &it->source, error))
    return FALSE;
  if (it->kiosk_accepts)
    g_clear_pointer (&it->where_to_apply, g_free);
  return TRUE;
}

static KioskCatalogItem *
decode_item_node (JsonNode *node, GError **error)
{
  KioskCatalogItem *it;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_SYNTAX, "an item is not a JSON object");
      return NULL;
    }
  it = _kiosk_catalog_item_new ();
  if (!decode_item_object (json_node_get_object (node), it, error))
    {
      kiosk_catalog_item_unref (it);
      return NULL;
    }
  return it;
}

KioskCatalogItem *
kiosk_catalog_item_decode (const char *data, gsize len, GError **error)
{
  g_autoptr (JsonNode) root = parse (data, len, KIOSK_DOMAIN_MAX_ITEM_BYTES, TRUE, error);

  return root ? decode_item_node (root, error) : NULL;
}

KioskCatalog *
kiosk_catalog_decode (const char *data, gsize len, GPtrArray **skipped, GError **error)
{
  g_autoptr (JsonNode) root = parse (data, len, KIOSK_DOMAIN_MAX_CATALOG_BYTES, TRUE, error);
  g_autoptr (KioskCatalog) catalog = NULL;
  JsonObject *o;
  JsonArray *items;

  if (skipped)
    *skipped = g_ptr_array_new_with_free_func (g_free);
  if (root == NULL)
    return NULL;
  o = json_node_get_object (root);
  catalog = g_new0 (KioskCatalog, 1);
  catalog->items = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_catalog_item_unref);
  if (!get_string (o, "version", FALSE, 64, FALSE, NULL, &catalog->version, error)
      || !get_array (o, "items", TRUE, KIOSK_DOMAIN_MAX_ITEMS, NULL, &items, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autoptr (GError) local = NULL;
      KioskCatalogItem *it = decode_item_node (json_array_get_element (items, i), &local);

      if (it && kiosk_catalog_find (catalog, it->code))
        {
          g_set_error_literal (&local, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID, "a second item with this code");
          g_clear_pointer (&it, kiosk_catalog_item_unref);
        }
      if (it)
        g_ptr_array_add (catalog->items, it);
      else if (skipped)
        {
          JsonNode *n = json_array_get_element (items, i);
          const char *code = JSON_NODE_HOLDS_OBJECT (n)
                                 ? json_object_get_string_member_with_default (json_node_get_object (n), "code", NULL)
                                 : NULL;
          if (code && kiosk_domain_text_ok (code, FALSE) && strlen (code) <= 32)
            g_ptr_array_add (*skipped, g_strdup_printf ("%s: %s", code, local->message));
          else
            g_ptr_array_add (*skipped, g_strdup_printf ("items[%u]: %s", i, local->message));
        }
    }
  return g_steal_pointer (&catalog);
}

/* ---- encoding items ------------------------------------------------------ */

static void
add_string (JsonBuilder *b, const char *member, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
}

static void
add_flag (JsonBuilder *b, const char *member, KioskFlag flag)
{
  json_builder_set_member_name (b, member);
  if (flag == KIOSK_FLAG_UNSTATED)
    json_builder_add_null_value (b);
  else
    json_builder_add_boolean_value (b, flag == KIOSK_FLAG_YES);
}

static void
add_bool (JsonBuilder *b, const char *member, gboolean value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_boolean_value (b, value);
}

static void
add_strv (JsonBuilder *b, const char *member, char **v)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; v && v[i]; i++)
    json_builder_add_string_value (b, v[i]);
  json_builder_end_array (b);
}

static char *
to_string (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

char *
kiosk_catalog_item_encode (const KioskCatalogItem *it)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (it != NULL, NULL);
  json_builder_begin_object (b);
  add_string (b, "code", it->code);
  add_string (b, "name", it->name);
  add_string (b, "department", it->department);
  add_string (b, "category", it->category);
  add_strv (b, "aliases", it->aliases);
  if (it->item_type_code || it->item_type_name)
    {
      json_builder_set_member_name (b, "item_type");
      json_builder_begin_object (b);
      add_string (b, "code", it->item_type_code);
      add_string (b, "name", it->item_type_name);
      json_builder_end_object (b);
    }
  add_string (b, "level", it->level);
  add_string (b, "handling", it->handling);
  if (it->case_type_code || it->case_type_name)
    {
      json_builder_set_member_name (b, "case_type");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, it->case_type_code);
      add_string (b, "name", it->case_type_name);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "time_limit_days");
  if (it->time_limit_days < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, it->time_limit_days);
  add_string (b, "time_limit_note", it->time_limit_note);
  json_builder_set_member_name (b, "fee");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "amount_yuan");
  if (it->fee.amount_fen % 100 == 0)
    json_builder_add_int_value (b, it->fee.amount_fen / 100);
  else
    json_builder_add_double_value (b, (double) it->fee.amount_fen / 100.0);
  add_string (b, "text", it->fee.text);
  add_bool (b, "stated", it->fee.stated);
  json_builder_end_object (b);
  add_string (b, "legal_basis", it->legal_basis);
  json_builder_set_member_name (b, "materials");
  json_builder_begin_array (b);
  for (guint i = 0; i < it->n_materials; i++)
    {
      const KioskMaterial *m = &it->materials[i];
      json_builder_begin_object (b);
      add_string (b, "name", m->name);
      add_bool (b, "required", m->required);
      add_string (b, "provided_by", kiosk_provided_by_to_string (m->provided_by));
      add_bool (b, "deferrable", m->deferrable);
      add_string (b, "note", m->note);
      if (m->village_may_issue != KIOSK_FLAG_UNSTATED)
        add_flag (b, "village_may_issue", m->village_may_issue);
      add_string (b, "replaced_by", m->replaced_by);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "form_fields");
  json_builder_begin_array (b);
  for (guint i = 0; i < it->n_form_fields; i++)
    {
      const KioskFormField *f = &it->form_fields[i];
      json_builder_begin_object (b);
      add_string (b, "id", f->id);
      add_string (b, "label", f->label);
      add_string (b, "type", kiosk_field_type_to_string (f->type));
      add_bool (b, "required", f->required);
      if (f->choices)
        add_strv (b, "choices", f->choices);
      add_string (b, "prefill", kiosk_prefill_to_string (f->prefill));
      if (f->past_only)
        add_bool (b, "past_only", TRUE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_flag (b, "commitment_allowed", it->commitment_allowed);
  if (it->commitment)
    {
      json_builder_set_member_name (b, "commitment");
      json_builder_begin_object (b);
      add_string (b, "proof", it->commitment->proof);
      add_string (b, "content", it->commitment->content);
      add_string (b, "basis", it->commitment->basis);
      add_string (b, "liability", it->commitment->liability);
      add_string (b, "excluded", it->commitment->excluded);
      add_string (b, "withdrawable", it->commitment->withdrawable);
      add_string (b, "source_grade", it->commitment->source_grade);
      json_builder_end_object (b);
    }
  add_flag (b, "deferral_allowed", it->deferral_allowed);
  if (it->deferral)
    {
      json_builder_set_member_name (b, "deferral");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "deadline_days");
      json_builder_add_int_value (b, it->deferral->deadline_days);
      add_string (b, "consequence", it->deferral->consequence);
      add_string (b, "source", it->deferral->source);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "delivery");
  json_builder_begin_array (b);
  if (it->delivery & KIOSK_DELIVERY_PICKUP)
    json_builder_add_string_value (b, "pickup");
  if (it->delivery & KIOSK_DELIVERY_POST)
    json_builder_add_string_value (b, "post");
  json_builder_end_array (b);
  add_flag (b, "proxy_allowed", it->proxy_allowed);
  add_bool (b, "cross_region", it->cross_region);
  if (it->cross_region)
    {
      add_string (b, "cross_region_scope", it->cross_region_scope);
      json_builder_set_member_name (b, "handling_region");
      json_builder_begin_object (b);
      add_string (b, "code", it->handling_region.code);
      add_string (b, "name", it->handling_region.name);
      json_builder_end_object (b);
    }
  add_bool (b, "kiosk_accepts", it->kiosk_accepts);
  add_string (b, "where_to_apply", it->where_to_apply);
  add_string (b, "source", it->source);
  json_builder_end_object (b);
  return to_string (b);
}

gboolean
kiosk_catalog_item_equal (const KioskCatalogItem *a, const KioskCatalogItem *b)
{
  g_autofree char *ea = NULL;
  g_autofree char *eb = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  /* The encoding carries every member, in a fixed order. */
  ea = kiosk_catalog_item_encode (a);
  eb = kiosk_catalog_item_encode (b);
  return g_str_equal (ea, eb);
}

/* ---- cases ------------------------------------------------------------------ */

static gboolean
check_value (const char *what, const char *value, guint max, GError **error)
{
  if (value == NULL)
    return TRUE;
  if (!kiosk_domain_text_ok (value, FALSE))
    {
      g_set_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_ENCODING, "%s: control or format characters", what);
      return FALSE;
    }
  if (g_utf8_strlen (value, -1) > (glong) max)
    {
      g_set_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_TOO_LARGE, "%s: too long", what);
      return FALSE;
    }
  return TRUE;
}

static const char *
phone_of (const KioskCaseDraft *d)
{
  const KioskCatalogItem *it = kiosk_case_draft_get_item (d);
  const char *v = kiosk_case_draft_get_value (d, "phone");

  for (guint i = 0; v == NULL && i < it->n_form_fields; i++)
    if (it->form_fields[i].type == KIOSK_FIELD_PHONE)
      v = kiosk_case_draft_get_value (d, it->form_fields[i].id);
  return v;
}

char *
kiosk_case_draft_encode (const KioskCaseDraft *d, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  const KioskCatalogItem *it;
  const KioskIdentity *id;
  const KioskRegion *region;
  const char *sig;

  g_return_val_if_fail (d != NULL, NULL);
  it = kiosk_case_draft_get_item (d);
  id = kiosk_case_draft_get_applicant (d);
  if (id == NULL || id->name == NULL || id->id_number == NULL)
    {
      g_set_error_literal (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_MISSING, "applicant: no name or ID number");
      return NULL;
    }
  if (!check_value ("applicant.name", id->name, 100, error)
      || !check_value ("applicant.id_number", id->id_number, 32, error)
      || !check_value ("applicant.address", id->address, KIOSK_DOMAIN_MAX_VALUE_CHARS, error)
      || !check_value ("applicant.birth_date", id->birth_date, 10, error)
      || !check_value ("delivery.address", kiosk_case_draft_get_delivery_address (d), KIOSK_DOMAIN_MAX_VALUE_CHARS,
                       error)
      || !check_value ("agent.name", kiosk_case_draft_get_agent_name (d), 100, error)
      || !check_value ("agent.id_number", kiosk_case_draft_get_agent_id_number (d), 32, error))
    return NULL;
  for (guint i = 0; i < it->n_form_fields; i++)
    {
      g_autofree char *what = g_strdup_printf ("form.%s", it->form_fields[i].id);
      if (!check_value (what, kiosk_case_draft_get_value (d, it->form_fields[i].id), KIOSK_DOMAIN_MAX_VALUE_CHARS,
                        error))
        return NULL;
    }

  json_builder_begin_object (b);
  add_string (b, "item_code", it->code);
  json_builder_set_member_name (b, "applicant");
  json_builder_begin_object (b);
  add_string (b, "name", id->name);
  add_string (b, "id_number", id->id_number);
  add_string (b, "phone", phone_of (d));
  add_string (b, "address", id->address);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "form");
  json_builder_begin_object (b);
  for (guint i = 0; i < it->n_form_fields; i++)
    add_string (b, it->form_fields[i].id, kiosk_case_draft_get_value (d, it->form_fields[i].id));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "commitment");
  sig = kiosk_case_draft_get_signature_sha256 (d);
  if (kiosk_case_draft_get_commitment (d) == KIOSK_COMMITMENT_COMMIT && it->commitment)
    {
      g_autofree char *notice = g_strjoin ("\n", it->commitment->proof, it->commitment->content, it->commitment->basis,
                                           it->commitment->liability, NULL);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, notice, -1);
      g_autofree char *version = g_strdup_printf ("%s:%.16s", it->code, hash);
      json_builder_begin_object (b);
      add_bool (b, "signed", sig != NULL);
      add_string (b, "signature", sig ? SIGNATURE_NAME : NULL);
      add_string (b, "signature_sha256", sig);
      add_string (b, "text_version", version);
      add_string (b, "proof", it->commitment->proof);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "owed_materials");
  json_builder_begin_array (b);
  for (guint i = 0; i < it->n_materials; i++)
    if (kiosk_case_draft_get_material_state (d, i) == KIOSK_MATERIAL_OWED)
      {
        json_builder_begin_object (b);
        add_string (b, "name", it->materials[i].name);
        add_string (b, "due", kiosk_case_draft_get_owed_due (d, i));
        json_builder_end_object (b);
      }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "materials");
  json_builder_begin_array (b);
  for (guint i = 0; i < it->n_materials; i++)
    {
      json_builder_begin_object (b);
      add_string (b, "name", it->materials[i].name);
      add_string (b, "state", kiosk_material_state_to_string (kiosk_case_draft_get_material_state (d, i)));
      json_builder_set_member_name (b, "pages");
      json_builder_begin_array (b);
      for (guint p = 0; p < kiosk_case_draft_get_n_pages (d, i); p++)
        {
          const KioskCaseAttachment *a = kiosk_case_draft_get_page (d, i, p);
          json_builder_begin_object (b);
          add_string (b, "name", a->name);
          add_string (b, "media_type", a->media_type);
          json_builder_set_member_name (b, "size");
          json_builder_add_int_value (b, (gint64) a->size);
          add_string (b, "sha256", a->sha256);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "delivery");
  json_builder_begin_object (b);
  add_string (b, "method", kiosk_case_draft_get_delivery (d) == KIOSK_DELIVERY_POST ? "post" : "pickup");
  add_string (b, "address", kiosk_case_draft_get_delivery_address (d));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "proxy_authorisation");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "agent");
  if (kiosk_case_draft_get_agent_name (d))
    {
      json_builder_begin_object (b);
      add_string (b, "name", kiosk_case_draft_get_agent_name (d));
      add_string (b, "id_number", kiosk_case_draft_get_agent_id_number (d));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "handling_region");
  region = kiosk_case_draft_get_handling_region (d);
  if (region->name || region->code)
    {
      json_builder_begin_object (b);
      add_string (b, "code", region->code);
      add_string (b, "name", region->name);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return to_string (b);
}

static gboolean
is_sha256 (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
is_iso_date (const char *s)
{
  if (s == NULL || strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  return g_date_valid_dmy ((GDateDay) ((s[8] - '0') * 10 + (s[9] - '0')),
                           (GDateMonth) ((s[5] - '0') * 10 + (s[6] - '0')),
                           (GDateYear) ((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0')));
}

static gboolean
decode_case_materials (JsonObject *o, KioskCaseDraft *d, GError **error)
{
  KioskCatalogItem *it = kiosk_case_draft_get_item (d);
  JsonArray *a;

  if (!get_array (o, "materials", FALSE, KIOSK_DOMAIN_MAX_MATERIALS, NULL, &a, error))
    return FALSE;
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("materials[%u].", i);
      Ctx ctx = { prefix };
      JsonNode *n = json_array_get_element (a, i);
      JsonObject *m = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      g_autofree char *name = NULL, *state = NULL;
      JsonArray *pages;
      int index, st;

      if (m == NULL)
        {
          fail (error, KIOSK_DOMAIN_ERROR_INVALID, NULL, prefix, "not an object");
          return FALSE;
        }
      if (!get_string (m, "name", TRUE, 200, FALSE, &ctx, &name, error)
          || !get_string (m, "state", TRUE, 16, FALSE, &ctx, &state, error)
          || !get_array (m, "pages", FALSE, KIOSK_DOMAIN_MAX_PAGES, &ctx, &pages, error))
        return FALSE;
      index = kiosk_catalog_item_find_material (it, name);
      st = kiosk_material_state_from_string (state);
      if (index < 0 || st < 0)
        {
          fail (error, KIOSK_DOMAIN_ERROR_INVALID, &ctx, index < 0 ? "name" : "state", "unknown value");
          return FALSE;
        }
      if (st != KIOSK_MATERIAL_OWED)
        _kiosk_case_draft_restore_material (d, (guint) index, (KioskMaterialState) st, NULL);
      for (guint p = 0; pages && p < json_array_get_length (pages); p++)
        {
          JsonNode *pn = json_array_get_element (pages, p);
          JsonObject *po = JSON_NODE_HOLDS_OBJECT (pn) ? json_node_get_object (pn) : NULL;
          g_autofree char *media = NULL, *sha = NULL, *pname = NULL;
          gint64 size;

          if (po == NULL || !get_string (po, "media_type", TRUE, 64, FALSE, &ctx, &media, error)
              || !get_string (po, "name", FALSE, 220, FALSE, &ctx, &pname, error)
              || !get_string (po, "sha256", TRUE, 64, FALSE, &ctx, &sha, error)
              || !get_int (po, "size", TRUE, 0, G_MAXINT32, 0, &ctx, &size, error))
            {
              if (po == NULL)
                fail (error, KIOSK_DOMAIN_ERROR_INVALID, &ctx, "pages", "an entry is not an object");
              return FALSE;
            }
          if (!is_sha256 (sha))
            {
              fail (error, KIOSK_DOMAIN_ERROR_INVALID, &ctx, "pages", "not a SHA-256");
              return FALSE;
            }
          _kiosk_case_draft_restore_page (d, (guint) index, media, sha, (gsize) size);
        }
    }
  return TRUE;
}

static gboolean
decode_case_object (JsonObject *o, KioskCaseDraft **out, KioskCatalogItem *item, GError **error)
{
  g_autofree char *code = NULL;
  g_autoptr (KioskIdentity) id = kiosk_identity_new ();
  JsonObject *sub, *form;
  JsonArray *owed;
  Ctx applicant = { "applicant." }, commit = { "commitment." }, delivery = { "delivery." }, agent = { "agent." },
      region = { "handling_region." };
  KioskCaseDraft *d;

  if (!get_string (o, "item_code", TRUE, 32, FALSE, NULL, &code, error))
    return FALSE;
  if (!g_str_equal (code, item->code))
    {
      fail (error, KIOSK_DOMAIN_ERROR_INVALID, NULL, "item_code", "another item");
      return FALSE;
    }
  if (!get_object (o, "applicant", TRUE, NULL, &sub, error)
      || !get_string (sub, "name", TRUE, 100, FALSE, &applicant, &id->name, error)
      || !get_string (sub, "id_number", TRUE, 32, FALSE, &applicant, &id->id_number, error)
      || !get_string (sub, "address", FALSE, KIOSK_DOMAIN_MAX_VALUE_CHARS, FALSE, &applicant, &id->address, error))
    return FALSE;
  id->id_number_valid = FALSE;
  d = *out = kiosk_case_draft_new (item, id);

  if (!get_object (o, "form", FALSE, NULL, &form, error))
    return FALSE;
  if (form)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      Ctx f = { "form." };

      json_object_iter_init (&iter, form);
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_autofree char *v = NULL;
          if (kiosk_catalog_item_find_field (item, name) == NULL)
            {
              fail (error, KIOSK_DOMAIN_ERROR_INVALID, &f, name, "not a field of the item");
              return FALSE;
            }
          if (!get_string (form, name, FALSE, KIOSK_DOMAIN_MAX_VALUE_CHARS, FALSE, &f, &v, error))
            return FALSE;
          kiosk_case_draft_set_value (d, name, v);
          kiosk_secure_free (g_steal_pointer (&v));
        }
    }

  if (!get_object (o, "commitment", FALSE, NULL, &sub, error))
    return FALSE;
  if (sub)
    {
      g_autofree char *sha = NULL;
      if (item->commitment == NULL)
        {
          fail (error, KIOSK_DOMAIN_ERROR_INVALID, NULL, "commitment", "the item allows none");
          return FALSE;
        }
      if (!get_string (sub, "signature_sha256", FALSE, 64, FALSE, &commit, &sha, error))
        return FALSE;
      if (sha && !is_sha256 (sha))
        {
          fail (error, KIOSK_DOMAIN_ERROR_INVALID, &commit, "signature_sha256", "not a SHA-256");
          return FALSE;
        }
      _kiosk_case_draft_restore_commitment (d, KIOSK_COMMITMENT_COMMIT, sha);
    }
  else
    _kiosk_case_draft_restore_commitment (
        d, item->commitment_allowed == KIOSK_FLAG_YES ? KIOSK_COMMITMENT_PROOF : KIOSK_COMMITMENT_UNDECIDED, NULL);

  if (!decode_case_materials (o, d, error))
    return FALSE;
  if (!get_array (o, "owed_materials", FALSE, KIOSK_DOMAIN_MAX_MATERIALS, NULL, &owed, error))
    return FALSE;
  for (guint i = 0; owed && i < json_array_get_length (owed); i++)
    {
      JsonNode *n = json_array_get_element (owed, i);
      JsonObject *m = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      Ctx c = { "owed_materials[]." };
      g_autofree char *name = NULL, *due = NULL;
      int index;

      if (m == NULL || !get_string (m, "name", TRUE, 200, FALSE, &c, &name, error)
          || !get_string (m, "due", TRUE, 10, FALSE, &c, &due, error))
        {
          if (m == NULL)
            fail (error, KIOSK_DOMAIN_ERROR_INVALID, NULL, "owed_materials", "an entry is not an object");
          return FALSE;
        }
      index = kiosk_catalog_item_find_material (item, name);
      if (index < 0 || !is_iso_date (due))
        {
          fail (error, KIOSK_DOMAIN_ERROR_INVALID, &c, index < 0 ? "name" : "due", "unknown material or bad date");
          return FALSE;
        }
      _kiosk_case_draft_restore_material (d, (guint) index, KIOSK_MATERIAL_OWED, due);
    }

  if (!get_object (o, "delivery", FALSE, NULL, &sub, error))
    return FALSE;
  if (sub)
    {
      g_autofree char *method = NULL, *address = NULL;
      if (!get_string (sub, "method", TRUE, 16, FALSE, &delivery, &method, error)
          || !get_string (sub, "address", FALSE, KIOSK_DOMAIN_MAX_VALUE_CHARS, FALSE, &delivery, &address, error))
        return FALSE;
      if (!g_str_equal (method, "pickup") && !g_str_equal (method, "post"))
        {
          fail (error, KIOSK_DOMAIN_ERROR_INVALID, &delivery, "method", "unknown value");
          return FALSE;
        }
      _kiosk_case_draft_restore_delivery (d, g_str_equal (method, "post") ? KIOSK_DELIVERY_POST : KIOSK_DELIVERY_PICKUP,
                                          address);
      kiosk_secure_free (g_steal_pointer (&address));
    }

  if (!get_object (o, "agent", FALSE, NULL, &sub, error))
    return FALSE;
  if (sub)
    {
      g_autofree char *name = NULL, *number = NULL;
      if (!get_string (sub, "name", TRUE, 100, FALSE, &agent, &name, error)
          || !get_string (sub, "id_number", FALSE, 32, FALSE, &agent, &number, error))
        return FALSE;
      /* Restored as filed: the commitment stays as it was recorded. */
      {
        KioskCommitmentChoice choice = kiosk_case_draft_get_commitment (d);
        g_autofree char *sig = g_strdup (kiosk_case_draft_get_signature_sha256 (d));
        kiosk_case_draft_set_agent (d, name, number);
        _kiosk_case_draft_restore_commitment (d, choice, sig);
      }
      kiosk_secure_free (g_steal_pointer (&name));
      kiosk_secure_free (g_steal_pointer (&number));
    }

  if (!get_object (o, "handling_region", FALSE, NULL, &sub, error))
    return FALSE;
  if (sub)
    {
      g_autofree char *rcode = NULL, *rname = NULL;
      if (!get_string (sub, "code", FALSE, 12, FALSE, &region, &rcode, error)
          || !get_string (sub, "name", FALSE, 100, FALSE, &region, &rname, error))
        return FALSE;
      kiosk_case_draft_set_handling_region (d, rcode, rname);
    }
  else
    kiosk_case_draft_set_handling_region (d, NULL, NULL);
  return TRUE;
}

KioskCaseDraft *
kiosk_case_draft_decode (KioskCatalogItem *item, const char *data, gsize len, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  KioskCaseDraft *d = NULL;

  g_return_val_if_fail (item != NULL, NULL);
  root = parse (data, len, KIOSK_DOMAIN_MAX_CASE_BYTES, TRUE, error);
  if (root == NULL)
    return NULL;
  if (!decode_case_object (json_node_get_object (root), &d, item, error))
    {
      g_clear_pointer (&d, kiosk_case_draft_free);
      return NULL;
    }
  return d;
}
