#!/usr/bin/python3
"""A tiny GTK window that offers one file as `text/uri-list` when dragged, so the
WebDriver test can drop a real file on the app with xdotool (a real XDND drop, as a
file manager makes). Usage: drag_source.py FILE X Y  (window position on the screen).
Run with the system python (/usr/bin/python3, Debian python3-gi)."""
import pathlib
import sys

import gi

gi.require_version("Gdk", "3.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, Gtk  # noqa: E402

uri = pathlib.Path(sys.argv[1]).resolve().as_uri()
x, y = int(sys.argv[2]), int(sys.argv[3])

win = Gtk.Window(title="papersift-drag-source")
win.set_default_size(120, 120)
win.move(x, y)
source = Gtk.Button(label="drag me")
source.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
source.drag_source_add_uri_targets()
source.connect("drag-data-get", lambda w, ctx, data, info, t: data.set_uris([uri]))
win.add(source)
win.connect("destroy", Gtk.main_quit)
win.show_all()
print("ready", flush=True)
Gtk.main()
