/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The SAM module protocol every mainstream ID card reader speaks (GA/T 467):
 * a pure codec, bytes in and structs out, no I/O. Transports (serial, USB,
 * the simulator) only move the bytes this file builds and parses. */

#include <glib.h>

G_BEGIN_DECLS

#define SAM_PREAMBLE_LEN 5
#define SAM_HEADER_LEN 7 /* preamble + LEN_HI LEN_LO */
#define SAM_TEXT_LEN 256
#define SAM_PHOTO_LEN 1024
/* The longest reply a reader sends (text, photo, two fingerprints) is 2321
 * bytes; a LEN above this limit is treated as garbage. */
#define SAM_MAX_FRAME 4096

extern const guint8 sam_preamble[SAM_PREAMBLE_LEN];

/* CMD and PARA of the commands the driver sends. */
#define SAM_CMD_RESET 0x10, 0xFF
#define SAM_CMD_STATUS 0x11, 0xFF
#define SAM_CMD_SAM_ID 0x12, 0xFF
#define SAM_CMD_FIND 0x20, 0x01
#define SAM_CMD_SELECT 0x20, 0x02
#define SAM_CMD_READ 0x30, 0x01
#define SAM_CMD_READ_FP 0x30, 0x10

/* SW3 values on the wire. */
typedef enum {
  SAM_SW3_OK = 0x90,
  SAM_SW3_FOUND = 0x9F,
  SAM_SW3_NO_CONTENT = 0x91,
  SAM_SW3_HOST_CHECKSUM = 0x10,
  SAM_SW3_HOST_LENGTH = 0x11,
  SAM_SW3_COMMAND = 0x21,
  SAM_SW3_NOT_PERMITTED = 0x23,
  SAM_SW3_UNRECOGNISED = 0x24,
  SAM_SW3_CARD_AUTH_SAM = 0x31,
  SAM_SW3_SAM_AUTH_CARD = 0x32,
  SAM_SW3_VERIFY = 0x33,
  SAM_SW3_CARD_TYPE = 0x40,
  SAM_SW3_READ_FAILED = 0x41,
  SAM_SW3_RANDOM = 0x47,
  SAM_SW3_SELF_TEST = 0x60,
  SAM_SW3_NOT_AUTHORISED = 0x66,
  SAM_SW3_NO_CARD = 0x80,
  SAM_SW3_SELECT_FAILED = 0x81,
} SamStatus;

/* Every SW3 the vendor sheet lists, in its order (for tests and the sim). */
extern const guint8 sam_all_statuses[18];

/* Technician's description of an SW3 ("find card failed (no card)");
 * "unknown status" for a value the sheet does not list. */
const char *sam_status_describe (guint8 sw3);
/* TRUE for 90 and 9F. */
gboolean sam_status_is_success (guint8 sw3);

/* XOR of @len bytes (LEN bytes through the last data byte). */
guint8 sam_checksum (const guint8 *bytes, gsize len);

/* Builds a host-to-reader frame into @out (room for 8 + @data_len bytes).
 * Returns the frame's length. */
gsize sam_build_command (guint8 cmd, guint8 para, const guint8 *data, gsize data_len, guint8 *out);
/* Builds a reader-to-host frame (the simulator and tests): SW1 SW2 SW3 then
 * @data. Returns a new array. */
GByteArray *sam_build_reply (guint8 sw1, guint8 sw2, guint8 sw3, const guint8 *data, gsize data_len);

/* A reader-to-host frame; @data points into the buffer it was parsed from. */
typedef struct {
  guint8 sw1, sw2, sw3;
  const guint8 *data;
  gsize data_len;
  gsize frame_len; /* the whole frame, preamble to CHK */
} SamReply;

typedef enum {
  SAM_PARSE_OK,
  SAM_PARSE_NEED_MORE,   /* stream: wait for more bytes */
  SAM_PARSE_NO_PREAMBLE, /* no preamble anywhere */
  SAM_PARSE_BAD_LENGTH,  /* LEN impossible, or disagrees with the bytes */
  SAM_PARSE_BAD_CHECKSUM,
} SamParseResult;

const char *sam_parse_result_to_string (SamParseResult r); /* "preamble", "length", "checksum" */

/* One frame held whole in @buf (what `kioskctl idcard decode` gets): bytes
 * before the first preamble are skipped; the frame must end exactly at the
 * end of @buf. Never returns NEED_MORE. */
SamParseResult sam_parse_frame (const guint8 *buf, gsize len, SamReply *reply);

/* The stream parser: bytes arrive in pieces, with garbage in between.
 * Consumed bytes are wiped (a read reply is personal data). */
typedef struct {
  guint8 *buf;
  gsize len;
  gsize cap;
  gsize handed_out; /* the frame last returned, dropped on the next call */
  /* Counters for the technician and the bench. */
  guint64 frames;
  guint64 garbage_bytes;
  guint64 bad_checksums;
  guint64 bad_lengths;
} SamParser;

void sam_parser_init (SamParser *self);
void sam_parser_clear (SamParser *self); /* wipes and frees */
void sam_parser_reset (SamParser *self); /* wipes, keeps the buffer */
void sam_parser_feed (SamParser *self, const guint8 *bytes, gsize len);
/* Looks for the next whole frame. OK: @reply points into the parser and
 * stays valid until the next feed/next/reset call. BAD_CHECKSUM and
 * BAD_LENGTH: the bad frame start was dropped and the parser resynchronises
 * on the next preamble; call again. NEED_MORE: nothing complete yet. */
SamParseResult sam_parser_next (SamParser *self, SamReply *reply);
/* Bytes held (an incomplete frame when a reply times out). */
gsize sam_parser_pending (const SamParser *self);

/* ---- replies of particular commands ------------------------------------ */

/* Whether @reply can be the answer to CMD PARA (replies do not echo the
 * command: this checks the status and the data's shape). An error SW3 fits
 * any command. */
gboolean sam_reply_fits (guint8 cmd, guint8 para, const SamReply *reply);

/* The SAM id: "05.01-20101129-0001228293-0296863149" from 16 data bytes. */
char *sam_format_sam_id (const guint8 *data, gsize len);

typedef struct {
  const guint8 *text; /* SAM_TEXT_LEN bytes */
  const guint8 *photo;
  gsize photo_len;
  const guint8 *fingerprint;
  gsize fingerprint_len;
} SamReadData;

/* Splits the data of a successful read reply (30 01 or 30 10) into text,
 * photo and fingerprints. FALSE when the lengths do not add up or the text
 * is not 256 bytes. */
gboolean sam_read_reply_split (const SamReply *reply, SamReadData *out);

/* ---- the text block ---------------------------------------------------- */

typedef enum {
  SAM_CARD_RESIDENT,
  SAM_CARD_FOREIGN_2017,
  SAM_CARD_FOREIGN_2023,
  SAM_CARD_HMT_PERMIT,
} SamCardType;

const char *sam_card_type_to_string (SamCardType t);
gboolean sam_card_type_from_string (const char *s, SamCardType *out);

/* Everything a text block holds, in UTF-8 with spaces trimmed, dates as
 * YYYY-MM-DD. Fields a card type does not have are NULL (counts: -1).
 * Personal data: free with sam_card_free(), which wipes it. */
typedef struct {
  SamCardType card_type;
  char *name;       /* Chinese name (foreign cards: may be "") */
  char *name_en;    /* foreign cards */
  char gender_code; /* '0' '1' '2' '9' */
  char *birth_date;
  char *id_number; /* card number for foreign cards */
  gboolean id_number_valid;
  char *nation_code; /* resident; J when present */
  char *address;     /* resident, J */
  char *authority;   /* resident, J */
  char *valid_from;
  char *valid_to;       /* YYYY-MM-DD or 长期 */
  char *nationality;    /* foreign: GB/T 2659 three letters */
  char *card_version;   /* foreign 2017 */
  char *authority_code; /* foreign 2017 */
  int renewal_count;    /* foreign 2023, else -1 */
  char *pass_number;    /* J */
  int issue_count;      /* J, else -1 */
  gboolean has_fingerprint;
  GBytes *photo; /* raw WLT, only when a decoder is configured */
} SamCard;

SamCard *sam_card_new (void);
void sam_card_free (SamCard *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SamCard, sam_card_free)

/* Decodes a 256-byte text block. NULL with @why (static English text for the
 * technician, never the card's content) when it cannot be decoded. */
SamCard *sam_decode_text (const guint8 *text, const char **why);
/* The inverse, for the simulator and tests: FALSE with @why when a field
 * does not fit its slot. */
gboolean sam_encode_text (const SamCard *card, guint8 text[SAM_TEXT_LEN], const char **why);

/* Full read reply (status 90) to a card: split + decode; @keep_photo keeps
 * the WLT bytes in card->photo. */
SamCard *sam_decode_read_reply (const SamReply *reply, gboolean keep_photo, const char **why);
/* The full read reply frame for @card (simulator, tests): 30 01 layout, or
 * 30 10 with two fingerprint templates when @with_fingerprint. Photo bytes
 * are a fixed filler pattern. */
GByteArray *sam_build_read_reply (const SamCard *card, gboolean with_fingerprint, const char **why);

/* GB 11643: 17 digits and a check character (0-9 or X). */
gboolean sam_id_number_valid (const char *id);
char sam_id_check_char (const char *first17);
/* id_number_valid for @card's type: GB 11643 for resident, J and 2023
 * foreign cards (18 characters); for the 2017 foreign card (15 characters,
 * no published check digit) three capital letters equal to its nationality
 * and twelve digits. */
gboolean sam_card_id_number_valid (const SamCard *card);
/* YYYYMMDD of a real calendar day. */
gboolean sam_date_valid (const char *yyyymmdd);
/* GB/T 3304 ("01" -> "汉"); NULL when unknown. */
const char *sam_nation_name (const char *code);
/* GB/T 2261.1 ('1' -> "男"); NULL when unknown. */
const char *sam_gender_name (char code);
/* valid_to (YYYY-MM-DD or 长期) against @today (YYYY-MM-DD). */
gboolean sam_card_expired (const SamCard *card, const char *today);

G_END_DECLS
