/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include "kioskctl.h"

int
kioskctl_demo (KioskctlContext *ctx, int argc, char **argv)
{
  return kioskctl_not_built ("demo", 4);
}
