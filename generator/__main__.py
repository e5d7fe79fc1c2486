"""`python -m generator` behaves exactly like the `factpack` console script."""

import sys

from generator.cli import main

sys.exit(main())
