/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* 证明打印's page (issue 15), registered in the page factory
 * (ui/journeys/kiosk-journey-pages.c) for the journey "certificate": the
 * resident's documents with department and date, a field to look for a
 * proof the kiosk does not print (where to go instead), the chosen
 * document as the renderer draws it, 打印 / 补打 with its reason, and
 * offline the offer to queue a request. Widget names (for tests):
 * "cert-doc-N", "cert-search", "cert-search-answer", "cert-preview",
 * "cert-print", "cert-reason-N", "cert-print-status", "cert-problem",
 * "cert-done", "cert-queue-next", "cert-queue-post", "cert-queue-status". */
GtkWidget *kiosk_cert_page_new (KioskCore *core, KioskJourney *journey);

G_END_DECLS
