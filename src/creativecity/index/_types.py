"""Small types shared by the engine's modules."""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(done, total)``: how the engine reports long work. The engine prints nothing; a command
#: line turns the calls into a bar (``creativecity.cli._support.progress_bar``), a web app into a status.
Progress = Callable[[int, int], None]
