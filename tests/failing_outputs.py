"""Renderers that fail as no real one should, to show that the build stays all or nothing."""

from __future__ import annotations

from generator.outputs import Options, Output
from generator.source.model import Content


def render(content: Content, options: Options) -> bytes:
    raise RuntimeError("renderer exploded")


def interrupted(content: Content, options: Options) -> bytes:
    raise KeyboardInterrupt


EXPLODING = Output("anki", "{id}.apkg", __name__, ("timestamp",))


class _Interrupted(Output):
    def render(self, content: Content, options: Options) -> bytes:
        return interrupted(content, options)


INTERRUPTED = _Interrupted("patient", "{id}-patient.pdf", __name__, ("timestamp",))


def replacing(outputs: tuple[Output, ...], broken: Output) -> tuple[Output, ...]:
    """`outputs` with the one of the same name as `broken` replaced by it."""
    return tuple(broken if output.name == broken.name else output for output in outputs)


class _Killed(Output):
    """A renderer whose process dies outright, as a worker killed by the system would."""

    def render(self, content: Content, options: Options) -> bytes:
        import os
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")


KILLED = _Killed("cards", "{id}-cards.pdf", __name__, ("timestamp",))
