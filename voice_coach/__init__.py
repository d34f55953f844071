"""voice-coach: a local, private think-aloud coach for spoken interview answers."""

__version__ = "0.1.0"
