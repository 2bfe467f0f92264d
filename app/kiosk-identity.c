/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-identity"

#include "config.h"

#include <string.h>

#include "kiosk-identity.h"

G_DEFINE_BOXED_TYPE (KioskIdentity, kiosk_identity, kiosk_identity_copy, kiosk_identity_free)

const char *
kiosk_card_type_to_string (KioskCardType type)
{
  switch (type)
    {
    case KIOSK_CARD_RESIDENT:
      return "resident";
    case KIOSK_CARD_FOREIGN_2017:
      return "foreign_2017";
    case KIOSK_CARD_FOREIGN_2023:
      return "foreign_2023";
    case KIOSK_CARD_HMT_PERMIT:
      return "hmt_permit";
    default:
      return "unknown";
    }
}

KioskIdentity *
kiosk_identity_new (void)
{
  return g_new0 (KioskIdentity, 1);
}

KioskIdentity *
kiosk_identity_copy (const KioskIdentity *self)
{
  KioskIdentity *c = g_new0 (KioskIdentity, 1);

  *c = *self;
  c->name = g_strdup (self->name);
  c->name_en = g_strdup (self->name_en);
  c->birth_date = g_strdup (self->birth_date);
  c->id_number = g_strdup (self->id_number);
  c->nation_code = g_strdup (self->nation_code);
  c->address = g_strdup (self->address);
  c->authority = g_strdup (self->authority);
  c->nationality = g_strdup (self->nationality);
  c->valid_from = g_strdup (self->valid_from);
  c->valid_to = g_strdup (self->valid_to);
  return c;
}

void
kiosk_secure_free (char *s)
{
  if (s == NULL)
    return;
  explicit_bzero (s, strlen (s));
  g_free (s);
}

void
kiosk_identity_free (KioskIdentity *self)
{
  if (self == NULL)
    return;
  kiosk_secure_free (self->name);
  kiosk_secure_free (self->name_en);
  kiosk_secure_free (self->birth_date);
  kiosk_secure_free (self->id_number);
  kiosk_secure_free (self->nation_code);
  kiosk_secure_free (self->address);
  kiosk_secure_free (self->authority);
  kiosk_secure_free (self->nationality);
  kiosk_secure_free (self->valid_from);
  kiosk_secure_free (self->valid_to);
  explicit_bzero (self, sizeof *self);
  g_free (self);
}

char *
kiosk_mask_name (const char *name)
{
  GString *out;
  glong n;
  const char *p;

  if (name == NULL || *name == '\0')
    return g_strdup ("");
  if (!g_utf8_validate (name, -1, NULL))
    return g_strdup ("*");
  n = g_utf8_strlen (name, -1);
  out = g_string_new (NULL);
  p = name;
  /* Keep the first character (the family name, mostly); mask the rest. */
  g_string_append_len (out, p, g_utf8_next_char (p) - p);
  for (glong i = 1; i < MAX (n, 2); i++)
    g_string_append_c (out, '*');
  return g_string_free (out, FALSE);
}

char *
kiosk_mask_id_number (const char *id)
{
  GString *out;
  glong n;
  const char *p;

  if (id == NULL)
    return g_strdup ("");
  /* Characters, not bytes: a number from a damaged card or a foreign
   * document must not be cut inside a UTF-8 sequence. */
  if (!g_utf8_validate (id, -1, NULL))
    return g_strdup ("*");
  n = g_utf8_strlen (id, -1);
  if (n <= 8)
    return g_strnfill (n, '*');
  out = g_string_new (NULL);
  p = id;
  /* Keep four characters at each end: enough to tell two cards apart. */
  for (glong i = 0; i < n; i++, p = g_utf8_next_char (p))
    {
      if (i < 4 || i >= n - 4)
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else
        g_string_append_c (out, '*');
    }
  return g_string_free (out, FALSE);
}
