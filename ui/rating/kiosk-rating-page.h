/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* The page shown in the session's RATE state (好差评). The window creates one
 * and shows it whenever the session enters RATE; the page calls
 * kiosk_session_rating_done() when the rating is recorded (or timed out). */
GtkWidget *kiosk_rating_page_new (KioskCore *core);

G_END_DECLS
