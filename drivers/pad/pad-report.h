/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The evaluation pad's wire codec: pure functions, no I/O. A pad is a USB HID
 * device that sends a short input report when a key goes down (and, on most
 * models, an all-zero report when it goes up). Models differ in where the key
 * sits in the report and which value means which key, so the mapping is data
 * (a KioskPadKeyMap built from the [pad] configuration); see README.md. */

typedef enum {
  KIOSK_PAD_KEY_NONE = 0,
  /* The five 好差评 levels, best first (same order as KioskRatingLevel). */
  KIOSK_PAD_KEY_VERY_SATISFIED = 1,
  KIOSK_PAD_KEY_SATISFIED = 2,
  KIOSK_PAD_KEY_BASIC = 3,
  KIOSK_PAD_KEY_DISSATISFIED = 4,
  KIOSK_PAD_KEY_VERY_DISSATISFIED = 5,
  KIOSK_PAD_KEY_CONFIRM = 6,
  KIOSK_PAD_KEY_CANCEL = 7,
} KioskPadKey;

#define KIOSK_PAD_KEY_LAST KIOSK_PAD_KEY_CANCEL

/* "very-satisfied", "satisfied", "basic", "dissatisfied",
 * "very-dissatisfied", "confirm", "cancel"; "none" for NONE. */
const char *kiosk_pad_key_to_string (KioskPadKey key);
/* KIOSK_PAD_KEY_NONE when @name is not a key name. */
KioskPadKey kiosk_pad_key_from_string (const char *name);
gboolean kiosk_pad_key_is_level (KioskPadKey key);

typedef enum {
  KIOSK_PAD_REPORT_KEY,       /* a mapped key is down */
  KIOSK_PAD_REPORT_RELEASE,   /* no key is down (masked value 0) */
  KIOSK_PAD_REPORT_UNMAPPED,  /* a value the key map does not know (e.g. two keys at once) */
  KIOSK_PAD_REPORT_OTHER,     /* another report id: not the key report */
  KIOSK_PAD_REPORT_MALFORMED, /* empty, or too short to hold the key byte */
} KioskPadReportKind;

const char *kiosk_pad_report_kind_to_string (KioskPadReportKind kind);

#define KIOSK_PAD_MAX_KEYS 32

typedef struct {
  int report_id;            /* -1: the report has no id byte to check */
  guint offset;             /* byte of the key value (counting the id byte, if any) */
  guint8 mask;              /* applied to that byte before lookup */
  gboolean release_reports; /* the pad reports key-up (all keys released) */
  guint n_keys;
  struct {
    guint8 value;
    KioskPadKey key;
  } keys[KIOSK_PAD_MAX_KEYS];
} KioskPadKeyMap;

#define KIOSK_PAD_ERROR (kiosk_pad_error_quark ())
GQuark kiosk_pad_error_quark (void);

typedef enum {
  KIOSK_PAD_ERROR_KEY_MAP,  /* a key map entry is not "HEX:key-name" */
  KIOSK_PAD_ERROR_HEX,      /* a hex byte string is malformed */
  KIOSK_PAD_ERROR_FEEDBACK, /* a feedback entry is not "event:HEX" */
} KioskPadError;

/* Parses "01:very-satisfied;02:satisfied;..." entries (already split) into
 * @map's key list. Values are hex bytes after masking; a value may appear
 * once, and 00 is reserved for "released". Leaves the other fields alone. */
gboolean kiosk_pad_key_map_parse (KioskPadKeyMap *map, const char *const *entries, GError **error);
/* The value that means @key, for the simulator; FALSE when unmapped. */
gboolean kiosk_pad_key_map_value_for (const KioskPadKeyMap *map, KioskPadKey key, guint8 *value);

/* Decodes one input report. On KEY, *@key is the key; *@value is the masked
 * value (also for UNMAPPED, so a technician can see it). */
KioskPadReportKind kiosk_pad_report_parse (const KioskPadKeyMap *map, const guint8 *data, gsize len, KioskPadKey *key,
                                           guint8 *value);

/* Builds the report a pad of this map sends for @key (KIOSK_PAD_KEY_NONE:
 * the release report), @len bytes long. FALSE when @key is not mapped or
 * @len is too short. Used by the simulator and the tests. */
gboolean kiosk_pad_report_build (const KioskPadKeyMap *map, KioskPadKey key, guint8 *data, gsize len);

/* "0a 1B ff" or "0a1bff" → bytes. NULL (and @error) when malformed. */
GBytes *kiosk_pad_hex_parse (const char *hex, GError **error);
/* "0a1bff" */
char *kiosk_pad_hex_format (const guint8 *data, gsize len);

/* Feedback table: "event:HEX" entries, e.g. "prompt:0101" "thanks:0102".
 * Returns event name → GBytes. */
GHashTable *kiosk_pad_feedback_parse (const char *const *entries, GError **error);

G_END_DECLS
