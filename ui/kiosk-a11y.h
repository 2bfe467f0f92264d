/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Every control named after what it shows (issue #16, point 3).
 *
 * GTK 4.8 names a button for assistive technology from an explicit
 * accessible label only; most of the kiosk's buttons hold a box of an icon
 * and labels (a menu tile: "办事指南" over its description), which a screen
 * reader then announced as "GtkButton". Once installed, each button, check
 * button and switch is labelled, when it is mapped, by the text it shows:
 * its first label is its name (LABELLED_BY, so the name follows the text)
 * and the others its description (DESCRIBED_BY); a switch by the labels
 * beside it. A control that shows only a symbol ("⌫", "×") keeps the name
 * its code gave it (删除, 关闭). */
void kiosk_a11y_install (void);

/* Labels @control by the text it shows now (what the map hook does). */
void kiosk_a11y_name_control (GtkWidget *control);

/* The text @control shows, as it names it (its labels, the name first),
 * joined by newlines; "" when it shows only icons or symbols. */
char *kiosk_a11y_control_text (GtkWidget *control);

/* Whether @text says something (a letter, a digit or a Chinese
 * character), not only a symbol. */
gboolean kiosk_a11y_text_is_word (const char *text);

/* A screen's title: a GtkLabel whose accessible role is a heading (level
 * 1), so assistive technology can jump to it ("every screen has a
 * heading"). A label's role is fixed when it is made, hence a constructor;
 * in a .ui file: <property name="accessible-role">heading</property>. */
GtkWidget *kiosk_a11y_heading_new (const char *text);

G_END_DECLS
