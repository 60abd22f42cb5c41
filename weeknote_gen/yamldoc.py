"""The one YAML loader: safe, strict, and able to say where every key and value is.

Config files and note front matter both go through `load_yaml`, so both get the same rules:
no implicit timestamps (dates are parsed by us, with located errors), duplicate keys are
errors rather than last-wins, tags such as `!!python/object` are refused, and aliases cannot
expand into a "billion laughs".
"""

from __future__ import annotations

import re
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
    fast = loader_class is not _StrictLoader
    loader = None
    try:
        loader = loader_class(text)  # the pure-Python reader checks characters here
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None), []
        walker = _MarkWalker(path, first_line)
        walker.walk(node, ())
        if walker.problems:
            return None, walker.problems
        value = loader.construct_document(node)
    except yaml.reader.ReaderError as exc:
        return None, [_character_error(exc, text, path, first_line)]
    except yaml.MarkedYAMLError as exc:
        if fast:
            raise
        return None, [_yaml_error(exc, path, first_line)]
    except yaml.YAMLError as exc:
        if fast:
            raise
        return None, [error("yaml.syntax", f"invalid YAML: {exc}", Location(path, first_line))]
    except RecursionError:
        return None, [_too_deep(loader_class, text, path, first_line)]
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDocument(value, walker.key_marks, walker.value_marks), []


MAX_DEPTH = 100  # where a too-deep document is reported; far deeper than anyone writes


def _too_deep(
    loader_class: type[yaml.SafeLoader], text: str, path: str, first_line: int
) -> Diagnostic:
    """Locate the list or mapping that goes too deep, by reading the tokens (which needs no
    recursion), and report it there."""
    location = Location(path, first_line)
    loader = loader_class(text)
    depth = 0
    try:
        while (token := loader.get_token()) is not None:  # type: ignore[no-untyped-call]
            if isinstance(token, _OPENING):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = token.start_mark
                    location = Location(path, mark.line + first_line, mark.column + 1)
                    break
            elif isinstance(token, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return _too_deep_error(location)


_OPENING = (
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
)
_CLOSING = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _character_error(
    exc: yaml.reader.ReaderError, text: str, path: str, first_line: int
) -> Diagnostic:
    """A character YAML refuses (a control character): located by its position in `text`."""
    position = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, position) + first_line
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = exc.character if isinstance(exc.character, int) else ord(str(exc.character))
    return error(
        "yaml.syntax",
        f"invalid YAML: the invisible control character U+{character:04X} is not allowed",
        Location(path, line, column),
        "delete it: it is often pasted in by accident, and most editors do not show it",
    )


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

    def walk(self, node: yaml.Node, path: YamlPath, depth: int = 0) -> None:
        if id(node) in self.visited:
            # An alias: point at where it is used (its key), not at its anchor far above.
            self.value_marks[path] = self.key_marks.get(path, self.mark(node))
            return
        self.visited.add(id(node))
        self.value_marks[path] = self.mark(node)
        if depth >= MAX_DEPTH and isinstance(node, yaml.CollectionNode):
            line, col = self.mark(node)
            self.problems.append(_too_deep_error(Location(self.file, line, col)))
        elif isinstance(node, yaml.MappingNode):
            self.walk_mapping(node, path, depth)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, (*path, index), depth + 1)

    def walk_mapping(self, node: yaml.MappingNode, path: YamlPath, depth: int) -> None:
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line, col = self.mark(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    error(
                        "yaml.key",
                        "a key must be a name, not a list or mapping",
                        Location(self.file, line, col),
                        "write one 'name: value' per line, such as 'title: Week 10'",
                    )
                )
                continue
            key = key_node.value  # the key's text: callers locate keys by str(key)
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
            self.walk(value_node, (*path, key), depth + 1)


def _too_deep_error(location: Location) -> Diagnostic:
    return error(
        "yaml.too-deep",
        f"lists or mappings are nested more than {MAX_DEPTH} deep here, too deep to read",
        location,
        "write each field as text or a plain list, such as theme: [agile, user research]",
    )


_TAG_PREFIX = "tag:yaml.org,2002:"


def _yaml_error(exc: yaml.MarkedYAMLError, path: str, first_line: int) -> Diagnostic:
    """PyYAML's complaint, said in words an author can act on, at the most useful place:
    an unclosed quote or bracket is reported where it opens, not where the text runs out."""
    problem = exc.problem or "the YAML could not be read"
    context = exc.context or ""
    opened_at = False
    hint: str | None = None
    found = re.search(r"found character '(.*)' that cannot start any token", problem)
    tag = re.search(r"for the tag '([^']*)'", problem)
    if "mapping values are not allowed" in problem:
        message = "a ': ' where YAML does not expect one"
        hint = 'a value containing ": " must be put in quotes, such as title: "Week 10: moving"'
    elif found and found.group(1) == "\\t":
        message = "a tab character"
        hint = "YAML does not allow tabs for indentation: use spaces"
    elif found:
        message = f"a value cannot start with '{found.group(1)}'"
        hint = "put the value in quotes"
    elif "quoted scalar" in context and "end of stream" in problem:
        message, opened_at = "this quote is never closed", True
        hint = "add the closing quote at the end of the value"
    elif "flow sequence" in context:
        message, opened_at = "this list in [brackets] is never closed", True
        hint = "add the closing ']' after the last item; quote items containing ',' or ': '"
    elif "flow mapping" in context:
        message, opened_at = "this mapping in {braces} is never closed", True
        hint = "add the closing '}', or put the value in quotes if the braces are text"
    elif tag:
        message = f"the tag {tag.group(1).replace(_TAG_PREFIX, '!!', 1)} is not allowed"
        hint = "remove it: only text, numbers, true/false, lists and 'key: value' lines are read"
    elif "undefined alias" in problem:
        message = problem.replace("found undefined alias", "no &anchor is defined for the alias")
        hint = "an *alias needs an &anchor defined above it; or write the value out"
    elif "unknown escape character" in problem:
        message = problem.replace("found unknown", "unknown")
        hint = "in double quotes a backslash starts an escape: write \\\\ or use single quotes"
    elif "expected <block end>" in problem:
        message = "this line does not line up with the lines above it"
        hint = "indent with spaces so that fields line up, and remove any stray ']' or '}'"
    else:
        message = problem + (f" ({context})" if context and context not in problem else "")
    mark = (exc.context_mark if opened_at else None) or exc.problem_mark or exc.context_mark
    location = (
        Location(path, mark.line + first_line, mark.column + 1)
        if mark is not None
        else Location(path, first_line)
    )
    return error("yaml.syntax", f"invalid YAML: {message}", location, hint)


# Characters that are not text, which a YAML escape in double quotes (such as "\u0001" or
# "\ud800") can write and some of which can be pasted in unseen: controls other than tab and
# newline (C0, DEL and C1), lone surrogates (which cannot even be written out as UTF-8) and the
# noncharacters (U+FDD0 to U+FDEF, and U+xFFFE and U+xFFFF in every plane).
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
    )
    + "]"
)
# YAML's escapes by letter, for the characters above that have one.
_LETTER_ESCAPES = {0x00: "0", 0x07: "a", 0x08: "b", 0x0B: "v", 0x0C: "f", 0x1B: "e", 0x85: "N"}


def odd_character(text: str) -> tuple[str, str] | None:
    """The first character of `text` that is not text, as what is wrong with it (worded to
    follow "holds") and a hint naming the escapes that write it; None when all is well."""
    found = _NOT_TEXT.search(text)
    if found is None:
        return None
    code = ord(found.group())
    name = f"U+{code:04X}"
    if 0xD800 <= code <= 0xDFFF:
        problem = f"{name}, half of a pair of codes with no other half, which is not a character"
    elif code <= 0x9F:
        problem = f"the invisible control character {name}"
    else:
        problem = f"{name}, a code Unicode keeps free and never uses for a character"
    escapes = [f"\\{_LETTER_ESCAPES[code]}"] if code in _LETTER_ESCAPES else []
    if code <= 0xFF:
        escapes.append(f"\\x{code:02x}")
    escapes.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    written = ", ".join(escapes[:-1]) + " or " + escapes[-1] if len(escapes) > 1 else escapes[0]
    hint = (
        f"delete it: look for {written} in double quotes, or type the value again if it was pasted"
    )
    return problem, hint


def dump_front_matter(fields: Mapping[str, object]) -> str:
    """A front matter block for a new note, in the order given, quoting only where YAML must."""
    body = yaml.safe_dump(dict(fields), sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{body}---\n"


def dump_scalar(value: str) -> str:
    """One value as YAML on one line, quoted only where YAML must (`init` writes config.yaml
    line by line, with comments between the keys, so it cannot dump the whole mapping)."""
    return (
        yaml.safe_dump(value, allow_unicode=True, width=10_000, default_style=None)
        .removesuffix("\n...\n")
        .strip()
    )
