"""A pool of query worker processes for the server. Each worker loads the graph itself and
answers one query at a time; a query that runs past its time limit has its worker killed
(so its work really stops) and replaced, while the other workers keep serving.

Workers are started with the "spawn" method: forking a process that runs an event loop and
threads is unsafe, and spawning costs a fraction of a second only when a worker is replaced."""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import time
from dataclasses import dataclass

from .errors import QueryError, QueryTimeout, StoreError


@dataclass(frozen=True)
class GraphSource:
    """How a worker finds the graph: N-Triples on disk for an embedded store, or an endpoint."""

    store: str = "oxigraph"
    ntriples_path: str | None = None
    endpoint: str | None = None


@dataclass
class Answer:
    """A serialised answer from a worker."""

    kind: str  # "select" | "ask" | "graph"
    body: bytes
    rows: int
    truncated: bool


def _worker_main(conn, source: GraphSource) -> None:  # runs in the child process
    from .namespaces import PREFIXES
    from .store import open_store

    try:
        store = open_store(source.store, source.ntriples_path, source.endpoint)
        conn.send(("ready", None))
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("error", (type(exc).__name__, str(exc))))
        return
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        text, fmt, max_rows = request
        try:
            result = store.query(text, PREFIXES, max_rows=max_rows + 1 if max_rows else None)
            truncated = False
            if max_rows and result.kind == "select" and len(result.rows) > max_rows:
                result.rows, truncated = result.rows[:max_rows], True
            elif max_rows and result.kind == "graph" and len(result.triples) > max_rows:
                result.triples, truncated = result.triples[:max_rows], True
            body = result.serialize(fmt).encode("utf-8")
            conn.send(("ok", (result.kind, body, len(result), truncated)))
        except Exception as exc:  # noqa: BLE001 - every failure goes back as a message
            conn.send(("error", (type(exc).__name__, str(exc))))


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context, source: GraphSource, start_timeout: float = 120.0):
        self.source = source
        self.context = context
        self.start_timeout = start_timeout
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        parent, child = self.context.Pipe()
        self.conn = parent
        self.process = self.context.Process(target=_worker_main, args=(child, self.source), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(self.start_timeout):
            self.kill()
            raise StoreError("a query worker did not start in time")
        status, value = self.conn.recv()
        if status != "ready":
            self.kill()
            raise StoreError(f"a query worker could not load the graph: {value[1]}")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def restart(self) -> None:
        self.kill()
        self.restarts += 1
        self._start()

    def run(self, text: str, fmt: str, max_rows: int | None, timeout: float) -> Answer:
        try:
            self.conn.send((text, fmt, max_rows))
            ready = self.conn.poll(timeout)
        except (OSError, EOFError, ValueError):
            ready = False
            self.restart()
            raise QueryError("the query engine stopped unexpectedly; please retry") from None
        if not ready:
            self.restart()  # kills the runaway: its work ends with the process
            raise QueryTimeout(f"query stopped after {timeout:g} s (the server's time limit)")
        try:
            status, value = self.conn.recv()
        except (EOFError, OSError):
            self.restart()
            raise QueryError("the query engine stopped while answering; the query may be too complex") from None
        if status == "error":
            name, message = value
            raise QueryError(message)
        kind, body, rows, truncated = value
        return Answer(kind, body, rows, truncated)

    def close(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=2)


class WorkerPool:
    """N workers; ``reserved`` of them only take named questions, so ad-hoc SPARQL (where
    runaway queries come from) can never occupy every worker."""

    def __init__(self, source: GraphSource, size: int = 3, reserved: int = 1):
        if size < 1:
            raise StoreError("the server needs at least one query worker")
        self.context = mp.get_context("spawn")
        self.reserved = min(reserved, size - 1)
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.adhoc_slots = threading.BoundedSemaphore(size - self.reserved)
        self.workers = []
        for _ in range(size):
            worker = Worker(self.context, source)
            self.workers.append(worker)
            self.idle.put(worker)
        self.size = size

    def run(self, text: str, fmt: str, max_rows: int | None, timeout: float, named: bool) -> Answer:
        """Run a query on a free worker, waiting at most ``timeout`` for one (blocking: call
        it from a thread, never from the event loop)."""
        deadline = time.monotonic() + timeout
        slot = None
        if not named:
            if not self.adhoc_slots.acquire(timeout=timeout):
                raise QueryTimeout(f"the server is busy with other SPARQL queries; waited {timeout:g} s")
            slot = self.adhoc_slots
        try:
            try:
                worker = self.idle.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise QueryTimeout(f"the server is busy; no query worker was free within {timeout:g} s") from None
            try:
                return worker.run(text, fmt, max_rows, timeout)
            finally:
                self.idle.put(worker)
        finally:
            if slot is not None:
                slot.release()

    def close(self) -> None:
        for worker in self.workers:
            worker.close()

    def pids(self) -> list[int]:
        return [w.process.pid for w in self.workers]

    @property
    def restarts(self) -> int:
        """How many workers were replaced (each runaway query stopped costs one)."""
        return sum(w.restarts for w in self.workers)


def default_size() -> int:
    """One worker per core, plus the one reserved for named questions."""
    return max(os.cpu_count() or 1, 1) + 1


__all__ = ["WorkerPool", "GraphSource", "Answer", "default_size"]
