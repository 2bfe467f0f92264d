/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The style sheet of the screen widgets (kiosk-widgets.css: signature pad,
 * form field, step indicator), loaded once for the display when the first
 * of them is built. */
void kiosk_widgets_ensure_css (void);

G_END_DECLS
