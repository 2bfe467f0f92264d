/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The JSON forms of a card: what `kioskctl idcard decode|read` print, and
 * the card fixtures idcard-sim plays (same field names). */

#include <json-glib/json-glib.h>

#include "sam-codec.h"

G_BEGIN_DECLS

/* One JSON object on one line (no trailing newline). */
char *idcard_card_to_json (const SamCard *card);
/* An error object: {"error": NAME, "message": ...} plus "sw3" when
 * @sw3 >= 0. */
char *idcard_error_to_json (const char *error_name, const char *message, int sw3);

/* A fixture (an object with the fields idcard_card_to_json writes). */
SamCard *idcard_card_from_json (JsonObject *object, GError **error);
SamCard *idcard_card_from_file (const char *path, GError **error);

/* `kioskctl idcard decode`: hex text (whitespace ignored) of one
 * reader-to-host frame. Sets *@json to the object to print and returns the
 * exit code (0 decoded, 2 not). */
int idcard_decode_hex (const char *hex, char **json);

G_END_DECLS
