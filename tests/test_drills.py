"""The shipped drill prompts and their loader (no audio)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from voice_coach.drills import MAX_TARGET_S, MIN_TARGET_S, load_drills, parse_drills
from voice_coach.errors import UsageError
from voice_coach.skills import SKILLS


def test_at_least_fifteen_short_prompts_per_skill_with_unique_ids() -> None:
    drills = load_drills()
    per = Counter(d.skills[0] for d in drills)
    assert set(per) == set(SKILLS) and min(per.values()) >= 15, per
    assert len({d.id for d in drills}) == len(drills)
    assert len({d.text for d in drills}) == len(drills)
    assert all(MIN_TARGET_S <= (d.target_s or 0) <= MAX_TARGET_S and d.category == "drill" for d in drills)
    assert all(d.skills == (skill,) for skill in SKILLS for d in load_drills(skill))


def test_a_broken_drill_names_the_file_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "mine.toml"
    f.write_text('skill = "framing"\n\n[[drill]]\nid = "a"\ntext = "Open with a plan for: a cache."\ntarget_s = 45\n\n'
                 '[[drill]]\nid = "b"\ntext = "Open with a plan for: a queue."\ntarget_s = 300\n')
    with pytest.raises(UsageError, match=r"mine.toml:11: drill field 'target_s': must be between 30 and 60"):
        parse_drills(f)
    f.write_text(f.read_text().replace("300", "45").replace('id = "b"', 'id = "a"'))
    with pytest.raises(UsageError, match=r"mine.toml:8: drill field 'id': 'a' is already defined at .*mine.toml:3"):
        load_drills(files=[f])
    f.write_text(f.read_text().replace('"framing"', '"juggling"'))
    with pytest.raises(UsageError, match="'skill' must be one of framing"):
        parse_drills(f)
