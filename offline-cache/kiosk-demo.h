/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Synthetic applications for the demo and the tests (kioskctl demo seed):
 * what the UI would hand the store, generated deterministically from a
 * seed. The people are invented; ID numbers carry a valid check digit. */

/* A case JSON for kiosk_store_submit_case (item codes from the seed
 * catalog). */
char *kiosk_demo_case_json (guint seed);
/* A greyscale JPEG "scanned page" (@width x @height) with a printed-looking
 * pattern unique to (@seed, @page). */
GBytes *kiosk_demo_page_jpeg (guint seed, guint page, int width, int height);

G_END_DECLS
