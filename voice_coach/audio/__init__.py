"""The audio edge: decoding files, voice-activity detection, recording and speech output."""
