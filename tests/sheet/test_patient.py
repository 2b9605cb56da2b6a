"""The patient's pages, read back as a patient would read them (issue #14)."""

from __future__ import annotations

import re

import pytest
import textstat

from decision_aid.domain import load_rule_set
from tests.conftest import FIXTURES
from tests.sheet.sheets import CONTRASTS, RULES, base_answers, contrast, sheet_of

MAX_BLANK = 0.40
MAX_DETAIL_PAGES = 4


def flat(text: str) -> str:
    return " ".join(text.split())


def words_only(text: str) -> str:
    """The text without citation marks, as textstat should read it."""
    return re.sub(r"\[[\d, ]+\]", "", text)


@pytest.mark.parametrize("name", sorted(CONTRASTS))
def test_the_summary_is_two_pages_then_at_most_four_of_detail(name: str) -> None:
    full, summary = contrast(name), contrast(name, "summary")
    assert len(full.part(None)) == 1
    assert len(full.part("Your options, side by side")) == 1
    assert 1 <= len(full.part("More detail, to read at home")) <= MAX_DETAIL_PAGES
    assert summary.pages[2].startswith("For the clinician")
    assert not any("More detail" in page for page in summary.pages)


@pytest.mark.parametrize("name", sorted(CONTRASTS))
def test_no_page_of_a_part_is_more_than_40_percent_blank_but_its_last(name: str) -> None:
    sheet = contrast(name)
    lasts = {start - 1 for start in sheet.starts[1:]} | {len(sheet.pages) - 1}
    blank = sheet.blank_fractions()
    for index, fraction in enumerate(blank):
        if index not in lasts:
            assert fraction <= MAX_BLANK, f"page {index + 1} is {fraction:.0%} blank"


@pytest.mark.parametrize("part", ["summary", "full"])
def test_the_printed_patient_pages_read_at_smog_7_or_below(part: str) -> None:
    for name in CONTRASTS:
        text = words_only(contrast(name, part).patient)
        assert textstat.sentence_count(text) >= 30, name
        assert textstat.smog_index(text) <= 7.0, name


def test_page_1_gives_the_bottom_line_for_the_patients_pain_and_basis() -> None:
    cochrane = "It found no clear help for pain from ketamine drips."
    crps_us = flat(contrast("favourable").pages[0])
    crps_uk = flat(contrast("UK basis").pages[0])
    assert cochrane in crps_us
    assert cochrane in crps_uk
    assert "For CRPS, a US guide says" in crps_us
    assert "For CRPS, UK advice is that only a pain expert team should start it." in crps_uk
    assert "US guide" not in crps_uk
    assert "UK advice" not in crps_us


def test_a_patient_sees_the_figures_for_their_own_pain_and_only_those() -> None:
    fibromyalgia = flat(contrast("weak evidence").patient)
    assert "Pain cut by half or more" in fibromyalgia
    assert "With ketamine: 8 of 12 people. Without it: 3 of 12 people." in fibromyalgia
    assert "hard-to-treat CRPS" not in fibromyalgia
    crps = flat(contrast("favourable").patient)
    assert "With ketamine: 30 of 48 people. No comparison group:" in crps
    assert "8 of 12" not in crps
    other = flat(contrast("no graded evidence").patient)
    assert "No study of your kind of pain gives figures for how much ketamine helps." in other
    assert "not known yet" not in other


def test_counts_are_never_scaled_to_100_and_uncontrolled_results_are_words_only() -> None:
    crps = flat(contrast("favourable").patient)
    assert "3 of 6 people" in crps
    assert "50 out of 100" not in crps
    assert "62 out of 100" not in crps
    assert "48 out of 100" not in crps
    assert crps.count("No comparison group") == 2  # the CRPS series and the liver study


def test_harms_without_a_reliable_figure_have_rows_that_say_not_known() -> None:
    patient = flat(contrast("favourable").patient)
    table = patient.partition("Harms with no reliable numbers")[2]
    for harm in ("Blood pressure and heart rate go up", "Bladder harm", "Addiction and misuse"):
        assert harm in table
    assert table.count("Not known") >= 4


def test_the_patient_reads_plainly_that_ketamine_can_be_addictive() -> None:
    for name in CONTRASTS:
        patient = flat(contrast(name, "summary").patient)
        assert "It can be addictive." in patient, name
    full = flat(contrast("favourable").patient)
    assert "You may have read… • …that ketamine is not addictive. It can be addictive." in full
    assert "…that ketamine works for most people with long-term pain. It does not." in full


def test_us_and_uk_sheets_speak_of_their_own_health_systems() -> None:
    us, uk = flat(contrast("favourable").patient), flat(contrast("UK basis").patient)
    assert "FDA has not approved it for pain" in us
    assert "NHS" not in us
    assert "Only some NHS pain units give it" in uk
    assert "insurer" not in uk
    assert "In the UK, it is a crime to drive" in uk
    assert "crime to drive" not in us


def test_a_restrictive_rule_keeps_favourable_reasons_off_the_patient_pages() -> None:
    sheet = contrast("contraindication")
    patient = flat(sheet.patient)
    assert "Not suitable at the moment" in patient
    assert "CRPS has the best proof" not in patient
    clinician = flat(" ".join(sheet.part("For the clinician")))
    assert "ind-crps" in clinician.split()


def test_next_steps_follow_the_deciding_rule_and_fall_back_to_the_level() -> None:
    untried = flat(contrast("first-line not tried").pages[0])
    assert "Your team will help you try the simpler care first" in untried
    assert "Some things need to be checked first." not in untried
    unknown = flat(contrast("safety not known").pages[0])
    assert "Some things need to be checked first. Your team will arrange this" in unknown


def test_every_open_safety_question_is_still_to_check_whatever_the_outcome() -> None:
    sheet = sheet_of(
        RULES,
        {**base_answers(), "cardiovascular": "poorly_controlled", "pregnancy": "unknown"},
        {"guideline_basis": "asra_2018"},
    )
    first = flat(sheet.pages[0])
    assert "Not suitable at the moment" in first
    assert "Safety questions to check before any treatment: Pregnancy." in first
    clinician = flat(" ".join(sheet.part("For the clinician")))
    assert "• Pregnancy (not known)" in clinician


def test_a_not_suitable_sheet_leaves_out_how_treatment_days_go() -> None:
    refused = flat(contrast("guideline refusal").patient)
    assert "During a session" not in refused
    assert "Afterwards" not in refused
    assert "Things to tell your team" in refused
    assert "During a session" in flat(contrast("favourable").patient)


def test_each_goal_the_patient_chose_is_shown_beside_its_evidence() -> None:
    answers = {**base_answers(), "goals": ["more_activity", "better_sleep"]}
    patient = flat(sheet_of(RULES, answers).patient)
    table = patient.partition("What matters to you")[2]
    assert "Do more day to day Studies found no clear change in what people could do" in table
    assert "Sleep better This sheet's sources do not say." in table


def test_the_patient_label_and_date_are_printed_when_asked_for() -> None:
    sheet = sheet_of(RULES, base_answers(), part="summary", patient_label="JD-14")
    assert "For: JD-14 · Date: 24 November 2026" in flat(sheet.pages[0])
    assert all("printed 24 November 2026 · for JD-14" in page for page in sheet.pages)
    unlabelled = sheet_of(RULES, base_answers(), part="summary")
    assert not any("JD-14" in page or "For:" in page for page in unlabelled.pages)


def test_the_rule_set_names_the_treatment_and_the_code_does_not() -> None:
    referral = load_rule_set(FIXTURES / "referral")
    answers = {"bmi_band": "high", "programme": "yes", "heart": "no", "wishes": ["health"]}
    for part in ("summary", "full"):
        sheet = sheet_of(referral, answers, part=part)
        text = flat(" ".join(sheet.pages))
        assert "ketamine" not in text.lower()
        assert "Worth a referral" in text
        assert "Légaré F, et al. Are you SURE?" in text
    full = flat(sheet.patient)
    assert "With surgery: 60 out of 100 people. Without it: 10 out of 100 people." in full
    assert "With surgery: 2 of 9 people. No comparison group" in full
    assert "Better health Some illnesses got better after surgery." in full
    assert "Your team will send the referral." in flat(sheet.pages[0])


def test_any_block_may_be_limited_to_settings_and_outcomes() -> None:
    assert RULES.sheet is not None
    condition = RULES.sheet.condition.model_copy(
        update={"only_for": {"guideline_basis": ("nice_ng193",)}}
    )
    certainty = RULES.sheet.certainty.model_copy(update={"outcomes": ("not_suitable_now",)})
    sheet = RULES.sheet.model_copy(update={"condition": condition, "certainty": certainty})
    rule_set = RULES.model_copy(update={"sheet": sheet})
    us = flat(sheet_of(rule_set, base_answers(), {"guideline_basis": "asra_2018"}).patient)
    uk = flat(sheet_of(rule_set, base_answers(), {"guideline_basis": "nice_ng193"}).patient)
    assert condition.title not in us
    assert condition.title in uk
    assert certainty.title not in us  # "Worth discussing", not "not suitable"
    refused = {**base_answers(), "cardiovascular": "poorly_controlled"}
    assert certainty.title in flat(sheet_of(rule_set, refused).patient)
