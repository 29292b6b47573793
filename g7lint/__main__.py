"""``python -m g7lint``: the same as the ``g7lint`` command."""

import sys

from g7lint.cli import main

sys.exit(main())
