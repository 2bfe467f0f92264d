/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Kiosk modules: the few heavy libraries (libcamera, ZXing-C++, libcups,
 * libsoup with its TLS stack) are wrapped in small shared objects of our
 * own, loaded the first time a driver needs them rather than by the dynamic
 * loader before main(). The kiosk draws its first screen without them
 * (about 30 ms and 8 MiB less at start), and a device that is not
 * configured never loads its library at all.
 *
 * Each module exports one function, @symbol, returning its table of
 * entry points; the table starts with an int, its version, which must be
 * @version (the program's headers say which). @build_path is the module's place in the meson build tree
 * without the ".so" ("drivers/camera/kiosk-libcamera"); the module is
 * looked for
 *   - in $KIOSK_MODULE_DIR when set,
 *   - in the build tree when the running program is one of the build's,
 *   - in the installed module folder (KIOSK_MODULEDIR) otherwise.
 * A module is loaded once, by whichever thread asks first, and never
 * unloaded. Returns NULL with a message naming the file when the module
 * cannot be loaded, lacks @symbol or has a table of another version; the
 * same error on every later call. */
gpointer kiosk_module_lookup (const char *build_path, const char *symbol, int version, GError **error);

/* Where kiosk_module_lookup() looks for @build_path (for kioskctl doctor). */
char *kiosk_module_path (const char *build_path);

/* Whether the running program is one of this build tree's (KIOSK_BUILD_DIR):
 * then its modules and translations are looked for there, not where they
 * are installed. */
gboolean kiosk_running_from_build_tree (void);

G_END_DECLS
