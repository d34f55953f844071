"""`python -m voice_coach` runs the CLI."""

import sys

from voice_coach.cli import main

sys.exit(main())
