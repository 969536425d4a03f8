"""waitress, the production WSGI server, with a graceful stop.

waitress on its own stops by tearing everything down: requests being answered are cut off, and a
write a user was promised may be lost. :class:`Server` runs waitress's event loop itself so that
:meth:`Server.stop` (safe from a signal handler or another thread) first closes the listening
sockets, then keeps serving the connections that have a request in flight until each answer is
sent, closes idle keep-alive connections, and only then stops the worker threads.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

log = logging.getLogger("stride_coach.web")

DEFAULT_THREADS = 8
DEFAULT_SHUTDOWN_TIMEOUT_S = 10.0  # Alexa gives up on an answer after 8 s anyway
# waitress refuses bodies above this itself (HTTP 413) before the app can see them; the app's own,
# smaller limit answers 400 for everything between.
TRANSPORT_BODY_CAP = 1024 * 1024


class Server:
    """One waitress server for ``app`` on ``host:port`` (port 0 picks a free one)."""

    def __init__(self, app: Callable, host: str = "127.0.0.1", port: int = 8080, *,
                 threads: int = DEFAULT_THREADS, shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT_S) -> None:
        self._waitress = create_server(app, host=host, port=port, threads=threads,
                                       max_request_body_size=TRANSPORT_BODY_CAP, ident="stride-coach")
        # One listening socket gives a BaseWSGIServer, several (e.g. IPv4 and IPv6) a MultiSocketServer.
        self._map: dict = self._waitress._map if isinstance(self._waitress, BaseWSGIServer) else self._waitress.map
        self._listeners = [d for d in self._map.values() if isinstance(d, BaseWSGIServer)]
        self.shutdown_timeout = shutdown_timeout
        self._stopping = False
        self._closed = False  # once the triggers' pipes are closed, their fd numbers may be reused

    @property
    def address(self) -> tuple[str, int]:
        """The host and port actually listened on (the first socket's)."""
        first = self._listeners[0]
        return first.effective_host, int(first.effective_port)

    def serve_forever(self) -> None:
        """Serve until :meth:`stop`, then finish the requests in flight and return."""
        adj = self._waitress.adj
        try:
            while not self._stopping:
                wasyncore.loop(timeout=adj.asyncore_loop_timeout, map=self._map,
                               use_poll=adj.asyncore_use_poll, count=1)
        finally:  # also on KeyboardInterrupt when no signal handler is installed
            self._drain()

    def stop(self) -> None:
        """Ask :meth:`serve_forever` to wind down; returns at once, safe in a signal handler."""
        self._stopping = True
        if self._closed:
            return
        for listener in self._listeners:  # wake the event loop; a pipe write takes no lock
            with suppress(OSError):  # already closed: the server is down
                listener.pull_trigger()

    def _drain(self) -> None:
        for listener in self._listeners:
            # The dispatcher's close only: waitress's own close() also closes the trigger that
            # worker threads pull to have their answers sent.
            wasyncore.dispatcher.close(listener)
        deadline = time.monotonic() + self.shutdown_timeout
        busy = self._close_idle_channels()
        if busy:
            log.info("stopping: finishing %d request(s) in flight", busy)
        while busy and time.monotonic() < deadline:
            wasyncore.loop(timeout=0.05, map=self._map, use_poll=self._waitress.adj.asyncore_use_poll, count=1)
            busy = self._close_idle_channels()
        if busy:
            log.warning("stopping: %d request(s) still in flight after %.0f s", busy, self.shutdown_timeout)
        self._waitress.task_dispatcher.shutdown(timeout=max(0.0, deadline - time.monotonic()))
        self._closed = True
        wasyncore.close_all(self._map)

    def _close_idle_channels(self) -> int:
        """Mark idle connections to close; the number of connections still busy with a request.

        Runs on the event-loop thread, the only one that reads requests, so a connection seen idle
        here cannot receive one before it closes.
        """
        busy = 0
        for channel in list(self._map.values()):
            if not isinstance(channel, HTTPChannel):
                continue
            if channel.requests or channel.total_outbufs_len or channel.request is not None:
                busy += 1
            else:
                channel.will_close = True
        return busy


@contextmanager
def stop_on_signals(server: Server, signals: tuple[int, ...] = (signal.SIGTERM, signal.SIGINT)) -> Iterator[None]:
    """Within the block, SIGTERM (systemd, docker stop) and Ctrl-C stop ``server`` gracefully."""
    previous = {sig: signal.signal(sig, lambda signum, frame: server.stop()) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
