"""How the build's (content file, output) jobs are spread over the processes.

`schedule.plan` hands every job to exactly one share, makes no more shares than there are workers and no
empty share, keeps whole files together when there are enough files to go round, and splits the outputs
of a lone file so that the long handout runs beside the rest. The same input always gives the same plan.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from generator import schedule
from generator.schedule import MIB, plan

OUTPUTS = ("handout", "patient", "cards", "anki")
KIB = 1024


def _jobs(sizes: dict[Path, int], outputs: tuple[str, ...]) -> Counter:
    return Counter((path, name) for path in sizes for name in outputs)


def _files(share: list[schedule.Job]) -> set[Path]:
    return {path for path, _ in share}


def _check_well_formed(shares: list[list[schedule.Job]], sizes: dict[Path, int],
                       outputs: tuple[str, ...], workers: int) -> None:
    assert Counter(job for share in shares for job in share) == _jobs(sizes, outputs), "each job exactly once"
    assert all(share for share in shares), "no empty share"
    assert len(shares) <= max(workers, 1)


# --- every job exactly once, in at most `workers` non-empty shares ---------------------------------------


@pytest.mark.parametrize("files", [1, 2, 3, 5])
@pytest.mark.parametrize("workers", [1, 2, 3, 4, 8])
def test_every_job_is_planned_exactly_once_in_at_most_workers_nonempty_shares(files: int, workers: int) -> None:
    sizes = {Path(f"f{i}.yaml"): (i + 1) * 100 * KIB for i in range(files)}
    shares = plan(sizes, OUTPUTS, workers)
    _check_well_formed(shares, sizes, OUTPUTS, workers)


def test_more_workers_than_jobs_gives_one_share_per_job_at_most() -> None:
    sizes = {Path("a.yaml"): 200 * KIB}
    shares = plan(sizes, ("handout",), 4)
    assert shares == [[(Path("a.yaml"), "handout")]]


def test_one_worker_gets_one_share_with_every_job() -> None:
    sizes = {Path("a.yaml"): 300 * KIB, Path("b.yaml"): 50 * KIB, Path("c.yaml"): 2 * MIB}
    shares = plan(sizes, OUTPUTS, 1)
    assert len(shares) == 1
    assert Counter(shares[0]) == _jobs(sizes, OUTPUTS)


@pytest.mark.parametrize("workers", [0, -3])
def test_no_workers_is_treated_as_one(workers: int) -> None:
    sizes = {Path("a.yaml"): 300 * KIB}
    shares = plan(sizes, OUTPUTS, workers)
    assert len(shares) == 1
    assert Counter(shares[0]) == _jobs(sizes, OUTPUTS)


def test_no_files_or_no_outputs_gives_no_shares() -> None:
    assert plan({}, OUTPUTS, 4) == []
    assert plan({Path("a.yaml"): 100 * KIB}, (), 4) == []


# --- one file on two workers: the handout beside everything else ------------------------------------------


@pytest.mark.parametrize("size", [64 * KIB, 180 * KIB, 1 * MIB, 3 * MIB, 30 * MIB])
def test_one_file_on_two_workers_runs_the_handout_beside_cards_and_anki(size: int) -> None:
    """Both processes load the one file; the handout (the longest output) goes to one of them, with at
    most the small patient sheet, and the cards and the Anki deck go to the other."""
    path = Path("ketamine.yaml")
    shares = plan({path: size}, OUTPUTS, 2)
    assert len(shares) == 2
    names = [{name for _, name in share} for share in shares]
    with_handout = next(share for share in names if "handout" in share)
    other = next(share for share in names if "handout" not in share)
    assert with_handout <= {"handout", "patient"}
    assert {"cards", "anki"} <= other
    assert all(_files(share) == {path} for share in shares)


def test_one_file_with_only_handout_and_cards_puts_them_in_different_shares() -> None:
    shares = plan({Path("a.yaml"): 1 * MIB}, ("handout", "cards"), 2)
    assert sorted(name for share in shares for _, name in share) == ["cards", "handout"]
    assert len(shares) == 2


# --- several files: whole files per share, no file loaded twice -------------------------------------------


@pytest.mark.parametrize("size", [1, 5 * KIB, 100 * KIB, 1 * MIB, 3 * MIB])
@pytest.mark.parametrize("outputs", [OUTPUTS, ("handout",), ("cards", "anki"), ("patient",)])
def test_four_equal_files_on_two_workers_are_split_two_whole_files_each(size: int, outputs) -> None:
    sizes = {Path(f"{name}.yaml"): size for name in "abcd"}
    shares = plan(sizes, outputs, 2)
    _check_well_formed(shares, sizes, outputs, 2)
    assert len(shares) == 2
    first, second = (_files(share) for share in shares)
    assert not first & second, "no file is loaded by both processes"
    assert len(first) == len(second) == 2
    for share in shares:  # each share holds every output of its files
        assert Counter(share) == _jobs({path: sizes[path] for path in _files(share)}, outputs)


def test_two_equal_files_on_two_workers_one_file_each() -> None:
    sizes = {Path("a.yaml"): 500 * KIB, Path("b.yaml"): 500 * KIB}
    shares = plan(sizes, OUTPUTS, 2)
    assert sorted(map(_files, shares), key=sorted) == [{Path("a.yaml")}, {Path("b.yaml")}]


# --- deterministic ----------------------------------------------------------------------------------------


SIZES = {Path("a.yaml"): 300_000, Path("b.yaml"): 1_200_000, Path("c.yaml"): 50_000, Path("d.yaml"): 2_500_000}


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
def test_the_same_input_gives_the_same_plan(workers: int) -> None:
    first = plan(dict(SIZES), OUTPUTS, workers)
    assert all(plan(dict(SIZES), OUTPUTS, workers) == first for _ in range(5))


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
def test_without_tied_costs_the_order_of_the_files_does_not_matter(workers: int) -> None:
    """With different sizes and outputs whose cost grows with the size, no two jobs cost the same, so the
    plan is the same whatever order the files are given in. (The patient sheet costs the same for every
    file; then the file order breaks the tie, as the next test shows.)"""
    outputs = ("handout", "cards", "anki")
    expected = plan(SIZES, outputs, workers)
    for order in itertools.permutations(SIZES):
        assert plan({path: SIZES[path] for path in order}, outputs, workers) == expected


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
def test_the_order_of_the_outputs_does_not_matter(workers: int) -> None:
    expected = plan(SIZES, OUTPUTS, workers)
    for order in itertools.permutations(OUTPUTS):
        assert plan(SIZES, order, workers) == expected


def test_equal_jobs_are_taken_in_file_order() -> None:
    """Ties (here: four equal files) go in file order: the first file to the first share, and so on."""
    sizes = {Path(f"{name}.yaml"): 100 * KIB for name in "dcba"}
    shares = plan(sizes, ("handout",), 4)
    assert shares == [[(path, "handout")] for path in sizes]


# --- property ---------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 3 * MIB), min_size=1, max_size=6),
    outputs=st.sets(st.sampled_from(OUTPUTS), min_size=1).map(lambda names: tuple(n for n in OUTPUTS if n in names)),
    workers=st.integers(1, 4),
)
def test_any_input_plans_each_job_once_in_at_most_workers_nonempty_shares(sizes, outputs, workers) -> None:
    files = {Path(f"f{i}.yaml"): size for i, size in enumerate(sizes)}
    shares = plan(files, outputs, workers)
    _check_well_formed(shares, files, outputs, workers)
    assert plan(dict(files), outputs, workers) == shares, "deterministic"
    assert len(shares) <= len(files) * len(outputs)
