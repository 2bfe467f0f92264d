/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "kiosk-i18n.h"
#include "kiosk-module.h"

/* glibc's catalogue cache counter: bumping it makes gettext look the
 * translation up again after LANGUAGE changed. */
extern int _nl_msg_cat_cntr;

static char *localedir;
static char *language;

static char *
find_localedir (void)
{
  const char *env = g_getenv ("KIOSK_LOCALEDIR");
  g_autofree char *build_mo
      = g_build_filename (KIOSK_BUILD_DIR, "po", "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  /* meson's i18n module compiles the catalogues into <build>/po/<lang>/. */
  if (kiosk_running_from_build_tree () && g_file_test (build_mo, G_FILE_TEST_EXISTS))
    return g_build_filename (KIOSK_BUILD_DIR, "po", NULL);
  return g_strdup (LOCALEDIR);
}

void
kiosk_i18n_init (void)
{
  const char *lc;

  if (localedir != NULL)
    return;

  /* We set the locale ourselves, before GTK would. */
  gtk_disable_setlocale ();
  /* LANGUAGE is ignored in the plain C locale; the kiosk needs a UTF-8
   * locale anyway, or Chinese prints as "??". */
  lc = setlocale (LC_ALL, "");
  if (lc == NULL || g_str_equal (lc, "C") || g_str_equal (lc, "POSIX"))
    {
      if (setlocale (LC_ALL, "C.UTF-8") == NULL)
        g_warning ("no UTF-8 locale: Chinese text will not display");
    }

  /* The catalogue's language; kiosk_i18n_set_language() switches between
   * it and English without touching the environment again. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  localedir = find_localedir ();
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_debug ("translations from %s", localedir);

  /* GLib decides once, on its first g_dgettext() call, whether to translate
   * at all, from whether the catalogue answers in the current language. Ask
   * it while the language is one we ship, so switching later works. */
  kiosk_i18n_set_language ("zh_CN");
  (void) g_dgettext (GETTEXT_PACKAGE, "Service guide");
}

const char *
kiosk_i18n_get_localedir (void)
{
  return localedir;
}

void
kiosk_i18n_set_language (const char *lang)
{
  g_autofree char *no_catalogue = NULL;

  g_return_if_fail (lang != NULL);

  if (g_strcmp0 (language, lang) == 0)
    return;
  g_free (language);
  language = g_strdup (lang);

  /* LANGUAGE stays "zh_CN" (set once, before any thread: setenv is not
   * thread-safe and device threads run by now). English is the msgid
   * language: pointing the domain at a folder without catalogues makes
   * gettext return the msgids. bindtextdomain() takes glibc's lock and
   * flushes its cache; bumping the counter as well costs nothing. */
  if (g_str_equal (lang, "zh_CN"))
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  else
    {
      no_catalogue = g_build_filename (localedir, "kiosk-msgids", NULL);
      bindtextdomain (GETTEXT_PACKAGE, no_catalogue);
    }
  ++_nl_msg_cat_cntr;
  g_debug ("language: %s", lang);
}

const char *
kiosk_i18n_get_language (void)
{
  return language;
}
