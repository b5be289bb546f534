"""``python -m sktag``: the same as the ``sktag`` command."""

import sys

from .cli import main

sys.exit(main())
