/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Who is at the kiosk, as read from an identity card. Personal data: never
 * logged; kiosk_identity_free() overwrites every field before freeing. */

typedef enum {
  KIOSK_CARD_RESIDENT,     /* 居民身份证 */
  KIOSK_CARD_FOREIGN_2017, /* 外国人永久居留身份证 (2017, 'I') */
  KIOSK_CARD_FOREIGN_2023, /* 外国人永久居留身份证 (2023, 'Y') */
  KIOSK_CARD_HMT_PERMIT,   /* 港澳台居民居住证 ('J') */
} KioskCardType;

const char *kiosk_card_type_to_string (KioskCardType type); /* "resident", "foreign_2017", ... */

/* How the identity was read. */
typedef enum {
  KIOSK_IDENTITY_SOURCE_CARD, /* the ID card on the reader */
  KIOSK_IDENTITY_SOURCE_EID,  /* an e-ID QR code, verified by the identity provider (app/core/kiosk-eid.h) */
} KioskIdentitySource;

typedef struct {
  KioskCardType card_type;
  char *name;       /* Chinese name (foreign cards: the Chinese name, may be empty) */
  char *name_en;    /* foreign cards */
  char gender_code; /* '0' '1' '2' '9' */
  char *birth_date; /* YYYY-MM-DD */
  char *id_number;  /* resident/J: 18 characters; foreign: card number */
  gboolean id_number_valid;
  char *nation_code; /* resident/J */
  char *address;     /* resident/J */
  char *authority;   /* resident/J */
  char *nationality; /* foreign: GB/T 2659 three letters */
  char *valid_from;  /* YYYY-MM-DD */
  char *valid_to;    /* YYYY-MM-DD or 长期 */
  gboolean expired;  /* valid_to is before today */
  KioskIdentitySource source;
} KioskIdentity;

#define KIOSK_TYPE_IDENTITY (kiosk_identity_get_type ())
GType kiosk_identity_get_type (void);

KioskIdentity *kiosk_identity_new (void);
KioskIdentity *kiosk_identity_copy (const KioskIdentity *self);
void kiosk_identity_free (KioskIdentity *self);

/* Masked for screens and receipts: "张*", "欧阳**", "1101**********123X". */
char *kiosk_mask_name (const char *name);
char *kiosk_mask_id_number (const char *id_number);
/* Overwrites a string in place (for personal data), then frees it. */
void kiosk_secure_free (char *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskIdentity, kiosk_identity_free)

G_END_DECLS
