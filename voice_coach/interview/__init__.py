"""``voice-coach interview``: a whole recorded mock interview, split into questions and answers.

conversation (who said which word) -> split (questions, the candidate's answers) -> build
(one ``voice-coach.report/1`` per answer, a summary) -> ``voice-coach.interview/1``.
The audio edge is :mod:`voice_coach.interview.service`; everything else is pure.
"""

SCHEMA = "voice-coach.interview/1"
"""The interview object's contract (docs/interview-schema.json)."""
