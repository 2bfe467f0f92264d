/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The program's side of the platform adapter: the HTTP adapter itself is
 * the kiosk module "kiosk-platform-http" (kiosk-platform-http.c), loaded
 * the first time the sync engine reaches for the platform. */
#define G_LOG_DOMAIN "kiosk-sync"

#include "config.h"

#include "kiosk-module.h"
#include "kiosk-platform-adapter.h"

void
kiosk_platform_adapter_free (KioskPlatformAdapter *self)
{
  if (self && self->klass->free)
    self->klass->free (self);
}

KioskPlatformAdapter *
kiosk_http_adapter_new (const KioskHttpAdapterOptions *options, GError **error)
{
  g_autoptr (GError) local = NULL;
  const KioskHttpApi *api
      = kiosk_module_lookup (KIOSK_HTTP_MODULE, KIOSK_HTTP_MODULE_SYMBOL, KIOSK_HTTP_API_VERSION, &local);

  if (api == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no platform transport: %s", local->message);
      return NULL;
    }
  return api->adapter_new (options, error);
}

KioskPlatformAdapter *
kiosk_http_adapter_new_from_config (KioskConfig *config, GError **error)
{
  g_autofree char *url = kiosk_config_get_string (config, "platform", "url");
  g_autofree char *id = kiosk_config_get_string (config, "kiosk", "id");
  g_autofree char *ca = kiosk_config_get_path_value (config, "platform", "ca-file");
  g_autofree char *cert = kiosk_config_get_path_value (config, "platform", "client-cert");
  g_autofree char *key = kiosk_config_get_path_value (config, "platform", "client-key");
  g_autofree char *token = kiosk_config_get_string (config, "platform", "token");
  KioskHttpAdapterOptions o = {
    .base_url = url,
    .kiosk_id = id,
    .allow_http = kiosk_config_get_bool (config, "platform", "allow-http"),
    .ca_file = ca,
    .client_cert = cert,
    .client_key = key,
    .timeout_seconds = kiosk_config_get_int (config, "platform", "timeout-seconds"),
    .token = token,
  };

  return kiosk_http_adapter_new (&o, error);
}
