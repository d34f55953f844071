"""The audio edge: decoding files, voice-activity detection, recording and speech output."""

SAMPLE_RATE = 16_000
"""All audio inside voice-coach is mono at this rate: what Whisper and the VAD take."""
