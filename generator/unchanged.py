"""Which outputs need no rendering: those already in the output folder, made from the same content
bytes, with the same options, by the same code and libraries.

The build leaves a small record in the output folder (MANIFEST): for each output file, a key of
what it was made from and the SHA-256 of the bytes written. An output is unchanged when its key is
the same and the file still holds those bytes, so an edited or damaged output is made again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import generator
from generator.outputs import Options, Output

MANIFEST = ".factpack-manifest.json"
LIBRARIES = {"reportlab": "reportlab", "genanki": "genanki", "yaml": "pyyaml", "jinja2": "jinja2", "rdkit": "rdkit",
             "svglib": "svglib", "PIL": "pillow"}  # import name -> distribution name, normalized
IMAGE_NAME = re.compile(r"[^\s\"'{},:\[\]]+\.(?:png|jpe?g|svg)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Made:
    """What the manifest says about one output file."""

    key: str
    topic: str  # the topic id of the content it was made from
    sha256: str
    files: tuple[str, ...] = ()  # every file its output made from that content (a patient sheet's siblings)


@lru_cache(maxsize=1)
def _code() -> str:
    """Our package's files (names, sizes, modification times) and the libraries' installed copies: any
    change to the code that renders, editable installs included, makes every output out of date."""
    digest = hashlib.sha256()
    root = Path(generator.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".ttf", ".txt", ".j2"}:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for module, distribution in LIBRARIES.items():
        digest.update(f"{module}: {_installed(module, distribution)}\n".encode())
    return digest.hexdigest()


def _installed(module: str, distribution: str) -> str:
    """A library's installed copy, found without importing it (and without importlib.metadata, whose
    import alone was a quarter of a no-op rebuild): its distribution record's folder name, which carries
    the version (`jinja2-3.1.6.dist-info`), and the size and time of its package file. A library inside a
    zip file or a frozen application is known by its file's name."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        return "none"
    origin = Path(spec.origin)
    try:
        stat = origin.stat()
        records = sorted(name for name in os.listdir(origin.parent.parent)
                         if name.lower().startswith(f"{distribution}-") and name.endswith(".dist-info"))
    except OSError:
        return str(origin)
    return f"{origin}:{stat.st_size}:{stat.st_mtime_ns} {' '.join(records)}"


def key(content_bytes: bytes, output: Output, options: Options, assets: str = "") -> str:
    """What an output is made from: the content file's bytes, the images beside it, the output, the options
    and the code."""
    digest = hashlib.sha256(content_bytes)
    digest.update(f"\n{assets}\n{output.name}\n{output.options_key(options)}\n{_code()}".encode())
    return digest.hexdigest()


def assets(content_file: Path, content_bytes: bytes) -> str:
    """The images the content may show, by name, size and modification time, so that a changed picture
    makes its outputs out of date without parsing the content: every name in the file that ends in an
    image suffix is looked up beside it (more names than figures use is harmless)."""
    digest = hashlib.sha256()
    folder = content_file.parent
    names = sorted(set(IMAGE_NAME.findall(content_bytes.decode("utf-8", "replace"))))
    for name in names:
        try:
            stat = (folder / name).stat()
        except (OSError, ValueError):
            continue
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def read(out_dir: Path) -> dict[str, Made]:
    """File name -> what made it, from the manifest in `out_dir` (empty if there is none or it is damaged)."""
    try:
        entries = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {name: Made(**(entry | {"files": tuple(entry.get("files", ()))})) for name, entry in entries.items()}
    except (OSError, ValueError, TypeError):
        return {}


def is_current(out_dir: Path, name: str, made: Made) -> bool:
    """Whether the file `name` still holds the bytes the manifest recorded."""
    try:
        return hashlib.sha256((out_dir / name).read_bytes()).hexdigest() == made.sha256
    except OSError:
        return False


def record(made: dict[str, Made]) -> bytes:
    """The manifest's bytes (sorted keys: the same outputs give the same file)."""
    entries = {name: {"key": m.key, "topic": m.topic, "sha256": m.sha256, "files": list(m.files)}
               for name, m in sorted(made.items())}
    return (json.dumps(entries, indent=1, sort_keys=True) + "\n").encode("utf-8")


def made(data: bytes, made_key: str, topic: str, files: tuple[str, ...]) -> Made:
    return Made(made_key, topic, hashlib.sha256(data).hexdigest(), files)


def complete(out_dir: Path, found: dict[str, Made]) -> bool:
    """Whether the files recorded under one key are every file their output made, each still as written:
    a sheet that another version replaced, or one that failed, makes the whole output be made again."""
    return bool(found) and all(set(made.files or (name,)) == set(found) and is_current(out_dir, name, made)
                               for name, made in found.items())
