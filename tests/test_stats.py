"""Paired gain statistics against hand-computed examples."""

import pytest

from elearn.trainer.stats import MIN_PAIRS, counted_paired_gain, paired_gain, t_critical


def test_five_pairs_hand_computed():
    # differences 20, 15, 10, 20, 5: mean 14; squared deviations 36+1+16+36+81 = 170, variance
    # 170/4 = 42.5, sd 6.5192; standard error 6.5192/sqrt(5) = 2.9155; t(4) = 2.7764.
    pre = {"a": 40, "b": 50, "c": 60, "d": 70, "e": 80}
    post = {"a": 60, "b": 65, "c": 70, "d": 90, "e": 85}
    g = paired_gain(pre, post, 100)
    assert g.n == 5 and g.enough and not g.no_spread
    assert g.mean_pre == 60 and g.mean_post == 74 and g.mean_gain == 14
    assert g.sd_gain == pytest.approx(6.5192, abs=1e-4)
    assert g.ci[0] == pytest.approx(14 - 8.0945, abs=1e-3) and g.ci[1] == pytest.approx(14 + 8.0945, abs=1e-3)
    assert g.d_z == pytest.approx(2.1475, abs=1e-4)
    assert g.normalised_gain == pytest.approx(14 / 40)  # Hake: (74 - 60) / (100 - 60)
    assert g.only_pre == g.only_post == 0


def test_confidence_scale_hand_computed():
    # differences 2, 1, 1, 1, 1: mean 1.2, variance 0.8/4 = 0.2, sd 0.4472, se 0.2, half-width 2.7764 * 0.2
    g = paired_gain({i: v for i, v in enumerate([2, 3, 2, 4, 3])}, {i: v for i, v in enumerate([4, 4, 3, 5, 4])}, 5)
    assert g.mean_pre == pytest.approx(2.8) and g.mean_post == pytest.approx(4.0) and g.mean_gain == pytest.approx(1.2)
    assert g.ci == pytest.approx((1.2 - 0.55528, 1.2 + 0.55528), abs=1e-4)
    assert g.d_z == pytest.approx(2.6833, abs=1e-4)
    assert g.normalised_gain == pytest.approx(1.2 / 2.2)


def test_learner_with_only_a_pretest_is_left_out():
    # pairs a (50 -> 80) and b (70 -> 70); c has only a pre-test, d only a post-test.
    g = paired_gain({"a": 50, "b": 70, "c": 30}, {"a": 80, "b": 70, "d": 100}, 100)
    assert g.n == 2 and g.only_pre == 1 and g.only_post == 1 and not g.enough
    assert g.mean_pre == 60 and g.mean_post == 75 and g.mean_gain == 15
    # differences 30 and 0: sd = sqrt(2 * 15^2) = 21.2132; half-width 12.7062 * 21.2132 / sqrt(2) = 190.593
    assert g.ci == pytest.approx((15 - 190.593, 15 + 190.593), abs=1e-3)
    assert g.d_z == pytest.approx(15 / 21.2132, abs=1e-4)


def test_counted_pairs_give_the_figures_of_the_learners_they_stand_for():
    # test_learner_with_only_a_pretest_is_left_out, as counts of (before, after) patterns
    counted = counted_paired_gain({(50, 80): 1, (70, 70): 1, (30, None): 1, (None, 100): 1}, 100)
    assert counted == paired_gain({"a": 50, "b": 70, "c": 30}, {"a": 80, "b": 70, "d": 100}, 100)
    # the same pattern twice is two learners
    twice = counted_paired_gain({(40, 60): 2, (50, 65): 1, (None, 90): 3}, 100)
    assert twice == paired_gain({1: 40, 2: 40, 3: 50}, {1: 60, 2: 60, 3: 65, 4: 90, 5: 90, 6: 90}, 100)
    assert twice.n == 3 and twice.only_post == 3
    assert counted_paired_gain({}, 5) == paired_gain({}, {}, 5)


def test_zero_variance():
    g = paired_gain({"a": 50, "b": 60, "c": 70}, {"a": 60, "b": 70, "c": 80}, 100)
    assert g.mean_gain == 10 and g.sd_gain == 0 and g.no_spread
    assert g.ci == (10, 10) and g.d_z is None
    assert g.normalised_gain == pytest.approx(0.25)
    same = paired_gain({"a": 3, "b": 3}, {"a": 3, "b": 3}, 5)
    assert same.mean_gain == 0 and same.no_spread and same.d_z is None


def test_fewer_than_two_pairs_and_none():
    one = paired_gain({"a": 100}, {"a": 90}, 100)
    assert one.n == 1 and one.mean_gain == -10 and one.ci is None and one.d_z is None and one.sd_gain is None
    assert one.normalised_gain is None  # started at the maximum: no room to improve
    assert not one.no_spread
    empty = paired_gain({"a": 40}, {}, 100)
    assert empty.n == 0 and empty.mean_pre is None and empty.mean_gain is None and empty.only_pre == 1
    assert not empty.enough and MIN_PAIRS == 5


def test_t_critical_values():
    assert t_critical(1) == 12.7062 and t_critical(4) == 2.7764 and t_critical(30) == 2.0423
    # above the table: published values t(0.975, 40/60/120) and the normal limit
    assert t_critical(40) == pytest.approx(2.0211, abs=5e-4)
    assert t_critical(60) == pytest.approx(2.0003, abs=5e-4)
    assert t_critical(120) == pytest.approx(1.9799, abs=5e-4)
    assert t_critical(10**6) == pytest.approx(1.95996, abs=1e-4)
    # the expansion joins the table smoothly
    assert t_critical(31) < t_critical(30) and t_critical(31) == pytest.approx(2.0395, abs=5e-4)
    assert t_critical(10, confidence=0.90) == pytest.approx(1.8125, abs=2e-3)
    with pytest.raises(ValueError):
        t_critical(0)


def test_numbers_in_dutch_and_english():
    from elearn.trainer.formatting import number, percent, signed

    assert number(1.444, 2, "nl_BE") == "1,44" and number(1.444, 2, "en_GB") == "1.44"
    assert number(1234.56, 1, "nl_BE") == "1.234,6" and number(3, 0, "en_GB") == "3"
    assert number(None) == "–" and signed(None) == "–" and percent(None) == "–"
    assert signed(14, 1, "nl_BE") == "+14,0" and signed(-0.3, 1, "nl_BE") == "−0,3"
    assert signed(-0.04, 1, "nl_BE") == "0,0" and signed(0.04, 1, "en_GB") == "0.0"  # no "-0,0" nor "+0,0"
    assert percent(57.6, "nl_BE") == "58\u00a0%" and percent(57.6, "en_GB") == "58%"


def test_short_labels_are_short_and_distinct():
    from elearn.content.model import ConfidenceItem
    from elearn.trainer.summary import LABEL_CHARS, short_labels

    items = (
        ConfidenceItem("a", "Ik voel me zeker genoeg om een cliënt te vragen naar zijn of haar seksuele gedrag."),
        ConfidenceItem("b", "Ik voel me zeker genoeg om een cliënt te vragen welke middelen hij gebruikt."),
        ConfidenceItem("c", "Ik voel me zeker genoeg om door te verwijzen.", label="Doorverwijzen"),
        ConfidenceItem("d", "Ik voel me zeker genoeg om een cliënt te vragen naar zijn of haar grenzen."),
    )
    labels = short_labels(items)
    assert labels["c"] == "Doorverwijzen"  # the content's own label
    assert labels["b"] == "Een cliënt te vragen welke middelen…"  # common opening dropped, cut at a word
    assert all(len(v) <= LABEL_CHARS + 5 for v in labels.values())
    assert len(set(labels.values())) == 4  # a and d cut to the same words: numbered
    assert labels["a"].endswith("(1)") and labels["d"].endswith("(4)")
    assert short_labels(items[:1]) == {"a": "Ik voel me zeker genoeg om een…"}


def test_confidence_label_is_parsed_and_checked():
    from elearn.content.reference import parse_confidence
    from elearn.content.yamlsource import parse_yaml

    text = (
        "scale: {min: 1, max: 5, low: laag, high: hoog}\nitems:\n"
        "  - {id: conf-a, text: Ik durf iets., label: Iets durven}\n"
        "  - id: conf-b\n    text: Ik durf iets anders.\n    label: " + "x" * 40 + "\n"
    )
    problems = []
    scale = parse_confidence(parse_yaml(text, "c.yaml")[0], "c.yaml", problems)
    assert scale.items[0].label == "Iets durven"
    assert len(problems) == 1 and "c.yaml:6" in str(problems[0]) and "32" in str(problems[0])


def test_audit_labels():
    from elearn.admin.labels import event_details, event_label

    assert event_label("login.succeeded") == "Aangemeld" and event_label("something.new") == "something.new"
    assert event_details("role.changed", "learner -> trainer") == "Deelnemer → Opleider"
    assert event_details("role.changed", "learner -> wizard") == "learner -> wizard"
    assert event_details("data.exported", "items xlsx") == "itemanalyse (XLSX)"
    assert event_details("login.failed", "") == ""


def test_percent_in_other_locales_uses_cldr():
    from elearn.trainer.formatting import percent

    assert percent(12.4, "de_DE") == "12\u00a0%" and percent(12.4, "ja_JP") == "12%"
