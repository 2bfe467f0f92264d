#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a screen reader receives over AT-SPI (issue #16, point 3).

The real kiosk binary (simulated devices, a store in a temporary directory,
no platform, voice off) runs under a private D-Bus session
(dbus-run-session; the session bus starts at-spi-bus-launcher on demand and
the AT-SPI bus starts at-spi2-registryd) on the display the test is given,
with GTK_A11Y=atspi and NO_AT_BRIDGE unset.  This script finds the kiosk's
application in the AT-SPI registry by its process id, walks its tree on
every screen it reaches and moves between screens only through AT-SPI
(Action.doAction on the button whose name is the visible label), as a
switch-access or screen-reader user does:
  attract -> 长辈模式 (starts a session in 长辈模式) -> menu -> each journey's
  first screen (办事指南, 自助申报, 证明打印, 进度查询, 代办服务) and 返回 ->
  长辈模式 off on the menu -> the same journeys in normal mode.
A showing push button, toggle button, check box, radio button, link, entry,
password text, combo box, spin button, slider or menu item with no name fails
(TAP not ok), as does a screen without a showing object of role heading.
Each screen's spoken summary (role and name of every showing control and
heading) is printed as TAP comments.

What GTK 4.8 actually sends over AT-SPI (found by this test, Debian 12):
- States: only the toplevel frame has 'showing'; every other object, also
  the ones on the GtkStack pages that are not on screen, reports just
  'visible' and 'sensitive' (plus 'focusable'/'focused').  So 'showing' is
  taken from the Component extents instead: an object is on screen when it
  and all its ancestors have a non-empty extent.  GTK reports 0x0 for a
  widget never mapped, but a GtkStack page shown before keeps its last
  extent; GetAccessibleAtPoint picks only mapped widgets, so the page of a
  stack on screen is the one holding what is under points of the stack (a
  GtkStackPage has no Component itself).  An insensitive button is not
  picked: it is judged all the same (it is read out, dimmed).  Extents are asked in window coordinates: on
  X11 GTK 4 warns for every screen-coordinate request.
- An object with no accessible label is not sent with an empty name: GTK
  4.8 sends its type name ('GtkButton', 'GtkToggleButton', 'GtkSwitch',
  'GtkLabel', 'GtkImage', 'GtkStackPage').  A control whose name is its own
  GTK/Kiosk type name therefore counts as unnamed (an empty name too).
  The kiosk's buttons are named when mapped (ui/kiosk-a11y.c), so the pages
  not yet shown carry type names: only showing objects are judged.
- Buttons expose one action, 'click' (a GtkSwitch: 'toggle'); doAction
  activates the widget (the 'clicked' handler, not a pointer press).
- A button made by gtk_button_new_with_label is named from its label; when
  ui/kiosk-a11y.c's map hook also relates it (labelled-by) to that label,
  GTK 4.8 sends the text twice ('上一页 上一页'; checked with a small GTK
  program: a label inside a box is sent once).  Reported per screen as a
  TAP TODO (an expected failure) until the hook leaves such buttons alone.
- The attract screen has no control that starts a session in normal mode:
  a touch anywhere does it, and the only control, 长辈模式, starts the
  session in 长辈模式 (reported as a comment, not a failure).
The test of the test: the checker on built trees (an unnamed button, one
named with its type name, a screen without a heading must be reported; the
same off screen must not), and, when python3-gi has GTK 4, a real GTK 4
window with an icon-only button walked over AT-SPI must be reported.

Needs python3-pyatspi, dbus-run-session and a display; without them the
TAP plan is '1..0 # SKIP reason' (meson's TAP protocol counts a non-zero
exit, 77 included, as an error).  The kiosk must exit 0 on SIGTERM (also
under ASan/LeakSanitizer in the sanitizer build).
  test-atspi.py KIOSK-BINARY
"""
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

CONTROL_ROLES = {
    "push button", "toggle button", "check box", "radio button", "link",
    "entry", "password text", "combo box", "spin button", "slider",
    "menu item", "check menu item", "radio menu item", "switch",
}
TYPE_NAME = re.compile(r"^(Gtk|Kiosk)[A-Z][A-Za-z0-9]*$")
JOURNEYS = ["办事指南", "自助申报", "证明打印", "进度查询", "代办服务"]
ELDER = "长辈模式"
BACK = "返回"

_n = 0
_failed = False


def tap(ok, what):
    global _n, _failed
    _n += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", _n, what), flush=True)
    if not ok:
        _failed = True


def comment(text):
    for line in str(text).splitlines():
        print("# " + line, flush=True)


def skip_all(reason):
    print("1..0 # SKIP " + reason, flush=True)
    sys.exit(0)


# --- the checker: plain trees, so it can be tested without AT-SPI --------

class Node:
    """One accessible object as the screen reader got it."""

    def __init__(self, role, name, extent=(0, 0, 1, 1), children=(), checked=False):
        self.role, self.name, self.extent, self.children = role, name, extent, list(children)
        self.checked = checked

    def on_screen(self):
        # No Component (a GtkStackPage is no widget): its children decide.
        return self.extent is None or (self.extent[2] > 0 and self.extent[3] > 0)


def unnamed(name):
    name = (name or "").strip()
    return name == "" or TYPE_NAME.match(name) is not None


def showing(tree):
    """The objects on screen, in reading order (an object whose extent is
    empty hides its subtree)."""
    out = []

    def walk(node):
        if not node.on_screen():
            return
        if node.extent is not None:
            out.append(node)
        for child in node.children:
            walk(child)

    walk(tree)
    return out


def check_screen(screen, tree):
    """(findings, spoken summary lines) of one screen."""
    findings, summary = [], []
    headings = 0
    for node in showing(tree):
        if node.role == "heading":
            headings += 1
            summary.append("heading: %s" % (node.name if not unnamed(node.name) else "(unnamed %s)" % node.name))
        elif node.role in CONTROL_ROLES:
            if unnamed(node.name):
                findings.append("%s: %s without a name (sent as %r)" % (screen, node.role, node.name))
                summary.append("%s: (no name)" % node.role)
            else:
                summary.append("%s: %s%s" % (node.role, node.name, " (checked)" if node.checked else ""))
    if headings == 0:
        findings.append("%s: no heading" % screen)
    return findings, summary


def said_twice(name):
    """'上一页 上一页': the same words twice."""
    words = name.split()
    half = len(words) // 2
    return len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]


def self_test():
    """The test of the test, on built trees."""
    named = Node("frame", "kiosk", children=[
        Node("heading", "请选择服务"),
        Node("push button", "办事指南", children=[Node("label", "办事指南")]),
        # Off screen (a GtkStack page not shown): never judged.
        Node("filler", "KioskJourneyPage", (0, 0, 0, 0), [Node("push button", "GtkButton", (0, 0, 0, 0))]),
    ])
    findings, summary = check_screen("fixture", named)
    tap(findings == [] and summary == ["heading: 请选择服务", "push button: 办事指南"],
        "checker: a named screen with a heading passes, off-screen objects are not judged")
    comment("\n".join(findings + summary))
    bad = Node("frame", "kiosk", children=[
        Node("label", "请选择服务"),
        Node("push button", "", children=[Node("image", "GtkImage")]),
        Node("push button", "GtkButton"),
        Node("check box", "GtkSwitch"),
        Node("entry", " "),
        Node("menu item", "打印"),
    ])
    findings, _ = check_screen("fixture", bad)
    comment("\n".join(findings))
    tap(findings == ["fixture: push button without a name (sent as '')",
                     "fixture: push button without a name (sent as 'GtkButton')",
                     "fixture: check box without a name (sent as 'GtkSwitch')",
                     "fixture: entry without a name (sent as ' ')",
                     "fixture: no heading"],
        "checker: unnamed controls (empty or their type name) and a missing heading are reported")
    tap(said_twice("上一页 上一页") and said_twice("1 1") and not said_twice("呼叫工作人员")
        and not said_twice("办事指南 查看材料") and not said_twice("返回"),
        "checker: a name said twice is found")


# --- AT-SPI ---------------------------------------------------------------

def visible_page(parent, pages, frame, pyatspi):
    """Which of a GtkStack's pages is on screen: GTK 4.8 reports neither
    'showing' nor an empty extent for a page that was shown before, but it
    picks (GetAccessibleAtPoint) only among mapped widgets: the page that
    holds what is under points of the stack is the one shown."""
    x, y, w, h = parent.extent
    paths = {page.acc.path: page for page in pages}
    for fx, fy in ((0.5, 0.5), (0.25, 0.25), (0.75, 0.75), (0.25, 0.75), (0.75, 0.25), (0.5, 0.1), (0.5, 0.9)):
        try:
            hit = frame.queryComponent().getAccessibleAtPoint(int(x + w * fx), int(y + h * fy),
                                                              pyatspi.WINDOW_COORDS)
        except Exception:
            continue
        for _ in range(64):
            if hit is None or hit.path == parent.acc.path:
                break
            if hit.path in paths:
                return paths[hit.path]
            hit = hit.parent
    return None


def snapshot(acc, pyatspi, frame=None, depth=0):
    try:
        role = acc.getRoleName()
        name = acc.name or ""
    except Exception:  # the object went away while walking
        return Node("gone", "", (0, 0, 0, 0))
    try:
        e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        extent = (e.x, e.y, e.width, e.height)
    except Exception:
        extent = (0, 0, 1, 1) if depth == 0 else None
    node = Node(role, name, extent)
    node.acc = acc
    if role in CONTROL_ROLES and node.on_screen():
        node.checked = acc.getState().contains(pyatspi.STATE_CHECKED) or \
            acc.getState().contains(pyatspi.STATE_PRESSED)
    if frame is None and role == "frame":
        frame = acc
    if node.on_screen() and depth < 60:
        for i in range(acc.childCount):
            child = acc.getChildAtIndex(i)
            if child is not None:
                node.children.append(snapshot(child, pyatspi, frame, depth + 1))
        pages = [c for c in node.children if c.extent is None and c.name == "GtkStackPage"]
        if pages and frame is not None and node.extent is not None:
            shown = visible_page(node, pages, frame, pyatspi)
            for page in pages:
                if page is not shown:
                    page.extent = (0, 0, 0, 0)  # not on screen: not judged, not heard
    return node


def find_app(pyatspi, pid, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        desktop = pyatspi.Registry.getDesktop(0)
        desktop.clear_cache()  # no main loop runs here: the registry's additions are not seen otherwise
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            try:
                if app is not None and app.get_process_id() == pid and app.childCount > 0:
                    return app
            except Exception:
                pass
        time.sleep(0.2)
    return None


def tree_of(app, pyatspi):
    """The tree now; a walk that meets an object going away (a page being
    rebuilt) is done again."""
    error = None
    for _ in range(10):
        app.clear_cache()
        try:
            return snapshot(app, pyatspi)
        except Exception as e:  # GLib.GError: "The application no longer exists" for a freed object
            error = e
            time.sleep(0.2)
    raise error


def signature(tree):
    """What is heard and where: a screen has changed (or settled) when this
    has."""
    return [(n.role, n.name, n.checked, n.extent) for n in showing(tree)
            if n.role == "heading" or n.role in CONTROL_ROLES]


def settled(app, pyatspi, before=None, timeout=20.0):
    """The tree once the screen has changed from `before` (if given) and two
    walks 0.3 s apart agree (no page transition under way)."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        tree = tree_of(app, pyatspi)
        sig = signature(tree)
        if sig and (before is None or sig != before) and sig == last:
            return tree
        last = sig
        time.sleep(0.3)
    return tree_of(app, pyatspi)


def find_control(tree, label, roles=("push button", "toggle button")):
    """The showing control named `label` (or whose name begins with it: a
    menu tile says its label and then its line of explanation)."""
    nodes = [n for n in showing(tree) if n.role in roles]
    for n in nodes:
        if n.name == label:
            return n
    for n in nodes:
        if n.name.startswith(label):
            return n
    return None


def activate(node):
    action = node.acc.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    if not names:
        return False, "no action"
    return bool(action.doAction(0)), names[0]


class Walk:
    def __init__(self, app, pyatspi):
        self.app, self.pyatspi = app, pyatspi
        self.tree = settled(app, pyatspi)

    def check(self, screen):
        findings, summary = check_screen(screen, self.tree)
        comment("%s, what a screen reader hears:" % screen)
        comment("\n".join("  " + s for s in summary))
        tap(not findings, "%s: every showing control named, a heading" % screen)
        comment("\n".join(findings))
        twice = sorted({n.name for n in showing(self.tree) if n.role in CONTROL_ROLES and said_twice(n.name)})
        if twice:
            # Known (issue #16): GTK 4.8 joins a button's own label text and
            # the labelled-by relation ui/kiosk-a11y.c adds to it.
            print("not ok %d - %s: no name said twice: %s # TODO GTK 4.8 joins the button's label and "
                  "ui/kiosk-a11y.c's labelled-by relation" % (_n + 1, screen, ", ".join(twice)), flush=True)
            globals()["_n"] += 1
        else:
            tap(True, "%s: no name said twice" % screen)

    def press(self, label, screen):
        node = find_control(self.tree, label)
        if node is None:
            tap(False, "%s: a showing button named %s" % (screen, label))
            return False
        before = signature(self.tree)
        done, action = activate(node)
        self.tree = settled(self.app, self.pyatspi, before)
        changed = signature(self.tree) != before
        tap(done and changed, "%s: %s's action '%s' changes the screen" % (screen, label, action))
        return done and changed


def journeys(walk, mode):
    for journey in JOURNEYS:
        screen = "%s (%s)" % (journey, mode)
        if not walk.press(journey, "menu (%s)" % mode):
            continue
        walk.check(screen)
        if not walk.press(BACK, screen):
            return False
        if find_control(walk.tree, journey) is None:
            tap(False, "%s: %s leads back to the menu" % (screen, BACK))
            return False
    return True


def real_unnamed_button(pyatspi):
    """A GTK 4 window with an icon-only button, over AT-SPI: reported."""
    probe = subprocess.run([sys.executable, "-c",
                            "import gi; gi.require_version('Gtk', '4.0'); from gi.repository import Gtk"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if probe.returncode != 0:
        print("ok %d - # SKIP python3-gi without GTK 4: no real unnamed button" % (_n + 1))
        globals()["_n"] += 1
        return
    code = (
        "import gi\n"
        "gi.require_version('Gtk', '4.0')\n"
        "from gi.repository import Gtk, GLib\n"
        "Gtk.init()\n"
        "w = Gtk.Window(title='fixture')\n"
        "box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)\n"
        "box.append(Gtk.Label(label='named'))\n"
        "b = Gtk.Button()\n"
        "b.set_child(Gtk.Image.new_from_icon_name('edit-delete-symbolic'))\n"
        "box.append(b)\n"
        "box.append(Gtk.Button(label='确定'))\n"
        "w.set_child(box)\n"
        "w.present()\n"
        "GLib.MainLoop().run()\n")
    env = dict(os.environ)
    env.pop("NO_AT_BRIDGE", None)
    env["GTK_A11Y"] = "atspi"
    fixture = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.DEVNULL)
    try:
        app = find_app(pyatspi, fixture.pid)
        if app is None:
            tap(False, "fixture: the GTK 4 window appears in the AT-SPI registry")
            return
        tree = settled(app, pyatspi)
        findings, summary = check_screen("GTK 4 fixture", tree)
        comment("\n".join(summary + findings))
        tap("GTK 4 fixture: push button without a name (sent as 'GtkButton')" in findings
            and "GTK 4 fixture: no heading" in findings
            and "push button: 确定" in summary,
            "a real GTK 4 icon-only button is reported unnamed over AT-SPI, a labelled one named")
    finally:
        fixture.terminate()
        fixture.wait(10)


KIOSK_CONF = """[kiosk]
id=test-0001
station=测试村便民服务站
phone=0571-88886666
language=zh_CN
[session]
idle-warning-seconds=600
idle-countdown-seconds=60
end-screen-seconds=6
[store]
path={tmp}/store/kiosk.db
[platform]
url=http://127.0.0.1:9/
allow-http=true
[idcard]
backend=sim
sim-control={tmp}/idcard-sim.sock
[camera]
backend=sim
sim-images={src}/drivers/camera/sim-images
[pad]
backend=sim
[printer]
backend=sim
[voice]
mode=off
"""


def inner(kiosk):
    import pyatspi
    self_test()
    real_unnamed_button(pyatspi)

    tmp = tempfile.mkdtemp(prefix="kiosk-atspi-")
    os.makedirs(tmp + "/store")
    src = os.environ.get("KIOSK_SOURCE_DIR", os.path.dirname(os.path.abspath(__file__)) + "/../..")
    with open(tmp + "/kiosk.conf", "w", encoding="utf-8") as f:
        f.write(KIOSK_CONF.format(tmp=tmp, src=src))
    env = dict(os.environ)
    env.pop("NO_AT_BRIDGE", None)
    env["GTK_A11Y"] = "atspi"
    env.setdefault("GSK_RENDERER", "cairo")
    log = open(tmp + "/kiosk.log", "wb")
    proc = subprocess.Popen([kiosk, "--config", tmp + "/kiosk.conf"], env=env, stdout=log, stderr=log)
    try:
        app = find_app(pyatspi, proc.pid)
        tap(app is not None, "the kiosk is in the AT-SPI registry")
        if app is not None:
            walk = Walk(app, pyatspi)
            walk.check("attract")
            if find_control(walk.tree, "开始") is None:
                comment("attract: no control starts a session in normal mode over AT-SPI (a touch anywhere "
                        "does); %s starts it in %s" % (ELDER, ELDER))
            if walk.press(ELDER, "attract"):
                walk.check("menu (%s)" % ELDER)
                if journeys(walk, ELDER) and walk.press(ELDER, "menu (%s)" % ELDER):
                    walk.check("menu")
                    journeys(walk, "normal")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        log.close()
        tap(rc == 0, "the kiosk exits 0 on SIGTERM (exit %d)" % rc)
        if _failed:
            with open(tmp + "/kiosk.log", encoding="utf-8", errors="replace") as f:
                comment("kiosk's last messages:\n" + "".join(f.readlines()[-30:]))
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % _n, flush=True)
    return 1 if _failed else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--inner":
        # TAP on descriptor 3; 1 is stderr, where at-spi2-registryd's
        # greeting on the bus's stdout belongs.
        sys.stdout = os.fdopen(3, "w", encoding="utf-8")
        sys.exit(inner(sys.argv[2]))
    if len(sys.argv) != 2:
        sys.exit("usage: test-atspi.py KIOSK-BINARY")
    if importlib.util.find_spec("pyatspi") is None:
        # A python3 first on PATH (pyenv, a venv) may not see Debian's
        # python3-pyatspi: Debian's own python3 does.
        system = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(system) and os.access(system, os.X_OK) \
                and subprocess.run([system, "-c", "import pyatspi"], stderr=subprocess.DEVNULL).returncode == 0:
            os.execv(system, [system] + sys.argv)
        skip_all("python3-pyatspi is not installed")
    if not os.environ.get("DISPLAY"):
        skip_all("no display (run under xvfb-run)")
    if shutil.which("dbus-run-session") is None:
        skip_all("dbus-run-session is not installed (package dbus)")
    if not os.access(sys.argv[1], os.X_OK):
        sys.exit("test-atspi.py: %s is not an executable" % sys.argv[1])
    os.dup2(1, 3)
    os.dup2(2, 1)
    os.execvp("dbus-run-session", ["dbus-run-session", "--", sys.executable, os.path.abspath(__file__),
                                   "--inner", sys.argv[1]])


if __name__ == "__main__":
    main()
