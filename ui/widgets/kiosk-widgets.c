/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>

#include "kiosk-widgets-resources.h"
#include "kiosk-widgets.h"

void
kiosk_widgets_ensure_css (void)
{
  static gboolean done;
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr (GtkCssProvider) provider = NULL;

  if (done || display == NULL)
    return;
  done = TRUE;
  /* registering twice (the keyboard does it too) is harmless */
  kiosk_widgets_register_resource ();
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/cn/gov/kiosk/widgets/kiosk-widgets.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}
