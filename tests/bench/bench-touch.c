/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Touch-to-next-screen latency and memory over many sessions (issue #16):
 *
 *   bench-touch [SESSIONS]      (under Xvfb, alone on its display)
 *
 * The kiosk's window and core (simulated devices, the voice on: every
 * screen's prompt synthesised by espeak-ng into WAV files) are driven the
 * way a resident does: real presses through the X server (XTest). Each
 * session is attract → menu → 办事指南 → 返回 → 结束办理 → attract.
 *
 * A watcher thread with its own X connection takes a sample of the screen
 * (rows across the page, below the header, the pressed control left out),
 * presses, and polls the screen until the sample changes: the time from
 * the press to the first changed frame on the display, while the kiosk's
 * main loop runs as it does in service. In 长辈模式 a control is touched
 * once to hear it and again to choose it: the second touch is measured.
 *
 * Prints, per mode (normal, 长辈模式) and transition, the median, p95 and
 * worst of its touches (one per session), and the PSS of the process after
 * the first session and after the last. */
#include "config.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <gdk/x11/gdkx.h>
#include <gtk/gtk.h>

#include "kiosk-ui-test.h"
#include "kiosk-window.h"

#define N_ROWS 6

typedef int (*FakeMotion) (Display *, int, int, int, unsigned long);
typedef int (*FakeButton) (Display *, unsigned int, int, unsigned long);

static struct {
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  FakeMotion motion;
  FakeButton button;
  int width, height;
} T;

/* One measured press, handed to the watcher thread. */
typedef struct {
  int x, y;               /* where to press (screen) */
  int bx0, by0, bx1, by1; /* the pressed control: left out of the sample */
  double ms;              /* press to changed frame; < 0: no change seen */
  const char *shot;       /* the changed frame saved there (PPM), or NULL */
  gint done;
} Press;

static double
now_ms (void)
{
  return (double) g_get_monotonic_time () / 1000.0;
}

/* The sampled rows of the screen, the pressed control blanked. */
static void
sample (Display *d, Window root, const Press *p, guint32 *out)
{
  for (int r = 0; r < N_ROWS; r++)
    {
      /* from 18% to 93% of the height: below the header and its clock */
      int y = T.height * (18 + r * 15) / 100;
      XImage *img = XGetImage (d, root, 0, y, (unsigned) T.width, 1, AllPlanes, ZPixmap);

      for (int x = 0; x < T.width; x++)
        {
          gboolean in_control = x >= p->bx0 && x <= p->bx1 && y >= p->by0 && y <= p->by1;
          out[r * T.width + x] = (img && !in_control) ? (guint32) XGetPixel (img, x, 0) : 0;
        }
      if (img)
        XDestroyImage (img);
    }
}

/* The whole screen as a PPM file (KIOSK_BENCH_SHOTS: what was seen as the
 * changed frame, to check that it is the next screen). */
static void
save_ppm (Display *d, Window root, const char *path)
{
  XImage *img = XGetImage (d, root, 0, 0, (unsigned) T.width, (unsigned) T.height, AllPlanes, ZPixmap);
  FILE *f = img ? fopen (path, "wb") : NULL;

  if (f)
    {
      fprintf (f, "P6\n%d %d\n255\n", T.width, T.height);
      for (int y = 0; y < T.height; y++)
        for (int x = 0; x < T.width; x++)
          {
            unsigned long px = XGetPixel (img, x, y);
            fputc ((int) ((px >> 16) & 0xff), f);
            fputc ((int) ((px >> 8) & 0xff), f);
            fputc ((int) (px & 0xff), f);
          }
      fclose (f);
    }
  if (img)
    XDestroyImage (img);
}

static gpointer
watch_thread (gpointer data)
{
  Press *p = data;
  Display *d = XOpenDisplay (NULL);
  Window root;
  gsize n = (gsize) N_ROWS * (gsize) T.width;
  g_autofree guint32 *before = g_new0 (guint32, n);
  g_autofree guint32 *now = g_new0 (guint32, n);
  double t0, deadline;

  p->ms = -1;
  if (d == NULL)
    {
      g_atomic_int_set (&p->done, 1);
      return NULL;
    }
  root = DefaultRootWindow (d);
  sample (d, root, p, before);
  T.motion (d, -1, p->x, p->y, 0);
  T.button (d, 1, True, 0);
  T.button (d, 1, False, 0);
  XFlush (d);
  t0 = now_ms ();
  deadline = t0 + 3000;
  while (now_ms () < deadline)
    {
      sample (d, root, p, now);
      if (memcmp (before, now, n * sizeof *now) != 0)
        {
          p->ms = now_ms () - t0;
          if (p->shot)
            save_ppm (d, root, p->shot);
          break;
        }
      g_usleep (300);
    }
  XCloseDisplay (d);
  g_atomic_int_set (&p->done, 1);
  return NULL;
}

/* Presses @target (a widget of the window; NULL: the window's middle) and
 * returns the milliseconds to the first changed frame. */
static double
press_shot (GtkWidget *target, const char *shot)
{
  Press p = { .shot = shot };
  GThread *thread;
  graphene_rect_t r;

  if (target)
    {
      g_assert_true (gtk_widget_compute_bounds (target, GTK_WIDGET (T.window), &r));
      p.bx0 = (int) r.origin.x - 8;
      p.by0 = (int) r.origin.y - 8;
      p.bx1 = (int) (r.origin.x + r.size.width) + 8;
      p.by1 = (int) (r.origin.y + r.size.height) + 8;
      p.x = (int) (r.origin.x + r.size.width / 2);
      p.y = (int) (r.origin.y + r.size.height / 2);
    }
  else
    {
      p.x = T.width / 2;
      p.y = T.height / 2;
      p.bx0 = p.bx1 = p.by0 = p.by1 = -100;
    }
  thread = g_thread_new ("watch", watch_thread, &p);
  while (!g_atomic_int_get (&p.done))
    g_main_context_iteration (NULL, FALSE);
  g_thread_join (thread);
  return p.ms;
}

static guint session_no;
static gboolean elder_run;

/* As press_shot, the frame saved for the first session's presses when
 * KIOSK_BENCH_SHOTS names a folder. */
static double
press (GtkWidget *target)
{
  static guint k;
  const char *dir = g_getenv ("KIOSK_BENCH_SHOTS");
  g_autofree char *path = NULL;

  if (dir && session_no == 0)
    path = g_strdup_printf ("%s/%s-%02u.ppm", dir, elder_run ? "elder" : "normal", k++);
  return press_shot (target, path);
}

static GtkWidget *
button (const char *label)
{
  GtkWidget *b = kiosk_ui_test_button (label);

  if (b == NULL)
    {
      kiosk_ui_test_screenshot ("no-button");
      g_error ("no button \"%s\" on the screen", label);
    }
  return b;
}

/* In 长辈模式 a first touch reads the control out: made, not measured. */
static void
hear_first (GtkWidget *target, gboolean elder)
{
  if (!elder)
    return;
  (void) press (target);
  kiosk_ui_test_settle (150);
}

static long
pss_kb (void)
{
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &text, NULL, NULL))
    return -1;
  p = strstr (text, "\nPss:");
  return p ? strtol (p + 5, NULL, 10) : -1;
}

enum { ATTRACT_MENU, MENU_GUIDE, GUIDE_MENU, MENU_END, N_STEPS };
static const char *const step_names[N_STEPS]
    = { "attract → menu", "menu → 办事指南", "办事指南 → 返回 menu", "menu → 结束办理" };

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
report (const char *mode, GArray *const *times)
{
  for (int s = 0; s < N_STEPS; s++)
    {
      GArray *t = times[s];
      guint missed = 0;
      g_autoptr (GArray) ok = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint i = 0; i < t->len; i++)
        {
          double v = g_array_index (t, double, i);
          if (v < 0)
            missed++;
          else
            g_array_append_val (ok, v);
        }
      g_array_sort (ok, cmp_double);
      if (ok->len == 0)
        {
          printf ("| %-8s | %-22s | %5u | — | — | — | %u |\n", mode, step_names[s], t->len, missed);
          continue;
        }
      printf ("| %-8s | %-22s | %5u | %6.1f | %6.1f | %6.1f | %u |\n", mode, step_names[s], ok->len,
              g_array_index (ok, double, ok->len / 2),
              g_array_index (ok, double, MIN (ok->len - 1, (guint) ceil (ok->len * 0.95) - 1)),
              g_array_index (ok, double, ok->len - 1), missed);
    }
}

static void
run_sessions (gboolean elder, guint sessions, GArray **times, long *pss_first, long *pss_last)
{
  elder_run = elder;
  for (guint n = 0; n < sessions; n++)
    {
      GtkWidget *b;

      session_no = n;
      KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_ATTRACT, 30);
      kiosk_session_set_elder_mode (T.session, elder);
      kiosk_ui_test_settle (250);
      g_array_append_val (times[ATTRACT_MENU], (double){ press (NULL) });
      KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_MENU, 10);
      if (kiosk_session_get_elder_mode (T.session) != elder)
        kiosk_session_set_elder_mode (T.session, elder);
      kiosk_ui_test_settle (250);

      b = button ("办事指南");
      hear_first (b, elder);
      g_array_append_val (times[MENU_GUIDE], (double){ press (b) });
      KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_JOURNEY, 10);
      kiosk_ui_test_settle (250);

      b = button ("返回");
      hear_first (b, elder);
      g_array_append_val (times[GUIDE_MENU], (double){ press (b) });
      KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_MENU, 10);
      kiosk_ui_test_settle (250);

      b = button ("结束办理");
      hear_first (b, elder);
      g_array_append_val (times[MENU_END], (double){ press (b) });
      KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) != KIOSK_SESSION_MENU, 10);
      /* the end screen goes back to attract by itself (end-screen-seconds) */
      KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_ATTRACT, 30);
      kiosk_ui_test_settle (100);
      if (n == 0 && pss_first)
        *pss_first = pss_kb ();
    }
  if (pss_last)
    *pss_last = pss_kb ();
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  guint sessions = 100;
  static void *xtst;
  GArray *normal[N_STEPS], *elder[N_STEPS];
  long pss_first = -1, pss_last = -1, pss_elder = -1;
  gint64 started;

  kiosk_ui_test_init (&argc, &argv);
  if (argc > 1)
    sessions = (guint) MAX (1, g_ascii_strtoll (argv[1], NULL, 10));
  xtst = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_LOCAL);
  if (xtst == NULL)
    {
      g_printerr ("SKIP: no libXtst (package libxtst6)\n");
      return 77;
    }
  T.motion = (FakeMotion) dlsym (xtst, "XTestFakeMotionEvent");
  T.button = (FakeButton) dlsym (xtst, "XTestFakeButtonEvent");
  g_assert_nonnull (T.motion);
  g_assert_nonnull (T.button);
  T.dir = g_dir_make_tmp ("kiosk-bench-touch-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_strdup_printf ("[kiosk]\nid=kiosk-bench\nstation=测试村便民服务站\nphone=0571-88886666\n"
                          "[store]\npath=%s/kiosk.db\n[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n"
                          "[session]\nidle-warning-seconds=600\nidle-countdown-seconds=60\nend-screen-seconds=1\n"
                          "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n"
                          "[printer]\nbackend=sim\n[voice]\nmode=always\nwav-dir=%s/voice\n",
                          T.dir, T.dir);
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  T.window = kiosk_ui_test_open_window (T.core, TRUE, KIOSK_SCREENSHOT_DIR);
  kiosk_core_start (T.core);
  T.width = gtk_widget_get_width (GTK_WIDGET (T.window));
  T.height = gtk_widget_get_height (GTK_WIDGET (T.window));
  {
    GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (T.window));
    if (!GDK_IS_X11_DISPLAY (display))
      {
        g_printerr ("SKIP: not an X11 display\n");
        return 77;
      }
  }
  kiosk_ui_test_settle (500);

  for (int s = 0; s < N_STEPS; s++)
    {
      normal[s] = g_array_new (FALSE, FALSE, sizeof (double));
      elder[s] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  started = g_get_monotonic_time ();
  run_sessions (FALSE, sessions, normal, &pss_first, &pss_last);
  run_sessions (TRUE, sessions, elder, NULL, &pss_elder);

  printf ("\nTouch to the first changed frame (ms), %u sessions per mode, voice on, %dx%d, %.0f s in all\n\n", sessions,
          T.width, T.height, (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC);
  printf ("| mode     | transition             | n     | median | p95    | worst  | no change |\n");
  printf ("|---|---|---|---|---|---|---|\n");
  report ("normal", normal);
  report ("长辈模式", elder);
  printf ("\nPSS (kB): after session 1 %ld, after session %u %ld (%+.1f%%), after %u more in 长辈模式 %ld\n", pss_first,
          sessions, pss_last, pss_first > 0 ? 100.0 * (double) (pss_last - pss_first) / (double) pss_first : 0,
          sessions, pss_elder);

  for (int s = 0; s < N_STEPS; s++)
    {
      g_array_unref (normal[s]);
      g_array_unref (elder[s]);
    }
  kiosk_ui_test_close_window ();
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  kiosk_config_unref (T.config);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", T.dir);
  }
  g_free (T.dir);
  return 0;
}
