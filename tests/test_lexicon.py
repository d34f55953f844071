"""The lexicons as data (voice_coach/data/lexicons/*.toml), their loader, and their users.

Every row of every file is tested here, from the examples and near-misses it carries: that
file is the one place a row's examples live.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.examples import Example, transcript_for
from voice_coach import lexicon
from voice_coach.analysis import run_signals
from voice_coach.lexicon import tomllib
from voice_coach.signals import caveats, clarifying_questions, ramble, signposting, tradeoffs

ROOT = Path(__file__).resolve().parents[1]
ROWS = lexicon.all_rows()


def _table(row: lexicon.Row) -> lexicon.Lexicon:
    return lexicon.lexicon(row.id.rsplit(".", 1)[0])


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_every_row(row: lexicon.Row) -> None:
    """Each example is matched by its lexicon *with this row*; no near-miss is matched at all."""
    lex = _table(row)
    for text in row.examples:
        m = lex.search(text)
        assert m is not None, f"{row.id} misses its example {text!r}"
        assert lexicon.rule_of(m) == row.id, f"{text!r} is matched by {lexicon.rule_of(m)}, not {row.id}"
    for text in row.near_misses:
        m = lex.search(text)
        assert m is None, f"{lex.name} matches {row.id}'s near-miss {text!r} (row {lexicon.rule_of(m)})"


def test_every_lexicon_a_signal_names_exists() -> None:
    """Each lexicon object the signals hold compiles from a file table."""
    import voice_coach.analysis  # noqa: F401  (loads every signal)

    names = set(lexicon._LEXICONS)
    assert len(names) >= 40
    for name in sorted(names):
        assert lexicon.lexicon(name).regex.pattern, name


def test_no_regex_is_defined_twice() -> None:
    """No two rows (in any files) carry the same pattern, and no lexicon lists an alternative twice."""
    seen: dict[str, str] = {}
    for row in ROWS:
        key = lexicon.row_regex(row).pattern
        assert key not in seen, f"{row.id} repeats {seen[key]}"
        seen[key] = row.id
    top = re.compile(r"\|(?![^(]*\))")  # a '|' outside any group
    for name in {r.id.rsplit(".", 1)[0] for r in ROWS}:
        alternatives: dict[str, str] = {}
        for row in lexicon.rows_of(name):
            for alt in top.split(row.pattern) if "(" not in row.pattern else [row.pattern]:
                assert alt not in alternatives, f"{row.id} repeats {alt!r} of {alternatives[alt]}"
                alternatives[alt] = row.id


def _string_constants(path: Path) -> list[str]:
    """Every string literal of a module except docstrings, split into words."""
    tree = ast.parse(path.read_text())
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [w for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
            for w in n.value.split()]


@pytest.mark.parametrize("module", [*sorted(p.name for p in (ROOT / "voice_coach/signals").glob("*.py")),
                                    "../recovery.py"])
def test_shared_concepts_are_not_redefined(module: str) -> None:
    """No signal module spells a filled pause, a signpost or a hedge itself: shared.toml does.

    (fillers.py names its discourse fillers, "kind of", "sort of", "right", as what it counts:
    that is the fillers concept, decided by spaCy context, not a hedge or signpost lexicon.)
    """
    path = ROOT / "voice_coach/signals" / module
    words = _string_constants(path)
    assert not [w for w in words if lexicon.FILLED_PAUSE.fullmatch(w)], module
    if module != "fillers.py":
        for shared in (lexicon.SIGNPOSTS, lexicon.HEDGES):
            spelled = [w for w in _word_lists(path) if shared.fullmatch(w)]
            assert not spelled, (module, shared.name, spelled)
    assert "re.compile(" not in path.read_text() or module == "phrases.py", f"{module} compiles its own regex"


def _word_lists(path: Path) -> list[str]:
    """The strings a module lists as words: elements of a set, list or tuple display."""
    tree = ast.parse(path.read_text())
    return [e.value for n in ast.walk(tree) if isinstance(n, (ast.Set, ast.List, ast.Tuple))
            for e in n.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def test_recovery_does_not_load_the_signals() -> None:
    """Speech-recognition recovery needs filled pauses, not the signals package."""
    assert "voice_coach.signals" not in (ROOT / "voice_coach/recovery.py").read_text()
    code = ("import sys, voice_coach.recovery, voice_coach.two_pass; "
            "assert voice_coach.recovery.is_filled('Umm,'); "
            "print(any(m.startswith('voice_coach.signals') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_importing_the_signals_reads_no_lexicon() -> None:
    """Files are read on first use, so the CLI (and --help) never pays for them."""
    code = ("import voice_coach.cli, voice_coach.analysis; from voice_coach import lexicon; "
            "print(lexicon.load.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_lexicon_files_are_package_data() -> None:
    """pyproject's package-data globs carry every lexicon file into a wheel."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["voice_coach"]
    files = sorted((ROOT / "voice_coach/data/lexicons").glob("*.toml"))
    assert [f.stem for f in files] == lexicon.concepts()
    for f in files:
        rel = f.relative_to(ROOT / "voice_coach").as_posix()
        assert any(fnmatch.fnmatch(rel, g) for g in globs), rel


def test_signposts_are_one_lexicon() -> None:
    """Ramble cuts runs at exactly the signposts that signposting counts."""
    assert ramble.SIGNPOSTS is signposting.SIGNPOSTS is lexicon.SIGNPOSTS


def test_leading_words_step_over_every_filled_pause() -> None:
    """Every spelling of a filled pause is a leading word; "but" is one only where asked."""
    for word in ("um", "umm", "uh", "uhm", "er", "erm", "hmm", "hm", "mm", "ah", "eh", "and", "so"):
        for lex in (caveats.CONTRAST_LEAD, lexicon.SIGNPOST_LEAD, clarifying_questions.LEAD):
            assert lex.fullmatch(word), (word, lex.name)
    assert not caveats.CONTRAST_LEAD.fullmatch("but")
    assert lexicon.SIGNPOST_LEAD.fullmatch("but")
    assert not lexicon.FILLED_PAUSE.fullmatch("mm-hmm") and not lexicon.is_filled_pause("uh-huh")


def test_a_hit_knows_its_row() -> None:
    """A match names the row that produced it, and the report's evidence carries it."""
    m = lexicon.HEDGES.search("well i guess so")
    assert m is not None and lexicon.rule_of(m) == "shared.hedges.guess"
    m = tradeoffs.CONTRAST.search("it is fast but costly")
    assert m is not None and lexicon.rule_of(m) == "tradeoffs.contrast.conjunction"
    ex = Example("", "First, we clean the data. Second, we pick a metric. Finally, we train a model.", {}, True)
    found = run_signals(transcript_for(ex), None)["signposting"].to_dict()["evidence"]
    assert [e["rule"] for e in found] == ["shared.signposts.ordinal"] * 3


GOOD_ROW = '[[x]]\nid = "a"\npattern = "{P} b"\nexamples = ["a b"]\nnear_misses = ["b"]\n'


@pytest.mark.parametrize(("text", "problem"), [
    ("[[x]]\nid = 'a'\npattern = 'a('\nexamples = ['a']\nnear_misses = ['b']\n", "row t.x.a: pattern does not compile"),
    ("[[x]]\nid = 'a'\npattern = 'a'\nexamples = []\nnear_misses = ['b']\n", "row t.x.a: 'examples' must be"),
    ("[[x]]\nid = 'a'\npattern = 'a'\nexamples = ['a']\n", "row t.x.a: needs exactly the keys"),
    ("[[x]]\nid = 'A b'\npattern = 'a'\nexamples = ['a']\nnear_misses = ['b']\n", "row t.x.A b: needs an id"),
    ("[[x]]\nid = 'a'\npattern = '{NOPE} a'\nexamples = ['a']\nnear_misses = ['b']\n", "row t.x.a: unknown macro"),
    ("[[x]]\nid = 'a'\npattern = '(?P<g>a)'\nexamples = ['a']\nnear_misses = ['b']\n", "row t.x.a: a row may not"),
    ("[[x]\nid = 1", "file: not valid TOML"),
    ("[macros]\nP = '{Q} a'\n" + GOOD_ROW, "macro P: unknown macro {Q}"),
    ("x = 1\n", "table x: must be an array of rows"),
    ("[macros]\nP = 'a|b'\n" + GOOD_ROW + GOOD_ROW, "row t.x.a: id used twice"),
])
def test_a_bad_row_is_one_line_naming_file_and_row(text: str, problem: str) -> None:
    with pytest.raises(lexicon.LexiconError) as err:
        lexicon.parse("some/dir/t.toml", text)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("lexicon some/dir/t.toml: ") and problem in msg, msg


def test_a_row_that_does_not_compile_is_named_when_its_lexicon_compiles(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files read at run time skip compiling each row alone; their lexicon's regex names the bad row."""
    (tmp_path / "shared.toml").write_text("[macros]\nP = 'a|b'\n")
    bad = "[[x]]\nid = 'c'\npattern = '{}'\nexamples = ['c']\nnear_misses = ['d']\n"
    monkeypatch.setattr(lexicon, "lexicon_dir", lambda: tmp_path)
    messages = []
    # "c(" compiles nowhere; "(?i)c" compiles alone but not after another row (flags must lead).
    for pattern in ("c(", "(?i)c"):
        (tmp_path / "t.toml").write_text(GOOD_ROW + bad.format(pattern))
        lexicon.load.cache_clear()
        try:
            assert [r.id for r in lexicon.rows_of("t.x")] == ["t.x.a", "t.x.c"]  # read without compiling
            with pytest.raises(lexicon.LexiconError) as err:
                lexicon.Lexicon("t.x").search("a b")
        finally:
            lexicon.load.cache_clear()
        messages.append(str(err.value))
    assert not any("\n" in m for m in messages)
    assert messages[0].startswith("lexicon voice_coach/data/lexicons/t.toml: row t.x.c: pattern does not compile")
    assert messages[1].startswith("lexicon t.x: its rows do not compile together")


def test_a_macro_is_always_one_group() -> None:
    """A macro ending in a bare alternative ("...|i|we") cannot leak into the rest of a row."""
    f = lexicon.parse("t.toml", "[macros]\nP = 'a|b'\n" + GOOD_ROW)
    pattern = lexicon.expand(f.tables["x"][0].pattern, f.macros)
    assert re.fullmatch(pattern, "a b") and not re.fullmatch(pattern, "a")
    would = lexicon.expand("{WOULDI} cover", lexicon.load("shared").macros)
    assert re.fullmatch(would, "i'd cover") and re.fullmatch(would, "we cover") and not re.search(would, "i")


def test_hedging_and_fillers_agree_on_a_classifying_kind_of() -> None:
    """"these kind of models" classifies (one shared lexicon): neither a hedge nor a filler."""
    ex = Example("", "These kind of models drift. The cache is kind of slow, and sort of fragile.", {}, True)
    found = run_signals(transcript_for(ex), None)
    assert found["hedging"].values["hedges"] == ["kind of", "sort of"]
    fillers = [i["text"] for i in found["fillers"].values["items"]]
    assert fillers.count("kind of") == 1 and fillers.count("sort of") == 1


def test_a_bare_subject_is_followed_by_its_verb() -> None:
    """{WOULDI} (which also takes a bare "I"/"we") never leaves a free word slot after it, where
    past narration would get in ("we went through it step by step")."""
    for row in ROWS:
        assert not re.search(r"\{(?:WOULDI|PLANS)\} ?\(\?:\\w", row.pattern), row.id
