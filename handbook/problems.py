"""Problems found in data/: each names the file, the line where it can, what is wrong and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}. To fix: {self.fix}."


class DataError(Exception):
    """One or more problems in data/; the build stops and nothing is written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice, which plain YAML silently overwrites."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        """A date YAML recognises but the calendar lacks ('2025-02-30') stays text, for the file's own
        check to report with its line; plain PyYAML raises a ValueError that names neither."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _UniqueKeyLoader.construct_yaml_timestamp)


def load_yaml(text: str):
    return yaml.load(text, Loader=_UniqueKeyLoader)


class Located(dict):
    """A YAML mapping that remembers its line and the line of each key, for error messages."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key) -> int | None:
        return self.key_lines.get(key, self.line)


class _LocatingLoader(_UniqueKeyLoader):
    def construct_mapping(self, node, deep=False):
        mapping = Located(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {self.construct_object(key, deep=True): key.start_mark.line + 1 for key, _ in node.value}
        return mapping


_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LocatingLoader.construct_mapping)


def load_yaml_lines(text: str):
    """Like load_yaml, but every mapping is a Located dict."""
    return yaml.load(text, Loader=_LocatingLoader)
def yaml_lines(text: str) -> dict[tuple, int]:
    """The line of every key and list item of a YAML document, by its path: ('themes', 'china', 'terms').

    For error messages only; call it after load_yaml has accepted the text.
    """
    lines: dict[tuple, int] = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[path + (key.value,)] = key.start_mark.line + 1
                walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[path + (index,)] = item.start_mark.line + 1
                walk(item, path + (index,))

    walk(yaml.compose(text, Loader=yaml.SafeLoader), ())
    return lines


def yaml_problem(path: Path, error: yaml.YAMLError, line_offset: int = 1) -> Problem:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + line_offset if mark else None
    problem = getattr(error, "problem", None) or str(error).split("\n")[0]
    return Problem(path, line, f"not valid YAML: {problem}",
                   "check quotes, colons and indentation; give each key only once")
