/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-device-manager.h"
#include "kiosk-session.h"

G_BEGIN_DECLS

/* The application core: configuration, devices, the session machine and
 * the store's backlog, wired together. The UI holds one KioskCore, observes
 * it and sends it the resident's intents through the session. */

#define KIOSK_TYPE_CORE (kiosk_core_get_type ())
G_DECLARE_FINAL_TYPE (KioskCore, kiosk_core, KIOSK, CORE, GObject)

KioskCore *kiosk_core_new (KioskConfig *config);
KioskConfig *kiosk_core_get_config (KioskCore *self);
KioskSession *kiosk_core_get_session (KioskCore *self);
KioskDeviceManager *kiosk_core_get_devices (KioskCore *self);

/* Items waiting in the outbox; -1 while unknown (no store yet). */
int kiosk_core_get_backlog (KioskCore *self);
void kiosk_core_set_backlog (KioskCore *self, int backlog);

/* Starts devices (and, once they exist, the store and sync). */
void kiosk_core_start (KioskCore *self);
void kiosk_core_stop (KioskCore *self);

G_END_DECLS
