/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A SQLite VFS over the default one, registered as the default, for fault
 * injection in tests:
 * - disk full: while test_vfs_set_full (TRUE), writes and truncations fail
 *   with SQLITE_FULL, and so does growing a shared-memory (-shm) file (with
 *   SQLITE_IOERR_SHMSIZE, as the unix VFS says it); with
 *   test_vfs_set_full_while (path) the disk is full only while @path exists
 *   (deleting it frees room), NULL ends it;
 * - power loss: test_vfs_cut_after (n) lets n more writes through, then at
 *   the next write reverts every write not yet fsynced (xSync) in every open
 *   file, as a power cut would lose them, and _exit()s with
 *   TEST_VFS_CUT_EXIT. */
#define TEST_VFS_CUT_EXIT 99

void test_vfs_register (void);
void test_vfs_set_full (gboolean full);
void test_vfs_set_full_while (const char *path);
void test_vfs_cut_after (gint64 writes);

G_END_DECLS
