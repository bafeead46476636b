"""``buildreal lab replay``: the scripted conversations for every Module 1 lab and the
sample pack's lab, replayed through the command authors use, with both matchers."""

from __future__ import annotations

import json

import pytest
from tutor_helpers import ROOT, TRANSCRIPTS

from buildreal.cli import main

SCRIPTS = sorted(TRANSCRIPTS.glob("*.json"))
MODULE_1_LABS = ["m1-l1-lab", "m1-l2-lab", "m1-l3-lab", "m1-l4-lab"]

# The seven behaviours, as the moves that show them.
BEHAVIOURS = {
    "hedging asks for one committed choice": {"ask_commit", "ask_reason"},
    "a reasoned commitment is acknowledged and challenged": {"challenge"},
    "a known misconception gets the lab's pushback": {"pushback"},
    "uncovered concepts are probed one at a time": {"probe"},
    "the answer is withheld; stalling brings a hint": {"refuse_answer", "hint"},
    "the lab ends with a debrief": {"debrief"},
    "manipulation and off-topic are refused": {"refuse"},
}


def replay(capsys, script, *extra: str) -> tuple[int, list[dict], str]:
    spec = json.loads(script.read_text())
    code = main(["lab", "replay", str(ROOT / spec["pack"]), spec["lab"], str(script), *extra])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_every_module_1_lab_has_a_scripted_conversation():
    labs = {json.loads(s.read_text())["lab"] for s in SCRIPTS
            if "build-real-things" in json.loads(s.read_text())["pack"]}
    assert labs == set(MODULE_1_LABS)


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
@pytest.mark.parametrize("matcher", ["auto", "lexical"])
def test_the_scripted_conversation_meets_every_expectation(capsys, semantic_matcher, script,
                                                           matcher):
    code, lines, err = replay(capsys, script, "--matcher", matcher)
    assert code == 0, err
    turns = json.loads(script.read_text())["turns"]
    assert [line["turn"] for line in lines] == list(range(len(turns) + 1))
    assert lines[0]["move"] == "opening"


@pytest.mark.parametrize("script", [s for s in SCRIPTS if s.stem in MODULE_1_LABS],
                         ids=MODULE_1_LABS)
def test_each_module_1_conversation_shows_all_seven_behaviours(capsys, script):
    code, lines, err = replay(capsys, script, "--matcher", "lexical")
    moves = {line["move"] for line in lines}
    missing = [name for name, shown_by in BEHAVIOURS.items() if not moves & shown_by]
    assert code == 0 and not missing, err or missing
    debrief = lines[-1]["state"]["debrief"] or lines[-2]["state"]["debrief"]
    assert 0 <= debrief["score"] <= 100 and debrief["got_right"] and debrief["missed"]


def test_a_failed_expectation_names_the_turn_and_exits_1(capsys, tmp_path):
    script = tmp_path / "t.json"
    script.write_text(json.dumps({"pack": "tests/fixtures/sample-pack", "lab": "m1-l1-lab",
                                  "turns": [{"say": "It depends.",
                                             "expect": {"move": "debrief"}}]}))
    code, lines, err = replay(capsys, script)
    assert code == 1
    assert "turn 1: move: expected ['debrief'], got 'ask_commit'" in err
    assert len(lines) == 2  # the replay still prints every reply


def test_an_unknown_lab_lists_the_labs_there_are(capsys, tmp_path):
    script = tmp_path / "t.json"
    script.write_text('["hello"]')
    code = main(["lab", "replay", str(ROOT / "tests/fixtures/sample-pack"), "m9-lab",
                 str(script)])
    assert code == 2
    assert "no lab 'm9-lab'" in capsys.readouterr().err


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not valid JSON"),
    ('{"turns": 3}', "expected a list of turns"),
    ('[{"text": "hi"}]', "turn 1 needs a string"),
    ('[{"say": "hi", "expect": {"moves": "x"}}]', "unknown expectation ['moves']"),
])
def test_a_malformed_transcript_is_reported_with_what_is_wrong(capsys, tmp_path, content,
                                                               message):
    script = tmp_path / "t.json"
    script.write_text(content)
    code = main(["lab", "replay", str(ROOT / "tests/fixtures/sample-pack"), "m1-l1-lab",
                 str(script)])
    assert code == 2
    assert message in capsys.readouterr().err


def test_plain_strings_replay_and_the_seed_changes_only_the_wording(capsys, tmp_path):
    script = tmp_path / "t.json"
    script.write_text('["It depends.", "It depends on the data."]')
    pack = str(ROOT / "tests/fixtures/sample-pack")
    main(["lab", "replay", pack, "m1-l1-lab", str(script), "--matcher", "lexical",
          "--seed", "1"])
    first = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    outputs = set()
    for seed in range(2, 8):
        main(["lab", "replay", pack, "m1-l1-lab", str(script), "--matcher", "lexical",
              "--seed", str(seed)])
        other = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
        assert [x["state"] for x in other] == [x["state"] for x in first]
        outputs.add(other[1]["message"])
    assert len(outputs) > 1
