"""`python -m benchmarks [--quick] [--out DIR] [--only ...]`."""

import sys

from .runner import main

sys.exit(main())
