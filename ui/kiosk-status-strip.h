/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* The strip at the bottom of every screen: each device's state (ready,
 * absent, error) with the resident's message, the platform (with the age of
 * its last answer when it is older than a minute) and the sync backlog. */

#define KIOSK_TYPE_STATUS_STRIP (kiosk_status_strip_get_type ())
G_DECLARE_FINAL_TYPE (KioskStatusStrip, kiosk_status_strip, KIOSK, STATUS_STRIP, GtkWidget)

void kiosk_status_strip_set_core (KioskStatusStrip *self, KioskCore *core);
/* The text shown for one device kind ("idcard", ...), for tests. */
const char *kiosk_status_strip_get_device_text (KioskStatusStrip *self, const char *kind);
/* The station's phone while a device message sends residents to the staff,
 * or NULL when none does (or no phone is configured). */
const char *kiosk_status_strip_get_phone_text (KioskStatusStrip *self);
const char *kiosk_status_strip_get_backlog_text (KioskStatusStrip *self);
/* The platform's line: connected, or how long ago it last answered. */
const char *kiosk_status_strip_get_platform_text (KioskStatusStrip *self);

G_END_DECLS
