"""Floor: only start Python and parse the content with PyYAML's C loader.

Every other floor does this too, so run.py subtracts it (start-up and parsing) from their sum.
"""

from _common import load, paths

if __name__ == "__main__":
    for path in paths():
        load(path)
