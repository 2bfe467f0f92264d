/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Results of the platform adapter: compiled into the sync library and into
 * the kiosk-platform-http module, which both fill and read them. */
#include "config.h"

#include <string.h>

#include "kiosk-platform-adapter.h"

const char *
kiosk_platform_outcome_to_string (KioskPlatformOutcome outcome)
{
  switch (outcome)
    {
    case KIOSK_PLATFORM_OK:
      return "ok";
    case KIOSK_PLATFORM_NOT_MODIFIED:
      return "not-modified";
    case KIOSK_PLATFORM_TRANSIENT:
      return "transient";
    case KIOSK_PLATFORM_REJECTED:
      return "rejected";
    default:
      return "unknown";
    }
}

void
kiosk_platform_result_clear (KioskPlatformResult *r)
{
  g_clear_pointer (&r->message, g_free);
  g_clear_pointer (&r->error_code, g_free);
  g_clear_pointer (&r->body, g_free);
  g_clear_pointer (&r->etag, g_free);
  memset (r, 0, sizeof *r);
  r->retry_after_ms = -1;
}
