/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-module"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <gio/gio.h>
#include <gmodule.h>

#include "kiosk-module.h"

typedef struct {
  gpointer table;
  char *error;
} Loaded;

static GMutex lock;
static GHashTable *loaded; /* build path → Loaded */

gboolean
kiosk_running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *build = g_canonicalize_filename (KIOSK_BUILD_DIR, NULL);
  gsize n = strlen (build);
  const char *at;
  GStatBuf self, there;

  if (exe == NULL)
    return FALSE;
  if (g_str_has_prefix (exe, build) && exe[n] == '/')
    return TRUE;
  /* In a chroot whose root is not a mount point, a process that entered a
   * mount namespace of its own (the full-disk test does, to mount a tmpfs)
   * reads /proc/self/exe from the host's root: /srv/chroot/root/kiosk/build/x
   * for /root/kiosk/build/x. Accept such a path when its tail under the
   * build folder is this very program. */
  if (g_stat ("/proc/self/exe", &self) != 0)
    return FALSE;
  for (at = strstr (exe, build); at != NULL; at = strstr (at + 1, build))
    if (at[n] == '/' && g_stat (at, &there) == 0 && there.st_dev == self.st_dev && there.st_ino == self.st_ino)
      return TRUE;
  return FALSE;
}

char *
kiosk_module_path (const char *build_path)
{
  const char *env = g_getenv ("KIOSK_MODULE_DIR");
  g_autofree char *base = g_path_get_basename (build_path);
  g_autofree char *file = g_strconcat (base, ".so", NULL);

  if (env != NULL && *env != '\0')
    return g_build_filename (env, file, NULL);
  if (kiosk_running_from_build_tree ())
    {
      g_autofree char *rel = g_strconcat (build_path, ".so", NULL);
      return g_build_filename (KIOSK_BUILD_DIR, rel, NULL);
    }
  return g_build_filename (KIOSK_MODULEDIR, file, NULL);
}

static Loaded *
load (const char *build_path, const char *symbol, int version)
{
  Loaded *l = g_new0 (Loaded, 1);
  g_autofree char *path = kiosk_module_path (build_path);
  gint64 start = g_get_monotonic_time ();
  GModule *module;
  gpointer (*get_table) (void) = NULL;

  /* Local binding: the module's symbols stay its own; only the table
   * reaches the program. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      l->error = g_strdup_printf ("cannot load %s: %s", path, g_module_error ());
      g_warning ("%s", l->error);
      return l;
    }
  if (!g_module_symbol (module, symbol, (gpointer *) &get_table) || get_table == NULL
      || (l->table = get_table ()) == NULL)
    {
      l->error = g_strdup_printf ("%s has no %s: not a kiosk module of this version", path, symbol);
      g_warning ("%s", l->error);
      g_module_close (module);
      return l;
    }
  if (*(const int *) l->table != version)
    {
      l->error
          = g_strdup_printf ("%s: table version %d, this program needs %d", path, *(const int *) l->table, version);
      g_warning ("%s", l->error);
      l->table = NULL;
      g_module_close (module);
      return l;
    }
  g_module_make_resident (module);
  g_debug ("loaded %s in %.1f ms", path, (g_get_monotonic_time () - start) / 1000.0);
  return l;
}

gpointer
kiosk_module_lookup (const char *build_path, const char *symbol, int version, GError **error)
{
  Loaded *l;

  g_return_val_if_fail (build_path != NULL && symbol != NULL, NULL);

  g_mutex_lock (&lock);
  if (loaded == NULL)
    loaded = g_hash_table_new (g_str_hash, g_str_equal);
  l = g_hash_table_lookup (loaded, build_path);
  if (l == NULL)
    {
      /* Loading under the lock: a second thread asking for the same module
       * waits for it rather than loading it twice. */
      l = load (build_path, symbol, version);
      g_hash_table_insert (loaded, g_strdup (build_path), l);
    }
  g_mutex_unlock (&lock);

  if (l->table == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, l->error);
  return l->table;
}
