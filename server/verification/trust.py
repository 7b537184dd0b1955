"""Trust score (DESIGN rule 6): verified live cards / live cards, per collection and
overall; a daily snapshot keeps the history."""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from server.cards.models import Card, Collection
from server.cards.service import needs_verification
from server.clock import now
from server.db import begin_write
from server.verification.models import TrustSnapshot


def _score(verified: int, live: int) -> float | None:
    return round(verified / live, 3) if live else None


def trust_now(session: Session, readable: list[int]) -> dict:
    """Verified means verified and not overdue: an overdue card is not to be trusted."""
    per = {c.id: {"collection": {"id": c.id, "slug": c.slug, "name": c.name}, "verified": 0, "live": 0}
           for c in session.exec(select(Collection).where(Collection.id.in_(readable)).order_by(Collection.name))}
    for card in session.exec(select(Card).where(Card.collection_id.in_(readable), Card.status != "archived")):
        row = per[card.collection_id]
        row["live"] += 1
        row["verified"] += not needs_verification(card)
    rows = [{**r, "score": _score(r["verified"], r["live"])} for r in per.values()]
    verified, live = sum(r["verified"] for r in rows), sum(r["live"] for r in rows)
    return {"overall": {"verified": verified, "live": live, "score": _score(verified, live)}, "collections": rows}


def take_snapshot(session: Session, day: date | None = None) -> bool | None:
    """Record today's scores once; False when today's snapshot exists already, None when
    there is nothing to score yet (no live card: a share of nothing is no point)."""
    day = day or now().date()
    taken = select(TrustSnapshot.id).where(TrustSnapshot.day == day).limit(1)
    if session.exec(taken).first():  # every start of every node asks: no cards read then
        return False
    scores = trust_now(session, list(session.exec(select(Collection.id))))
    if not scores["overall"]["live"]:
        return None
    begin_write(session)
    if session.exec(taken).first():
        session.rollback()
        return False
    session.add(TrustSnapshot(day=day, collection_id=None, **{k: scores["overall"][k] for k in ("verified", "live")}))
    for row in scores["collections"]:
        session.add(TrustSnapshot(day=day, collection_id=row["collection"]["id"], verified=row["verified"],
                                  live=row["live"]))
    try:
        session.commit()
    except IntegrityError:  # another process took it
        session.rollback()
        return False
    return True


def history(session: Session, readable: list[int], days: int = 90) -> list[dict]:
    """Each day's scores over the collections in `readable`. The overall score is the stored
    one only for someone who reads every collection; anyone else gets it summed from the
    collections they read, so no count from another collection shows through."""
    reads_all = set(readable) >= set(session.exec(select(Collection.id)))
    rows = session.exec(select(TrustSnapshot).order_by(TrustSnapshot.day.desc(), TrustSnapshot.id)).all()
    by_day: dict[date, dict] = {}
    sums: dict[date, list[int]] = {}
    for row in rows:
        if row.collection_id is not None and row.collection_id not in readable:
            continue
        entry = by_day.setdefault(row.day, {"day": row.day.isoformat(), "overall": None, "collections": {}})
        score = _score(row.verified, row.live)
        if row.collection_id is None:
            if reads_all:
                entry["overall"] = score
        else:
            entry["collections"][str(row.collection_id)] = score
            total = sums.setdefault(row.day, [0, 0])
            total[0], total[1] = total[0] + row.verified, total[1] + row.live
    for day, (verified, live) in sums.items():
        if not reads_all:
            by_day[day]["overall"] = _score(verified, live)
    kept = [e for e in by_day.values() if e["overall"] is not None or e["collections"]]
    return sorted(kept, key=lambda e: e["day"])[-days:]
