/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

#include "platform-storage.h"

G_BEGIN_DECLS

/* The county's fleet view (issue #18 point 3): every kiosk's last
 * heartbeat, devices with their reasons, sync backlog and today's cases
 * and ratings, silent kiosks first; served as JSON (GET /v1/admin/fleet),
 * as a page (GET /fleet, platform/fleet/, compiled in as a GResource) and
 * printed by `kiosk-platform fleet`. The page and the admin routes need a
 * county account's session when --admin-accounts is given; kiosks need
 * their token when --kiosk-tokens is given. */

#define PLATFORM_FLEET_DEFAULT_SILENT_AFTER 900 /* 3 heartbeats of 300 s */

typedef struct _PlatformFleet PlatformFleet;

PlatformFleet *platform_fleet_new (void);
void platform_fleet_free (PlatformFleet *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlatformFleet, platform_fleet_free)

/* --silent-after, --admin-accounts, --kiosk-tokens (owned by @self). */
GOptionGroup *platform_fleet_option_group (PlatformFleet *self);
/* After the options are parsed: loads the account and token files. */
gboolean platform_fleet_setup (PlatformFleet *self, PlatformStorage *storage, GError **error);
/* The kiosk register (--kiosks): a registered kiosk never heard from is
 * listed, silent. NULL: only the kiosks the database knows. Not copied. */
void platform_fleet_set_register (PlatformFleet *self, const char *const *kiosks);

/* Answers @msg when it is the fleet's (the page, its files, the JSON, the
 * login) or is refused (an admin route without a session, a kiosk route
 * without its token): TRUE then. FALSE: the platform routes it. */
gboolean platform_fleet_handle (PlatformFleet *self, SoupServerMessage *msg, const char *path);

/* The fleet as JSON: {"server_time", "silent_after_seconds", "day_start",
 * "total", "silent", "kiosks": [...]} (docs/platform-api.md, "Fleet").
 * NULL on a storage error. */
char *platform_fleet_json (PlatformStorage *storage, const char *const *kiosks, gint64 now, gint64 silent_after);
/* The same as a table for a terminal (@problems_only: only the kiosks
 * whose "problem" is true). */
char *platform_fleet_format_table (const char *fleet_json, gboolean problems_only);

/* Subcommands: `kiosk-platform fleet --db TARGET [--silent-after S]
 * [--kiosks ID,...] [--problems] [--json]` and `kiosk-platform hash-password` (argv[0]
 * is the subcommand's name). Return the exit status. */
int platform_fleet_command (int argc, char **argv);
int platform_fleet_hash_password_command (int argc, char **argv);

G_END_DECLS
