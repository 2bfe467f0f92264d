/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Helpers shared by the printer tests: poppler-utils and zbar-tools run on
 * the PDFs the kiosk made or the printer received. */

/* tests/printer/data/<name> in the source tree. */
char *ptu_data_path (const char *name);
/* <build>/tests/printer/output/<name> (the folder is created). */
char *ptu_output_path (const char *name);
JsonObject *ptu_load_data (const char *template_name);
/* A template's example data with every capped field and list filled to its
 * cap (kiosk_print_template_caps): CJK text of max_chars characters over
 * max_lines lines, max_items items per list. With @exceed_path (a cap's
 * path), that one field goes one past its cap: @what 'c' characters, 'l'
 * lines, 'i' items. Dates are dates ("2026-11-25T10:15:000…"); fields
 * without a line count (base64), file paths and delivery.method keep the
 * example's value. */
JsonObject *ptu_data_at_caps (const char *template_name, const char *exceed_path, char what);
/* @chars characters of CJK text with @lines - 1 line breaks spread in it. */
char *ptu_text (guint chars, guint lines);
/* Skips the test (returns FALSE) when a tool is missing. */
gboolean ptu_have_tools (void);

/* pdftotext -layout of @pdf_path. */
char *ptu_pdf_text (const char *pdf_path);
/* Checks pdffonts: at least one font, every font embedded, subset, with a
 * ToUnicode map. Fails the test otherwise. Returns the number of fonts. */
int ptu_assert_fonts_embedded (const char *pdf_path);
/* Renders page 1 of @pdf_path to @png_path (pdftoppm -r @dpi). */
void ptu_pdf_to_png (const char *pdf_path, const char *png_path, int dpi);
/* Decodes the QR codes in @png_path (zbarimg); NULL when none. */
char *ptu_decode_qr (const char *png_path);
/* Decodes the QR codes on every page of @pdf_path (150 dpi), one per line. */
char *ptu_decode_pdf_qr (const char *pdf_path);
/* Asserts every string in @needles appears in @text (whitespace removed
 * from both, since pdftotext splits lines). */
void ptu_assert_text_contains (const char *text, const char *const *needles);

G_END_DECLS
