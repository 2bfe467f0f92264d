/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-store.h"
#include "kiosk-sync.h"

G_BEGIN_DECLS

/* Helpers shared by the store and sync tests. */

/* A fresh temporary folder (removed by store_test_rmdir). */
char *store_test_tmpdir (const char *name);
void store_test_rmdir (const char *path);
/* On tmpfs (/dev/shm) when available, for tests about the protocol rather
 * than the disk (fsync costs nothing there); KIOSK_TEST_ON_DISK=1 turns it
 * off. */
char *store_test_fast_tmpdir (const char *name);

/* The reference platform in a child process on 127.0.0.1 (port 0). @args:
 * extra flags (fault injection), NULL-terminated, may be NULL. */
typedef struct {
  GSubprocess *proc;
  char *url; /* "http://127.0.0.1:PORT/" */
  char *db;  /* the file, or with KIOSK_TEST_PG_URI a postgresql:// URI */
} TestPlatform;

TestPlatform *test_platform_start (const char *dir, const char *const *args);
void test_platform_stop (TestPlatform *p);
/* GET url + path, no faults on /v1/admin; returns the body or NULL. */
GBytes *test_platform_get (TestPlatform *p, const char *path, int *status);
/* One member of /v1/admin/stats. */
gint64 test_platform_stat (TestPlatform *p, const char *name);

/* A sync engine on the HTTP adapter, plain HTTP allowed, small backoff. */
KioskSync *test_sync_new (KioskStore *store, const char *url, guint base_ms, guint max_ms);

/* Submits a demo case with @pages pages of @w x @h; returns its number. */
char *test_submit_demo_case (KioskStore *store, guint seed, guint pages, int w, int h, GError **error);

G_END_DECLS
