/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A signature drawn on the touchscreen (告知承诺): a fixed-size white pad
 * taking touch, pen or mouse strokes (smoothed), a 清除 (Clear) button, and
 * whether what was drawn is enough ink to be a signature ("signed": a tap or
 * a short scratch is not). The pad is exported as a PNG on a white
 * background, the size of the pad. kiosk_signature_pad_clear() forgets the
 * strokes and overwrites the memory that held them (the session's wipe).
 *
 * The pad never changes size: it is the same in every language and in
 * 长辈模式, where only its texts grow. Screen readers hear its name and what
 * to do ("Sign in the box with your finger …"), and whether it is signed. */

#define KIOSK_TYPE_SIGNATURE_PAD (kiosk_signature_pad_get_type ())
G_DECLARE_FINAL_TYPE (KioskSignaturePad, kiosk_signature_pad, KIOSK, SIGNATURE_PAD, GtkWidget)

/* Size of the drawing area in px (the PNG has this size). */
#define KIOSK_SIGNATURE_PAD_WIDTH 900
#define KIOSK_SIGNATURE_PAD_HEIGHT 300

GtkWidget *kiosk_signature_pad_new (void);

/* Enough ink for a signature: strokes at least 150 px long in all, spanning
 * at least 80 px (see kiosk-signature.c). */
gboolean kiosk_signature_pad_get_signed (KioskSignaturePad *self);
/* Nothing drawn at all. */
gboolean kiosk_signature_pad_is_empty (KioskSignaturePad *self);
/* Strokes drawn (for tests and the journey's record). */
guint kiosk_signature_pad_get_n_strokes (KioskSignaturePad *self);

/* Forgets every stroke; the memory that held the points is overwritten
 * before it is freed. "signed" becomes FALSE. */
void kiosk_signature_pad_clear (KioskSignaturePad *self);

/* The signature as PNG bytes: black ink on white, KIOSK_SIGNATURE_PAD_WIDTH
 * × KIOSK_SIGNATURE_PAD_HEIGHT. Fails (G_IO_ERROR_INVALID_DATA) when the pad
 * is not signed. The caller owns the bytes (and wipes them when done). */
GBytes *kiosk_signature_pad_export_png (KioskSignaturePad *self, GError **error);

/* Strokes as the gestures give them, in pad coordinates: begin a stroke at
 * (@x, @y), extend it, end it. The pad's drag gesture calls these; tests and
 * programmatic input may too. */
void kiosk_signature_pad_stroke_begin (KioskSignaturePad *self, double x, double y);
void kiosk_signature_pad_stroke_extend (KioskSignaturePad *self, double x, double y);
void kiosk_signature_pad_stroke_end (KioskSignaturePad *self);

/* The drawing area (where strokes are taken), for tests and pages that
 * place a label beside it. */
GtkWidget *kiosk_signature_pad_get_canvas (KioskSignaturePad *self);

G_END_DECLS
