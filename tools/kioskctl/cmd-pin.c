/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "kiosk-pin.h"
#include "kioskctl.h"

/* kioskctl pin-hash: reads a PIN (4 to 12 digits) from the first line of
 * stdin and prints its salted Argon2id hash (libsodium crypto_pwhash_str),
 * for [maintenance] pin-hash. The PIN is never an argument (it would be in
 * the shell's history and in ps), never printed, and wiped after use. */

int
kioskctl_pin_hash (KioskctlContext *ctx, int argc, char **argv)
{
  char line[64] = { 0 };
  g_autofree char *hash = NULL;
  size_t len;

  if (argc != 1)
    {
      fprintf (stderr, "usage: echo PIN | kioskctl pin-hash\n");
      return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "usage: echo PIN | kioskctl pin-hash");
    }
  if (fgets (line, sizeof line, stdin) == NULL)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "no PIN on stdin");
  len = strcspn (line, "\r\n");
  line[len] = '\0';
  if (len < KIOSK_PIN_MIN_LENGTH || len > KIOSK_PIN_MAX_LENGTH || strspn (line, "0123456789") != len)
    {
      explicit_bzero (line, sizeof line);
      return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "a PIN is %d to %d digits", KIOSK_PIN_MIN_LENGTH,
                             KIOSK_PIN_MAX_LENGTH);
    }
  hash = kiosk_pin_hash (line);
  explicit_bzero (line, sizeof line);
  if (hash == NULL)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "the PIN could not be hashed (libsodium)");
  if (ctx->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "pin_hash");
      json_builder_add_string_value (b, hash);
      json_builder_end_object (b);
      kioskctl_print_json (b);
    }
  else
    printf ("%s\n", hash);
  return KIOSKCTL_EXIT_OK;
}
