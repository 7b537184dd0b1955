"""Analytics: trust over time, searches, card use; CSV of each table."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery
from sqlmodel import Session

from server.accounts.models import User
from server.analytics import service
from server.cards.service import readable_collection_ids
from server.clock import now
from server.dependencies import DbSession
from server.editor.charts import Series, bar_chart, line_chart
from server.editor.pages import page
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer
from server.errors import Forbidden, Invalid, NotFound
from server.policies.analytics import reads_analytics
from server.verification import trust

PERIODS = (7, 30, 90)
MOST_LINES = 6  # overall plus this many collections before the chart turns into spaghetti
SHOWN_ROWS = 15  # per table on the page; the CSV has every row


def period(days: int) -> int:
    if days not in PERIODS:
        raise Invalid(f"Choose a period of {', '.join(map(str, PERIODS))} days.", code="invalid_days")
    return days


def _day_label(day: str) -> str:
    return f"{date.fromisoformat(day):%-d %b}"


def trust_charts(scores: dict, history: list[dict]) -> dict:
    """The trend (snapshots, plus today's live score so a new install has a point) and the
    per-collection bars, as SVG."""
    today = now().date().isoformat()
    if not history or history[-1]["day"] != today:
        history = [*history, {"day": today, "overall": scores["overall"]["score"],
                              "collections": {str(r["collection"]["id"]): r["score"] for r in scores["collections"]}}]
    shown = sorted((r for r in scores["collections"] if r["live"]), key=lambda r: -r["live"])[:MOST_LINES]
    lines = [Series("Overall", [h["overall"] for h in history])] + [
        Series(r["collection"]["name"], [h["collections"].get(str(r["collection"]["id"])) for h in history])
        for r in shown]
    trend = line_chart([_day_label(h["day"]) for h in history], lines, chart_id="trust-trend",
                       title="Trust score over time",
                       desc="Share of live cards that are verified and not overdue, per day, overall and for "
                            "the largest collections.")
    bars = bar_chart([(r["collection"]["name"], r["score"]) for r in scores["collections"]], chart_id="trust-bars",
                     title="Trust score by collection",
                     desc="Share of each collection's live cards that are verified and not overdue.")
    return {"trend": trend, "bars": bars, "days_recorded": len(history)}


def _reader(session: Session, viewer: User) -> None:
    if not reads_analytics(session, viewer):
        raise Forbidden("Analytics are for admins and the owners of collections: they show everyone's searches "
                        "and the cards they used.")


class AnalyticsPages(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/analytics", sync_to_thread=True)
    def analytics(self, request: Request, db_session: DbSession, viewer: Viewer,
                  days: FromQuery[int] = 30) -> Response:
        _reader(db_session, viewer)
        days, readable = period(days), readable_collection_ids(db_session, viewer)
        scores = trust.trust_now(db_session, readable)
        charts = trust_charts(scores, trust.history(db_session, readable, days))
        tables = {name: service.report(db_session, name=name, days=days, readable=readable, reader=viewer)
                  for name in service.REPORTS}
        return page(request, db_session, viewer, "analytics/analytics.html", section="analytics", days=days,
                    periods=PERIODS, scores=scores, charts=charts, tables=tables, reports=service.REPORTS,
                    shown_rows=SHOWN_ROWS)

    @get("/analytics/{filename:str}", sync_to_thread=True)
    def download(self, filename: FromPath[str], db_session: DbSession, viewer: Viewer,
                 days: FromQuery[int] = 30) -> Response:
        _reader(db_session, viewer)
        name = filename.removesuffix(".csv")
        if not filename.endswith(".csv") or name not in service.REPORTS:
            raise NotFound(f"There is no report '{filename[:60]}'.")
        rows = service.report(db_session, name=name, days=period(days),
                              readable=readable_collection_ids(db_session, viewer), reader=viewer)
        return Response(service.report_csv(rows, service.REPORTS[name][1]), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="vouch-{name}-{days}d.csv"',
                                 "Cache-Control": "no-store"})


ROUTES = [AnalyticsPages]
