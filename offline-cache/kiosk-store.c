/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store"

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "kiosk-identity.h"
#include "kiosk-store-private.h"

struct _KioskStore {
  GObject parent_instance;
  GMutex lock;
  sqlite3 *db;
  char *path;
  char *kiosk_id;
  char *attachment_dir;
  char *reserve_path;
  guint64 min_free_bytes;
  int retention_days;
  gboolean accepting;
  /* Prepared statements of the hot paths (cached()), SQL -> sqlite3_stmt,
   * and those borrowed since the lock was taken (store_unlock()). */
  GHashTable *stmts;
  GPtrArray *borrowed;
};

G_DEFINE_FINAL_TYPE (KioskStore, kiosk_store, G_TYPE_OBJECT)

enum { PROP_0, PROP_ACCEPTING, N_PROPS };
enum { SIGNAL_ENQUEUED, N_SIGNALS };
static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (kiosk - store - error - quark, kiosk_store_error)

static ssize_t
default_write (int fd, const void *buf, size_t count)
{
  return write (fd, buf, count);
}

static guint64
default_free_space (const char *dir)
{
  struct statvfs st;

  if (statvfs (dir, &st) != 0)
    return G_MAXUINT64;
  return (guint64) st.f_bavail * (guint64) st.f_frsize;
}

KioskStoreWriteFunc _kiosk_store_write_func = default_write;
KioskStoreFreeSpaceFunc _kiosk_store_free_space_func = default_free_space;

/* ---- The space reserve ------------------------------------------------- *
 * "<db>.reserve" is a file of KIOSK_STORE_RESERVE_BYTES kept next to the
 * database while the disk has room. When the disk is full, SQLite cannot map
 * its shared memory (-shm) nor grow the WAL, so the store could neither open
 * nor record a delivery: the backlog that would free space by leaving would
 * stay locked in. Every SQLite file of the store goes through the VFS below,
 * which on a write, truncate or shared-memory failure releases (deletes) the
 * reserve and retries once. kiosk_store_check_space() re-creates it when the
 * disk has room again. */

typedef struct {
  sqlite3_file base;
  sqlite3_file *real; /* allocated right after this struct */
  char *reserve;      /* "<db>.reserve", NULL for temporary files */
} ReserveFile;

/* Set on a thread while it writes a new application: those are refused
 * below the free-space floor and never take the reserve. */
static GPrivate writing_new_case;

static gboolean
release_reserve (const char *reserve)
{
  if (reserve == NULL || g_private_get (&writing_new_case) || g_unlink (reserve) != 0)
    return FALSE;
  g_warning ("store: the disk is full; released the space reserve %s so the queue can still be delivered", reserve);
  return TRUE;
}

static gboolean
may_be_space (int rc)
{
  return (rc & 0xff) == SQLITE_FULL || rc == SQLITE_IOERR_SHMSIZE || rc == SQLITE_IOERR_WRITE
         || rc == SQLITE_IOERR_TRUNCATE;
}

static int
r_close (sqlite3_file *file)
{
  ReserveFile *f = (ReserveFile *) file;
  int rc = f->real->pMethods->xClose (f->real);

  g_clear_pointer (&f->reserve, g_free);
  return rc;
}

static int
r_write (sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
  ReserveFile *f = (ReserveFile *) file;
  int rc = f->real->pMethods->xWrite (f->real, buf, amt, off);

  if (may_be_space (rc) && release_reserve (f->reserve))
    rc = f->real->pMethods->xWrite (f->real, buf, amt, off);
  return rc;
}

static int
r_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  ReserveFile *f = (ReserveFile *) file;
  int rc = f->real->pMethods->xTruncate (f->real, size);

  if (may_be_space (rc) && release_reserve (f->reserve))
    rc = f->real->pMethods->xTruncate (f->real, size);
  return rc;
}

static int
r_shm_map (sqlite3_file *file, int pg, int sz, int extend, void volatile **pp)
{
  ReserveFile *f = (ReserveFile *) file;
  int rc = f->real->pMethods->xShmMap (f->real, pg, sz, extend, pp);

  if (may_be_space (rc) && release_reserve (f->reserve))
    rc = f->real->pMethods->xShmMap (f->real, pg, sz, extend, pp);
  return rc;
}

#define R_FORWARD(name, sig, args)          \
  static int r_##name sig                   \
  {                                         \
    ReserveFile *f = (ReserveFile *) file;  \
    return f->real->pMethods->x##name args; \
  }

R_FORWARD (Read, (sqlite3_file * file, void *buf, int amt, sqlite3_int64 off), (f->real, buf, amt, off))
R_FORWARD (Sync, (sqlite3_file * file, int flags), (f->real, flags))
R_FORWARD (FileSize, (sqlite3_file * file, sqlite3_int64 *size), (f->real, size))
R_FORWARD (Lock, (sqlite3_file * file, int l), (f->real, l))
R_FORWARD (Unlock, (sqlite3_file * file, int l), (f->real, l))
R_FORWARD (CheckReservedLock, (sqlite3_file * file, int *out), (f->real, out))
R_FORWARD (FileControl, (sqlite3_file * file, int op, void *arg), (f->real, op, arg))
R_FORWARD (SectorSize, (sqlite3_file * file), (f->real))
R_FORWARD (DeviceCharacteristics, (sqlite3_file * file), (f->real))
R_FORWARD (ShmLock, (sqlite3_file * file, int offset, int n, int flags), (f->real, offset, n, flags))
R_FORWARD (ShmUnmap, (sqlite3_file * file, int del), (f->real, del))

static void
r_ShmBarrier (sqlite3_file *file)
{
  ReserveFile *f = (ReserveFile *) file;
  f->real->pMethods->xShmBarrier (f->real);
}

static int
r_Fetch (sqlite3_file *file, sqlite3_int64 off, int amt, void **pp)
{
  ReserveFile *f = (ReserveFile *) file;

  if (f->real->pMethods->iVersion < 3)
    {
      *pp = NULL;
      return SQLITE_OK;
    }
  return f->real->pMethods->xFetch (f->real, off, amt, pp);
}

static int
r_Unfetch (sqlite3_file *file, sqlite3_int64 off, void *p)
{
  ReserveFile *f = (ReserveFile *) file;

  if (f->real->pMethods->iVersion < 3)
    return SQLITE_OK;
  return f->real->pMethods->xUnfetch (f->real, off, p);
}

static const sqlite3_io_methods reserve_io = {
  .iVersion = 3,
  .xClose = r_close,
  .xRead = r_Read,
  .xWrite = r_write,
  .xTruncate = r_truncate,
  .xSync = r_Sync,
  .xFileSize = r_FileSize,
  .xLock = r_Lock,
  .xUnlock = r_Unlock,
  .xCheckReservedLock = r_CheckReservedLock,
  .xFileControl = r_FileControl,
  .xSectorSize = r_SectorSize,
  .xDeviceCharacteristics = r_DeviceCharacteristics,
  .xShmMap = r_shm_map,
  .xShmLock = r_ShmLock,
  .xShmBarrier = r_ShmBarrier,
  .xShmUnmap = r_ShmUnmap,
  .xFetch = r_Fetch,
  .xUnfetch = r_Unfetch,
};

static int
r_open (sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out_flags)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  ReserveFile *f = (ReserveFile *) file;
  int rc;

  memset (f, 0, sizeof *f);
  f->real = (sqlite3_file *) (f + 1);
  rc = real_vfs->xOpen (real_vfs, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK)
    {
      if (f->real->pMethods)
        f->real->pMethods->xClose (f->real);
      f->base.pMethods = NULL;
      return rc;
    }
  if (name && (flags & SQLITE_OPEN_MAIN_DB))
    f->reserve = g_strconcat (name, ".reserve", NULL);
  else if (name && (flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)))
    f->reserve = g_strconcat (sqlite3_filename_database (name), ".reserve", NULL);
  f->base.pMethods = &reserve_io;
  return SQLITE_OK;
}

#define R_VFORWARD(name, sig, args)      \
  static int rv_##name sig               \
  {                                      \
    sqlite3_vfs *real_vfs = v->pAppData; \
    return real_vfs->x##name args;       \
  }

R_VFORWARD (Delete, (sqlite3_vfs * v, const char *name, int sync_dir), (real_vfs, name, sync_dir))
R_VFORWARD (Access, (sqlite3_vfs * v, const char *name, int flags, int *out), (real_vfs, name, flags, out))
R_VFORWARD (FullPathname, (sqlite3_vfs * v, const char *name, int n, char *out), (real_vfs, name, n, out))
R_VFORWARD (Randomness, (sqlite3_vfs * v, int n, char *out), (real_vfs, n, out))
R_VFORWARD (Sleep, (sqlite3_vfs * v, int us), (real_vfs, us))
R_VFORWARD (CurrentTime, (sqlite3_vfs * v, double *out), (real_vfs, out))
R_VFORWARD (GetLastError, (sqlite3_vfs * v, int n, char *out), (real_vfs, n, out))
R_VFORWARD (CurrentTimeInt64, (sqlite3_vfs * v, sqlite3_int64 *out), (real_vfs, out))

/* The reserve VFS over the current default VFS (one per default, registered
 * for the life of the process; tests swap the default for fault injection). */
static const char *
reserve_vfs_name (void)
{
  static GMutex lock;
  sqlite3_vfs *real = sqlite3_vfs_find (NULL);
  g_autofree char *name = NULL;
  sqlite3_vfs *vfs;

  g_return_val_if_fail (real != NULL, NULL);
  name = g_strconcat ("kiosk-reserve/", real->zName, NULL);
  g_mutex_lock (&lock);
  vfs = sqlite3_vfs_find (name);
  if (vfs == NULL)
    {
      vfs = g_new0 (sqlite3_vfs, 1);
      vfs->iVersion = real->iVersion >= 2 ? 2 : 1;
      vfs->szOsFile = (int) sizeof (ReserveFile) + real->szOsFile;
      vfs->mxPathname = real->mxPathname;
      vfs->zName = g_steal_pointer (&name);
      vfs->pAppData = real;
      vfs->xOpen = r_open;
      vfs->xDelete = rv_Delete;
      vfs->xAccess = rv_Access;
      vfs->xFullPathname = rv_FullPathname;
      vfs->xRandomness = rv_Randomness;
      vfs->xSleep = rv_Sleep;
      vfs->xCurrentTime = rv_CurrentTime;
      vfs->xGetLastError = rv_GetLastError;
      if (real->iVersion >= 2)
        vfs->xCurrentTimeInt64 = rv_CurrentTimeInt64;
      sqlite3_vfs_register (vfs, 0);
    }
  g_mutex_unlock (&lock);
  return vfs->zName;
}

/* ---- Schema ------------------------------------------------------------ */

/* Each entry migrates from version i to i + 1. Never edit a released entry:
 * add a new one and bump KIOSK_STORE_SCHEMA_VERSION. */
static const char *const migrations[] = {
  /* 0 -> 1: catalog, notices, cases, attachments, outbox. */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
  "CREATE TABLE catalog (id INTEGER PRIMARY KEY CHECK (id = 1), etag TEXT, json TEXT NOT NULL,"
  "  fetched_at INTEGER NOT NULL);"
  "CREATE TABLE notices (id INTEGER PRIMARY KEY CHECK (id = 1), etag TEXT, json TEXT NOT NULL,"
  "  fetched_at INTEGER NOT NULL);"
  "CREATE TABLE cases (id INTEGER PRIMARY KEY, provisional_number TEXT NOT NULL UNIQUE,"
  "  item_code TEXT NOT NULL, applicant_json TEXT, form_json TEXT, commitment_json TEXT,"
  "  owed_json TEXT, delivery_json TEXT, created_at INTEGER NOT NULL);"
  "CREATE TABLE attachments (id INTEGER PRIMARY KEY,"
  "  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL, name TEXT NOT NULL, media_type TEXT NOT NULL, file TEXT,"
  "  size INTEGER NOT NULL, sha256 TEXT NOT NULL, uploaded INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (case_id, position));"
  "CREATE INDEX attachments_file ON attachments (file);"
  "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
  "  idempotency_key TEXT NOT NULL UNIQUE, payload TEXT NOT NULL,"
  "  case_id INTEGER REFERENCES cases (id), state INTEGER NOT NULL DEFAULT 0,"
  "  attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0, last_status INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT);"
  "CREATE INDEX outbox_state ON outbox (state, id);",

  /* 1 -> 2: the platform's official number and progress status. */
  "ALTER TABLE cases ADD COLUMN official_number TEXT;"
  "ALTER TABLE cases ADD COLUMN sync_state INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE cases ADD COLUMN acknowledged_at INTEGER;"
  "ALTER TABLE cases ADD COLUMN status TEXT;"
  "ALTER TABLE cases ADD COLUMN status_text TEXT;"
  "ALTER TABLE cases ADD COLUMN status_updated_at INTEGER;"
  "CREATE UNIQUE INDEX cases_official ON cases (official_number) WHERE official_number IS NOT NULL;"
  "UPDATE cases SET sync_state = 1 WHERE id IN (SELECT case_id FROM outbox WHERE state = 1);",

  /* 2 -> 3: ratings, print records, proxy authorisations. */
  "CREATE TABLE ratings (id INTEGER PRIMARY KEY,"
  "  outbox_id INTEGER NOT NULL UNIQUE REFERENCES outbox (id), json TEXT,"
  "  created_at INTEGER NOT NULL, purged_at INTEGER);"
  "CREATE TABLE print_records (id INTEGER PRIMARY KEY,"
  "  outbox_id INTEGER NOT NULL UNIQUE REFERENCES outbox (id), json TEXT,"
  "  created_at INTEGER NOT NULL, purged_at INTEGER);"
  "CREATE TABLE proxy_authorisations (id INTEGER PRIMARY KEY,"
  "  outbox_id INTEGER NOT NULL UNIQUE REFERENCES outbox (id), json TEXT,"
  "  created_at INTEGER NOT NULL, purged_at INTEGER);",

  /* 3 -> 4: retention, 代办 fields, promised dates. */
  "ALTER TABLE cases ADD COLUMN purged_at INTEGER;"
  "ALTER TABLE cases ADD COLUMN proxy_json TEXT;"
  "ALTER TABLE cases ADD COLUMN agent_json TEXT;"
  "ALTER TABLE cases ADD COLUMN due_date TEXT;"
  "CREATE INDEX cases_ack ON cases (acknowledged_at) WHERE purged_at IS NULL;",

  /* 4 -> 5: a case's materials and handling region (issue 14). A case
   * stored before keeps NULL in both, and with it the body it had. */
  "ALTER TABLE cases ADD COLUMN materials_json TEXT;"
  "ALTER TABLE cases ADD COLUMN region_json TEXT;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == KIOSK_STORE_SCHEMA_VERSION);

/* ---- Errors -------------------------------------------------------------- */

static const char *
disk_full_message (void)
{
  return _ ("The kiosk's storage is full, so new applications cannot be accepted now. "
            "Everything already accepted is safe. Please ask the station staff for help.");
}

static void
set_accepting (KioskStore *self, gboolean accepting)
{
  if (self->accepting == accepting)
    return;
  self->accepting = accepting;
  if (!accepting)
    g_warning ("store %s: refusing new applications (disk full or below the free-space floor)", self->path);
  else
    g_message ("store %s: accepting new applications again", self->path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCEPTING]);
}

/* Sets @error from the connection's last error; a full disk also flips the
 * store to refusing. */
/* An I/O error that a full disk explains: ENOSPC or EDQUOT behind it, or
 * (the shared-memory file does not keep errno) almost no space left. */
static gboolean
is_disk_full (KioskStore *self, sqlite3 *db, int code)
{
  int e = sqlite3_system_errno (db);

  if ((code & 0xff) == SQLITE_FULL)
    return TRUE;
  if ((code & 0xff) != SQLITE_IOERR)
    return FALSE;
  if (e == ENOSPC || e == EDQUOT)
    return TRUE;
  return self && self->attachment_dir
         && _kiosk_store_free_space_func (self->attachment_dir) < KIOSK_STORE_NEARLY_FULL_BYTES;
}

static gboolean
sql_fail (KioskStore *self, sqlite3 *db, const char *what, GError **error)
{
  int code = sqlite3_extended_errcode (db);
  int primary = code & 0xff;

  /* The technician's log has the precise error; the message is plain. */
  g_warning ("store%s%s: %s failed: %s (%d, errno %d)", self && self->path ? " " : "",
             self && self->path ? self->path : "", what, sqlite3_errmsg (db), code, sqlite3_system_errno (db));
  if (is_disk_full (self, db, code))
    {
      if (self)
        set_accepting (self, FALSE);
      g_set_error_literal (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL, disk_full_message ());
    }
  else if (primary == SQLITE_IOERR)
    g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_IO, "%s: disk I/O error: %s", what, sqlite3_errmsg (db));
  else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_CORRUPT, "%s: database damaged: %s", what,
                 sqlite3_errmsg (db));
  else if (primary == SQLITE_CONSTRAINT)
    g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID, "%s: %s", what, sqlite3_errmsg (db));
  else
    g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
exec (KioskStore *self, sqlite3 *db, const char *sql, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_fail (self, db, sql, error);
  return TRUE;
}

static sqlite3_stmt *
prepare (KioskStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sql_fail (self, self->db, "prepare", error);
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The statements the sync engine runs for every item, prepared once for the
 * store's life: parsing them again for each case cost more than running
 * them. A statement is borrowed with the lock held and never finalized by
 * the borrower; store_unlock() resets every statement borrowed since the
 * lock was taken (and clears its bindings), so that none keeps a read
 * transaction open, or points at freed text, once the lock is released. */
static sqlite3_stmt *
cached (KioskStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          sqlite3_finalize (stmt);
          sql_fail (self, self->db, "prepare", error);
          return NULL;
        }
      g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
    }
  else
    sqlite3_reset (stmt); /* borrowed twice under one lock */
  g_ptr_array_add (self->borrowed, stmt);
  return stmt;
}

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
store_unlock (KioskStore *self)
{
  for (guint i = 0; i < self->borrowed->len; i++)
    {
      sqlite3_reset (self->borrowed->pdata[i]);
      sqlite3_clear_bindings (self->borrowed->pdata[i]);
    }
  g_ptr_array_set_size (self->borrowed, 0);
  g_mutex_unlock (&self->lock);
}

/* exec() of a cached statement (BEGIN, COMMIT, pragmas on the hot paths). */
static gboolean
run (KioskStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = cached (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    sql_fail (self, self->db, sql, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

static void
rollback (KioskStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static char *
dup_column (sqlite3_stmt *stmt, int col)
{
  const unsigned char *t = sqlite3_column_text (stmt, col);
  return t ? g_strdup ((const char *) t) : NULL;
}

/* ---- Migrations ------------------------------------------------------- */

static gint64
query_int (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static int
user_version (sqlite3 *db)
{
  return (int) query_int (db, "PRAGMA user_version");
}

/* Is this database ours? A new (empty) one is; so is one stamped with our
 * application_id, and a store from before the stamp (schema version 1 or
 * later with the tables version 1 created). Anything else belongs to some
 * other program and is never migrated in place. */
static gboolean
check_ours (KioskStore *self, sqlite3 *db, int version, GError **error)
{
  gint64 app_id = query_int (db, "PRAGMA application_id");
  gint64 objects = query_int (db, "SELECT count(*) FROM sqlite_master");
  gint64 ours
      = query_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                       " AND name IN ('meta', 'sequence', 'catalog', 'notices', 'cases', 'attachments', 'outbox')");

  if (app_id < 0 || objects < 0 || ours < 0)
    return sql_fail (self, db, "read the database header", error);
  if (app_id == KIOSK_STORE_APPLICATION_ID || (app_id == 0 && version == 0 && objects == 0)
      || (app_id == 0 && version >= 1 && ours == 7))
    return TRUE;
  g_set_error_literal (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_FOREIGN,
                       "not a kiosk store (a database of another program); refusing to use it");
  return FALSE;
}

gboolean
_kiosk_store_migrate (sqlite3 *db, int target, GError **error)
{
  int v;

  if (!exec (NULL, db, "BEGIN IMMEDIATE", error))
    return FALSE;
  v = user_version (db);
  if (v < 0)
    {
      sql_fail (NULL, db, "read schema version", error);
      goto fail;
    }
  if (!check_ours (NULL, db, v, error))
    goto fail;
  if (v > KIOSK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_TOO_NEW,
                   "store schema version %d is newer than this program's %d", v, KIOSK_STORE_SCHEMA_VERSION);
      goto fail;
    }
  for (; v < target; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);
      g_autofree char *what = g_strdup_printf ("schema migration %d -> %d", v, v + 1);

      g_info ("store: migrating schema %d -> %d", v, v + 1);
      /* Labelled: the migration's SQL is no message for anyone. */
      if (sqlite3_exec (db, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
        {
          sql_fail (NULL, db, what, error);
          goto fail;
        }
      if (!exec (NULL, db, bump, error))
        goto fail;
    }
  if (query_int (db, "PRAGMA application_id") != KIOSK_STORE_APPLICATION_ID
      && !exec (NULL, db, "PRAGMA application_id = " G_STRINGIFY (KIOSK_STORE_APPLICATION_ID), error))
    goto fail;
  /* A migration must leave every foreign key satisfied. */
  {
    sqlite3_stmt *stmt = NULL;
    gboolean bad = FALSE;

    if (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL) == SQLITE_OK)
      bad = sqlite3_step (stmt) == SQLITE_ROW;
    sqlite3_finalize (stmt);
    if (bad)
      {
        g_set_error_literal (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_CORRUPT,
                             "foreign key violation after migration");
        goto fail;
      }
  }
  return exec (NULL, db, "COMMIT", error);

fail:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* ---- Object ------------------------------------------------------------ */

static void
kiosk_store_finalize (GObject *object)
{
  KioskStore *self = KIOSK_STORE (object);

  /* Every statement is finalized before the connection closes. */
  g_hash_table_unref (self->stmts);
  g_ptr_array_unref (self->borrowed);
  if (self->db)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self->kiosk_id);
  g_free (self->attachment_dir);
  g_free (self->reserve_path);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (kiosk_store_parent_class)->finalize (object);
}

static void
kiosk_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskStore *self = KIOSK_STORE (object);

  switch (prop_id)
    {
    case PROP_ACCEPTING:
      g_value_set_boolean (value, self->accepting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_store_class_init (KioskStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_store_finalize;
  object_class->get_property = kiosk_store_get_property;
  properties[PROP_ACCEPTING] = g_param_spec_boolean (
      "accepting", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* An item was committed to the outbox (gint64 id, const char *kind).
   * Emitted on the thread that enqueued it, after the commit: handlers must
   * be thread-safe (the kiosk wakes the sync engine with it). */
  signals[SIGNAL_ENQUEUED] = g_signal_new ("enqueued", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
}

static void
kiosk_store_init (KioskStore *self)
{
  g_mutex_init (&self->lock);
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stmt_finalize);
  self->borrowed = g_ptr_array_new ();
  self->accepting = TRUE;
  self->retention_days = 7;
  self->min_free_bytes = 64 * 1024 * 1024;
}

static gboolean
fsync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int r;

  if (fd < 0)
    return FALSE;
  r = fsync (fd);
  close (fd);
  return r == 0;
}

/* A store path must name a file: "/", "dir/" or an existing folder would
 * have the store create "<path>.attachments" somewhere it does not belong. */
static gboolean
check_store_path (const char *path, GError **error)
{
  g_autofree char *base = g_path_get_basename (path);

  if (*path == '\0' || g_str_has_suffix (path, G_DIR_SEPARATOR_S) || g_str_equal (base, G_DIR_SEPARATOR_S)
      || g_str_equal (base, ".") || g_str_equal (base, ".."))
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID,
                   "store path \"%s\" must name a database file, not a folder", path);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID, "store path \"%s\" is not a regular file",
                   path);
      return FALSE;
    }
  return TRUE;
}

static void
set_errno_error (GError **error, int e, const char *what, const char *path)
{
  if (e == ENOSPC || e == EDQUOT)
    {
      g_warning ("store: %s %s: %s", what, path, g_strerror (e));
      g_set_error_literal (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL, disk_full_message ());
    }
  else
    g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_IO, "%s %s: %s", what, path, g_strerror (e));
}

/* Creates @dir (and missing parents) 0700 whatever the umask; an existing
 * folder is left as it is. */
static gboolean
make_private_dir (const char *dir, GError **error)
{
  g_autofree char *parent = NULL;

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  parent = g_path_get_dirname (dir);
  if (!g_str_equal (parent, dir) && !make_private_dir (parent, error))
    return FALSE;
  if (g_mkdir (dir, 0700) != 0 && errno != EEXIST)
    {
      set_errno_error (error, errno, "cannot create", dir);
      return FALSE;
    }
  if (g_chmod (dir, 0700) != 0)
    {
      set_errno_error (error, errno, "cannot protect", dir);
      return FALSE;
    }
  fsync_dir (parent);
  return TRUE;
}

/* Mode 0600 for @path if it exists (our files hold personal data). A file
 * that cannot be changed (another owner) is reported, not fatal. */
static void
make_private_file (const char *path)
{
  struct stat st;

  if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 07777) != 0600)
    {
      if (g_chmod (path, 0600) != 0)
        g_warning ("store: cannot make %s private (mode %04o): %s", path, st.st_mode & 07777, g_strerror (errno));
      else
        g_message ("store: %s was mode %04o, now 0600", path, st.st_mode & 07777);
    }
}

/* The database file is created 0600 before SQLite sees it: SQLite gives its
 * -wal, -shm and -journal files the database's mode. */
static gboolean
create_store_file (KioskStore *self, GError **error)
{
  int fd = open (self->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      set_errno_error (error, errno, "cannot open", self->path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Existing store files are corrected (once the database is known ours). */
static void
protect_store_files (KioskStore *self)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", ".reserve" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (self->path, suffixes[i], NULL);
      make_private_file (p);
    }
}

static gboolean
protect_attachments (KioskStore *self, GError **error)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (!make_private_dir (self->attachment_dir, error))
    return FALSE;
  if (g_chmod (self->attachment_dir, 0700) != 0)
    g_warning ("store: cannot make %s private: %s", self->attachment_dir, g_strerror (errno));
  dir = g_dir_open (self->attachment_dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *p = g_build_filename (self->attachment_dir, name, NULL);
      make_private_file (p);
    }
  return TRUE;
}

/* "disk full" stays plain; other errors name the file. */
static void
open_failed (const char *path, GError *local, GError **error)
{
  if (!g_error_matches (local, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL))
    g_prefix_error (&local, "%s: ", path);
  g_propagate_error (error, local);
}

static KioskStore *
store_open (const char *path, const char *kiosk_id, guint64 min_free_bytes, GError **error)
{
  g_autoptr (KioskStore) self = NULL;
  g_autofree char *dir = NULL;
  GError *local = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (kiosk_id != NULL && *kiosk_id, NULL);

  /* Nothing is created before the path is known to be usable. */
  if (!check_store_path (path, error))
    return NULL;
  self = g_object_new (KIOSK_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->kiosk_id = g_strdup (kiosk_id);
  self->attachment_dir = g_strconcat (path, ".attachments", NULL);
  self->reserve_path = g_strconcat (path, ".reserve", NULL);
  self->min_free_bytes = min_free_bytes;

  dir = g_path_get_dirname (path);
  if (!make_private_dir (dir, error) || !create_store_file (self, error))
    return NULL;
  fsync_dir (dir);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        reserve_vfs_name ());
  if (rc != SQLITE_OK)
    {
      if (self->db && is_disk_full (self, self->db, rc))
        sql_fail (self, self->db, "open", error);
      else
        g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_IO, "cannot open %s: %s", path,
                     self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 30000);
  /* Another program's database is left exactly as it is: checked before
   * anything (journal mode, modes, migrations) could change it. */
  if (!check_ours (self, self->db, user_version (self->db), &local))
    {
      open_failed (path, local, error);
      return NULL;
    }
  protect_store_files (self);
  /* secure_delete: removed data is overwritten, whatever SQLite's build
   * default. wal_autocheckpoint: the WAL stays well within the reserve. */
  if (!exec (self, self->db, "PRAGMA secure_delete = ON", error)
      || !exec (self, self->db, "PRAGMA journal_mode = WAL", error)
      || !exec (self, self->db, "PRAGMA synchronous = FULL", error)
      || !exec (self, self->db, "PRAGMA foreign_keys = ON", error)
      || !exec (self, self->db, "PRAGMA trusted_schema = OFF", error)
      || !exec (self, self->db, "PRAGMA wal_autocheckpoint = 200", error))
    return NULL;
  if (!_kiosk_store_migrate (self->db, KIOSK_STORE_SCHEMA_VERSION, &local))
    {
      open_failed (path, local, error);
      return NULL;
    }
  if (!protect_attachments (self, error))
    return NULL;
  kiosk_store_check_space (self);
  return g_steal_pointer (&self);
}

KioskStore *
kiosk_store_open (const char *path, const char *kiosk_id, GError **error)
{
  return store_open (path, kiosk_id, 64 * 1024 * 1024, error);
}

KioskStore *
kiosk_store_open_from_config (KioskConfig *config, GError **error)
{
  g_autofree char *path = kiosk_config_get_path_value (config, "store", "path");
  g_autofree char *id = kiosk_config_get_string (config, "kiosk", "id");
  /* The configured floor before the first space check: no false warning. */
  guint64 min_free = (guint64) kiosk_config_get_int (config, "store", "min-free-mb") * 1024 * 1024;
  KioskStore *self;

  self = store_open (path, id, min_free, error);
  if (self == NULL)
    return NULL;
  self->retention_days = kiosk_config_get_int (config, "store", "retention-days");
  return self;
}

const char *
kiosk_store_get_path (KioskStore *self)
{
  return self->path;
}

const char *
kiosk_store_get_kiosk_id (KioskStore *self)
{
  return self->kiosk_id;
}

const char *
kiosk_store_get_attachment_dir (KioskStore *self)
{
  return self->attachment_dir;
}

int
kiosk_store_get_schema_version (KioskStore *self)
{
  int v;

  g_mutex_lock (&self->lock);
  v = user_version (self->db);
  store_unlock (self);
  return v;
}

gboolean
kiosk_store_check_integrity (KioskStore *self, GError **error)
{
  g_autoptr (GString) problems = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_mutex_lock (&self->lock);
  stmt = prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    {
      store_unlock (self);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);
      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "%s; ", line);
    }
  sqlite3_finalize (stmt);
  store_unlock (self);
  if (rc != SQLITE_DONE)
    return sql_fail (self, self->db, "integrity_check", error);
  if (problems->len)
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_CORRUPT, "integrity_check: %s", problems->str);
      return FALSE;
    }
  return TRUE;
}

/* ---- Space --------------------------------------------------------------- */

void
kiosk_store_set_min_free_bytes (KioskStore *self, guint64 bytes)
{
  self->min_free_bytes = bytes;
  kiosk_store_check_space (self);
}

gboolean
kiosk_store_is_accepting (KioskStore *self)
{
  return self->accepting;
}

/* Re-creates the space reserve when the disk has room for it twice. */
static gboolean
ensure_reserve (KioskStore *self, guint64 free_bytes)
{
  int fd, e;

  if (free_bytes < 2 * (guint64) KIOSK_STORE_RESERVE_BYTES || g_file_test (self->reserve_path, G_FILE_TEST_EXISTS))
    return FALSE;
  fd = open (self->reserve_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return FALSE; /* another process or thread made it */
  e = posix_fallocate (fd, 0, KIOSK_STORE_RESERVE_BYTES);
  if (e == 0 && fsync (fd) != 0)
    e = errno;
  close (fd);
  if (e != 0)
    {
      g_warning ("store: cannot keep a space reserve %s: %s", self->reserve_path, g_strerror (e));
      g_unlink (self->reserve_path);
      return FALSE;
    }
  g_debug ("store: space reserve %s in place", self->reserve_path);
  return TRUE;
}

/* The free-space floor for new applications; without its reserve, the
 * queue's share of the disk is kept free as well. */
static guint64
effective_floor (KioskStore *self)
{
  if (g_file_test (self->reserve_path, G_FILE_TEST_EXISTS))
    return self->min_free_bytes;
  return self->min_free_bytes + KIOSK_STORE_RESERVE_BYTES;
}

gboolean
kiosk_store_check_space (KioskStore *self)
{
  guint64 free_bytes = _kiosk_store_free_space_func (self->attachment_dir);

  if (ensure_reserve (self, free_bytes))
    free_bytes = _kiosk_store_free_space_func (self->attachment_dir);
  set_accepting (self, free_bytes >= effective_floor (self));
  return self->accepting;
}

int
kiosk_store_get_retention_days (KioskStore *self)
{
  return self->retention_days;
}

void
kiosk_store_set_retention_days (KioskStore *self, int days)
{
  self->retention_days = MAX (days, 0);
}

/* ---- Case numbers ------------------------------------------------------ */

static int
char_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 10;
  return -1;
}

/* ISO/IEC 7064 MOD 37,36 (hybrid): detects every single substitution and
 * every adjacent transposition. Separators are skipped. */
static char
mod37_36 (const char *s, gsize len)
{
  const char *alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  int p = 36;

  for (gsize i = 0; i < len; i++)
    {
      int v = char_value (s[i]);
      int t;

      if (v < 0)
        continue;
      t = (p + v) % 36;
      if (t == 0)
        t = 36;
      p = (t * 2) % 37;
    }
  return alphabet[(37 - p) % 36];
}

char *
kiosk_case_number_make (const char *kiosk_id, GDateTime *when, guint sequence)
{
  g_autofree char *date = g_date_time_format (when, "%Y%m%d");
  g_autofree char *body = g_strdup_printf ("%s-%s-%06u", kiosk_id, date, sequence % 1000000);

  return g_strdup_printf ("%s%c", body, mod37_36 (body, strlen (body)));
}

gboolean
kiosk_case_number_is_valid (const char *number)
{
  gsize len;

  if (number == NULL)
    return FALSE;
  len = strlen (number);
  if (len < 2 || len > 50)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (char_value (number[i]) < 0 && number[i] != '-' && number[i] != '_')
      return FALSE;
  return g_ascii_toupper (number[len - 1]) == mod37_36 (number, len - 1);
}

/* ---- Attachments on disk --------------------------------------------- */

typedef struct {
  char *file; /* name inside attachment_dir */
  char *sha256;
  gint64 size;
} WrittenFile;

static void
written_file_free (WrittenFile *w)
{
  g_free (w->file);
  g_free (w->sha256);
  g_free (w);
}

/* Writes @data to a new file and fsyncs it. errno-style failure in @error. */
static WrittenFile *
write_attachment (KioskStore *self, GBytes *data, GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  gsize len;
  const guint8 *buf = g_bytes_get_data (data, &len);
  gsize done = 0;
  WrittenFile *w;
  int fd;
  int e = 0;

  {
    g_autofree char *uuid = g_uuid_string_random ();
    name = g_strconcat (uuid, ".bin", NULL);
  }
  path = g_build_filename (self->attachment_dir, name, NULL);
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      e = errno;
      goto fail;
    }
  if (fchmod (fd, 0600) != 0) /* whatever the umask */
    e = errno;
  while (e == 0 && done < len)
    {
      ssize_t n = _kiosk_store_write_func (fd, buf + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          e = n < 0 ? errno : ENOSPC;
          break;
        }
      done += (gsize) n;
    }
  if (e == 0 && fsync (fd) != 0)
    e = errno;
  if (close (fd) != 0 && e == 0)
    e = errno;
  if (e != 0)
    {
      g_unlink (path);
      goto fail;
    }
  w = g_new0 (WrittenFile, 1);
  w->file = g_steal_pointer (&name);
  w->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, buf, len);
  w->size = (gint64) len;
  return w;

fail:
  g_warning ("store: writing attachment %s failed: %s", path, g_strerror (e));
  if (e == ENOSPC || e == EDQUOT || e == EFBIG)
    {
      set_accepting (self, FALSE);
      g_set_error_literal (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL, disk_full_message ());
    }
  else
    g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_IO, "writing attachment: %s", g_strerror (e));
  return NULL;
}

static void
unlink_written (KioskStore *self, GPtrArray *written)
{
  for (guint i = 0; i < written->len; i++)
    {
      WrittenFile *w = written->pdata[i];
      g_autofree char *p = g_build_filename (self->attachment_dir, w->file, NULL);
      g_unlink (p);
    }
}

/* ---- Submitting cases ------------------------------------------------- */

static char *
member_json (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_to_string (node, FALSE);
}

/* Caps of a case's "materials" and "handling_region" members, as the
 * domain codec's (app/domain/kiosk-domain-codec.c). */
#define CASE_MAX_MATERIALS 64
#define CASE_MAX_PAGES 64
#define CASE_MAX_NAME_CHARS 200
#define CASE_MAX_MEDIA_TYPE_CHARS 100
#define CASE_MAX_REGION_NAME_CHARS 100
#define CASE_MAX_REGION_CODE_CHARS 12

static const char *const material_states[]
    = { "missing", "id_card", "e_licence", "form", "scanned", "owed", "committed", NULL };

static gboolean
case_invalid (GError **error, const char *where, const char *what)
{
  g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID, "case member \"%s\" %s", where, what);
  return FALSE;
}

/* Only the members in @allowed (NULL-terminated). */
static gboolean
only_members (JsonObject *o, const char *const *allowed, const char *where, GError **error)
{
  g_autoptr (GList) names = json_object_get_members (o);

  for (GList *l = names; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *w = g_strdup_printf ("%s.%s", where, (const char *) l->data);
        return case_invalid (error, w, "is not known");
      }
  return TRUE;
}

/* A string member of 1..@max characters, valid UTF-8 without control
 * characters; NULL with @error otherwise. */
static const char *
case_string (JsonObject *o, const char *member, guint max, const char *where, GError **error)
{
  JsonNode *n = json_object_get_member (o, member);
  g_autofree char *w = g_strdup_printf ("%s.%s", where, member);
  const char *s;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      case_invalid (error, w, "must be a string");
      return NULL;
    }
  s = json_node_get_string (n);
  if (!g_utf8_validate (s, -1, NULL) || *s == '\0' || g_utf8_strlen (s, -1) > (glong) max)
    {
      g_autofree char *what = g_strdup_printf ("must be 1 to %u characters of UTF-8", max);
      case_invalid (error, w, what);
      return NULL;
    }
  for (const char *p = s; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        case_invalid (error, w, "holds a control character");
        return NULL;
      }
  return s;
}

static gboolean
is_lower_sha256 (const char *s)
{
  if (strlen (s) != 64)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isxdigit (*s) || g_ascii_isupper (*s))
      return FALSE;
  return TRUE;
}

/* One page of a material. With @written (the files of @drafts, as
 * written), also that it is an attachment of the case by name, media type,
 * size and SHA-256. */
static gboolean
check_page (JsonNode *n, const char *where, GPtrArray *drafts, GPtrArray *written, GError **error)
{
  static const char *const members[] = { "name", "media_type", "size", "sha256", NULL };
  JsonObject *o;
  JsonNode *size;
  const char *name, *media_type, *sha;

  if (!JSON_NODE_HOLDS_OBJECT (n))
    return case_invalid (error, where, "must be an object");
  o = json_node_get_object (n);
  if (!only_members (o, members, where, error)
      || (name = case_string (o, "name", CASE_MAX_NAME_CHARS, where, error)) == NULL
      || (media_type = case_string (o, "media_type", CASE_MAX_MEDIA_TYPE_CHARS, where, error)) == NULL
      || (sha = case_string (o, "sha256", 64, where, error)) == NULL)
    return FALSE;
  size = json_object_get_member (o, "size");
  if (size == NULL || !JSON_NODE_HOLDS_VALUE (size) || json_node_get_value_type (size) != G_TYPE_INT64
      || json_node_get_int (size) < 0)
    {
      g_autofree char *w = g_strdup_printf ("%s.size", where);
      return case_invalid (error, w, "must be a whole number of bytes");
    }
  if (!is_lower_sha256 (sha))
    {
      g_autofree char *w = g_strdup_printf ("%s.sha256", where);
      return case_invalid (error, w, "must be 64 lowercase hex digits");
    }
  if (written == NULL)
    return TRUE;
  for (guint i = 0; drafts && i < drafts->len && i < written->len; i++)
    {
      KioskAttachmentDraft *d = drafts->pdata[i];
      WrittenFile *w = written->pdata[i];
      if (g_str_equal (d->name, name) && g_str_equal (d->media_type, media_type) && g_str_equal (w->sha256, sha)
          && w->size == json_node_get_int (size))
        return TRUE;
    }
  return case_invalid (error, where, "names no attachment of the case with its media type, size and SHA-256");
}

/* A case's "materials" (docs/platform-api.md): NULL when absent or null,
 * else its compact JSON; FALSE with @error when malformed. */
static gboolean
case_materials (JsonObject *obj, GPtrArray *drafts, GPtrArray *written, char **out, GError **error)
{
  static const char *const members[] = { "name", "state", "pages", NULL };
  JsonNode *node = json_object_get_member (obj, "materials");
  JsonArray *a;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return case_invalid (error, "materials", "must be an array");
  a = json_node_get_array (node);
  if (json_array_get_length (a) > CASE_MAX_MATERIALS)
    return case_invalid (error, "materials", "lists more than 64 materials");
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *where = g_strdup_printf ("materials[%u]", i);
      JsonNode *e = json_array_get_element (a, i);
      JsonObject *m;
      JsonNode *pages;
      const char *state;

      if (!JSON_NODE_HOLDS_OBJECT (e))
        return case_invalid (error, where, "must be an object");
      m = json_node_get_object (e);
      if (!only_members (m, members, where, error) || case_string (m, "name", CASE_MAX_NAME_CHARS, where, error) == NULL
          || (state = case_string (m, "state", 16, where, error)) == NULL)
        return FALSE;
      if (!g_strv_contains (material_states, state))
        {
          g_autofree char *w = g_strdup_printf ("%s.state", where);
          return case_invalid (error, w, "is not a material state");
        }
      pages = json_object_get_member (m, "pages");
      if (pages == NULL || !JSON_NODE_HOLDS_ARRAY (pages))
        {
          g_autofree char *w = g_strdup_printf ("%s.pages", where);
          return case_invalid (error, w, "must be an array");
        }
      if (json_array_get_length (json_node_get_array (pages)) > CASE_MAX_PAGES)
        {
          g_autofree char *w = g_strdup_printf ("%s.pages", where);
          return case_invalid (error, w, "lists more than 64 pages");
        }
      for (guint k = 0; k < json_array_get_length (json_node_get_array (pages)); k++)
        {
          g_autofree char *pw = g_strdup_printf ("%s.pages[%u]", where, k);
          if (!check_page (json_array_get_element (json_node_get_array (pages), k), pw, drafts, written, error))
            return FALSE;
        }
    }
  *out = json_to_string (node, FALSE);
  return TRUE;
}

/* A case's "handling_region": "null" when absent or null (NULL is kept
 * for the cases stored before schema 5), else its compact JSON; FALSE with
 * @error when malformed. */
static gboolean
case_region (JsonObject *obj, char **out, GError **error)
{
  static const char *const members[] = { "code", "name", NULL };
  JsonNode *node = json_object_get_member (obj, "handling_region");
  JsonNode *code;
  JsonObject *o;

  *out = g_strdup ("null");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  g_clear_pointer (out, g_free);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return case_invalid (error, "handling_region", "must be an object or null");
  o = json_node_get_object (node);
  if (!only_members (o, members, "handling_region", error)
      || case_string (o, "name", CASE_MAX_REGION_NAME_CHARS, "handling_region", error) == NULL)
    return FALSE;
  code = json_object_get_member (o, "code");
  if (code && !JSON_NODE_HOLDS_NULL (code))
    {
      const char *c = case_string (o, "code", CASE_MAX_REGION_CODE_CHARS, "handling_region", error);
      if (c == NULL)
        return FALSE;
      for (const char *p = c; *p; p++)
        if (!g_ascii_isdigit (*p))
          return case_invalid (error, "handling_region.code", "must be digits");
    }
  *out = json_to_string (node, FALSE);
  return TRUE;
}

static gint64
next_sequence (KioskStore *self, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
                                           "INSERT INTO sequence (name, value) VALUES (?1, 1) "
                                           "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                                           error);
  gint64 v;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sql_fail (self, self->db, "sequence", error);
      return -1;
    }
  v = sqlite3_column_int64 (stmt, 0);
  return v;
}

static char *
make_idempotency_key (KioskStore *self)
{
  g_autofree char *uuid = g_uuid_string_random ();
  return g_strdup_printf ("%s:%s", self->kiosk_id, uuid);
}

static gint64
insert_outbox (KioskStore *self, const char *kind, const char *payload, gint64 case_id, gint64 now, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
                                           "INSERT INTO outbox (kind, idempotency_key, payload, case_id, created_at,"
                                           " next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                                           error);
  g_autofree char *key = make_idempotency_key (self);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, payload, -1, SQLITE_STATIC);
  if (case_id > 0)
    sqlite3_bind_int64 (stmt, 4, case_id);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int64 (stmt, 5, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sql_fail (self, self->db, "insert outbox", error);
      return 0;
    }
  return sqlite3_last_insert_rowid (self->db);
}

char *
kiosk_store_submit_case (KioskStore *self, const char *case_json, GPtrArray *attachments, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func ((GDestroyNotify) written_file_free);
  g_autoptr (GDateTime) now_dt = g_date_time_new_now_local ();
  g_autofree char *number = NULL;
  g_autofree char *applicant = NULL, *form = NULL, *commitment = NULL, *owed = NULL, *delivery = NULL;
  g_autofree char *proxy = NULL, *agent = NULL, *materials = NULL, *region = NULL;
  JsonObject *obj;
  const char *item_code;
  guint64 needed = 0;
  gint64 now = g_get_real_time ();
  gint64 case_id, seq;

  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);
  g_return_val_if_fail (case_json != NULL, NULL);

  if (!json_parser_load_from_data (parser, case_json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID, "case is not a JSON object");
      return NULL;
    }
  obj = json_node_get_object (json_parser_get_root (parser));
  item_code = json_object_get_string_member_with_default (obj, "item_code", NULL);
  if (item_code == NULL || *item_code == '\0' || !json_object_has_member (obj, "applicant"))
    {
      g_set_error_literal (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID,
                           "case needs \"item_code\" and \"applicant\"");
      return NULL;
    }
  applicant = member_json (obj, "applicant");
  form = member_json (obj, "form");
  commitment = member_json (obj, "commitment");
  owed = member_json (obj, "owed_materials");
  delivery = member_json (obj, "delivery");
  proxy = member_json (obj, "proxy_authorisation");
  agent = member_json (obj, "agent");
  /* Their shape first, before any file is written. */
  if (!case_materials (obj, attachments, NULL, &materials, error) || !case_region (obj, &region, error))
    return NULL;

  for (guint i = 0; attachments && i < attachments->len; i++)
    {
      KioskAttachmentDraft *d = attachments->pdata[i];
      if (d == NULL || d->data == NULL || d->name == NULL || d->media_type == NULL)
        {
          g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID, "attachment %u incomplete", i);
          return NULL;
        }
      needed += g_bytes_get_size (d->data);
    }

  /* Refuse early when below the floor: never half-accept an application. */
  if (!kiosk_store_check_space (self)
      || _kiosk_store_free_space_func (self->attachment_dir) < effective_floor (self) + needed)
    {
      set_accepting (self, FALSE);
      g_set_error_literal (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL, disk_full_message ());
      return NULL;
    }

  /* 1. Files first, each fsynced, then the folder. */
  for (guint i = 0; attachments && i < attachments->len; i++)
    {
      KioskAttachmentDraft *d = attachments->pdata[i];
      WrittenFile *w = write_attachment (self, d->data, error);
      if (w == NULL)
        {
          unlink_written (self, written);
          return NULL;
        }
      g_ptr_array_add (written, w);
    }
  if (written->len && !fsync_dir (self->attachment_dir))
    {
      int e = errno;
      unlink_written (self, written);
      g_set_error (error, KIOSK_STORE_ERROR, e == ENOSPC ? KIOSK_STORE_ERROR_DISK_FULL : KIOSK_STORE_ERROR_IO,
                   "syncing attachment folder: %s", g_strerror (e));
      return NULL;
    }
  /* Every scanned page the materials list is one of the files written. */
  g_clear_pointer (&materials, g_free);
  if (!case_materials (obj, attachments, written, &materials, error))
    {
      unlink_written (self, written);
      return NULL;
    }

  /* 2. One transaction: sequence, case, attachments, outbox. */
  g_mutex_lock (&self->lock);
  g_private_set (&writing_new_case, GINT_TO_POINTER (1));
  if (!exec (self, self->db, "BEGIN IMMEDIATE", error))
    goto fail;
  seq = next_sequence (self, "case", error);
  if (seq < 0)
    goto fail;
  number = kiosk_case_number_make (self->kiosk_id, now_dt, (guint) seq);
  {
    g_autoptr (sqlite3_stmt) stmt = prepare (self,
                                             "INSERT INTO cases (provisional_number, item_code, applicant_json,"
                                             " form_json, commitment_json, owed_json, delivery_json, proxy_json,"
                                             " agent_json, created_at, materials_json, region_json)"
                                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                             error);
    if (stmt == NULL)
      goto fail;
    sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, item_code, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, applicant, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, form, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, commitment, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 6, owed, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 7, delivery, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 8, proxy, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 9, agent, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 10, now);
    sqlite3_bind_text (stmt, 11, materials, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 12, region, -1, SQLITE_STATIC);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        sql_fail (self, self->db, "insert case", error);
        goto fail;
      }
    case_id = sqlite3_last_insert_rowid (self->db);
  }
  for (guint i = 0; attachments && i < written->len; i++)
    {
      KioskAttachmentDraft *d = attachments->pdata[i];
      WrittenFile *w = written->pdata[i];
      g_autoptr (sqlite3_stmt) stmt = prepare (self,
                                               "INSERT INTO attachments (case_id, position, name, media_type, file,"
                                               " size, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                               error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, case_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_text (stmt, 3, d->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, d->media_type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, w->file, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, w->size);
      sqlite3_bind_text (stmt, 7, w->sha256, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sql_fail (self, self->db, "insert attachment", error);
          goto fail;
        }
    }
  /* The payload of a case is composed from its rows when it is sent, so the
   * personal data lives in one place (and retention can purge it). */
  if (insert_outbox (self, "case", "{}", case_id, now, error) == 0)
    goto fail;
  if (!exec (self, self->db, "COMMIT", error))
    goto fail;
  g_private_set (&writing_new_case, NULL);
  store_unlock (self);
  g_debug ("store: accepted case %s with %u attachments", number, written->len);
  g_signal_emit (self, signals[SIGNAL_ENQUEUED], 0, (gint64) case_id, "case");
  return g_steal_pointer (&number);

fail:
  rollback (self);
  g_private_set (&writing_new_case, NULL);
  store_unlock (self);
  unlink_written (self, written);
  return NULL;
}

typedef struct {
  char *json;
  char *kind;
  GPtrArray *attachments;
} SubmitData;

static void
submit_data_free (SubmitData *d)
{
  kiosk_secure_free (d->json);
  g_free (d->kind);
  g_clear_pointer (&d->attachments, g_ptr_array_unref);
  g_free (d);
}

static void
submit_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SubmitData *d = task_data;
  GError *error = NULL;
  char *number = kiosk_store_submit_case (source, d->json, d->attachments, &error);

  if (number)
    g_task_return_pointer (task, number, g_free);
  else
    g_task_return_error (task, error);
}

void
kiosk_store_submit_case_async (KioskStore *self, const char *case_json, GPtrArray *attachments,
                               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SubmitData *d = g_new0 (SubmitData, 1);

  d->json = g_strdup (case_json);
  d->attachments = attachments ? g_ptr_array_ref (attachments) : NULL;
  g_task_set_source_tag (task, kiosk_store_submit_case_async);
  g_task_set_task_data (task, d, (GDestroyNotify) submit_data_free);
  g_task_run_in_thread (task, submit_thread);
}

char *
kiosk_store_submit_case_finish (KioskStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Case queries -------------------------------------------------------- */

void
kiosk_case_info_free (KioskCaseInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->provisional_number);
  g_free (info->official_number);
  g_free (info->item_code);
  g_free (info->status);
  g_free (info->status_text);
  g_free (info->due_date);
  g_free (info);
}

#define CASE_COLUMNS                                                                                 \
  "id, provisional_number, official_number, item_code, sync_state, status, status_text, created_at," \
  " acknowledged_at, status_updated_at, purged_at IS NOT NULL, due_date"

static KioskCaseInfo *
case_from_row (sqlite3_stmt *stmt)
{
  KioskCaseInfo *info = g_new0 (KioskCaseInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->provisional_number = dup_column (stmt, 1);
  info->official_number = dup_column (stmt, 2);
  info->item_code = dup_column (stmt, 3);
  info->sync_state = sqlite3_column_int (stmt, 4);
  info->status = dup_column (stmt, 5);
  info->status_text = dup_column (stmt, 6);
  info->created_at = sqlite3_column_int64 (stmt, 7);
  info->acknowledged_at = sqlite3_column_int64 (stmt, 8);
  info->status_updated_at = sqlite3_column_int64 (stmt, 9);
  info->purged = sqlite3_column_int (stmt, 10);
  info->due_date = dup_column (stmt, 11);
  return info;
}

KioskCaseInfo *
kiosk_store_find_case (KioskStore *self, const char *number, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  KioskCaseInfo *info = NULL;
  int rc;

  g_return_val_if_fail (number != NULL, NULL);
  g_mutex_lock (&self->lock);
  stmt = prepare (self,
                  "SELECT " CASE_COLUMNS " FROM cases WHERE provisional_number = ?1 COLLATE NOCASE"
                  " OR official_number = ?1 LIMIT 1",
                  error);
  if (stmt)
    {
      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        info = case_from_row (stmt);
      else if (rc == SQLITE_DONE)
        g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_NOT_FOUND, "no case with number %s", number);
      else
        sql_fail (self, self->db, "find case", error);
    }
  store_unlock (self);
  return info;
}

GPtrArray *
kiosk_store_find_cases_of_applicant (KioskStore *self, const char *id_number, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  GPtrArray *cases = NULL;
  int rc;

  g_return_val_if_fail (id_number != NULL, NULL);
  g_mutex_lock (&self->lock);
  /* Purged cases have no applicant left. The check character 'x' and 'X'
   * are the same person. */
  stmt = prepare (self,
                  "SELECT " CASE_COLUMNS " FROM cases WHERE purged_at IS NULL"
                  " AND upper(json_extract(applicant_json, '$.id_number')) = upper(?1)"
                  " ORDER BY created_at DESC, id DESC",
                  error);
  if (stmt)
    {
      cases = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_case_info_free);
      sqlite3_bind_text (stmt, 1, id_number, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (cases, case_from_row (stmt));
      if (rc != SQLITE_DONE)
        {
          sql_fail (self, self->db, "cases of applicant", error);
          g_clear_pointer (&cases, g_ptr_array_unref);
        }
    }
  store_unlock (self);
  return cases;
}

GPtrArray *
kiosk_store_find_proxy_cases (KioskStore *self, const char *agent_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  GPtrArray *cases = NULL;
  int rc;

  g_mutex_lock (&self->lock);
  stmt = prepare (self,
                  "SELECT " CASE_COLUMNS " FROM cases WHERE purged_at IS NULL AND proxy_json IS NOT NULL"
                  " AND json_type(proxy_json) = 'text'"
                  " AND (?1 IS NULL OR json_extract(agent_json, '$.id') = ?1)"
                  " ORDER BY created_at, id",
                  error);
  if (stmt)
    {
      cases = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_case_info_free);
      sqlite3_bind_text (stmt, 1, agent_id, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (cases, case_from_row (stmt));
      if (rc != SQLITE_DONE)
        {
          sql_fail (self, self->db, "proxy cases", error);
          g_clear_pointer (&cases, g_ptr_array_unref);
        }
    }
  store_unlock (self);
  return cases;
}

/* The JSON sent to the platform for a case (docs/platform-api.md). It is
 * a function of the rows alone, so a resent case sends the same bytes; a
 * case stored before schema 5 (region_json and materials_json NULL) keeps
 * the body it had then, byte for byte (a resend under its key after an
 * upgrade is still the same request). A newer case has "handling_region"
 * (region_json is "null" when there is none) and, when it listed them,
 * its "materials" (a merge patch with a null "materials" adds nothing). */
#define CASE_PAYLOAD_SQL                                                                                        \
  "SELECT CASE WHEN region IS NULL THEN body ELSE json_insert(body, '$.handling_region', json(region)) END"     \
  " FROM (SELECT c.region_json AS region, json_patch(json_object('provisional_number', c.provisional_number,"   \
  " 'kiosk_id', ?2, 'item_code', c.item_code,"                                                                  \
  " 'created_at', strftime('%Y-%m-%dT%H:%M:%fZ', c.created_at / 1e6, 'unixepoch'),"                             \
  " 'applicant', json(c.applicant_json), 'form', json(coalesce(c.form_json, '{}')),"                            \
  " 'commitment', json(c.commitment_json), 'owed_materials', json(coalesce(c.owed_json, '[]')),"                \
  " 'delivery', json(c.delivery_json), 'proxy_authorisation', json(c.proxy_json), 'agent', json(c.agent_json)," \
  " 'attachments', (SELECT json_group_array(json_object('name', a.name, 'media_type', a.media_type,"            \
  "   'size', a.size, 'sha256', a.sha256)) FROM (SELECT * FROM attachments WHERE case_id = c.id"                \
  "   ORDER BY position) a)), json_object('materials', json(c.materials_json))) AS body"                        \
  " FROM cases c WHERE c.id = ?1 AND c.purged_at IS NULL)"

char *
kiosk_store_get_case_json (KioskStore *self, gint64 case_id, GError **error)
{
  sqlite3_stmt *stmt;
  char *json = NULL;
  int rc;

  g_mutex_lock (&self->lock);
  stmt = cached (self, CASE_PAYLOAD_SQL, error);
  if (stmt)
    {
      sqlite3_bind_int64 (stmt, 1, case_id);
      sqlite3_bind_text (stmt, 2, self->kiosk_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        json = dup_column (stmt, 0);
      else if (rc == SQLITE_DONE)
        g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_NOT_FOUND,
                     "case %" G_GINT64_FORMAT " not found or purged", case_id);
      else
        sql_fail (self, self->db, "case payload", error);
    }
  store_unlock (self);
  return json;
}

gboolean
kiosk_store_set_case_status (KioskStore *self, const char *number, const char *status, const char *status_text,
                             const char *due_date, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  g_mutex_lock (&self->lock);
  stmt = prepare (self,
                  "UPDATE cases SET status = ?2, status_text = ?3, due_date = coalesce(?4, due_date),"
                  " status_updated_at = ?5 WHERE provisional_number = ?1 OR official_number = ?1",
                  error);
  if (stmt)
    {
      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, status_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, due_date, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
      if (sqlite3_step (stmt) != SQLITE_DONE)
        sql_fail (self, self->db, "set case status", error);
      else if (sqlite3_changes (self->db) == 0)
        g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_NOT_FOUND, "no case with number %s", number);
      else
        ok = TRUE;
    }
  store_unlock (self);
  return ok;
}

void
kiosk_attachment_info_free (KioskAttachmentInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->media_type);
  g_free (info->path);
  g_free (info->sha256);
  g_free (info);
}

GPtrArray *
kiosk_store_list_attachments (KioskStore *self, gint64 case_id, GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_attachment_info_free);
  int rc;

  g_mutex_lock (&self->lock);
  stmt = cached (self,
                 "SELECT id, case_id, position, name, media_type, file, size, sha256, uploaded FROM attachments"
                 " WHERE case_id = ?1 ORDER BY position",
                 error);
  if (stmt == NULL)
    {
      store_unlock (self);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, case_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KioskAttachmentInfo *a = g_new0 (KioskAttachmentInfo, 1);
      const char *file = (const char *) sqlite3_column_text (stmt, 5);

      a->id = sqlite3_column_int64 (stmt, 0);
      a->case_id = sqlite3_column_int64 (stmt, 1);
      a->position = sqlite3_column_int (stmt, 2);
      a->name = dup_column (stmt, 3);
      a->media_type = dup_column (stmt, 4);
      a->path = file ? g_build_filename (self->attachment_dir, file, NULL) : NULL;
      a->size = sqlite3_column_int64 (stmt, 6);
      a->sha256 = dup_column (stmt, 7);
      /* uploaded: 0 never tried, 2 sending began, 1 the platform holds it. */
      a->uploaded = sqlite3_column_int (stmt, 8) == 1;
      a->upload_started = sqlite3_column_int (stmt, 8) != 0;
      g_ptr_array_add (list, a);
    }
  if (rc != SQLITE_DONE)
    sql_fail (self, self->db, "list attachments", error);
  store_unlock (self);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&list);
}

/* The sync engine's bookkeeping (what arrived, what failed, what was
 * acknowledged) commits without an fsync of its own: a power cut can only
 * lose the last few marks, and an item whose mark was lost is sent again
 * under the same Idempotency-Key (the platform replays its first answer; an
 * attachment it holds is not uploaded again). The next durable commit (an
 * enqueue) syncs the write-ahead log with everything before it. Called with
 * the lock held. */
static void
bookkeeping_begin (KioskStore *self)
{
  run (self, "PRAGMA synchronous = NORMAL", NULL);
}

static void
bookkeeping_end (KioskStore *self)
{
  run (self, "PRAGMA synchronous = FULL", NULL);
}

/* One bookkeeping statement @sql with ?1 = @id, committed on its own. */
static gboolean
bookkeeping_update (KioskStore *self, const char *sql, gint64 id, const char *what, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_mutex_lock (&self->lock);
  stmt = cached (self, sql, error);
  if (stmt)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      bookkeeping_begin (self);
      ok = sqlite3_step (stmt) == SQLITE_DONE || sql_fail (self, self->db, what, error);
      bookkeeping_end (self);
    }
  store_unlock (self);
  return ok;
}

gboolean
kiosk_store_mark_attachment_uploaded (KioskStore *self, gint64 attachment_id, GError **error)
{
  return bookkeeping_update (self, "UPDATE attachments SET uploaded = 1 WHERE id = ?1", attachment_id,
                             "mark attachment", error);
}

gboolean
kiosk_store_mark_attachment_started (KioskStore *self, gint64 attachment_id, GError **error)
{
  return bookkeeping_update (self, "UPDATE attachments SET uploaded = 2 WHERE id = ?1 AND uploaded = 0", attachment_id,
                             "mark attachment started", error);
}

gboolean
kiosk_store_mark_attachments_started (KioskStore *self, gint64 case_id, GError **error)
{
  return bookkeeping_update (self, "UPDATE attachments SET uploaded = 2 WHERE case_id = ?1 AND uploaded = 0", case_id,
                             "mark attachments started", error);
}

/* ---- Other records ------------------------------------------------------- */

static const char *
record_table (const char *kind)
{
  if (g_str_equal (kind, "rating"))
    return "ratings";
  if (g_str_equal (kind, "print_record"))
    return "print_records";
  if (g_str_equal (kind, "proxy_authorisation"))
    return "proxy_authorisations";
  return NULL;
}

static gboolean
valid_kind (const char *kind)
{
  if (kind == NULL || *kind == '\0' || strlen (kind) > 32 || g_str_equal (kind, "case"))
    return FALSE;
  for (const char *p = kind; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
      return FALSE;
  return TRUE;
}

gint64
kiosk_store_enqueue (KioskStore *self, const char *kind, const char *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *table;
  gint64 now = g_get_real_time ();
  gint64 outbox_id = 0;

  g_return_val_if_fail (KIOSK_IS_STORE (self), 0);
  if (!valid_kind (kind))
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID, "bad outbox kind \"%s\"", kind ? kind : "");
      return 0;
    }
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID, "%s payload is not a JSON object", kind);
      return 0;
    }
  table = record_table (kind);

  g_mutex_lock (&self->lock);
  if (!exec (self, self->db, "BEGIN IMMEDIATE", error))
    goto fail;
  outbox_id = insert_outbox (self, kind, json, 0, now, error);
  if (outbox_id == 0)
    goto fail;
  if (table)
    {
      g_autofree char *sql
          = g_strdup_printf ("INSERT INTO %s (outbox_id, json, created_at) VALUES (?1, ?2, ?3)", table);
      g_autoptr (sqlite3_stmt) stmt = prepare (self, sql, error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, outbox_id);
      sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, now);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sql_fail (self, self->db, "insert record", error);
          goto fail;
        }
    }
  if (!exec (self, self->db, "COMMIT", error))
    goto fail;
  store_unlock (self);
  g_signal_emit (self, signals[SIGNAL_ENQUEUED], 0, outbox_id, kind);
  return outbox_id;

fail:
  rollback (self);
  store_unlock (self);
  return 0;
}

gint64
kiosk_store_enqueue_rating (KioskStore *self, const char *json, GError **error)
{
  return kiosk_store_enqueue (self, "rating", json, error);
}

gint64
kiosk_store_enqueue_print_record (KioskStore *self, const char *json, GError **error)
{
  return kiosk_store_enqueue (self, "print_record", json, error);
}

gint64
kiosk_store_enqueue_proxy_authorisation (KioskStore *self, const char *json, GError **error)
{
  return kiosk_store_enqueue (self, "proxy_authorisation", json, error);
}

static void
enqueue_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SubmitData *d = task_data;
  GError *error = NULL;
  gint64 id = kiosk_store_enqueue (source, d->kind, d->json, &error);

  if (id > 0)
    g_task_return_int (task, id);
  else
    g_task_return_error (task, error);
}

void
kiosk_store_enqueue_async (KioskStore *self, const char *kind, const char *json, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SubmitData *d = g_new0 (SubmitData, 1);

  d->json = g_strdup (json);
  d->kind = g_strdup (kind);
  g_task_set_source_tag (task, kiosk_store_enqueue_async);
  g_task_set_task_data (task, d, (GDestroyNotify) submit_data_free);
  g_task_run_in_thread (task, enqueue_thread);
}

gint64
kiosk_store_enqueue_finish (KioskStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- Outbox ---------------------------------------------------------- */

const char *
kiosk_outbox_state_to_string (KioskOutboxState state)
{
  switch (state)
    {
    case KIOSK_OUTBOX_PENDING:
      return "pending";
    case KIOSK_OUTBOX_DONE:
      return "done";
    case KIOSK_OUTBOX_REJECTED:
      return "rejected";
    default:
      return "unknown";
    }
}

void
kiosk_outbox_item_free (KioskOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->kind);
  g_free (item->idempotency_key);
  kiosk_secure_free (item->payload);
  g_free (item->last_error);
  g_free (item);
}

#define OUTBOX_COLUMNS                                                                                      \
  "id, kind, idempotency_key, payload, coalesce(case_id, 0), state, attempts, created_at, next_attempt_at," \
  " last_status, last_error"

static KioskOutboxItem *
outbox_from_row (sqlite3_stmt *stmt)
{
  KioskOutboxItem *item = g_new0 (KioskOutboxItem, 1);

  item->id = sqlite3_column_int64 (stmt, 0);
  item->kind = dup_column (stmt, 1);
  item->idempotency_key = dup_column (stmt, 2);
  item->payload = dup_column (stmt, 3);
  item->case_id = sqlite3_column_int64 (stmt, 4);
  item->state = sqlite3_column_int (stmt, 5);
  item->attempts = sqlite3_column_int (stmt, 6);
  item->created_at = sqlite3_column_int64 (stmt, 7);
  item->next_attempt_at = sqlite3_column_int64 (stmt, 8);
  item->last_status = sqlite3_column_int (stmt, 9);
  item->last_error = dup_column (stmt, 10);
  return item;
}

KioskOutboxItem *
kiosk_store_outbox_head (KioskStore *self, GError **error)
{
  g_autoptr (KioskOutboxItem) item = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_mutex_lock (&self->lock);
  stmt = cached (self, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE state = 0 ORDER BY id LIMIT 1", error);
  if (stmt == NULL)
    {
      store_unlock (self);
      return NULL;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    item = outbox_from_row (stmt);
  else if (rc != SQLITE_DONE)
    sql_fail (self, self->db, "outbox head", error);
  store_unlock (self);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return NULL;
  if (item && g_str_equal (item->kind, "case"))
    {
      g_free (item->payload);
      item->payload = kiosk_store_get_case_json (self, item->case_id, error);
      if (item->payload == NULL)
        return NULL;
    }
  return g_steal_pointer (&item);
}

KioskOutboxItem *
kiosk_store_outbox_next (KioskStore *self, gint64 now, gint64 *next_due, GError **error)
{
  return kiosk_store_outbox_next_except (self, now, NULL, 0, next_due, error);
}

KioskOutboxItem *
kiosk_store_outbox_next_except (KioskStore *self, gint64 now, const gint64 *busy, guint n_busy, gint64 *next_due,
                                GError **error)
{
  g_autoptr (KioskOutboxItem) item = NULL;
  g_autoptr (GString) ids = g_string_new ("[");
  sqlite3_stmt *stmt;
  int rc;

  if (next_due)
    *next_due = 0;
  for (guint i = 0; i < n_busy; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "", busy[i]);
  g_string_append_c (ids, ']');
  g_mutex_lock (&self->lock);
  /* An item waiting for its next attempt holds back the later items that
   * name it: a case by its provisional number (a rating's "case_number",
   * another case's proxy_authorisation), any other item by its
   * "provisional_number" or "id" member. */
  stmt = cached (self,
                 "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ("
                 " SELECT o.id FROM outbox o LEFT JOIN cases c ON c.id = o.case_id"
                 " WHERE o.state = 0 AND o.next_attempt_at <= ?1"
                 " AND o.id NOT IN (SELECT value FROM json_each(?2)) AND NOT EXISTS ("
                 "  SELECT 1 FROM outbox w LEFT JOIN cases wc ON wc.id = w.case_id"
                 "  WHERE w.state = 0 AND w.id < o.id"
                 "  AND (w.next_attempt_at > ?1 OR w.id IN (SELECT value FROM json_each(?2))) AND length(coalesce("
                 "   CASE WHEN w.kind = 'case' THEN wc.provisional_number"
                 "   ELSE coalesce(json_extract(w.payload, '$.provisional_number'), json_extract(w.payload, '$.id'))"
                 "   END, '')) >= 4 AND instr(CASE WHEN o.kind = 'case' THEN coalesce(c.proxy_json, '')"
                 "   ELSE o.payload END, CASE WHEN w.kind = 'case' THEN wc.provisional_number"
                 "   ELSE coalesce(json_extract(w.payload, '$.provisional_number'), json_extract(w.payload, '$.id'))"
                 "   END) > 0)"
                 " ORDER BY o.id LIMIT 1)",
                 error);
  if (stmt == NULL)
    {
      store_unlock (self);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, ids->str, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    item = outbox_from_row (stmt);
  else if (rc == SQLITE_DONE && next_due)
    {
      sqlite3_stmt *min = cached (self,
                                  "SELECT min(next_attempt_at) FROM outbox WHERE state = 0"
                                  " AND id NOT IN (SELECT value FROM json_each(?1))",
                                  error);
      if (min == NULL)
        {
          store_unlock (self);
          return NULL;
        }
      sqlite3_bind_text (min, 1, ids->str, -1, SQLITE_STATIC);
      if ((rc = sqlite3_step (min)) == SQLITE_ROW)
        {
          *next_due = sqlite3_column_int64 (min, 0);
          rc = SQLITE_DONE;
        }
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    sql_fail (self, self->db, "outbox next", error);
  store_unlock (self);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return NULL;
  if (item && g_str_equal (item->kind, "case"))
    {
      g_free (item->payload);
      item->payload = kiosk_store_get_case_json (self, item->case_id, error);
      if (item->payload == NULL)
        return NULL;
    }
  return g_steal_pointer (&item);
}

static gboolean
outbox_update (KioskStore *self, const char *sql, gint64 id, gint64 a, int status, const char *text, GError **error)
{
  sqlite3_stmt *stmt = cached (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, a);
  sqlite3_bind_int (stmt, 3, status);
  sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_fail (self, self->db, "update outbox", error);
  return TRUE;
}

gboolean
kiosk_store_outbox_mark_done (KioskStore *self, gint64 id, const char *response_json, GError **error)
{
  gint64 now = g_get_real_time ();
  const char *resp = "{}";
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (response_json && json_parser_load_from_data (parser, response_json, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    resp = response_json;

  g_mutex_lock (&self->lock);
  bookkeeping_begin (self);
  if (!run (self, "BEGIN IMMEDIATE", error))
    goto fail;
  if (!outbox_update (self,
                      "UPDATE outbox SET state = 1, attempts = attempts + 1, next_attempt_at = ?2,"
                      " last_status = ?3, last_error = NULL WHERE id = ?1 AND state = 0",
                      id, now, 200, NULL, error))
    goto fail;
  if (sqlite3_changes (self->db) == 1)
    {
      sqlite3_stmt *clash = cached (self,
                                    "SELECT 1 FROM cases WHERE official_number = json_extract(?2,"
                                    " '$.official_number') AND id != (SELECT coalesce(case_id, 0)"
                                    " FROM outbox WHERE id = ?1)",
                                    error);
      sqlite3_stmt *stmt;

      /* An answer the store cannot take (the platform gave this official
       * number to another case already): nothing is recorded, the item
       * stays pending and the sync engine records the failure. */
      if (clash == NULL)
        goto fail;
      sqlite3_bind_int64 (clash, 1, id);
      sqlite3_bind_text (clash, 2, resp, -1, SQLITE_STATIC);
      if (sqlite3_step (clash) == SQLITE_ROW)
        {
          g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID,
                       "the platform's answer names an official number that another case already holds");
          goto fail;
        }
      sqlite3_reset (clash);
      stmt = cached (self,
                     "UPDATE cases SET sync_state = 1, acknowledged_at = ?3,"
                     " official_number = coalesce(json_extract(?2, '$.official_number'),"
                     "   official_number),"
                     " status = coalesce(json_extract(?2, '$.status'), status),"
                     " status_text = coalesce(json_extract(?2, '$.status_text'), status_text),"
                     " due_date = coalesce(json_extract(?2, '$.due_date'), due_date),"
                     " status_updated_at = ?3"
                     " WHERE id = (SELECT case_id FROM outbox WHERE id = ?1)",
                     error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, resp, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, now);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sql_fail (self, self->db, "record official number", error);
          goto fail;
        }
      if (!outbox_update (self,
                          "UPDATE attachments SET uploaded = 1"
                          " WHERE case_id = (SELECT case_id FROM outbox WHERE id = ?1)",
                          id, 0, 0, NULL, error))
        goto fail;
    }
  if (!run (self, "COMMIT", error))
    goto fail;
  bookkeeping_end (self);
  store_unlock (self);
  return TRUE;

fail:
  rollback (self);
  bookkeeping_end (self);
  store_unlock (self);
  return FALSE;
}

gboolean
kiosk_store_outbox_mark_retry (KioskStore *self, gint64 id, gint64 next_attempt_at, int http_status, const char *reason,
                               GError **error)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  bookkeeping_begin (self);
  ok = outbox_update (self,
                      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_status = ?3,"
                      " last_error = ?4 WHERE id = ?1 AND state = 0",
                      id, next_attempt_at, http_status, reason, error);
  bookkeeping_end (self);
  store_unlock (self);
  return ok;
}

gboolean
kiosk_store_outbox_mark_rejected (KioskStore *self, gint64 id, int http_status, const char *reason, GError **error)
{
  g_mutex_lock (&self->lock);
  bookkeeping_begin (self);
  if (!run (self, "BEGIN IMMEDIATE", error))
    goto fail;
  if (!outbox_update (self,
                      "UPDATE outbox SET state = 2, attempts = attempts + 1, next_attempt_at = ?2,"
                      " last_status = ?3, last_error = ?4 WHERE id = ?1 AND state = 0",
                      id, g_get_real_time (), http_status, reason, error))
    goto fail;
  if (!outbox_update (self,
                      "UPDATE cases SET sync_state = 2, status_text = ?4, status_updated_at = ?2"
                      " WHERE id = (SELECT case_id FROM outbox WHERE id = ?1)",
                      id, g_get_real_time (), http_status, reason, error))
    goto fail;
  if (!run (self, "COMMIT", error))
    goto fail;
  bookkeeping_end (self);
  store_unlock (self);
  g_warning ("store: outbox item %" G_GINT64_FORMAT " rejected by the platform (HTTP %d): %s", id, http_status,
             reason ? reason : "");
  return TRUE;

fail:
  rollback (self);
  bookkeeping_end (self);
  store_unlock (self);
  return FALSE;
}

gboolean
kiosk_store_outbox_requeue (KioskStore *self, gint64 id, GError **error)
{
  gboolean ok = FALSE;

  g_mutex_lock (&self->lock);
  if (!exec (self, self->db, "BEGIN IMMEDIATE", error))
    goto out;
  if (!outbox_update (self, "UPDATE outbox SET state = 0, next_attempt_at = ?2 WHERE id = ?1 AND state = 2", id,
                      g_get_real_time (), 0, NULL, error))
    goto out;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_NOT_FOUND,
                   "outbox item %" G_GINT64_FORMAT " is not rejected", id);
      goto out;
    }
  if (!outbox_update (self, "UPDATE cases SET sync_state = 0 WHERE id = (SELECT case_id FROM outbox WHERE id = ?1)", id,
                      0, 0, NULL, error))
    goto out;
  ok = exec (self, self->db, "COMMIT", error);
out:
  if (!ok)
    rollback (self);
  store_unlock (self);
  return ok;
}

gboolean
kiosk_store_queue_counts (KioskStore *self, KioskQueueCounts *counts, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  memset (counts, 0, sizeof *counts);
  g_mutex_lock (&self->lock);
  stmt = cached (self,
                 "SELECT (SELECT count(*) FROM outbox WHERE state = 0), (SELECT count(*) FROM outbox WHERE state = 1),"
                 " (SELECT count(*) FROM outbox WHERE state = 2),"
                 " (SELECT created_at FROM outbox WHERE state = 0 ORDER BY id LIMIT 1)",
                 error);
  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    {
      counts->pending = sqlite3_column_int (stmt, 0);
      counts->done = sqlite3_column_int (stmt, 1);
      counts->rejected = sqlite3_column_int (stmt, 2);
      counts->oldest_pending_created_at = sqlite3_column_int64 (stmt, 3);
      ok = TRUE;
    }
  else if (stmt)
    sql_fail (self, self->db, "queue counts", error);
  store_unlock (self);
  return ok;
}

int
kiosk_store_get_backlog (KioskStore *self)
{
  KioskQueueCounts c;

  if (!kiosk_store_queue_counts (self, &c, NULL))
    return -1;
  return c.pending;
}

static GPtrArray *
list_items (KioskStore *self, const char *where, int limit, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_outbox_item_free);
  g_autofree char *sql = g_strdup_printf ("SELECT " OUTBOX_COLUMNS " FROM outbox WHERE %s ORDER BY id LIMIT ?1", where);
  int rc;

  g_mutex_lock (&self->lock);
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    {
      store_unlock (self);
      return NULL;
    }
  sqlite3_bind_int (stmt, 1, limit > 0 ? limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KioskOutboxItem *item = outbox_from_row (stmt);
      /* The technician sees the reason, not the personal payload. */
      kiosk_secure_free (item->payload);
      item->payload = NULL;
      g_ptr_array_add (list, item);
    }
  store_unlock (self);
  if (rc != SQLITE_DONE)
    {
      sql_fail (self, self->db, "list outbox items", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
kiosk_store_list_rejected (KioskStore *self, int limit, GError **error)
{
  return list_items (self, "state = 2", limit, error);
}

GPtrArray *
kiosk_store_list_failing (KioskStore *self, int limit, GError **error)
{
  return list_items (self, "state = 0 AND attempts > 0 AND last_error IS NOT NULL", limit, error);
}

/* ---- Catalog and notices ------------------------------------------------- */

static gboolean
set_document (KioskStore *self, const char *table, const char *member, const char *json, const char *etag,
              GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *sql = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser))
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), member) ?: root))
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID, "%s: expected an object with \"%s\": [...]",
                   table, member);
      return FALSE;
    }
  sql = g_strdup_printf ("INSERT OR REPLACE INTO %s (id, etag, json, fetched_at) VALUES (1, ?1, ?2, ?3)", table);
  g_mutex_lock (&self->lock);
  stmt = prepare (self, sql, error);
  if (stmt)
    {
      sqlite3_bind_text (stmt, 1, etag, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
      ok = sqlite3_step (stmt) == SQLITE_DONE || sql_fail (self, self->db, "store document", error);
    }
  store_unlock (self);
  return ok;
}

gboolean
kiosk_store_set_catalog (KioskStore *self, const char *json, const char *etag, GError **error)
{
  return set_document (self, "catalog", "items", json, etag, error);
}

gboolean
kiosk_store_set_notices (KioskStore *self, const char *json, const char *etag, GError **error)
{
  return set_document (self, "notices", "notices", json, etag, error);
}

static char *
query_string (KioskStore *self, const char *sql, const char *arg, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  char *result = NULL;
  int rc;

  g_mutex_lock (&self->lock);
  stmt = prepare (self, sql, error);
  if (stmt)
    {
      if (arg)
        sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        result = dup_column (stmt, 0);
      else if (rc != SQLITE_DONE)
        sql_fail (self, self->db, "query", error);
    }
  store_unlock (self);
  return result;
}

char *
kiosk_store_get_catalog_etag (KioskStore *self)
{
  return query_string (self, "SELECT etag FROM catalog WHERE id = 1", NULL, NULL);
}

char *
kiosk_store_get_notices_etag (KioskStore *self)
{
  return query_string (self, "SELECT etag FROM notices WHERE id = 1", NULL, NULL);
}

char *
kiosk_store_get_catalog (KioskStore *self, GError **error)
{
  GError *local = NULL;
  char *s = query_string (self, "SELECT json_extract(json, '$.items') FROM catalog WHERE id = 1", NULL, &local);

  if (local)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return s ? s : g_strdup ("[]");
}

char *
kiosk_store_get_catalog_not_offered (KioskStore *self, GError **error)
{
  return query_string (self, "SELECT json_extract(json, '$.not_offered') FROM catalog WHERE id = 1", NULL, error);
}

char *
kiosk_store_get_catalog_item (KioskStore *self, const char *code, GError **error)
{
  GError *local = NULL;
  char *s = query_string (self,
                          "SELECT j.value FROM catalog, json_each(catalog.json, '$.items') j"
                          " WHERE json_extract(j.value, '$.code') = ?1",
                          code, &local);
  if (local)
    g_propagate_error (error, local);
  else if (s == NULL)
    g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_NOT_FOUND, "no catalog item %s", code);
  return s;
}

char *
kiosk_store_get_notices (KioskStore *self, GError **error)
{
  GError *local = NULL;
  char *s = query_string (self,
                          /* Objects as documented; a plain string is a notice too (json() and
                           * json_extract() of one would fail the whole query). */
                          "SELECT json_group_array(CASE j.type WHEN 'object' THEN json(j.value) ELSE j.value END)"
                          " FROM notices, json_each(notices.json, '$.notices') j"
                          " WHERE CASE j.type WHEN 'text' THEN 1"
                          " WHEN 'object' THEN json_extract(j.value, '$.valid_until') IS NULL"
                          " OR json_extract(j.value, '$.valid_until') >= date('now', 'localtime')"
                          " ELSE 0 END",
                          NULL, &local);
  if (local)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return s ? s : g_strdup ("[]");
}

gint64
kiosk_store_get_notices_fetched_at (KioskStore *self)
{
  g_autofree char *s = query_string (self, "SELECT fetched_at FROM notices WHERE id = 1", NULL, NULL);

  return s != NULL ? g_ascii_strtoll (s, NULL, 10) : 0;
}

/* ---- Small settings (meta) ----------------------------------------------- */

gboolean
kiosk_store_set_meta (KioskStore *self, const char *key, const char *value, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (key != NULL, FALSE);
  g_mutex_lock (&self->lock);
  stmt = prepare (
      self, value ? "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)" : "DELETE FROM meta WHERE key = ?1",
      error);
  if (stmt)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (value)
        sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      ok = sqlite3_step (stmt) == SQLITE_DONE || sql_fail (self, self->db, "store setting", error);
    }
  store_unlock (self);
  return ok;
}

char *
kiosk_store_get_meta (KioskStore *self, const char *key, GError **error)
{
  g_return_val_if_fail (key != NULL, NULL);
  return query_string (self, "SELECT value FROM meta WHERE key = ?1", key, error);
}

/* ---- Retention ------------------------------------------------------- */

/* Overwrites a purged file's bytes with zeros (best effort: in place on
 * the usual filesystems, so the pages do not linger in free blocks or in
 * another link to the file), then removes it. Like g_unlink(). */
static int
wipe_and_unlink (const char *path)
{
  static const char zeros[64 * 1024];
  int fd = open (path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;

  if (fd >= 0)
    {
      if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
        {
          off_t off = 0;
          while (off < st.st_size)
            {
              ssize_t n = pwrite (fd, zeros, (size_t) MIN ((off_t) sizeof zeros, st.st_size - off), off);
              if (n < 0 && errno == EINTR)
                continue;
              if (n <= 0)
                break;
              off += n;
            }
          if (off < st.st_size || fdatasync (fd) != 0)
            g_debug ("store: could not overwrite %s before removing it: %s", path, g_strerror (errno));
        }
      close (fd);
    }
  return g_unlink (path);
}

static void
sweep_stray_files (KioskStore *self)
{
  gint64 now = g_get_real_time ();
  g_autoptr (GDir) dir = g_dir_open (self->attachment_dir, 0, NULL);
  const char *name;
  guint removed = 0;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (self->attachment_dir, name, NULL);
      g_autoptr (sqlite3_stmt) stmt = NULL;
      struct stat st;
      gboolean referenced = TRUE;

      /* A file younger than an hour may belong to an application being
       * written right now by another process: leave it. */
      if (g_stat (path, &st) != 0
          || (gint64) st.st_mtime * G_USEC_PER_SEC > now - G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
        continue;
      g_mutex_lock (&self->lock);
      stmt = prepare (self, "SELECT 1 FROM attachments WHERE file = ?1", NULL);
      if (stmt)
        {
          sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
          referenced = sqlite3_step (stmt) != SQLITE_DONE;
        }
      store_unlock (self);
      if (!referenced && wipe_and_unlink (path) == 0)
        removed++;
    }
  if (removed)
    g_message ("store: removed %u stray attachment files", removed);
}

int
kiosk_store_purge (KioskStore *self, int retention_days, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  gint64 cutoff = now - (gint64) retention_days * 86400 * G_USEC_PER_SEC;
  int purged = 0;
  int changed = 0;

  g_mutex_lock (&self->lock);
  if (!exec (self, self->db, "BEGIN IMMEDIATE", error))
    goto fail;
  {
    g_autoptr (sqlite3_stmt) stmt = prepare (self,
                                             "SELECT a.file FROM attachments a JOIN cases c ON c.id = a.case_id"
                                             " WHERE c.sync_state = 1 AND c.purged_at IS NULL"
                                             " AND c.acknowledged_at <= ?1 AND a.file IS NOT NULL",
                                             error);
    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, cutoff);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (files, g_build_filename (self->attachment_dir, sqlite3_column_text (stmt, 0), NULL));
  }
  {
    static const char *const sql[] = {
      "UPDATE attachments SET file = NULL WHERE case_id IN (SELECT id FROM cases WHERE sync_state = 1"
      " AND purged_at IS NULL AND acknowledged_at <= ?1)",
      "UPDATE cases SET applicant_json = NULL, form_json = NULL, commitment_json = NULL, owed_json = NULL,"
      " delivery_json = NULL, proxy_json = NULL, agent_json = NULL, materials_json = NULL, region_json = NULL,"
      " purged_at = ?2"
      " WHERE sync_state = 1 AND purged_at IS NULL AND acknowledged_at <= ?1",
      "UPDATE outbox SET payload = '{}' WHERE state = 1 AND next_attempt_at <= ?1 AND payload <> '{}'",
      "UPDATE ratings SET json = NULL, purged_at = ?2 WHERE purged_at IS NULL"
      " AND outbox_id IN (SELECT id FROM outbox WHERE state = 1 AND next_attempt_at <= ?1)",
      "UPDATE print_records SET json = NULL, purged_at = ?2 WHERE purged_at IS NULL"
      " AND outbox_id IN (SELECT id FROM outbox WHERE state = 1 AND next_attempt_at <= ?1)",
      "UPDATE proxy_authorisations SET json = NULL, purged_at = ?2 WHERE purged_at IS NULL"
      " AND outbox_id IN (SELECT id FROM outbox WHERE state = 1 AND next_attempt_at <= ?1)",
    };
    for (gsize i = 0; i < G_N_ELEMENTS (sql); i++)
      {
        g_autoptr (sqlite3_stmt) stmt = prepare (self, sql[i], error);
        if (stmt == NULL)
          goto fail;
        sqlite3_bind_int64 (stmt, 1, cutoff);
        sqlite3_bind_int64 (stmt, 2, now);
        if (sqlite3_step (stmt) != SQLITE_DONE)
          {
            sql_fail (self, self->db, "purge", error);
            goto fail;
          }
        if (i == 1)
          purged = sqlite3_changes (self->db);
        changed += sqlite3_changes (self->db);
      }
  }
  if (!exec (self, self->db, "COMMIT", error))
    goto fail;
  /* secure_delete zeroed the purged data in the new page images; the old
   * images are still in the WAL (and the main file) until a checkpoint: copy
   * the WAL back and empty it now, not at some later close. */
  if (changed > 0)
    {
      int log_frames = -1, done_frames = -1;
      int rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &done_frames);
      if (rc != SQLITE_OK)
        g_warning ("store %s: checkpoint after the purge incomplete (%s, %d of %d frames); the purged data leaves "
                   "the WAL at the next checkpoint",
                   self->path, sqlite3_errstr (rc), done_frames, log_frames);
    }
  store_unlock (self);

  /* Files go after the commit: a crash in between leaves stray files the
   * sweep removes, never a row naming a missing file. */
  for (guint i = 0; i < files->len; i++)
    if (wipe_and_unlink (files->pdata[i]) != 0 && errno != ENOENT)
      g_warning ("store: cannot remove %s: %s", (char *) files->pdata[i], g_strerror (errno));
  sweep_stray_files (self);
  if (purged)
    g_message ("store: purged personal data of %d acknowledged cases", purged);
  kiosk_store_check_space (self);
  return purged;

fail:
  rollback (self);
  store_unlock (self);
  return -1;
}
