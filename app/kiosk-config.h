/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KIOSK_CONFIG_ERROR (kiosk_config_error_quark ())
GQuark kiosk_config_error_quark (void);

typedef enum {
  KIOSK_CONFIG_ERROR_NOT_FOUND,
  KIOSK_CONFIG_ERROR_PARSE,
  KIOSK_CONFIG_ERROR_UNKNOWN_GROUP,
  KIOSK_CONFIG_ERROR_UNKNOWN_KEY,
  KIOSK_CONFIG_ERROR_MISSING_KEY,
  KIOSK_CONFIG_ERROR_INVALID_VALUE,
} KioskConfigError;

typedef struct _KioskConfig KioskConfig;

/* Loads and validates the keyfile at @path, or at the default
 * /etc/kiosk/kiosk.conf when @path is NULL. Every error message names the
 * file, the group and the key at fault. */
KioskConfig *kiosk_config_load (const char *path, GError **error);
/* A problem kiosk_config_check() found: @group and @key name where (NULL
 * when it is the file itself, or a whole group), @message says what, naming
 * the file, group and key like kiosk_config_load()'s errors. */
typedef struct {
  char *group;
  char *key;
  char *message;
} KioskConfigProblem;
void kiosk_config_problem_free (KioskConfigProblem *p);

/* Like kiosk_config_load(), but goes on after the first problem: sets
 * *@problems to every problem found (kioskctl doctor) and returns the
 * configuration only when there is none. */
KioskConfig *kiosk_config_check (const char *path, GPtrArray **problems);
KioskConfig *kiosk_config_new_from_data (const char *data, const char *dir_for_relative_paths, GError **error);
KioskConfig *kiosk_config_ref (KioskConfig *self);
void kiosk_config_unref (KioskConfig *self);

const char *kiosk_config_get_path (KioskConfig *self);
GKeyFile *kiosk_config_get_keyfile (KioskConfig *self);

/* Getters return the value from the file, or the schema default when the key
 * is absent. Strings are newly allocated. */
char *kiosk_config_get_string (KioskConfig *self, const char *group, const char *key);
int kiosk_config_get_int (KioskConfig *self, const char *group, const char *key);
gboolean kiosk_config_get_bool (KioskConfig *self, const char *group, const char *key);
double kiosk_config_get_double (KioskConfig *self, const char *group, const char *key);
char **kiosk_config_get_list (KioskConfig *self, const char *group, const char *key);
/* A path key resolved against the configuration file's folder when relative.
 * NULL when the key is absent and has no default. */
char *kiosk_config_get_path_value (KioskConfig *self, const char *group, const char *key);

/* Overrides a value in memory (tools and tests; validated like the file). */
gboolean kiosk_config_set (KioskConfig *self, const char *group, const char *key, const char *value, GError **error);

/* The backend chosen for a device group: "real" or "sim". */
char *kiosk_config_get_backend (KioskConfig *self, const char *device);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskConfig, kiosk_config_unref)

G_END_DECLS
