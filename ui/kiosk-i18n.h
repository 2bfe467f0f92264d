/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Gettext set-up for the shell. The kiosk switches language at run time
 * (the 中文/English toggle): the translations come from the catalogue of the
 * build tree when the program runs from there, else from LOCALEDIR. */

void kiosk_i18n_init (void);
/* The folder bindtextdomain() was given. */
const char *kiosk_i18n_get_localedir (void);
/* "zh_CN" or "en": later gettext calls answer in that language. */
void kiosk_i18n_set_language (const char *language);
const char *kiosk_i18n_get_language (void);

G_END_DECLS
