"""The one YAML loader: safe, strict, and able to say where every key and value is.

Config files and note front matter both go through `load_yaml`, so both get the same rules:
no implicit timestamps (dates are parsed by us, with located errors), duplicate keys are
errors rather than last-wins, tags such as `!!python/object` are refused, and aliases cannot
expand into a "billion laughs".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml

from weeknote_gen.errors import Diagnostic, Location, error

YamlPath = tuple[str | int, ...]


_RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: we parse dates ourselves to give located errors.

    This pure-Python parser also words syntax errors best, so it reports them."""

    yaml_implicit_resolvers = _RESOLVERS


class _FastStrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same rules on libyaml's parser (in PyYAML's wheels): several times faster, used
    first; a document it rejects is read again by `_StrictLoader` for the clearer message."""

    yaml_implicit_resolvers = _RESOLVERS


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """A parsed YAML mapping plus the positions of its keys and values, by key path."""

    value: object
    key_marks: Mapping[YamlPath, tuple[int, int]] = field(default_factory=dict)
    value_marks: Mapping[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: str, yaml_path: YamlPath, *, key: bool = False) -> Location:
        """The location of a value (or of its key), falling back to the nearest parent."""
        marks = self.key_marks if key else self.value_marks
        probe = yaml_path
        while probe:
            if probe in marks:
                line, col = marks[probe]
                return Location(path, line, col)
            probe = probe[:-1]
        return Location(path, self.value_marks.get((), (1, 1))[0])


def load_yaml(
    text: str, path: str, *, first_line: int = 1
) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one YAML document safely; report syntax problems and duplicate keys, located.

    `first_line` is the file line on which `text` starts, so front matter errors point at the
    right line of the note rather than of the extracted block.
    """
    try:
        return _load(_FastStrictLoader, text, path, first_line)
    except yaml.YAMLError:
        return _load(_StrictLoader, text, path, first_line)


def _load(
    loader_class: type[yaml.SafeLoader], text: str, path: str, first_line: int
) -> tuple[YamlDocument | None, list[Diagnostic]]:
    loader = loader_class(text)
    fast = loader_class is not _StrictLoader
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None), []
        walker = _MarkWalker(path, first_line)
        walker.walk(node, ())
        if walker.problems:
            return None, walker.problems
        value = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        if fast:
            raise
        return None, [_yaml_error(exc, path, first_line)]
    except yaml.YAMLError as exc:
        if fast:
            raise
        return None, [error("yaml.syntax", f"invalid YAML: {exc}", Location(path, first_line))]
    except RecursionError:
        return None, [
            error("yaml.too-deep", "YAML is nested too deeply to read", Location(path, first_line))
        ]
    finally:
        loader.dispose()
    return YamlDocument(value, walker.key_marks, walker.value_marks), []


class _MarkWalker:
    """Records where every key and value is, and finds duplicate keys, before construction.

    Each node is visited once: an alias points back at a node already seen, so a document of
    nested aliases (a "billion laughs") costs no more than its text.
    """

    def __init__(self, file: str, first_line: int) -> None:
        self.file = file
        self.first_line = first_line
        self.key_marks: dict[YamlPath, tuple[int, int]] = {}
        self.value_marks: dict[YamlPath, tuple[int, int]] = {}
        self.problems: list[Diagnostic] = []
        self.visited: set[int] = set()

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + self.first_line, node.start_mark.column + 1

    def walk(self, node: yaml.Node, path: YamlPath) -> None:
        if id(node) in self.visited:
            return
        self.visited.add(id(node))
        self.value_marks[path] = self.mark(node)
        if isinstance(node, yaml.MappingNode):
            self.walk_mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, (*path, index))

    def walk_mapping(self, node: yaml.MappingNode, path: YamlPath) -> None:
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # reported when the mapping is validated
            key = key_node.value  # the key's text: callers locate keys by str(key)
            line, col = self.mark(key_node)
            if key in seen:
                self.problems.append(
                    error(
                        "yaml.duplicate-key",
                        f"key '{key}' appears twice (first on line {seen[key]})",
                        Location(self.file, line, col),
                        "delete one of them: YAML keeps only one value per key",
                    )
                )
                continue
            seen[key] = line
            self.key_marks[(*path, key)] = (line, col)
            self.walk(value_node, (*path, key))


_YAML_HINTS = (
    ("mapping values are not allowed", "a value containing ': ' must be put in quotes"),
    ("cannot start any token", "YAML does not allow tabs for indentation: use spaces"),
    ("found unexpected end of stream", "look for a quote or bracket that is never closed"),
    ("expected ',' or ']'", "look for a list in [brackets] that is never closed"),
    ("expected ',' or '}'", "look for a mapping in {braces} that is never closed"),
    ("could not determine a constructor", "YAML tags such as !!python/object are not allowed"),
    ("found undefined alias", "an *alias needs an &anchor defined before it"),
)


def _yaml_error(exc: yaml.MarkedYAMLError, path: str, first_line: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    location = (
        Location(path, mark.line + first_line, mark.column + 1)
        if mark is not None
        else Location(path, first_line)
    )
    problem = exc.problem or "the YAML could not be read"
    message = f"invalid YAML: {problem}"
    if exc.context and exc.context not in problem:
        message += f" ({exc.context})"
    hint = next((h for needle, h in _YAML_HINTS if needle in message), None)
    return error("yaml.syntax", message, location, hint)


def dump_front_matter(fields: Mapping[str, object]) -> str:
    """A front matter block for a new note, in the order given, quoting only where YAML must."""
    body = yaml.safe_dump(dict(fields), sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{body}---\n"
