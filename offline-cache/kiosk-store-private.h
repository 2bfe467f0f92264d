/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>
#include <sys/types.h>

#include "kiosk-store.h"

G_BEGIN_DECLS

/* Internals shared with the tests (migrations, fault injection). */

/* Applies migrations to @db from its PRAGMA user_version up to @target. */
gboolean _kiosk_store_migrate (sqlite3 *db, int target, GError **error);

/* The write(2) used for attachment files; tests replace it to inject
 * ENOSPC or EIO. */
typedef ssize_t (*KioskStoreWriteFunc) (int fd, const void *buf, size_t count);
extern KioskStoreWriteFunc _kiosk_store_write_func;

/* Below this many free bytes an I/O error that does not say why is taken
 * for a full disk. */
#define KIOSK_STORE_NEARLY_FULL_BYTES (256 * 1024)

/* Free bytes of the store's filesystem; tests replace it. */
typedef guint64 (*KioskStoreFreeSpaceFunc) (const char *dir);
extern KioskStoreFreeSpaceFunc _kiosk_store_free_space_func;

G_END_DECLS
