/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kiosk-store-private.h"
#include "store-test-util.h"
#include "test-vfs.h"

/* A full disk must not lock the backlog in (issue 12, point 12): with the
 * store's filesystem full, the store still opens, the queue is still
 * delivered to the platform and purged (which frees space), and when even
 * that is impossible the error says "disk full" plainly. The disk is filled
 * two ways: by the fault-injection VFS (runs everywhere), and for real, a
 * small tmpfs filled to its last few KB (needs root to mount; skipped
 * otherwise). */

static gboolean private_mounts; /* a mount namespace of our own */

static guint64 fake_free = G_MAXUINT64;

static guint64
fake_free_space (const char *dir)
{
  return fake_free;
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

/* Five cases of two pages and a rating. */
static void
fill_queue (KioskStore *store)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *n = test_submit_demo_case (store, i, 2, 64, 64, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (kiosk_store_enqueue_rating (store, "{\"level\":5}", &error), >, 0);
  g_assert_no_error (error);
}

/* Opens the store on the full disk, delivers everything to the platform
 * (which then holds @platform_cases cases) and purges; returns the open
 * store. */
static KioskStore *
drain_on_full_disk (const char *path, const char *platform_dir, gint64 platform_cases)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskSync) sync = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *att_dir = g_strconcat (path, ".attachments", NULL);
  TestPlatform *platform;
  KioskQueueCounts c;
  gboolean ok;

  store = kiosk_store_open (path, "K-FULL", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (store, 1024 * 1024);
  g_assert_false (kiosk_store_is_accepting (store));
  g_assert_true (kiosk_store_queue_counts (store, &c, &error));
  g_assert_cmpint (c.pending, ==, 6);

  /* New applications are refused, with the message for the resident. */
  refused = test_submit_demo_case (store, 99, 1, 64, 64, &error);
  g_assert_null (refused);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL);
  g_clear_error (&error);

  /* The backlog leaves... */
  platform = test_platform_start (platform_dir, NULL);
  sync = test_sync_new (store, platform->url, 10, 200);
  ok = kiosk_sync_run_until_empty (sync, 60, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (kiosk_store_queue_counts (store, &c, &error));
  g_assert_cmpint (c.pending, ==, 0);
  g_assert_cmpint (c.done, ==, (platform_cases / 5) * 6);
  g_assert_cmpint (test_platform_stat (platform, "cases"), ==, platform_cases);
  g_clear_object (&sync);
  test_platform_stop (platform);

  /* ...and its pages go, freeing space. */
  g_assert_cmpint (kiosk_store_purge (store, 0, g_get_real_time () + 1, &error), ==, 5);
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (att_dir), ==, 0);
  g_assert_true (kiosk_store_check_integrity (store, &error));
  return g_steal_pointer (&store);
}

static void
assert_plain_disk_full (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = kiosk_store_open (path, "K-FULL", &error);

  g_assert_null (store);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL);
  g_test_message ("full disk, no reserve: %s", error->message);
  g_assert_null (strstr (error->message, "PRAGMA"));
  g_assert_null (strstr (error->message, "I/O"));
}

static void
test_vfs_full (void)
{
  g_autofree char *dir = store_test_tmpdir ("full-vfs");
  g_autofree char *platform_dir = store_test_tmpdir ("full-vfs-platform");
  g_autofree char *path = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *reserve = g_strconcat (path, ".reserve", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = NULL;
  KioskStoreFreeSpaceFunc saved_free = _kiosk_store_free_space_func;

  test_vfs_register ();
  _kiosk_store_free_space_func = fake_free_space;
  fake_free = G_MAXUINT64;
  store = kiosk_store_open (path, "K-FULL", &error);
  g_assert_no_error (error);
  fill_queue (store);
  g_assert_true (g_file_test (reserve, G_FILE_TEST_EXISTS));
  g_clear_object (&store);
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS)); /* opening must create it */

  /* The disk fills up: only deleting the reserve makes room. */
  fake_free = 0;
  test_vfs_set_full_while (reserve);
  store = drain_on_full_disk (path, platform_dir, 5);
  g_assert_false (g_file_test (reserve, G_FILE_TEST_EXISTS));

  /* Room again: the reserve comes back. */
  test_vfs_set_full_while (NULL);
  fake_free = G_MAXUINT64;
  g_assert_true (kiosk_store_check_space (store));
  g_assert_true (g_file_test (reserve, G_FILE_TEST_EXISTS));
  g_clear_object (&store);

  /* Full with nothing left to give: refused, and said plainly. */
  g_assert_cmpint (g_unlink (reserve), ==, 0);
  fake_free = 0;
  test_vfs_set_full (TRUE);
  assert_plain_disk_full (path);
  test_vfs_set_full (FALSE);
  g_assert_false (g_file_test (reserve, G_FILE_TEST_EXISTS));

  _kiosk_store_free_space_func = saved_free;
  fake_free = G_MAXUINT64;
  store_test_rmdir (dir);
  store_test_rmdir (platform_dir);
}

/* The disk fills up while the store is open (its -shm already mapped, as
 * in the running kiosk): the first write that fails, a WAL frame of the
 * delivery record, takes the reserve and goes through. */
static void
test_vfs_full_while_open (void)
{
  g_autofree char *dir = store_test_tmpdir ("full-vfs-open");
  g_autofree char *platform_dir = store_test_tmpdir ("full-vfs-open-platform");
  g_autofree char *path = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *reserve = g_strconcat (path, ".reserve", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskSync) sync = NULL;
  KioskStoreFreeSpaceFunc saved_free = _kiosk_store_free_space_func;
  TestPlatform *platform;
  KioskQueueCounts c;
  gboolean ok;

  test_vfs_register ();
  _kiosk_store_free_space_func = fake_free_space;
  fake_free = G_MAXUINT64;
  store = kiosk_store_open (path, "K-FULL", &error);
  g_assert_no_error (error);
  fill_queue (store);
  g_assert_true (g_file_test (reserve, G_FILE_TEST_EXISTS));

  fake_free = 0;
  test_vfs_set_full_while (reserve);
  platform = test_platform_start (platform_dir, NULL);
  sync = test_sync_new (store, platform->url, 10, 200);
  ok = kiosk_sync_run_until_empty (sync, 60, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_false (g_file_test (reserve, G_FILE_TEST_EXISTS));
  g_assert_true (kiosk_store_queue_counts (store, &c, &error));
  g_assert_cmpint (c.pending, ==, 0);
  g_assert_cmpint (c.done, ==, 6);
  g_assert_cmpint (kiosk_store_purge (store, 0, g_get_real_time () + 1, &error), ==, 5);
  g_assert_no_error (error);
  g_clear_object (&sync);
  test_platform_stop (platform);
  g_clear_object (&store);

  test_vfs_set_full_while (NULL);
  _kiosk_store_free_space_func = saved_free;
  fake_free = G_MAXUINT64;
  store_test_rmdir (dir);
  store_test_rmdir (platform_dir);
}

/* Writes a file in @dir until the disk is full, then gives back @leave
 * bytes. */
static void
fill_disk (const char *dir, const char *name, gsize leave)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  static char block[64 * 1024];
  gsize size = 0;
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (;;)
    {
      ssize_t n = write (fd, block, sizeof block);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_assert_true (n == 0 || errno == ENOSPC);
          break;
        }
      size += (gsize) n;
    }
  /* The tail by single pages: leave nothing at all unless asked. */
  for (;;)
    {
      ssize_t n = write (fd, block, 4096);
      if (n <= 0)
        break;
      size += (gsize) n;
    }
  g_assert_cmpint (ftruncate (fd, (off_t) (size > leave ? size - leave : 0)), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);
}

/* Runs kioskctl --config @conf @args (space-separated); returns the exit
 * status, stdout in @out and stderr in @err. */
static int
run_kioskctl (const char *conf, char **out, char **err, const char *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) words = g_strsplit (args, " ", -1);

  g_ptr_array_add (argv, (char *) KIOSK_BUILD_DIR "/tools/kioskctl");
  g_ptr_array_add (argv, (char *) "--config");
  g_ptr_array_add (argv, (char *) conf);
  for (guint i = 0; words[i]; i++)
    g_ptr_array_add (argv, words[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_test_message ("kioskctl %s: exit %d\n%s%s", args, g_subprocess_get_exit_status (proc), *out, *err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

static guint64
free_bytes (const char *dir)
{
  struct statvfs st;

  g_assert_cmpint (statvfs (dir, &st), ==, 0);
  return (guint64) st.f_bavail * st.f_frsize;
}

static void
test_tmpfs_full (void)
{
  g_autofree char *mnt = NULL;
  g_autofree char *platform_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *reserve = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = NULL;

  if (!private_mounts)
    {
      g_test_skip ("a real full disk needs a private mount namespace (root)");
      return;
    }
  mnt = store_test_tmpdir ("full-tmpfs");
  if (mount ("kiosk-full-test", mnt, "tmpfs", MS_NOSUID | MS_NODEV, "size=8m,mode=0700") != 0)
    {
      g_test_skip_printf ("cannot mount a tmpfs: %s", g_strerror (errno));
      store_test_rmdir (mnt);
      return;
    }
  platform_dir = store_test_tmpdir ("full-tmpfs-platform");
  path = g_build_filename (mnt, "kiosk.db", NULL);
  reserve = g_strconcat (path, ".reserve", NULL);

  store = kiosk_store_open (path, "K-FULL", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (store, 0);
  fill_queue (store);
  g_assert_true (g_file_test (reserve, G_FILE_TEST_EXISTS));
  g_clear_object (&store);

  /* As in the report: about 24 KB left, and the technician's commands. */
  fill_disk (mnt, "filler", 24 * 1024);
  g_assert_cmpuint (free_bytes (mnt), <, 64 * 1024);
  {
    TestPlatform *platform = test_platform_start (platform_dir, NULL);
    g_autofree char *conf = g_build_filename (platform_dir, "kiosk.conf", NULL);
    g_autofree char *text = g_strdup_printf ("[kiosk]\nid=K-FULL\nstation=测试站\n[store]\npath=%s\n"
                                             "[platform]\nurl=%s\nallow-http=true\ntimeout-seconds=5\n",
                                             path, platform->url);
    g_autofree char *out = NULL, *err = NULL;

    g_assert_true (g_file_set_contents (conf, text, -1, NULL));
    g_assert_cmpint (run_kioskctl (conf, &out, &err, "--json queue status"), ==, 0);
    g_assert_nonnull (strstr (out, "\"pending\":6"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_kioskctl (conf, &out, &err, "sync run --until-empty --timeout 60"), ==, 0);
    g_assert_nonnull (strstr (out, "pending 0"));
    g_assert_cmpint (test_platform_stat (platform, "cases"), ==, 5);
    test_platform_stop (platform);
  }
  g_assert_false (g_file_test (reserve, G_FILE_TEST_EXISTS));
  /* Then the kiosk's own retention purge frees the pages. */
  store = kiosk_store_open (path, "K-FULL", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_store_get_backlog (store), ==, 0);
  g_assert_cmpint (kiosk_store_purge (store, 0, g_get_real_time () + 1, &error), ==, 5);
  g_assert_no_error (error);
  {
    g_autofree char *att_dir = g_strconcat (path, ".attachments", NULL);
    g_assert_cmpuint (count_files (att_dir), ==, 0);
  }
  g_clear_object (&store);

  /* Full again, with a backlog, and the VFS-free path: the store as the
   * kiosk uses it delivers in-process too. */
  g_assert_cmpint (g_unlink (reserve) == 0 || errno == ENOENT, ==, TRUE);
  {
    g_autofree char *filler = g_build_filename (mnt, "filler", NULL);
    g_assert_cmpint (g_unlink (filler), ==, 0);
  }
  store = kiosk_store_open (path, "K-FULL", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (store, 0);
  g_assert_true (g_file_test (reserve, G_FILE_TEST_EXISTS));
  fill_queue (store);
  g_clear_object (&store);
  fill_disk (mnt, "filler", 24 * 1024);
  store = drain_on_full_disk (path, platform_dir, 10);
  g_clear_object (&store);

  /* Full to the last byte, the reserve already spent: a plain message. */
  g_assert_false (g_file_test (reserve, G_FILE_TEST_EXISTS));
  fill_disk (mnt, "filler2", 0);
  assert_plain_disk_full (path);

  g_assert_cmpint (umount2 (mnt, MNT_DETACH), ==, 0);
  store_test_rmdir (mnt);
  store_test_rmdir (platform_dir);
}

int
main (int argc, char **argv)
{
  /* Before any thread exists: a mount namespace of our own, so the tmpfs
   * disappears with the process whatever happens. */
  private_mounts
      = geteuid () == 0 && unshare (CLONE_NEWNS) == 0 && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
  g_test_init (&argc, &argv, NULL);
  /* Full disks are logged as warnings on purpose. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/full-disk/vfs", test_vfs_full);
  g_test_add_func ("/full-disk/vfs-while-open", test_vfs_full_while_open);
  g_test_add_func ("/full-disk/tmpfs", test_tmpfs_full);
  return g_test_run ();
}
