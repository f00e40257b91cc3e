"""The YAML loader behind documents.parse: plain safe YAML, no aliases, no duplicate
keys, no nesting deeper than limits.YAML_DEPTH, no integer longer than
limits.NUMBER_DIGITS, and every mapping and list remembers the line it started on, so a
problem can be reported where the admin will find it."""

from __future__ import annotations

import re

import yaml
from django.utils.translation import gettext as _

from frameworks.limits import NUMBER_DIGITS, YAML_DEPTH


class Located:
    """Mixin: remembers the line of each key or item (1-based) and of the node itself."""

    line: int = 0

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LDict(dict, Located):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict = {}


class LList(list, Located):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict = {}


class Loader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys, aliases, deep nesting and long numbers,
    and records line numbers."""

    depth = 0

    def compose_node(self, parent, index):
        # An alias repeats a node without repeating its bytes, so a small file could
        # expand far past the size limit ("billion laughs"). The format needs none.
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, _("aliases (*name) are not allowed"), self.peek_event().start_mark
            )
        # The scanner and parser keep their state in lists, but composing (and each step
        # after it) recurses once per level: stop long before Python's recursion limit.
        if self.depth >= YAML_DEPTH:
            raise yaml.composer.ComposerError(
                None,
                None,
                _("nested more than %(n)d levels deep") % {"n": YAML_DEPTH},
                self.peek_event().start_mark,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_mapping(loader: Loader, node: yaml.MappingNode) -> LDict:
    result = LDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("keys must be text, found %(key)r") % {"key": key},
                key_node.start_mark,
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, _("duplicate key '%(key)s'") % {"key": key}, key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Loader, node: yaml.SequenceNode) -> LList:
    result = LList()
    result.line = node.start_mark.line + 1
    for index, child in enumerate(node.value):
        result.append(loader.construct_object(child, deep=True))
        result.lines[index] = child.start_mark.line + 1
    return result


def _construct_int(loader: Loader, node: yaml.ScalarNode) -> int:
    # Python refuses to convert more than 4,300 digits, in words about Python; no value
    # of the format needs more than NUMBER_DIGITS.
    if len(re.sub(r"^[-+]?(0[xob])?|[_:]", "", node.value)) > NUMBER_DIGITS:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            _("a number has more than %(n)d digits") % {"n": NUMBER_DIGITS},
            node.start_mark,
        )
    return loader.construct_yaml_int(node)


Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
