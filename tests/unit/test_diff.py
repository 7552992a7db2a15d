import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from proxy.models import Document
from proxy.routing.diff import REDACTED, CompareRules, Outcome, compare

R = CompareRules(ignore=("updated_at",), redact=("card",))
UTC = dt.UTC


def doc(body: dict, version: int = 3) -> Document:
    return Document("k", body, version)


def test_equal_values_of_different_representation_match() -> None:
    old = doc({"price": Decimal("1.50"), "n": 2, "at": dt.datetime(2024, 1, 1, 10, 0, 0, 123456, tzinfo=UTC),
               "a": {"x": 1, "y": [1, 2]}, "gone": None})
    new = doc({"a": {"y": [1, 2], "x": 1}, "n": Decimal("2.0"), "price": Decimal("1.5"),
               "at": dt.datetime(2024, 1, 1, 11, 0, 0, 123000, tzinfo=dt.timezone(dt.timedelta(hours=1)))})
    assert compare("k", old, new, R).outcome is Outcome.MATCH


def test_mismatch_reports_exact_paths() -> None:
    c = compare("k", doc({"a": {"b": 1, "c": 2}, "d": "x"}), doc({"a": {"b": 1, "c": 3}, "e": "y"}), R)
    assert c.outcome is Outcome.MISMATCH
    assert [d.path for d in c.diffs] == ["a.c", "d", "e"]
    assert (c.diffs[0].old, c.diffs[0].new) == ("2", "3")


def test_versions_differ_is_stale_not_mismatch() -> None:
    assert compare("k", doc({"a": 1}, 3), doc({"a": 2}, 4), R).outcome is Outcome.STALE


def test_missing_sides_and_tombstones() -> None:
    assert compare("k", doc({"a": 1}), None, R).outcome is Outcome.MISSING_NEW
    assert compare("k", None, doc({"a": 1}), R).outcome is Outcome.MISSING_OLD
    assert compare("k", Document.tombstone("k", 4), Document.tombstone("k", 4), R).outcome is Outcome.MATCH
    assert compare("k", doc({"a": 1}, 4), Document.tombstone("k", 4), R).outcome is Outcome.MISSING_NEW


def test_ignored_paths_do_not_count_and_redacted_values_never_shown() -> None:
    c = compare("k", doc({"updated_at": 1, "card": {"number": "4111"}}),
                doc({"updated_at": 2, "card": {"number": "4242"}}), R)
    assert c.outcome is Outcome.MISMATCH
    assert [(d.path, d.old, d.new) for d in c.diffs] == [("card.number", REDACTED, REDACTED)]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.from_regex(r"[a-z]{1,3}", fullmatch=True),
                                                                      children, max_size=3),
    max_leaves=10)


@given(st.dictionaries(st.from_regex(r"[a-z]{1,4}", fullmatch=True), json_values, max_size=5))
def test_a_document_always_matches_itself(body: dict) -> None:
    assert compare("k", doc(body), doc(body), CompareRules()).outcome is Outcome.MATCH


@given(st.dictionaries(st.from_regex(r"[a-z]{1,4}", fullmatch=True), st.integers(), min_size=1, max_size=5),
       st.integers())
def test_changing_one_field_is_reported_at_that_path(body: dict, delta: int) -> None:
    key = sorted(body)[0]
    other = {**body, key: body[key] + (delta or 1)}
    c = compare("k", doc(body), doc(other), CompareRules())
    assert [d.path for d in c.diffs] == [key]
