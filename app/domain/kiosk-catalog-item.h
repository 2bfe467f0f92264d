/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A service item (事项) of the platform's catalog, typed. Made only by the
 * codec (kiosk-domain-codec.h) from what the platform sent, and immutable
 * afterwards: every member is read only, the item is shared by reference
 * (kiosk_catalog_item_ref/unref, a boxed type). Member names follow the
 * catalog's JSON (docs/platform-api.md, "Catalog and notices"). No
 * personal data. */

/* A yes/no the catalog may leave unstated (null or absent): journeys treat
 * UNSTATED as "no" and screens say "ask the staff". */
typedef enum {
  KIOSK_FLAG_NO = 0,
  KIOSK_FLAG_YES = 1,
  KIOSK_FLAG_UNSTATED = 2,
} KioskFlag;

typedef enum {
  KIOSK_PROVIDED_BY_ID_CARD_READER, /* "id_card_reader": met by the card read */
  KIOSK_PROVIDED_BY_E_LICENCE,      /* "e_licence": the platform fetches the 电子证照 */
  KIOSK_PROVIDED_BY_KIOSK_FORM,     /* "kiosk_form": the form filled on the kiosk */
  KIOSK_PROVIDED_BY_SCAN,           /* "scan": pages on the document camera */
} KioskProvidedBy;

typedef struct {
  char *name;
  gboolean required;
  KioskProvidedBy provided_by;
  gboolean deferrable;         /* may be owed under 容缺 (if the item allows 容缺) */
  char *note;                  /* or NULL */
  KioskFlag village_may_issue; /* UNSTATED when absent */
  char *replaced_by;           /* e.g. "written_commitment", or NULL */
} KioskMaterial;

typedef enum {
  KIOSK_FIELD_TEXT,
  KIOSK_FIELD_NUMBER,
  KIOSK_FIELD_DATE, /* YYYY-MM-DD */
  KIOSK_FIELD_PHONE,
  KIOSK_FIELD_CHOICE,
  KIOSK_FIELD_ADDRESS,
  KIOSK_FIELD_ID_NUMBER, /* 18-character resident ID number (GB 11643) */
} KioskFieldType;

/* What the card can fill in (kiosk-domain-rules.h, prefill). */
typedef enum {
  KIOSK_PREFILL_NONE,
  KIOSK_PREFILL_NAME,
  KIOSK_PREFILL_ID_NUMBER,
  KIOSK_PREFILL_GENDER,
  KIOSK_PREFILL_BIRTH_DATE,
  KIOSK_PREFILL_ADDRESS,
} KioskPrefill;

typedef struct {
  char *id; /* [a-z0-9_]+, the key in the case's "form" */
  char *label;
  KioskFieldType type;
  gboolean required;
  char **choices; /* NULL-terminated, KIOSK_FIELD_CHOICE only (else NULL) */
  /* From the catalog's "prefill" member, else from the id ("name",
   * "applicant_name", "id_number", "gender", "birth_date", "address", ...). */
  KioskPrefill prefill;
  /* A date that may not be after today (a birth date): "past_only": true,
   * or a birth-date prefill. */
  gboolean past_only;
} KioskFormField;

/* 告知承诺: the notice the applicant reads before committing. */
typedef struct {
  char *proof;        /* the proof the commitment replaces (证明名称) */
  char *content;      /* what the applicant certifies (证明内容) */
  char *basis;        /* legal basis (设定依据) */
  char *liability;    /* consequences of a false commitment */
  char *excluded;     /* who may not commit, or NULL */
  char *withdrawable; /* withdrawal rule, or NULL */
  char *source_grade; /* "O" / "R" / "T", or NULL */
} KioskCommitmentRule;

/* 容缺: how long an owed material may stay owed. */
typedef struct {
  int deadline_days; /* calendar days from acceptance, >= 1 */
  char *consequence; /* what happens when late (the catalog's "note") */
  char *source;      /* or NULL */
} KioskDeferralRule;

typedef struct {
  gint64 amount_fen; /* 0 = free; the catalog's "amount_yuan" × 100 */
  char *text;        /* as the resident reads it ("免费") */
  gboolean stated;   /* the source states the fee */
} KioskFee;

typedef enum {
  KIOSK_DELIVERY_PICKUP = 1 << 0,
  KIOSK_DELIVERY_POST = 1 << 1,
} KioskDelivery;

typedef struct {
  char *code; /* administrative division code (GB/T 2260), or NULL */
  char *name; /* e.g. "石家庄市鹿泉区" */
} KioskRegion;

typedef struct _KioskCatalogItem {
  /*< read only >*/
  char *code; /* "RS-001": [A-Za-z0-9-]+ */
  char *name;
  char *department;
  char *category;                        /* the department when the catalog has none */
  char **aliases;                        /* NULL-terminated, never NULL */
  char *item_type_code, *item_type_name; /* or NULL */
  char *level;                           /* "village_intake" / "village", or NULL */
  char *handling;                        /* "村级受理、乡镇或县级办结", or NULL */
  int case_type_code;                    /* 1 即办件, 2 承诺件, 0 unstated */
  char *case_type_name;
  int time_limit_days;   /* working days, 0 = same day, -1 = not stated */
  char *time_limit_note; /* or NULL */
  KioskFee fee;
  char *legal_basis; /* or NULL */
  KioskMaterial *materials;
  guint n_materials;
  KioskFormField *form_fields;
  guint n_form_fields;
  KioskFlag commitment_allowed;
  KioskCommitmentRule *commitment; /* non-NULL exactly when commitment_allowed is YES */
  KioskFlag deferral_allowed;
  KioskDeferralRule *deferral; /* non-NULL exactly when deferral_allowed is YES */
  guint delivery;              /* KioskDelivery flags; PICKUP when the catalog says nothing */
  KioskFlag proxy_allowed;
  /* 跨省通办 / 全区通办: handled by an office elsewhere, named here. */
  gboolean cross_region;
  char *cross_region_scope;    /* "全区通办", "跨省通办", or NULL */
  KioskRegion handling_region; /* both NULL unless cross_region */
  /* Whether a resident can apply for it at the kiosk; if not, where to go. */
  gboolean kiosk_accepts;
  char *where_to_apply; /* non-NULL when !kiosk_accepts */
  char *source;         /* or NULL */
} KioskCatalogItem;

#define KIOSK_TYPE_CATALOG_ITEM (kiosk_catalog_item_get_type ())
GType kiosk_catalog_item_get_type (void);

KioskCatalogItem *kiosk_catalog_item_ref (KioskCatalogItem *self);
void kiosk_catalog_item_unref (KioskCatalogItem *self);

/* The material / form field at @id or with @name, or NULL. */
const KioskFormField *kiosk_catalog_item_find_field (const KioskCatalogItem *self, const char *id);
/* Index of the material named @name, or -1. */
int kiosk_catalog_item_find_material (const KioskCatalogItem *self, const char *name);
/* Whether @method (one KioskDelivery flag) is offered. */
gboolean kiosk_catalog_item_offers_delivery (const KioskCatalogItem *self, KioskDelivery method);

/* Wire names, and back (-1 when unknown). */
const char *kiosk_provided_by_to_string (KioskProvidedBy by);
int kiosk_provided_by_from_string (const char *s);
const char *kiosk_field_type_to_string (KioskFieldType type);
int kiosk_field_type_from_string (const char *s);
const char *kiosk_prefill_to_string (KioskPrefill prefill); /* NULL for NONE */
int kiosk_prefill_from_string (const char *s);

/* A catalog: its version and items in order. */
typedef struct {
  char *version;
  GPtrArray *items; /* KioskCatalogItem*, owns references */
} KioskCatalog;

void kiosk_catalog_free (KioskCatalog *self);
KioskCatalogItem *kiosk_catalog_find (const KioskCatalog *self, const char *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCatalogItem, kiosk_catalog_item_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCatalog, kiosk_catalog_free)

G_END_DECLS
