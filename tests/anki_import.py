"""Import packages with the official `anki` library, as the desktop app would (its default options)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest


@dataclass
class ImportLog:
    new: int
    updated: int
    duplicate: int
    conflicting: int


def import_package(collection: Collection, package: Path) -> ImportLog:
    options = collection._backend.get_import_anki_package_presets()
    response = collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))
    log = response.log
    return ImportLog(len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting))


def notes(collection: Collection) -> list:
    return [collection.get_note(nid) for nid in collection.find_notes("")]
