/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Launch-to-first-frame and memory of one program on an X server, measured
 * the same way for every program: start it, poll the screen until given
 * pixels show the expected colours (the screen is drawn), wait a moment,
 * then sum the PSS of the program's whole process tree.
 *
 *   startup-probe [--pixel X,Y=RRGGBB]... [--settle-ms N] [--timeout-ms N]
 *                 [--shot FILE.png] [--stdout FILE] -- COMMAND [ARG...]
 *
 * Prints one line: "first_frame_ms=… pss_kb=… rss_kb=… procs=…" (PSS and RSS
 * summed over the process tree; RSS counts shared pages in full, PSS shares
 * them out among every process mapping them, on the whole machine). Exit 0 when the
 * pixels appeared, 1 when not (timeout, program died), 2 on bad usage. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <cairo.h>

#define MAX_PIXELS 8
#define MAX_PROCS 512

typedef struct {
  int x, y;
  unsigned r, g, b;
} Pixel;

/* strtol with the whole string checked; exits on a bad number. */
static long
number (const char *s, int base, const char **rest)
{
  char *end;
  long v;

  errno = 0;
  v = strtol (s, &end, base);
  if (errno != 0 || end == s || (rest == NULL && *end != '\0'))
    {
      fprintf (stderr, "startup-probe: not a number: %s\n", s);
      exit (2);
    }
  if (rest != NULL)
    *rest = end;
  return v;
}

static double
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
sleep_ms (int ms)
{
  struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000L };
  nanosleep (&ts, NULL);
}

static int
channel_shift (unsigned long mask)
{
  int shift = 0;
  if (mask == 0)
    return 0;
  while (!(mask & 1))
    {
      mask >>= 1;
      shift++;
    }
  return shift;
}

static int
pixel_matches (Display *dpy, Window root, const Pixel *p, int tolerance)
{
  XImage *img = XGetImage (dpy, root, p->x, p->y, 1, 1, AllPlanes, ZPixmap);
  unsigned long v;
  int r, g, b, ok;

  if (img == NULL)
    return 0;
  v = XGetPixel (img, 0, 0);
  r = (v & img->red_mask) >> channel_shift (img->red_mask);
  g = (v & img->green_mask) >> channel_shift (img->green_mask);
  b = (v & img->blue_mask) >> channel_shift (img->blue_mask);
  XDestroyImage (img);
  ok = abs (r - (int) p->r) <= tolerance && abs (g - (int) p->g) <= tolerance && abs (b - (int) p->b) <= tolerance;
  return ok;
}

static int
save_root (Display *dpy, Window root, const char *path)
{
  XWindowAttributes attr;
  XImage *img;
  cairo_surface_t *surface;
  unsigned char *data;
  int stride, rs, gs, bs;
  cairo_status_t status;

  XGetWindowAttributes (dpy, root, &attr);
  img = XGetImage (dpy, root, 0, 0, attr.width, attr.height, AllPlanes, ZPixmap);
  if (img == NULL)
    return -1;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, attr.width, attr.height);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  rs = channel_shift (img->red_mask);
  gs = channel_shift (img->green_mask);
  bs = channel_shift (img->blue_mask);
  cairo_surface_flush (surface);
  for (int y = 0; y < attr.height; y++)
    for (int x = 0; x < attr.width; x++)
      {
        unsigned long v = XGetPixel (img, x, y);
        uint32_t px
            = ((v & img->red_mask) >> rs) << 16 | ((v & img->green_mask) >> gs) << 8 | ((v & img->blue_mask) >> bs);
        memcpy (data + y * stride + x * 4, &px, 4);
      }
  cairo_surface_mark_dirty (surface);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  XDestroyImage (img);
  return status == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

/* ---- the process tree --------------------------------------------------- */

static int
parent_of (int pid)
{
  char path[64], buf[512];
  FILE *f;
  char *p;
  int ppid = -1;

  snprintf (path, sizeof path, "/proc/%d/stat", pid);
  f = fopen (path, "r");
  if (f == NULL)
    return -1;
  /* "pid (comm) S ppid ...": the state letter, then the parent. */
  if (fgets (buf, sizeof buf, f) != NULL && (p = strrchr (buf, ')')) != NULL && strlen (p) > 4)
    ppid = (int) strtol (p + 4, NULL, 10);
  fclose (f);
  return ppid;
}

/* Every live process descending from @root (itself included). */
static int
tree (int root, int *pids, int max)
{
  int all[4096][2];
  int n_all = 0, n = 0;
  DIR *d = opendir ("/proc");
  struct dirent *e;

  if (d == NULL)
    return 0;
  /* cppcheck-suppress readdirCalled ; one thread */
  while ((e = readdir (d)) != NULL && n_all < 4096)
    {
      char *end;
      int pid = (int) strtol (e->d_name, &end, 10);
      if (pid <= 0 || *end != '\0')
        continue;
      all[n_all][0] = pid;
      all[n_all][1] = parent_of (pid);
      n_all++;
    }
  closedir (d);
  pids[n++] = root;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n_all && n < max; j++)
      if (all[j][1] == pids[i])
        pids[n++] = all[j][0];
  return n;
}

/* "Pss:" or "Rss:" of /proc/PID/smaps_rollup, in kB. */
static long
rollup_kb (int pid, const char *field)
{
  char path[64], line[256];
  FILE *f;
  long kb = 0;

  snprintf (path, sizeof path, "/proc/%d/smaps_rollup", pid);
  f = fopen (path, "r");
  if (f == NULL)
    return 0;
  while (fgets (line, sizeof line, f) != NULL)
    if (strncmp (line, field, 4) == 0)
      {
        kb = strtol (line + 4, NULL, 10);
        break;
      }
  fclose (f);
  return kb;
}

static void
kill_tree (int root)
{
  int pids[MAX_PROCS];
  int n = tree (root, pids, MAX_PROCS);
  double until;

  for (int i = 0; i < n; i++)
    kill (pids[i], SIGTERM);
  until = now_ms () + 3000;
  while (now_ms () < until)
    {
      if (waitpid (root, NULL, WNOHANG) == root)
        break;
      sleep_ms (20);
    }
  n = tree (root, pids, MAX_PROCS);
  for (int i = 0; i < n; i++)
    kill (pids[i], SIGKILL);
  waitpid (root, NULL, 0);
}

static void
usage (void)
{
  fprintf (stderr, "usage: startup-probe [--pixel X,Y=RRGGBB]... [--settle-ms N] [--timeout-ms N] [--shot FILE.png] "
                   "[--stdout FILE] -- COMMAND [ARG...]\n");
  exit (2);
}

int
main (int argc, char **argv)
{
  Pixel pixels[MAX_PIXELS];
  int n_pixels = 0, settle_ms = 1000, timeout_ms = 30000, tolerance = 20;
  const char *shot = NULL, *out = "/dev/null";
  Display *dpy;
  Window root;
  double t0, t1 = -1;
  int pid, i, status, pids[MAX_PROCS], n;
  long pss = 0, rss = 0;

  for (i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        {
          i++;
          break;
        }
      if (i + 1 >= argc)
        usage ();
      if (strcmp (argv[i], "--pixel") == 0 && n_pixels < MAX_PIXELS)
        {
          Pixel *p = &pixels[n_pixels++];
          const char *rest;
          long rgb;

          p->x = (int) number (argv[++i], 10, &rest);
          if (*rest != ',')
            usage ();
          p->y = (int) number (rest + 1, 10, &rest);
          if (*rest != '=')
            usage ();
          rgb = number (rest + 1, 16, NULL);
          p->r = rgb >> 16 & 0xff;
          p->g = rgb >> 8 & 0xff;
          p->b = rgb & 0xff;
        }
      else if (strcmp (argv[i], "--settle-ms") == 0)
        settle_ms = (int) number (argv[++i], 10, NULL);
      else if (strcmp (argv[i], "--timeout-ms") == 0)
        timeout_ms = (int) number (argv[++i], 10, NULL);
      else if (strcmp (argv[i], "--shot") == 0)
        shot = argv[++i];
      else if (strcmp (argv[i], "--stdout") == 0)
        out = argv[++i];
      else
        usage ();
    }
  if (i >= argc || n_pixels == 0)
    usage ();

  dpy = XOpenDisplay (NULL);
  if (dpy == NULL)
    {
      fprintf (stderr, "startup-probe: cannot open display %s\n", getenv ("DISPLAY") ? getenv ("DISPLAY") : "(unset)");
      return 2;
    }
  root = DefaultRootWindow (dpy);

  t0 = now_ms ();
  pid = fork ();
  if (pid == 0)
    {
      int fd = open (out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      setpgid (0, 0);
      if (fd >= 0)
        {
          dup2 (fd, 1);
          close (fd);
        }
      execvp (argv[i], argv + i);
      fprintf (stderr, "startup-probe: %s: %s\n", argv[i], strerror (errno));
      _exit (127);
    }

  while (now_ms () - t0 < timeout_ms)
    {
      int all = 1;
      for (int k = 0; k < n_pixels && all; k++)
        all = pixel_matches (dpy, root, &pixels[k], tolerance);
      if (all)
        {
          t1 = now_ms ();
          break;
        }
      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          fprintf (stderr, "startup-probe: %s exited before drawing\n", argv[i]);
          XCloseDisplay (dpy);
          return 1;
        }
      sleep_ms (2);
    }
  if (t1 < 0)
    {
      fprintf (stderr, "startup-probe: %s: the expected pixels did not appear in %d ms\n", argv[i], timeout_ms);
      if (shot != NULL)
        save_root (dpy, root, shot);
      kill_tree (pid);
      XCloseDisplay (dpy);
      return 1;
    }

  /* Let it settle (late allocations, helper processes), then weigh it. */
  sleep_ms (settle_ms);
  n = tree (pid, pids, MAX_PROCS);
  for (int k = 0; k < n; k++)
    {
      pss += rollup_kb (pids[k], "Pss:");
      rss += rollup_kb (pids[k], "Rss:");
    }
  if (shot != NULL && save_root (dpy, root, shot) != 0)
    fprintf (stderr, "startup-probe: could not write %s\n", shot);
  kill_tree (pid);
  XCloseDisplay (dpy);
  printf ("first_frame_ms=%.1f pss_kb=%ld rss_kb=%ld procs=%d\n", t1 - t0, pss, rss, n);
  return 0;
}
