/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-idcard"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "idcard-json.h"

static char *
generate (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static void
add_str (JsonBuilder *b, const char *key, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, value);
}

char *
idcard_card_to_json (const SamCard *c)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  char gender[2] = { c->gender_code, '\0' };

  json_builder_begin_object (b);
  add_str (b, "card_type", sam_card_type_to_string (c->card_type));
  add_str (b, "name", c->name ? c->name : "");
  add_str (b, "name_en", c->name_en);
  add_str (b, "gender_code", gender);
  add_str (b, "gender", sam_gender_name (c->gender_code));
  add_str (b, "birth_date", c->birth_date);
  add_str (b, "id_number", c->id_number);
  json_builder_set_member_name (b, "id_number_valid");
  json_builder_add_boolean_value (b, c->id_number_valid);
  add_str (b, "nation_code", c->nation_code);
  if (c->nation_code)
    add_str (b, "nation", sam_nation_name (c->nation_code));
  add_str (b, "address", c->address);
  add_str (b, "authority", c->authority);
  add_str (b, "nationality", c->nationality);
  add_str (b, "valid_from", c->valid_from);
  add_str (b, "valid_to", c->valid_to);
  json_builder_set_member_name (b, "has_fingerprint");
  json_builder_add_boolean_value (b, c->has_fingerprint);
  add_str (b, "card_version", c->card_version);
  add_str (b, "authority_code", c->authority_code);
  if (c->renewal_count >= 0)
    {
      json_builder_set_member_name (b, "renewal_count");
      json_builder_add_int_value (b, c->renewal_count);
    }
  add_str (b, "pass_number", c->pass_number);
  if (c->issue_count >= 0)
    {
      json_builder_set_member_name (b, "issue_count");
      json_builder_add_int_value (b, c->issue_count);
    }
  json_builder_end_object (b);
  return generate (b);
}

char *
idcard_error_to_json (const char *error_name, const char *message, int sw3)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_str (b, "error", error_name);
  if (sw3 >= 0)
    {
      g_autofree char *hex = g_strdup_printf ("%02x", sw3 & 0xFF);
      add_str (b, "sw3", hex);
    }
  add_str (b, "message", message);
  json_builder_end_object (b);
  return generate (b);
}

/* ---- fixtures ----------------------------------------------------------- */

static char *
get_str (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
  return NULL;
}

static int
get_count (JsonObject *o, const char *key)
{
  g_autofree char *s = get_str (o, key);
  return s ? (int) g_ascii_strtoll (s, NULL, 10) : -1;
}

SamCard *
idcard_card_from_json (JsonObject *o, GError **error)
{
  g_autoptr (SamCard) c = sam_card_new ();
  g_autofree char *type = get_str (o, "card_type");
  g_autofree char *gender = get_str (o, "gender_code");
  guint8 text[SAM_TEXT_LEN];
  const char *why = NULL;

  if (!sam_card_type_from_string (type ? type : "resident", &c->card_type))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "unknown card_type");
      return NULL;
    }
  c->gender_code = gender && gender[0] ? gender[0] : '1';
  c->name = get_str (o, "name");
  c->name_en = get_str (o, "name_en");
  c->birth_date = get_str (o, "birth_date");
  c->id_number = get_str (o, "id_number");
  c->nation_code = get_str (o, "nation_code");
  c->address = get_str (o, "address");
  c->authority = get_str (o, "authority");
  c->nationality = get_str (o, "nationality");
  c->valid_from = get_str (o, "valid_from");
  c->valid_to = get_str (o, "valid_to");
  c->card_version = get_str (o, "card_version");
  c->authority_code = get_str (o, "authority_code");
  c->pass_number = get_str (o, "pass_number");
  c->renewal_count = get_count (o, "renewal_count");
  c->issue_count = get_count (o, "issue_count");
  c->has_fingerprint
      = json_object_has_member (o, "has_fingerprint") && json_object_get_boolean_member (o, "has_fingerprint");
  c->id_number_valid = sam_card_id_number_valid (c);
  /* A fixture must fit the card's slots. */
  if (!sam_encode_text (c, text, &why))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "does not fit a card: %s", why);
      return NULL;
    }
  explicit_bzero (text, sizeof text);
  return g_steal_pointer (&c);
}

SamCard *
idcard_card_from_file (const char *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;
  SamCard *c;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a JSON object", path);
      return NULL;
    }
  c = idcard_card_from_json (json_node_get_object (root), error);
  if (c == NULL)
    g_prefix_error (error, "%s: ", path);
  return c;
}

/* ---- decode ------------------------------------------------------------- */

static GByteArray *
parse_hex (const char *hex)
{
  GByteArray *a = g_byte_array_new ();
  int hi = -1;

  for (const char *p = hex; *p; p++)
    {
      int v;
      if (g_ascii_isspace (*p))
        continue;
      v = g_ascii_xdigit_value (*p);
      if (v < 0)
        {
          g_byte_array_unref (a);
          return NULL;
        }
      if (hi < 0)
        hi = v;
      else
        {
          guint8 byte = (guint8) (hi << 4 | v);
          g_byte_array_append (a, &byte, 1);
          hi = -1;
        }
    }
  if (hi >= 0)
    {
      g_byte_array_unref (a);
      return NULL;
    }
  return a;
}

static void
wipe_array (GByteArray *a)
{
  if (a->len)
    explicit_bzero (a->data, a->len);
  g_byte_array_unref (a);
}

int
idcard_decode_hex (const char *hex, char **json)
{
  GByteArray *bytes = parse_hex (hex);
  SamReply reply;
  SamParseResult r;
  g_autoptr (SamCard) card = NULL;
  const char *why = NULL;

  if (bytes == NULL)
    {
      *json = idcard_error_to_json ("format", "input is not an even number of hexadecimal digits", -1);
      return 2;
    }
  r = sam_parse_frame (bytes->data, bytes->len, &reply);
  switch (r)
    {
    case SAM_PARSE_OK:
      break;
    case SAM_PARSE_NO_PREAMBLE:
      *json = idcard_error_to_json ("preamble", "no frame preamble (AA AA AA 96 69) in the input", -1);
      wipe_array (bytes);
      return 2;
    case SAM_PARSE_BAD_LENGTH:
      *json = idcard_error_to_json ("length", "the frame is shorter or longer than its length field says", -1);
      wipe_array (bytes);
      return 2;
    case SAM_PARSE_BAD_CHECKSUM:
    default:
      *json = idcard_error_to_json ("checksum", "the frame's checksum does not match its bytes", -1);
      wipe_array (bytes);
      return 2;
    }
  if (reply.sw3 != SAM_SW3_OK)
    {
      if (reply.sw3 == SAM_SW3_FOUND)
        *json = idcard_error_to_json ("format", "a find-card reply, not a read reply", -1);
      else
        {
          g_autofree char *msg
              = g_strdup_printf ("the reader reported status %02x: %s", reply.sw3, sam_status_describe (reply.sw3));
          *json = idcard_error_to_json ("status", msg, reply.sw3);
        }
      wipe_array (bytes);
      return 2;
    }
  card = sam_decode_read_reply (&reply, FALSE, &why);
  wipe_array (bytes);
  if (card == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("the text block cannot be decoded: %s", why);
      *json = idcard_error_to_json ("format", msg, -1);
      return 2;
    }
  *json = idcard_card_to_json (card);
  return 0;
}
