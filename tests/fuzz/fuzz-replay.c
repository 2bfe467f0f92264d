/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main() of the fuzz targets without libFuzzer: runs LLVMFuzzerTestOneInput
 * on every file named on the command line, or every file in the folders
 * named (the seed corpora, a regression test in every build). Exit 1 when
 * a name cannot be read or nothing was replayed. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
replay_file (const char *path)
{
  g_autofree gchar *bytes = NULL;
  gsize n = 0;

  if (!g_file_get_contents (path, &bytes, &n, NULL))
    {
      fprintf (stderr, "cannot read %s\n", path);
      return FALSE;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) bytes, n);
  return TRUE;
}

int
main (int argc, char **argv)
{
  guint files = 0;

  for (int i = 1; i < argc; i++)
    {
      GDir *d = g_dir_open (argv[i], 0, NULL);
      if (d == NULL)
        {
          if (!replay_file (argv[i]))
            return 1;
          files++;
          continue;
        }
      for (const char *n; (n = g_dir_read_name (d));)
        {
          g_autofree char *path = g_build_filename (argv[i], n, NULL);
          if (!replay_file (path))
            {
              g_dir_close (d);
              return 1;
            }
          files++;
        }
      g_dir_close (d);
    }
  printf ("replayed %u inputs\n", files);
  return files > 0 ? 0 : 1;
}
