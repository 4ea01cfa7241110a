"""facts/: pure decisions on hand-built buckets (no database, no clock)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from facts import Bucket, Mention, Node, decide
from facts.intervals import qualifiers_compatible
from facts.parts import path, related, scope_of

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
XAI, COLOSSUS, GROK3, DEEPSEEK, R1, V3 = 1, 2, 3, 4, 5, 6
NODES = {
    XAI: Node(XAI, "xAI", "org"),
    COLOSSUS: Node(COLOSSUS, "Colossus", "programme", XAI),
    GROK3: Node(GROK3, "Grok 3", "model", XAI),
    DEEPSEEK: Node(DEEPSEEK, "DeepSeek", "org"),
    R1: Node(R1, "DeepSeek R1", "model", DEEPSEEK),
    V3: Node(V3, "DeepSeek V3", "model", DEEPSEEK),
}
_ids = iter(range(1, 10_000))


def mention(subject: int, low: float | None, high: float | None = None, **kw: Any) -> Mention:
    source = kw.pop("source", 1)
    values: dict[str, Any] = {
        "claim_id": next(_ids), "subject_id": subject, "source_id": source,
        "source_key": f"https://news.example/{source}", "modality": "stated", "qualifier": None,
        "unit": "GPU", "time": None, "value_low": low, "value_high": low if high is None else high,
        "hedge": None, "observed_at": T0, "site": f"Site {source}",
    }
    values.update(kw)
    return Mention(**values)


def test_scopes_and_paths() -> None:
    assert scope_of(NODES, COLOSSUS, "gpu_count") == XAI  # a cluster's GPUs are its operator's fleet
    assert scope_of(NODES, COLOSSUS, "cost") == COLOSSUS
    assert scope_of(NODES, GROK3, "gpu_count") == GROK3  # a model's training run stays the model's
    assert path(NODES, R1) == ("DeepSeek", "DeepSeek R1")
    assert related(NODES, R1, DEEPSEEK) and not related(NODES, R1, V3)
    assert qualifiers_compatible("gpu_count", "H100", None) and not qualifiers_compatible("gpu_count", "H100", "A100")
    assert not qualifiers_compatible("cost", "training", None)


def test_cluster_figure_is_an_update_of_its_operator_fleet() -> None:
    early = mention(XAI, 100_000.0, qualifier="H100", modality="reported", speaker="Elon Musk")
    later = mention(COLOSSUS, 200_000.0, hedge="approx", source=2, observed_at=T0 + timedelta(days=233))
    facts = decide(Bucket("gpu_count", (early, later), NODES), 0.10)
    assert len(facts.groups) == 2
    (c,) = facts.contradictions
    assert c.kind == "update" and facts.groups[c.a].subject_id == COLOSSUS
    assert c.explanation == (
        "xAI GPU count: xAI › Colossus ~200,000 GPU (stated, 2025-08-27, Site 2) vs xAI 100,000 GPU "
        "(reported by Elon Musk, H100, 2025-01-06, Site 1): later figure, likely an update"
    )


def test_a_model_training_run_is_not_set_against_the_maker_fleet() -> None:
    run = mention(GROK3, 100_000.0)
    fleet = mention(XAI, 200_000.0, source=2, observed_at=T0 + timedelta(days=2))
    in_one_article = mention(XAI, 300_000.0, modality="reported")  # same article as the run
    facts = decide(Bucket("gpu_count", (run, fleet, in_one_article), NODES), 0.10)
    assert [c.kind for c in facts.contradictions] == ["conflict"]  # only fleet vs fleet
    (c,) = facts.contradictions
    assert {facts.groups[c.a].subject_id, facts.groups[c.b].subject_id} == {XAI}


def test_an_article_disputing_a_model_cost_with_its_maker_bill_is_a_conflict() -> None:
    claimed = mention(R1, 5e6, 6e6, unit="USD", hedge="range", modality="reported", speaker="DeepSeek")
    bill = mention(DEEPSEEK, 1.5e9, unit="USD", modality="hypothetical", qualifier="chips alone")
    facts = decide(Bucket("cost", (claimed, bill), NODES), 0.10)
    (c,) = facts.contradictions
    assert c.kind == "conflict" and c.gap > 0.99
    assert c.explanation == (
        "DeepSeek cost: DeepSeek $1.5 billion (hypothetical, chips alone, 2025-01-06, Site 1) vs "
        "DeepSeek › DeepSeek R1 $5–6 million (reported by DeepSeek, 2025-01-06, Site 1): "
        "the same article sets one figure against the other (100% apart)"
    )
    # the same figures from two outlets: a conditional computation asserts nothing on its own
    elsewhere = mention(DEEPSEEK, 1.5e9, unit="USD", modality="hypothetical", source=2)
    assert decide(Bucket("cost", (claimed, elsewhere), NODES), 0.10).contradictions == ()
    # nor does a model's cost from one outlet contradict its maker's spending from another
    spending = mention(DEEPSEEK, 1.6e9, unit="USD", source=2)
    assert decide(Bucket("cost", (claimed, spending), NODES), 0.10).contradictions == ()


def test_before_and_after_in_one_article_is_not_a_conflict() -> None:
    now = mention(XAI, 183e9, unit="USD", time="2025-09")
    before = mention(XAI, 61.5e9, unit="USD", time="2025-03")
    assert decide(Bucket("valuation", (now, before), NODES), 0.10).contradictions == ()
    # stated vs reported in one text is no dispute either
    reported = mention(XAI, 61.5e9, unit="USD", modality="reported")
    assert decide(Bucket("valuation", (mention(XAI, 183e9, unit="USD"), reported), NODES), 0.10).contradictions == ()


def test_denied_figures_never_support_a_group_and_a_denial_conflicts() -> None:
    stated = mention(XAI, 1e6)
    denied = mention(XAI, 1e6, modality="denied", source=2, speaker="xAI")
    facts = decide(Bucket("gpu_count", (stated, denied), NODES), 0.10)
    assert len(facts.groups) == 2 and {g.value.modality for g in facts.groups} == {"stated", "denied"}
    (c,) = facts.contradictions
    assert c.kind == "conflict" and "denied by xAI" in c.explanation and "denies" in c.explanation
    # denying another figure than the one stated is no contradiction
    other = mention(XAI, 2e5, modality="denied", source=2)
    assert decide(Bucket("gpu_count", (stated, other), NODES), 0.10).contradictions == ()
    # a denial the same article reports against the figure it states is a dispute
    reported = mention(XAI, 1e6, modality="reported", source=3)
    denial = mention(XAI, 1e6, modality="denied", source=3)
    (d,) = decide(Bucket("gpu_count", (reported, denial), NODES), 0.10).contradictions
    assert d.kind == "conflict"


def test_plans_and_hypotheses_keep_to_their_own_kind() -> None:
    ms = (mention(XAI, 2e5), mention(XAI, 1e6, modality="plan", source=2),
          mention(XAI, 2e5, modality="hypothetical", source=3), mention(XAI, 2.05e5, modality="reported", source=4))
    facts = decide(Bucket("gpu_count", ms, NODES), 0.10)
    assert sorted((g.value.modality, g.value.mention_count) for g in facts.groups) == [
        ("hypothetical", 1), ("plan", 1), ("stated", 2)]
    assert facts.contradictions == ()


@settings(max_examples=40, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.sampled_from([XAI, COLOSSUS, GROK3]), st.sampled_from([1e5, 1.05e5, 2e5, 1e6]),
                  st.sampled_from(["stated", "reported", "plan", "denied", "hypothetical"]), st.integers(1, 3)),
        min_size=1, max_size=8),
    seed=st.integers(0, 1000),
)
def test_decisions_ignore_input_order(picks: list[tuple[int, float, str, int]], seed: int) -> None:
    ms = [mention(s, v, modality=m, source=src, observed_at=T0 + timedelta(days=40 * src))
          for s, v, m, src in picks]
    shuffled = ms[:]
    random.Random(seed).shuffle(shuffled)

    def seen(found: Any) -> tuple[object, ...]:
        groups = sorted(g.claim_ids for g in found.groups)
        pairs = sorted((found.groups[c.a].claim_ids, found.groups[c.b].claim_ids, c.kind, c.explanation)
                       for c in found.contradictions)
        return tuple(sorted(map(sorted, groups))), tuple(repr(p) for p in pairs)

    assert seen(decide(Bucket("gpu_count", tuple(ms), NODES), 0.1)) == \
        seen(decide(Bucket("gpu_count", tuple(shuffled), NODES), 0.1))
