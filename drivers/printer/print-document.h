/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The documents the kiosk prints, rendered with cairo + pango to PDF with the
 * Noto CJK fonts embedded as subsets. Pure: data in, PDF bytes out; no
 * printer involved. The JSON fields of each template are documented in
 * drivers/printer/README.md. */

#define KIOSK_PRINT_ERROR (kiosk_print_error_quark ())
GQuark kiosk_print_error_quark (void);

typedef enum {
  KIOSK_PRINT_ERROR_UNKNOWN_TEMPLATE,
  KIOSK_PRINT_ERROR_BAD_DATA,        /* a required field is missing or has the wrong type */
  KIOSK_PRINT_ERROR_RENDER,          /* cairo/pango/zint failed */
  KIOSK_PRINT_ERROR_UNREACHABLE,     /* no answer from the printer */
  KIOSK_PRINT_ERROR_NOT_READY,       /* the printer reports a stopping condition */
  KIOSK_PRINT_ERROR_REFUSED,         /* the printer refused the job */
  KIOSK_PRINT_ERROR_ABORTED,         /* the job was aborted by the printer */
  KIOSK_PRINT_ERROR_CANCELED,        /* the job was cancelled */
  KIOSK_PRINT_ERROR_INTERRUPTED,     /* contact lost after submission: outcome unknown */
  KIOSK_PRINT_ERROR_ALREADY_PRINTED, /* a second copy needs an explicit, audited reprint */
  KIOSK_PRINT_ERROR_TIMEOUT,         /* the job did not finish in time */
  KIOSK_PRINT_ERROR_TOO_LONG,        /* a field or list is longer than the document can show */
} KioskPrintError;

typedef enum {
  KIOSK_PAPER_A4,
  KIOSK_PAPER_ROLL80, /* 80 mm receipt roll, page as long as the content */
} KioskPaper;

gboolean kiosk_paper_from_string (const char *s, KioskPaper *out);
const char *kiosk_paper_to_string (KioskPaper paper);

/* NULL-terminated: "receipt", "deferral-notice", "certificate",
 * "proxy-authorisation", "guide", "test-page". */
const char *const *kiosk_print_templates (void);
gboolean kiosk_print_template_exists (const char *name);
/* A short Chinese title of the template, e.g. "回执单" (document names). */
const char *kiosk_print_template_title (const char *name);

/* Renders @template_name with @data (may be NULL for "test-page") to a PDF.
 * @base_dir resolves relative file fields (signature_file); may be NULL.
 * Every field and list is capped to what the document can show
 * (drivers/printer/README.md): beyond a cap, KIOSK_PRINT_ERROR_TOO_LONG.
 * On failure @error is always set. */
GBytes *kiosk_print_render (const char *template_name, JsonObject *data, KioskPaper paper, const char *base_dir,
                            GError **error);

typedef struct {
  guint pages;
  guint unknown_glyphs; /* characters drawn as missing-glyph boxes (tofu) */
} KioskRenderStats;

GBytes *kiosk_print_render_with_stats (const char *template_name, JsonObject *data, KioskPaper paper,
                                       const char *base_dir, KioskRenderStats *stats, GError **error);

/* The first A4 page of @template_name with @data as a PNG, @scale pixels
 * per point: drawn by the same code as the PDF, so what the screen shows
 * is what is printed (the 证明打印 preview). */
GBytes *kiosk_print_render_preview_png (const char *template_name, JsonObject *data, KioskPaper paper, double scale,
                                        GError **error);

/* The text a template's QR code carries for @data, or NULL when the
 * template/data has no QR code. */
char *kiosk_print_qr_payload (const char *template_name, JsonObject *data);

/* A cap on one field or list of a template's data (the table is in
 * drivers/printer/README.md). */
typedef struct {
  const char *path;  /* "key", "object.key", "list[]" (the list and its string items), "list[].key" */
  guint max_chars;   /* characters (not bytes) of a string; 0 for a list of objects */
  guint max_lines;   /* line breaks + 1; 0: not counted (base64) */
  guint max_items;   /* "list[]" only */
  gboolean nonempty; /* a QR payload: when present, not "" */
} KioskPrintCap;

/* The caps of @template_name, ending with a row whose path is NULL; NULL for
 * an unknown template. */
const KioskPrintCap *kiosk_print_template_caps (const char *template_name);

/* Checks @data against the template's caps and required QR payloads
 * without rendering (KIOSK_PRINT_ERROR_TOO_LONG, _BAD_DATA). */
gboolean kiosk_print_check_data (const char *template_name, JsonObject *data, GError **error);

/* The largest data file kiosk_print_load_data() reads. */
#define KIOSK_PRINT_DATA_MAX_BYTES (2 * 1024 * 1024)

/* Print data nests a few levels (an object in a list in the data): deeper
 * input is refused before json-glib's recursive parser sees it (a 2 MB
 * file of '[' overflowed the stack). */
#define KIOSK_PRINT_DATA_MAX_DEPTH 16

/* TRUE when JSON @text nests at most @max_depth levels (brackets inside
 * strings do not count). */
gboolean kiosk_print_json_depth_ok (const char *text, gsize len, guint max_depth);
/* Every string and member name in NODE is valid UTF-8 (json-glib 1.6 reads
 * "\\631" as an octal byte). */
gboolean kiosk_print_json_all_utf8 (JsonNode *node);

/* Parses print data: a JSON object of at most KIOSK_PRINT_DATA_MAX_BYTES
 * and KIOSK_PRINT_DATA_MAX_DEPTH levels (KIOSK_PRINT_ERROR_TOO_LONG), valid
 * JSON (KIOSK_PRINT_ERROR_BAD_DATA). The print data decoder of kioskctl,
 * the tests and the fuzz target. */
JsonObject *kiosk_print_parse_data (const char *text, gsize len, GError **error);

/* Reads a JSON object from a file (for kioskctl and tests); files larger
 * than KIOSK_PRINT_DATA_MAX_BYTES are refused (KIOSK_PRINT_ERROR_TOO_LONG). */
JsonObject *kiosk_print_load_data (const char *path, GError **error);

G_END_DECLS
