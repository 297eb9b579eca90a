"""``python -m flake8_atomic_writes``: the same as the ``flake8-atomic-writes`` command."""

import sys

from .cli import main

sys.exit(main())
