"""YAML from people, read without letting a few hundred bytes take the machine down.

``yaml.safe_load`` builds no arbitrary objects, but it still expands aliases: nine levels of
``a: &a [*b, *b, ...]`` (the "billion laughs") turn a 458-byte index spec into gigabytes of lists,
and an error message that prints the value prints all of it (issue 13). Specs, assumption files and
workspace files never need aliases, so this loader refuses them outright, and bounds the document's
size, its number of nodes and its nesting depth before anything is built. Error messages give the
line and the problem, never a value.

Part of the shared kernel (with :mod:`creativecity.errors` and :mod:`creativecity.fileio`) so that
the engine, the command line and the web app read YAML the same way.
"""

from __future__ import annotations

from typing import Any

import yaml

from creativecity.errors import InputError

#: Largest YAML text read (characters): a full index spec with every step is about 5 000.
MAX_BYTES = 1_000_000
#: Most nodes (scalars, lists, mappings) in one document.
MAX_NODES = 200_000
#: Deepest nesting of lists and mappings (deeper documents exhaust Python's recursion first).
MAX_DEPTH = 64
#: Longest problem text quoted from the parser.
_MAX_PROBLEM = 200


class YamlLimitError(yaml.YAMLError):
    """A document that breaks one of this module's limits (alias, size, nodes or depth)."""

    def __init__(self, problem: str, mark: Any = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class _BoundedLoader(yaml.SafeLoader):
    """``SafeLoader`` that refuses aliases and counts nodes and depth while composing."""

    def __init__(self, stream: str, max_nodes: int, max_depth: int) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0
        self._max_nodes = max_nodes
        self._max_depth = max_depth

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise YamlLimitError(
                "aliases (*name) are not allowed: write the value out where it is needed", event.start_mark
            )
        self._nodes += 1
        if self._nodes > self._max_nodes:
            raise YamlLimitError(
                f"more than {self._max_nodes} values in one document",
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
            )
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                raise YamlLimitError(
                    f"nested deeper than {self._max_depth} levels",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(
    text: str,
    *,
    source: str,
    max_bytes: int = MAX_BYTES,
    max_nodes: int = MAX_NODES,
    max_depth: int = MAX_DEPTH,
    rule: str = "yaml",
) -> Any:
    """Parse one YAML document from untrusted text, within bounds.

    Parameters
    ----------
    text
        The YAML document.
    source
        What error messages call it (a file path, ``"spec"``).
    max_bytes, max_nodes, max_depth
        Limits on the text's length, the number of values and the nesting depth.
    rule
        The rule a syntax error names (callers keep the names their users know).

    Returns
    -------
    The document as plain Python values (dicts, lists, strings, numbers, booleans, ``None``, dates).

    Raises
    ------
    InputError
        With ``file=source``, the line (``row``) where known, and ``rule="yaml"``; the message holds
        the parser's problem (shortened), never the document's values.
    """
    if len(text) > max_bytes:
        raise InputError(
            f"the YAML text is larger than {max_bytes:,} characters", file=source, rule="yaml size"
        )
    loader = _BoundedLoader(text, max_nodes, max_depth)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = str(getattr(exc, "problem", None) or type(exc).__name__)
        if len(problem) > _MAX_PROBLEM:
            problem = problem[:_MAX_PROBLEM] + "…"
        broken = "yaml limits" if isinstance(exc, YamlLimitError) else rule
        raise InputError(f"not valid YAML: {problem}", file=source, row=line, rule=broken) from None
    except RecursionError:
        raise InputError("not valid YAML: nested too deeply", file=source, rule="yaml limits") from None
    finally:
        loader.dispose()
