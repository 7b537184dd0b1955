"""What changed since a card was last verified: who edited it, and a diff."""

from __future__ import annotations

import difflib

from sqlmodel import Session, select

from server.accounts.service import users_by_id
from server.cards.models import CardRevision
from server.accounts.models import User
from server.cards.service import readable_card


def changes_since_verified(session: Session, who: User, card_id: int) -> dict:
    card = readable_card(session, who, card_id)
    revisions = list(session.exec(select(CardRevision).where(CardRevision.card_id == card.id)
                                  .order_by(CardRevision.version)))
    verified = [r for r in revisions if r.status == "verified"]
    base = verified[-1] if verified else None
    later = [r for r in revisions if base is None or r.version > base.version]
    editors = users_by_id(session, [r.author_id for r in later])
    old = f"# {base.title}\n\n{base.body}" if base else ""
    new = f"# {card.title}\n\n{card.body}"
    diff = "\n".join(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="",
                                          fromfile=f"verified v{base.version}" if base else "never verified",
                                          tofile=f"now v{card.version}"))
    return {"verified_version": base.version if base else None,
            "editors": sorted({editors[r.author_id].name for r in later if r.author_id in editors}),
            "diff": diff}
