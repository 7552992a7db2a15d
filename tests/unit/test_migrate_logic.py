"""Pure logic of backfill and verify: the merge join and its classification, the throttles."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from proxy.migrate.merge import MergeJoin, Pair
from proxy.migrate.progress import Progress, bar
from proxy.migrate.throttle import BASELINE, FACTOR, FIRST_PAUSE, MAX_PAUSE, LatencyGuard, RateLimit
from proxy.models import Document
from proxy.routing.diff import CompareRules, Outcome, compare
from proxy.routing.phases import Side

RULES = CompareRules(ignore=("updated_at",), redact=("card",))


def docs(*keys: str, version: int = 1) -> list[Document]:
    return [Document(k, {"k": k}, version) for k in keys]


def join(old_pages: list[list[Document]], new_pages: list[list[Document]]) -> list[Pair]:
    """Drive a MergeJoin the way verify does: read the side it wants, take what is decided."""
    j, feeds = MergeJoin(), {Side.OLD: iter(old_pages), Side.NEW: iter(new_pages)}
    out: list[Pair] = []
    while not j.finished:
        side = j.wants()
        if side is not None:
            j.feed(side, next(feeds[side], None))
        else:
            out += j.take()
    return out


def test_merge_join_pairs_every_key_once_in_order() -> None:
    pairs = join([docs("a", "c"), docs("d", "f")], [docs("b", "c", "d"), docs("e", "g")])
    assert [(p.key, p.old is not None, p.new is not None) for p in pairs] == [
        ("a", True, False), ("b", False, True), ("c", True, True), ("d", True, True), ("e", False, True),
        ("f", True, False), ("g", False, True)]


def test_merge_join_with_an_empty_side() -> None:
    assert [p.key for p in join([docs("a", "b")], [])] == ["a", "b"]
    assert [p.key for p in join([], [docs("x")])] == ["x"]
    assert join([], []) == []


def test_merge_join_refuses_keys_out_of_order() -> None:
    j = MergeJoin()
    try:
        j.feed(Side.OLD, docs("b", "a"))
    except ValueError as e:
        assert "ascending" in str(e)
    else:
        raise AssertionError("out-of-order keys were accepted")


@given(st.sets(st.text("abcdef", min_size=1, max_size=3)), st.sets(st.text("abcdef", min_size=1, max_size=3)),
       st.integers(1, 4))
def test_merge_join_is_a_full_outer_join(old: set[str], new: set[str], page: int) -> None:
    o, n = sorted(old), sorted(new)
    pairs = join([docs(*o[i:i + page]) for i in range(0, len(o), page)],
                 [docs(*n[i:i + page]) for i in range(0, len(n), page)])
    assert [p.key for p in pairs] == sorted(old | new)
    assert all((p.old is not None) == (p.key in old) and (p.new is not None) == (p.key in new) for p in pairs)


def classify(old: Document | None, new: Document | None) -> Outcome:
    return compare("k", old, new, RULES).outcome


def test_classification_of_joined_pairs() -> None:
    live = Document("k", {"price": Decimal("1.50"), "n": 1}, 3)
    assert classify(live, Document("k", {"price": Decimal("1.5"), "n": 1}, 3)) is Outcome.MATCH
    assert classify(live, Document("k", {"price": Decimal("2.5"), "n": 1}, 3)) is Outcome.MISMATCH
    assert classify(live, Document("k", {"price": Decimal("1.5"), "n": 1}, 4)) is Outcome.STALE
    assert classify(live, None) is Outcome.MISSING_NEW
    assert classify(None, live) is Outcome.MISSING_OLD
    assert classify(live, Document.tombstone("k", 3)) is Outcome.MISSING_NEW
    assert classify(Document.tombstone("k", 4), None) is Outcome.MATCH  # a tombstone against nothing
    assert classify(Document.tombstone("k", 4), Document.tombstone("k", 5)) is Outcome.STALE


def test_mismatch_names_the_path_and_redacts() -> None:
    c = compare("k", Document("k", {"a": {"b": 1}, "card": {"number": "4111"}, "updated_at": 1}, 2),
                Document("k", {"a": {"b": 2}, "card": {"number": "4242"}, "updated_at": 2}, 2), RULES)
    assert [(d.path, d.old, d.new) for d in c.diffs] == [("a.b", "1", "2"), ("card.number", "<redacted>",
                                                                             "<redacted>")]


def test_rate_limit_spreads_documents_over_time() -> None:
    r = RateLimit(100)
    assert r.delay(100, 0.0) == 0  # one second's burst goes at once
    assert r.delay(50, 0.0) == 0.5  # then 100 docs/s
    assert abs(r.delay(50, 0.5) - 0.5) < 1e-9
    assert r.delay(10, 10.0) == 0  # idle time refills, up to one second's worth
    assert RateLimit(0).delay(10**6, 0.0) == 0


def test_latency_guard_backs_off_and_recovers() -> None:
    g = LatencyGuard()
    for _ in range(BASELINE):
        assert g.observe(0.5, 500) == 0  # 1 ms per document: the baseline
    assert g.baseline == 0.001 and g.threshold == 0.001 * FACTOR
    pauses = [g.observe(5.0, 500) for _ in range(12)]  # 10 ms per document: the store slowed down
    assert pauses[0] == 0 and pauses[-1] == MAX_PAUSE  # the median needs a few slow pages to move
    assert all(b >= a for a, b in itertools.pairwise(pauses))
    calm = [g.observe(0.5, 500) for _ in range(20)]
    assert calm[-1] == 0 and all(b <= a for a, b in itertools.pairwise(calm))


def test_latency_guard_with_a_fixed_threshold() -> None:
    g = LatencyGuard(max_latency=0.002)  # 2 ms per document, no baseline needed
    assert g.observe(0.5, 500) == 0  # 1 ms
    assert g.observe(2.0, 500) == FIRST_PAUSE  # the median of 1 ms and 4 ms is above 2 ms
    assert g.observe(2.0, 500) == 2 * FIRST_PAUSE
    assert g.observe(0.5, 500) == 4 * FIRST_PAUSE  # median still 4 ms
    for _ in range(3):
        g.observe(0.5, 500)
    assert g.pause < 4 * FIRST_PAUSE


def test_progress_bar_and_eta() -> None:
    p = Progress("backfill", "product", processed=250, total=1000, docs_per_second=50)
    assert p.eta == 15
    line = bar(p)
    assert "250/1,000" in line and "25%" in line and "50 docs/s" in line and "ETA 0:15" in line
    assert Progress("verify", "product", outcomes={"match": 5, "stale": 1, "missing_new": 2}).divergent == 3


def test_a_redacted_value_inside_an_object_one_side_lacks_stays_hidden() -> None:
    rules = CompareRules(redact=("card.number",))
    c = compare("k", Document("k", {"n": 1}, 2), Document("k", {"n": 1, "card": {"number": "4111", "exp": "12/30"}}, 2),
                rules)
    assert [(d.path, d.old) for d in c.diffs] == [("card", None)]
    assert "4111" not in (c.diffs[0].new or "") and "<redacted>" in (c.diffs[0].new or "")
    assert "12/30" in (c.diffs[0].new or "")
