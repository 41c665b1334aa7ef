"""Reading a ledger in a thread of its own, a chunk ahead of the database.

Reading, checking, encrypting and hashing a row is Python's work (about 13 µs a row); writing the rows into
the indexed tables is the database's. Done one after the other they add up; on a machine with two cores they
can overlap: while the import's own thread has the database write one chunk (psycopg and sqlite3 let go of
the interpreter while they wait for it), this thread reads the next. ``bench/ledger_import.py`` measures what
it buys (decision 125).

The thread touches no database and no connection: everything it reads and writes is the parser's (the rows,
the ``ParseReport``). The import's thread keeps the one connection and its one transaction, so the import is
still all or nothing.
"""

import queue
import threading
from itertools import islice

from django.utils import translation

_END = object()


class _Failed:
    def __init__(self, error):
        self.error = error


#: The first chunk is this part of the others, and each next one twice the one before, up to the full size:
#: the database waits for the first chunk only as long as it takes to read a small one.
FIRST_CHUNK_PART = 32


def chunks_read_ahead(records, size, prepare=list):
    """Yield ``records`` in lists of up to ``size`` (the first ones smaller), each made into
    ``prepare(list)``, read and prepared by a thread of its own while the caller works on the chunk before.
    An exception in the reading is raised here; when the caller stops early (or raises), the thread stops
    after the chunk it is reading. Messages are translated into the caller's language."""
    ready = queue.Queue(maxsize=1)  # one chunk ahead: memory holds at most three chunks
    stop = threading.Event()
    language = translation.get_language()

    def hand_over(item):
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read():
        try:
            with translation.override(language):
                rows = max(1, size // FIRST_CHUNK_PART)
                while chunk := list(islice(records, rows)):
                    if not hand_over(prepare(chunk)):
                        return
                    rows = min(size, 2 * rows)
            hand_over(_END)
        except BaseException as error:  # noqa: BLE001 -- handed to the caller's thread, which raises it
            hand_over(_Failed(error))

    records = iter(records)
    thread = threading.Thread(target=read, name="ledger-reader", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()
