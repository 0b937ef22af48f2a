#!/usr/bin/python3
"""A drag source for the desktop e2e: another X11 client that offers files as `text/uri-list`,
the way a file manager does, so the test can drag them onto Kura's window with xdotool.

Runs with the system Python (python3-gi, gir1.2-gtk-3.0), not the devstack venv.
Usage: drag_source.py --title TITLE --at X,Y PATH...

Shows a small window titled TITLE at X,Y (root coordinates) whose whole area is the drag handle.
Prints one line per event on stdout: `ready` once the window is mapped, `begin` when a drag
starts, `sent N` when the drop target asked for the N URIs, `failed RESULT` if the drag failed,
`end` when it is over; then exits (0 after a drop that asked for the data, 1 otherwise).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import gi

gi.require_version("Gdk", "3.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

SIZE = (160, 100)


def say(line: str) -> None:
    print(line, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", required=True, help="the window's title (found with xdotool search --name)")
    parser.add_argument("--at", required=True, help="X,Y of the window's top-left corner")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args()
    x, y = (int(v) for v in args.at.split(","))
    uris = [p.resolve().as_uri() for p in args.paths]
    outcome = {"sent": False, "failed": None}

    window = Gtk.Window(title=args.title)
    window.set_default_size(*SIZE)
    window.move(x, y)
    handle = Gtk.EventBox()
    handle.add(Gtk.Label(label=f"drag {len(uris)} items"))
    window.add(handle)

    handle.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
    handle.drag_source_add_uri_targets()

    def on_data_get(_widget, _context, selection, _info, _time):
        selection.set_uris(uris)
        outcome["sent"] = True
        say(f"sent {len(uris)}")

    def on_failed(_widget, _context, result):
        outcome["failed"] = result.value_nick
        say(f"failed {result.value_nick}")
        return False

    def on_end(_widget, _context):
        say("end")
        # Let GTK finish the XDND exchange (XdndFinished) before leaving.
        GLib.timeout_add(200, Gtk.main_quit)

    handle.connect("drag-begin", lambda *_: say("begin"))
    handle.connect("drag-data-get", on_data_get)
    handle.connect("drag-failed", on_failed)
    handle.connect("drag-end", on_end)
    window.connect("map-event", lambda *_: say("ready") or False)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    Gtk.main()
    return 0 if outcome["sent"] and not outcome["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
