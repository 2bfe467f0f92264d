/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Call once after gtk_init() (GtkApplication::startup does): registers the
 * resources and loads the one style sheet for the default display. */
/* Before gtk_init() and before any thread, in the kiosk and in every test
 * that opens a display: chooses the cairo renderer and keeps GL out
 * (GDK_DEBUG=gl-disable) unless GSK_RENDERER asks for another renderer,
 * and the kiosk's base theme (ui/theme/gtk.css) unless GTK_THEME is set. */
void kiosk_ui_preinit (void);
void kiosk_ui_init (void);

/* For dispose() of a widget with a layout manager: its template root is not
 * a bound child, so gtk_widget_dispose_template() leaves it parented. */
void _kiosk_widget_unparent_children (GtkWidget *widget);

G_END_DECLS
