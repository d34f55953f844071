"""The shared lexicon concepts (voice_coach/lexicon.py) and their users."""

from __future__ import annotations

import subprocess
import sys

from voice_coach import lexicon
from voice_coach.signals import ramble, signposting


def test_recovery_does_not_load_the_signals() -> None:
    """Speech-recognition recovery needs filled pauses, not the signals package."""
    code = ("import sys, voice_coach.recovery, voice_coach.two_pass; "
            "assert voice_coach.recovery.is_filled('Umm,'); "
            "print(any(m.startswith('voice_coach.signals') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_signposts_are_one_lexicon() -> None:
    """Ramble cuts runs at exactly the signposts that signposting counts."""
    assert ramble.SIGNPOSTS is signposting.SIGNPOSTS is lexicon.SIGNPOSTS


def test_leading_words_step_over_every_filled_pause() -> None:
    """Every spelling of a filled pause is a leading word, and "but" is one only on request."""
    for word in ("um", "umm", "uh", "uhm", "er", "erm", "hmm", "hm", "mm", "ah", "eh"):
        assert lexicon.lead().fullmatch(word), word
    assert not lexicon.lead().fullmatch("but")
    assert lexicon.lead(lexicon.LEAD_BUT).fullmatch("but")
