/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-core.h"

G_BEGIN_DECLS

/* The running kiosk's state file: what the kiosk sees, for `kioskctl
 * doctor` and `kioskctl print status`, which must never open a device the
 * kiosk holds nor start a simulator of their own to answer.
 *
 * One JSON object, rewritten atomically (mode 0600: the kiosk user alone
 * reads it) on every device or session change and at least every
 * KIOSK_STATE_HEARTBEAT_SECONDS:
 *
 *   {"format": 1, "app_version": "0.1.0", "pid": 1234, "config": "/etc/kiosk/kiosk.conf",
 *    "started_at": 1773022000, "updated_at": 1773022264, "heartbeat_seconds": 15,
 *    "running": true, "session": "attract", "cards_read": 3,
 *    "online": true, "backlog": 0, "accepting": true, "store_error": null,
 *    "devices": {"idcard": {"backend": "sim", "state": "ready", "reason": "...", "message": null}, ...}}
 *
 * "running" is false once the kiosk stopped cleanly. No personal data: the
 * device reasons are the technician's text, "cards_read" only counts. */

#define KIOSK_STATE_HEARTBEAT_SECONDS 15
#define KIOSK_STATE_FORMAT 1

/* "<[store] path>.state.json" */
char *kiosk_state_file_path_for_store (const char *store_path);
/* For @config's store; NULL when the configuration names no store. */
char *kiosk_state_file_path (KioskConfig *config);

typedef struct _KioskStateFile KioskStateFile;

/* Starts writing @core's state to @path (from the main context). */
KioskStateFile *kiosk_state_file_new (KioskCore *core, const char *path);
/* Writes a last state ("running": false) and stops. */
void kiosk_state_file_free (KioskStateFile *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskStateFile, kiosk_state_file_free)

G_END_DECLS
