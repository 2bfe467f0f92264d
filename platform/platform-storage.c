/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-platform"

#include "config.h"

#include "platform-storage.h"

GQuark
platform_storage_error_quark (void)
{
  return g_quark_from_static_string ("platform-storage-error-quark");
}

void
platform_stored_reply_clear (PlatformStoredReply *r)
{
  g_clear_pointer (&r->kind, g_free);
  g_clear_pointer (&r->request_hash, g_free);
  g_clear_pointer (&r->response, g_free);
  r->status = 0;
}

gboolean
platform_storage_target_is_pg (const char *target)
{
  return target && (g_str_has_prefix (target, "postgresql://") || g_str_has_prefix (target, "postgres://"));
}

PlatformStorage *
platform_storage_open (const char *target, GError **error)
{
  if (platform_storage_target_is_pg (target))
    return platform_storage_pg_new (target, error);
  return platform_storage_sqlite_new (target, error);
}
