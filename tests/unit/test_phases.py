from proxy.routing.phases import PHASES, Phase, Side, step_allowed


def test_phase_table_matches_design() -> None:
    o, n = Side.OLD, Side.NEW
    expected = {
        Phase.OFF: ((o,), o, False, False),
        Phase.DUALWRITE: ((o, n), o, False, False),
        Phase.SHADOW: ((o, n), o, True, False),
        Phase.LIVE: ((n, o), n, True, True),
        Phase.RAMPDOWN: ((n, o), n, False, True),
        Phase.COMPLETE: ((n,), n, False, False),
    }
    assert {p: (r.writes, r.reads, r.compare, r.fallback) for p, r in PHASES.items()} == expected


def test_one_step_moves_allowed_skips_refused() -> None:
    order = list(Phase)
    for i, a in enumerate(order):
        for j, b in enumerate(order):
            assert step_allowed(a, b) == (abs(i - j) <= 1), (a, b)


def test_authoritative_store_is_written_first() -> None:
    assert Phase.LIVE.rules.authoritative is Side.NEW
    assert Phase.LIVE.rules.secondary is Side.OLD
    assert Phase.SHADOW.rules.authoritative is Side.OLD
    assert Phase.COMPLETE.rules.secondary is None
