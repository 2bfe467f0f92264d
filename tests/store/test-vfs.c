/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <sqlite3.h>

#include "test-vfs.h"

/* Each open file keeps an undo log of the writes since its last xSync: the
 * bytes (and size) they replaced. A power cut replays the logs backwards,
 * leaving every file as it was at its last sync. */

typedef struct {
  sqlite3_int64 offset;
  int len; /* bytes of @old that existed before the write */
  char *old;
} Undo;

typedef struct TestFile TestFile;
struct TestFile {
  sqlite3_file base;
  sqlite3_file *real; /* allocated right after this struct */
  GArray *undo;       /* Undo */
  sqlite3_int64 synced_size;
  char *shm; /* "<main db>-shm" for a main database file */
  TestFile *next;
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs test_vfs;
static gboolean full;
static char *full_while;
static gint64 cut_countdown = -1;
static TestFile *open_files;
static GMutex files_lock;

void
test_vfs_set_full (gboolean f)
{
  full = f;
}

void
test_vfs_set_full_while (const char *path)
{
  g_free (full_while);
  full_while = g_strdup (path);
}

static gboolean
is_full (void)
{
  return full || (full_while && g_file_test (full_while, G_FILE_TEST_EXISTS));
}

void
test_vfs_cut_after (gint64 writes)
{
  cut_countdown = writes;
}

static void
undo_clear (TestFile *f)
{
  for (guint i = 0; i < f->undo->len; i++)
    g_free (g_array_index (f->undo, Undo, i).old);
  g_array_set_size (f->undo, 0);
}

static void
power_cut (void)
{
  /* Revert every unsynced write of every file, newest first, then die
   * without closing anything. */
  for (TestFile *f = open_files; f; f = f->next)
    {
      for (guint i = f->undo->len; i > 0; i--)
        {
          Undo *u = &g_array_index (f->undo, Undo, i - 1);
          if (u->len > 0)
            f->real->pMethods->xWrite (f->real, u->old, u->len, u->offset);
        }
      f->real->pMethods->xTruncate (f->real, f->synced_size);
    }
  _exit (TEST_VFS_CUT_EXIT);
}

static void
remember (TestFile *f, sqlite3_int64 offset, int amt)
{
  sqlite3_int64 size = 0;
  Undo u = { .offset = offset };

  f->real->pMethods->xFileSize (f->real, &size);
  if (offset < size)
    {
      u.len = (int) MIN ((sqlite3_int64) amt, size - offset);
      u.old = g_malloc (u.len);
      f->real->pMethods->xRead (f->real, u.old, u.len, offset);
    }
  g_array_append_val (f->undo, u);
}

static int
t_close (sqlite3_file *file)
{
  TestFile *f = (TestFile *) file;
  int rc = f->real->pMethods->xClose (f->real);

  g_mutex_lock (&files_lock);
  for (TestFile **p = &open_files; *p; p = &(*p)->next)
    if (*p == f)
      {
        *p = f->next;
        break;
      }
  g_mutex_unlock (&files_lock);
  undo_clear (f);
  g_array_unref (f->undo);
  g_free (f->shm);
  return rc;
}

static int
t_read (sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
  TestFile *f = (TestFile *) file;
  return f->real->pMethods->xRead (f->real, buf, amt, off);
}

static int
t_write (sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
  TestFile *f = (TestFile *) file;

  if (is_full ())
    return SQLITE_FULL;
  if (cut_countdown == 0)
    power_cut ();
  if (cut_countdown > 0)
    cut_countdown--;
  remember (f, off, amt);
  return f->real->pMethods->xWrite (f->real, buf, amt, off);
}

static int
t_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  TestFile *f = (TestFile *) file;
  sqlite3_int64 cur = 0;

  if (is_full ())
    return SQLITE_FULL;
  f->real->pMethods->xFileSize (f->real, &cur);
  if (size < cur)
    remember (f, size, (int) (cur - size));
  return f->real->pMethods->xTruncate (f->real, size);
}

static int
t_sync (sqlite3_file *file, int flags)
{
  TestFile *f = (TestFile *) file;
  int rc = f->real->pMethods->xSync (f->real, flags);

  if (rc == SQLITE_OK)
    {
      undo_clear (f);
      f->real->pMethods->xFileSize (f->real, &f->synced_size);
    }
  return rc;
}

#define FORWARD(name, sig, args)            \
  static int t_##name sig                   \
  {                                         \
    TestFile *f = (TestFile *) file;        \
    return f->real->pMethods->x##name args; \
  }

FORWARD (FileSize, (sqlite3_file * file, sqlite3_int64 *size), (f->real, size))
FORWARD (Lock, (sqlite3_file * file, int l), (f->real, l))
FORWARD (Unlock, (sqlite3_file * file, int l), (f->real, l))
FORWARD (CheckReservedLock, (sqlite3_file * file, int *out), (f->real, out))
FORWARD (FileControl, (sqlite3_file * file, int op, void *arg), (f->real, op, arg))
FORWARD (SectorSize, (sqlite3_file * file), (f->real))
FORWARD (DeviceCharacteristics, (sqlite3_file * file), (f->real))
FORWARD (ShmLock, (sqlite3_file * file, int offset, int n, int flags), (f->real, offset, n, flags))
FORWARD (ShmUnmap, (sqlite3_file * file, int del), (f->real, del))
FORWARD (Fetch, (sqlite3_file * file, sqlite3_int64 off, int amt, void **pp), (f->real, off, amt, pp))
FORWARD (Unfetch, (sqlite3_file * file, sqlite3_int64 off, void *p), (f->real, off, p))

/* Growing the -shm file needs disk space, as on a real full disk. */
static int
t_ShmMap (sqlite3_file *file, int pg, int sz, int ext, void volatile **pp)
{
  TestFile *f = (TestFile *) file;
  struct stat st;

  if (ext && is_full () && f->shm && (g_stat (f->shm, &st) != 0 || st.st_size < (goffset) (pg + 1) * sz))
    return SQLITE_IOERR_SHMSIZE;
  return f->real->pMethods->xShmMap (f->real, pg, sz, ext, pp);
}

static void
t_ShmBarrier (sqlite3_file *file)
{
  TestFile *f = (TestFile *) file;
  f->real->pMethods->xShmBarrier (f->real);
}

static const sqlite3_io_methods test_io = {
  .iVersion = 3,
  .xClose = t_close,
  .xRead = t_read,
  .xWrite = t_write,
  .xTruncate = t_truncate,
  .xSync = t_sync,
  .xFileSize = t_FileSize,
  .xLock = t_Lock,
  .xUnlock = t_Unlock,
  .xCheckReservedLock = t_CheckReservedLock,
  .xFileControl = t_FileControl,
  .xSectorSize = t_SectorSize,
  .xDeviceCharacteristics = t_DeviceCharacteristics,
  .xShmMap = t_ShmMap,
  .xShmLock = t_ShmLock,
  .xShmBarrier = t_ShmBarrier,
  .xShmUnmap = t_ShmUnmap,
  .xFetch = t_Fetch,
  .xUnfetch = t_Unfetch,
};

static int
t_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  TestFile *f = (TestFile *) file;
  int rc;

  memset (f, 0, sizeof *f);
  f->real = (sqlite3_file *) (f + 1);
  rc = real_vfs->xOpen (real_vfs, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK)
    {
      f->base.pMethods = NULL;
      return rc;
    }
  f->base.pMethods = &test_io;
  f->undo = g_array_new (FALSE, FALSE, sizeof (Undo));
  if (name && (flags & SQLITE_OPEN_MAIN_DB))
    f->shm = g_strconcat (name, "-shm", NULL);
  f->real->pMethods->xFileSize (f->real, &f->synced_size);
  g_mutex_lock (&files_lock);
  f->next = open_files;
  open_files = f;
  g_mutex_unlock (&files_lock);
  return SQLITE_OK;
}

#define VFORWARD(name, sig, args)  \
  static int v_##name sig          \
  {                                \
    return real_vfs->x##name args; \
  }

VFORWARD (Delete, (sqlite3_vfs * v, const char *name, int sync_dir), (real_vfs, name, sync_dir))
VFORWARD (Access, (sqlite3_vfs * v, const char *name, int flags, int *out), (real_vfs, name, flags, out))
VFORWARD (FullPathname, (sqlite3_vfs * v, const char *name, int n, char *out), (real_vfs, name, n, out))
VFORWARD (Randomness, (sqlite3_vfs * v, int n, char *out), (real_vfs, n, out))
VFORWARD (Sleep, (sqlite3_vfs * v, int us), (real_vfs, us))
VFORWARD (CurrentTime, (sqlite3_vfs * v, double *out), (real_vfs, out))
VFORWARD (GetLastError, (sqlite3_vfs * v, int n, char *out), (real_vfs, n, out))
VFORWARD (CurrentTimeInt64, (sqlite3_vfs * v, sqlite3_int64 *out), (real_vfs, out))

void
test_vfs_register (void)
{
  if (real_vfs)
    return;
  real_vfs = sqlite3_vfs_find (NULL);
  test_vfs = (sqlite3_vfs){
    .iVersion = 2,
    .szOsFile = (int) sizeof (TestFile) + real_vfs->szOsFile,
    .mxPathname = real_vfs->mxPathname,
    .zName = "kiosk-test-vfs",
    .xOpen = t_open,
    .xDelete = v_Delete,
    .xAccess = v_Access,
    .xFullPathname = v_FullPathname,
    .xDlOpen = NULL,
    .xRandomness = v_Randomness,
    .xSleep = v_Sleep,
    .xCurrentTime = v_CurrentTime,
    .xGetLastError = v_GetLastError,
    .xCurrentTimeInt64 = v_CurrentTimeInt64,
  };
  sqlite3_vfs_register (&test_vfs, 1);
}
