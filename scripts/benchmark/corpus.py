"""The bench's knowledge base: cards of real documentation prose, written as a content
folder that `vouch seed` reads, built once per size and kept in the work directory.

Sources come in order: Python's documentation first, then, only when a size needs more
cards than it has, other Debian documentation packages. Each source's cards are shuffled
with a fixed seed, so a size is a sample of the first source(s), and a bigger size holds
every smaller one."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from benchmark.sections import Card, html_pages, page_sections, section_cards

FORMAT = 6  # bump when the cards made from a page change, so cached folders are rebuilt
SEED = 10
ADMIN = "admin@bench.example"
AGENT = "agent@bench.example"
DOCS = Path("/usr/share/doc")


@dataclass(frozen=True)
class Source:
    name: str                  # also its collection's slug, unless `collections` says otherwise
    title: str
    package: str               # the Debian package that ships the HTML
    folders: tuple[str, ...]   # where its HTML is, under /usr/share/doc (the first that exists)
    about: int                 # roughly how many new cards it adds (to know which packages a size needs)
    skip: tuple[str, ...] = ()  # pages (relative paths) that repeat others, such as a one-page edition
    only: tuple[str, ...] = ()  # when set, only pages under these folders (the books, not the API)

    def collection(self, page: str) -> str:
        return _python_collection(page) if self.name == "python" else self.name


def _python_collection(page: str) -> str:
    top = page.split("/", 1)[0]
    if top == "library":
        return "python-library"
    if top in ("reference", "tutorial", "glossary.html"):
        return "python-language"
    if top == "whatsnew":
        return "python-changes"
    return "python-guides"


SOURCES = (
    Source("python", "Python", "python3-doc", ("python3/html", "python3-doc/html"), 14_707),
    Source("django", "Django", "python-django-doc", ("python-django-doc/html",), 6_719),
    Source("postgresql", "PostgreSQL", "postgresql-doc-15", ("postgresql-doc-15/html",), 7_795),
    Source("sqlalchemy", "SQLAlchemy", "python-sqlalchemy-doc", ("python-sqlalchemy-doc/html",), 7_882),
    Source("pandas", "pandas", "python-pandas-doc", ("python-pandas-doc/html",), 6_343),
    Source("nodejs", "Node.js", "nodejs-doc", ("nodejs/api",), 3_793, skip=("all.html",)),
    Source("sphinx", "Sphinx", "sphinx-doc", ("sphinx-doc/html",), 1_316),
    Source("scipy", "SciPy", "python-scipy-doc", ("python-scipy-doc/html",), 7_553),
    Source("sympy", "SymPy", "python-sympy-doc", ("python-sympy-doc/html",), 5_258),
    Source("statsmodels", "statsmodels", "python-statsmodels-doc", ("python-statsmodels-doc/html",), 4_063),
    Source("astropy", "Astropy", "python-astropy-doc", ("python-astropy-doc/html",), 4_578),
    Source("sklearn", "scikit-learn", "python-sklearn-doc", ("python-sklearn-doc/html",), 5_741),
    Source("dask", "Dask", "python-dask-doc", ("python-dask-doc/html",), 2_342),
    Source("celery", "Celery", "python-celery-doc", ("python-celery-doc/html",), 1_887),
    Source("openstack", "OpenStack client", "python-openstackclient-doc", ("python-openstackclient-doc/html",), 1_934),
    Source("mdanalysis", "MDAnalysis", "python-mdanalysis-doc", ("python-mdanalysis-doc/html",), 1_657),
    Source("ase", "Atomic Simulation Environment", "python-ase-doc", ("python-ase-doc/html",), 1_433),
    Source("fonttools", "fontTools", "python-fonttools-doc", ("fonttools/html",), 656),
    Source("biopython", "Biopython", "python-biopython-doc", ("python-biopython-doc/Doc",), 870),
    Source("pymatgen", "pymatgen", "python-pymatgen-doc", ("python-pymatgen-doc/html",), 3_587),
    Source("fluids", "fluids", "python-fluids-doc", ("python-fluids-doc/html",), 1_006),
    Source("astroquery", "astroquery", "python-astroquery-doc", ("python-astroquery-doc/html",), 1_395),
    Source("rdflib", "RDFLib", "python-rdflib-doc", ("python-rdflib-doc/html",), 407),
    Source("brian", "Brian", "python-brian-doc", ("python-brian-doc/docs",), 1_467),
    Source("skbio", "scikit-bio", "python-skbio-doc", ("python-skbio-doc/html",), 849),
    Source("taurus", "Taurus", "python-taurus-doc", ("python-taurus-doc/html",), 1_094),
    Source("ezdxf", "ezdxf", "python-ezdxf-doc", ("python-ezdxf-doc/html",), 2_187),
    Source("pydicom", "pydicom", "python-pydicom-doc", ("python-pydicom-doc/html",), 718),
    Source("sfepy", "SfePy", "python-sfepy-doc", ("python-sfepy-doc/html",), 1_263),
    Source("ruffus", "Ruffus", "python-ruffus-doc", ("python-ruffus-doc/html",), 504),
    Source("rust", "Rust", "rust-doc", ("rust-doc/html",), 3_152,
           only=tuple(f"{book}/" for book in ("book", "reference", "nomicon", "rust-by-example", "edition-guide",
                                                "embedded-book", "rustc", "rustdoc", "unstable-book"))),
)
PYTHON_COLLECTIONS = {
    "python-library": ("Python standard library", AGENT),
    "python-language": ("Python language and tutorial", ADMIN),
    "python-guides": ("Python how-tos, FAQ, setup and C API", ADMIN),
    "python-changes": ("What's new in Python", ADMIN),
}


def collection_meta(slug: str) -> tuple[str, str]:
    """A collection's name and default verifier (the agent verifies one, the admin the rest)."""
    if slug in PYTHON_COLLECTIONS:
        return PYTHON_COLLECTIONS[slug]
    return next(source.title for source in SOURCES if source.name == slug), ADMIN


def packages_for(size: int) -> list[str]:
    """The Debian packages whose prose `size` cards need."""
    needed, total = [], 0
    for source in SOURCES:
        needed.append(source.package)
        total += source.about
        if total >= size * 1.1:
            break
    return needed


def html_folder(source: Source) -> Path | None:
    for folder in source.folders:
        if (DOCS / folder).is_dir():
            return (DOCS / folder).resolve()
    return None


def extract(source: Source, cache: Path, progress: Callable[[str], None]) -> list[Card]:
    """Every card of a source, shuffled with the fixed seed; kept in `cache` as JSON lines."""
    kept = cache / f"{source.name}-{FORMAT}.jsonl"
    if kept.exists():
        return [Card(**json.loads(line)) for line in kept.read_text().splitlines()]
    folder = html_folder(source)
    if folder is None:
        raise SystemExit(f"bench: no HTML of {source.package}; install it (apt-get install {source.package}).")
    cards: list[Card] = []
    pages = [page for page in html_pages(folder) if str(page.relative_to(folder)) not in source.skip
             and (not source.only or str(page.relative_to(folder)).startswith(source.only))]
    for n, page in enumerate(pages, 1):
        relative = str(page.relative_to(folder))
        page_title, sections = page_sections(page)
        for section in sections:
            for title, body in section_cards(section):
                cards.append(Card(slug=f"{source.name}-{len(cards):06d}", collection=source.collection(relative),
                                  title=title, body=body, tag=page.stem.lower()[:40], lead=page_title or title))
        if n % 100 == 0 or n == len(pages):
            progress(f"{source.name}: {n}/{len(pages)} pages, {len(cards)} cards")
    random.Random(SEED).shuffle(cards)
    cache.mkdir(parents=True, exist_ok=True)
    kept.write_text("".join(json.dumps(asdict(card)) + "\n" for card in cards))
    return cards


def _fingerprint(card: Card) -> str:
    return " ".join(card.body.lower().split())


def cards_for(size: int, cache: Path, progress: Callable[[str], None] = print) -> list[Card]:
    """The first `size` cards of the sources in order; a card whose text an earlier one has
    already (a paragraph repeated on several pages) is left out."""
    pool: list[Card] = []
    seen: set[str] = set()
    for source in SOURCES:
        if len(pool) >= size:
            break
        for card in extract(source, cache, progress):
            if _fingerprint(card) not in seen:
                seen.add(_fingerprint(card))
                pool.append(card)
    if len(pool) < size:
        raise SystemExit(f"bench: the documentation installed makes {len(pool):,} cards, fewer than {size:,}; "
                         f"see docs/bench.md.")
    return pool[:size]


def _front_matter(card: Card) -> str:
    meta = {"title": card.title, "tags": [card.tag], "status": "verified"}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def write_folder(cards: list[Card], folder: Path) -> None:
    """A content folder in the format `vouch seed` reads (docs/content-format.md)."""
    temporary = folder.with_name(folder.name + ".partial")
    shutil.rmtree(temporary, ignore_errors=True)
    (temporary / "collections").mkdir(parents=True)
    users = [{"email": ADMIN, "name": "Alex Admin", "role": "admin"},
             {"email": AGENT, "name": "Sam Agent", "role": "member"}]
    (temporary / "users.yaml").write_text(yaml.safe_dump(users, sort_keys=False))
    for slug in sorted({card.collection for card in cards}):
        name, verifier = collection_meta(slug)
        meta = {"name": name, "description": f"{name}, from its documentation.", "default_verifier": verifier,
                "interval_days": 90}
        (temporary / "collections" / f"{slug}.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    for card in cards:
        path = temporary / "cards" / card.collection / f"{card.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_front_matter(card) + card.body + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    temporary.rename(folder)


def content_folder(size: int, workdir: Path, progress: Callable[[str], None] = print) -> tuple[Path, list[Card]]:
    """The content folder of `size` cards, built unless the work directory has it already."""
    cards = cards_for(size, workdir / "corpus", progress)
    folder = workdir / "corpus" / f"content-{size}-v{FORMAT}"
    if not (folder / "users.yaml").exists():
        progress(f"writing {size:,} cards to {folder}")
        write_folder(cards, folder)
    return folder, cards
