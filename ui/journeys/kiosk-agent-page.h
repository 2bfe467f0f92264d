/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* 代办服务's page (issue 15), registered in the page factory for the
 * journey "proxy" (KioskAgentJourney): one box per stage of the journey
 * (named "agent-<stage>"), shown as it moves: the agent's login (their
 * card, then the PIN typed on the on-screen keyboard's digits, hidden as
 * typed; waits and the lock said large with the station's phone), the
 * agent's menu, the resident's card, the items, the 代办服务委托书 (shown
 * masked, signed on the signature pad or printed and scanned back), then
 * 自助申报's own page for the resident with the list of missing materials
 * (一次性告知) and its print button above it, the agent's cases with
 * deadlines (late first) and the hand-over with the resident's feedback.
 * The wipe empties the PIN, the signature and every personal label. */
GtkWidget *kiosk_agent_page_new (KioskCore *core, KioskJourney *journey);

G_END_DECLS
