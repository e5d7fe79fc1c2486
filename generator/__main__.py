"""`python -m generator` behaves exactly like the `factpack` console script."""

from generator.cli import run

run()
