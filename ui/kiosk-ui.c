/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <string.h>

#include "kiosk-a11y.h"
#include "kiosk-journey-pages.h"
#include "kiosk-resources.h"
#include "kiosk-ui.h"

/* The screens are mostly still: GTK's cairo renderer draws them fast in
 * software, and without GL the process does not map Mesa and LLVM (about
 * 25 MB and 100 ms at start). GTK 4.8 still opens EGL when the display is
 * opened (gdk_display_prepare_gl, inside gtk_init) even when it will draw
 * with cairo, and Mesa's EGL driver leaks and is unloaded before
 * LeakSanitizer reports; GDK_DEBUG=gl-disable keeps GL out entirely. A
 * kiosk with a GPU worth using sets GSK_RENDERER=gl (or ngl) in its service
 * environment, and then GL is left on. */
static void
choose_renderer (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");
  const char *debug = g_getenv ("GDK_DEBUG");

  if (renderer == NULL)
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      renderer = "cairo";
    }
  if (!g_str_equal (renderer, "cairo"))
    return;
  if (debug == NULL || *debug == '\0')
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  else if (strstr (debug, "gl-disable") == NULL)
    {
      g_autofree char *both = g_strconcat (debug, ",gl-disable", NULL);

      g_setenv ("GDK_DEBUG", both, TRUE);
    }
}

void
kiosk_ui_preinit (void)
{
  /* Before gtk_init() and before any thread (setenv). */
  choose_renderer ();
  /* GTK reads GTK_THEME when it creates its settings, in gtk_init(); the
   * theme named here is in the kiosk's resources (see ui/theme/gtk.css for
   * why the kiosk does not load Adwaita). */
  g_setenv ("GTK_THEME", "Kiosk", FALSE);
  /* libcamera logs INFO lines to stderr by default; its camera manager
   * starts in a device thread, where setenv() would race with getenv(). */
  g_setenv ("LIBCAMERA_LOG_LEVELS", "*:ERROR", FALSE);
}

void
kiosk_ui_init (void)
{
  static GtkCssProvider *provider;
  GdkDisplay *display = gdk_display_get_default ();

  if (provider != NULL)
    return;
  /* The resource registers itself when loaded; asking for it keeps the
   * linker from dropping it out of the static library. */
  g_assert (kiosk_ui_get_resource () != NULL);

  kiosk_journey_pages_register_all ();
  kiosk_a11y_install ();

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/cn/gov/kiosk/style.css");
  if (display != NULL)
    {
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      /* The kiosk's own icons: recolourable PNGs (kiosk-*-symbolic), so that
       * no SVG icon is loaded and librsvg (6.5 MiB resident) never is. */
      GtkIconTheme *icons = gtk_icon_theme_get_for_display (display);

      gtk_icon_theme_add_resource_path (icons, "/cn/gov/kiosk/icons/hicolor");
      /* Every icon the kiosk shows is its own, and GTK's widgets find
       * theirs (check marks, arrows, spinners) in GTK's own resources: the
       * icon themes on disk are not needed. GTK always reads Adwaita's
       * index (1,344 folders) when it can find it, which was 10 % of the
       * main thread's work before the first frame (callgrind); with no
       * folder to search it reads nothing. */
      gtk_icon_theme_set_search_path (icons, (const char *const[]){ NULL });
    }
}

void
_kiosk_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}
