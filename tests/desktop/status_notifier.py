"""The tray as a desktop shell sees it: a StatusNotifierWatcher of the test's own on the session
bus, and a client of the items' dbusmenu menus.

The app's tray (tray-icon → libayatana-appindicator) exports a StatusNotifierItem and registers
it with `org.kde.StatusNotifierWatcher` when one is on the bus; otherwise it falls back to an
XEmbed icon, which a test cannot click over D-Bus. A headless session has no desktop shell, so
the test owns the watcher itself, before the app starts. The item's `Menu` property names its
`com.canonical.dbusmenu` object: GetLayout reads the items (id, label, enabled, …), Event(id,
"clicked") activates one like a click in a panel.

Specs: StatusNotifierItem / StatusNotifierWatcher (freedesktop.org draft, KDE's
`org.kde.StatusNotifier*` names) and the dbusmenu interface of libdbusmenu
(com.canonical.dbusmenu.xml). D-Bus runs on dbus-fast's asyncio bus in a daemon thread; the
methods here block the caller.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from dataclasses import dataclass

from dbus_fast import BusType, Message, MessageType, RequestNameReply, Variant
from dbus_fast.aio import MessageBus

from harness import Failed

WATCHER_NAME = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM_INTERFACE = "org.kde.StatusNotifierItem"
MENU_INTERFACE = "com.canonical.dbusmenu"
PROPERTIES = "org.freedesktop.DBus.Properties"
CALL_TIMEOUT = 10.0


@dataclass(frozen=True)
class Item:
    """A registered StatusNotifierItem: the connection that registered it and its object path."""

    sender: str
    path: str


@dataclass(frozen=True)
class MenuEntry:
    """One dbusmenu item: its numeric id and properties (absent ones take the spec's defaults)."""

    id: int
    label: str
    enabled: bool
    visible: bool
    kind: str  # "standard" or "separator"

    @property
    def text(self) -> str:
        """The label as shown: GTK mnemonics (`_x`, `__` for a literal `_`) removed."""
        return re.sub(r"_(.)", r"\1", self.label)


class StatusNotifierWatcher:
    """Owns `org.kde.StatusNotifierWatcher` on the session bus and records the items that register.

    Answers what libayatana-appindicator asks of a watcher: RegisterStatusNotifierItem (with an
    object path, the sender being the item's connection, or a bus name), RegisterStatusNotifierHost,
    and the properties IsStatusNotifierHostRegistered (true: a host is what makes apps use the
    item), ProtocolVersion and RegisteredStatusNotifierItems.
    """

    def __init__(self):
        self._items: list[Item] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="status-notifier", daemon=True)
        self._thread.start()
        self._bus: MessageBus | None = None
        self._run(self._connect())

    # ---- the watcher ----------------------------------------------------------------------
    async def _connect(self) -> None:
        self._bus = await MessageBus(bus_type=BusType.SESSION).connect()
        self._bus.add_message_handler(self._on_message)
        reply = await self._bus.request_name(WATCHER_NAME)
        if reply != RequestNameReply.PRIMARY_OWNER:
            raise Failed(f"{WATCHER_NAME} is already owned on this bus (RequestName answered {reply!r})")

    def _on_message(self, msg: Message):
        if msg.message_type != MessageType.METHOD_CALL or msg.path != WATCHER_PATH:
            return None
        if msg.interface == WATCHER_NAME and msg.member == "RegisterStatusNotifierItem":
            service = msg.body[0]
            item = Item(msg.sender, service) if service.startswith("/") else Item(service, "/StatusNotifierItem")
            with self._lock:
                self._items.append(item)
            self._bus.send(Message.new_signal(WATCHER_PATH, WATCHER_NAME, "StatusNotifierItemRegistered",
                                              "s", [f"{item.sender}{item.path}"]))
            return Message.new_method_return(msg)
        if msg.interface == WATCHER_NAME and msg.member == "RegisterStatusNotifierHost":
            return Message.new_method_return(msg)
        if msg.interface == PROPERTIES and msg.member in ("Get", "GetAll") and msg.body[0] == WATCHER_NAME:
            props = self._properties()
            if msg.member == "GetAll":
                return Message.new_method_return(msg, "a{sv}", [props])
            if msg.body[1] in props:
                return Message.new_method_return(msg, "v", [props[msg.body[1]]])
            return Message.new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty", msg.body[1])
        return None

    def _properties(self) -> dict[str, Variant]:
        with self._lock:
            names = [f"{i.sender}{i.path}" for i in self._items]
        return {
            "RegisteredStatusNotifierItems": Variant("as", names),
            "IsStatusNotifierHostRegistered": Variant("b", True),
            "ProtocolVersion": Variant("i", 0),
        }

    # ---- calls ----------------------------------------------------------------------------
    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(CALL_TIMEOUT)

    def call(self, destination: str, path: str, interface: str, member: str, signature: str = "", body=()) -> list:
        """A method call on the session bus; returns the reply's body, raises Failed on an error reply."""
        msg = Message(destination=destination, path=path, interface=interface, member=member,
                      signature=signature, body=list(body))
        reply = self._run(self._bus.call(msg))
        if reply.message_type == MessageType.ERROR:
            raise Failed(f"{interface}.{member} on {destination}{path}: {reply.error_name}: {reply.body}")
        return reply.body

    def item_of(self, pids: list[int], timeout: float = 15.0) -> Item:
        """The most recently registered item whose connection belongs to one of `pids`."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                items = list(reversed(self._items))
            for item in items:
                try:
                    [pid] = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                      "GetConnectionUnixProcessID", "s", [item.sender])
                except Failed:  # that connection is gone (an earlier run of the app)
                    continue
                if pid in pids:
                    return item
            if time.monotonic() > deadline:
                raise Failed(f"no StatusNotifierItem registered by pids {pids}; registered: {items}")
            time.sleep(0.1)

    def menu_path(self, item: Item) -> str:
        """The item's `Menu` property: the object path of its dbusmenu."""
        [menu] = self.call(item.sender, item.path, PROPERTIES, "Get", "ss", [ITEM_INTERFACE, "Menu"])
        return menu.value

    def menu(self, item: Item) -> list[MenuEntry]:
        """The item's whole menu, flattened in display order (GetLayout from the root, all levels)."""
        path = self.menu_path(item)
        self.call(item.sender, path, MENU_INTERFACE, "AboutToShow", "i", [0])
        _revision, root = self.call(item.sender, path, MENU_INTERFACE, "GetLayout", "iias", [0, -1, []])
        entries: list[MenuEntry] = []

        def walk(node):
            node_id, props, children = node
            if node_id != 0:
                value = lambda key, default: props[key].value if key in props else default  # noqa: E731
                entries.append(MenuEntry(
                    id=node_id,
                    label=value("label", ""),
                    enabled=value("enabled", True),
                    visible=value("visible", True),
                    kind=value("type", "standard"),
                ))
            for child in children:
                walk(child.value)

        walk(root)
        return entries

    def click(self, item: Item, entry: MenuEntry) -> None:
        """Activates a menu item the way a panel does on a click: Event(id, "clicked", …)."""
        path = self.menu_path(item)
        self.call(item.sender, path, MENU_INTERFACE, "Event", "isvu",
                  [entry.id, "clicked", Variant("s", ""), int(time.time()) & 0xFFFFFFFF])

    def close(self) -> None:
        try:
            self._bus.disconnect()
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
