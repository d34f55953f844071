"""Reports: one model (:mod:`.model`) and a renderer per format."""

from voice_coach.report.model import SCHEMA, build_report

__all__ = ["SCHEMA", "build_report"]
