"""The YAML loader behind documents.parse: plain safe YAML, no aliases, no duplicate
keys, nothing over the limits of the format (limits.py), and every mapping and list
remembers the line it started on, so a problem can be reported where the admin will
find it."""

from __future__ import annotations

import re

import yaml
from django.utils.translation import gettext as _

from frameworks.limits import LISTS, NUMBER_DIGITS, YAML_DEPTH, YAML_VALUES


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


class LimitError(yaml.MarkedYAMLError):
    """The file is over a limit of the format (limits.py): refused while it is read."""


class Loader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys and aliases, records line numbers, and
    stops reading at the first limit passed: nesting, a list's length, the number of
    values. The scanner and parser keep their state in lists, but composing (and each
    step after it) recurses once per level; and reading a long list costs seconds (a
    scale of 33,000 levels, 0.9 MB, took 26 s), so it must stop at the cap, not after."""

    def __init__(self, stream):
        super().__init__(stream)
        self.keys: list = []  # the key or index of each node being composed, outermost first
        self.values = 0

    def _refuse(self, message: str):
        raise LimitError(None, None, message, self.peek_event().start_mark)

    def compose_node(self, parent, index):
        # An alias repeats a node without repeating its bytes, so a small file could
        # expand far past the size limit ("billion laughs"). The format needs none.
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, _("aliases (*name) are not allowed"), self.peek_event().start_mark
            )
        if len(self.keys) >= YAML_DEPTH:
            self._refuse(_("nested more than %(n)d levels deep") % {"n": YAML_DEPTH})
        self.values += 1
        if self.values > YAML_VALUES:
            self._refuse(
                _("more than %(n)s values: far more than a framework holds")
                % {"n": f"{YAML_VALUES:,}"}
            )
        if isinstance(parent, yaml.SequenceNode) and self.keys:
            name = getattr(self.keys[-1], "value", None)
            cap, message = LISTS.get(name, (None, ""))
            if cap is not None and index >= cap:
                self._refuse(message % {"n": cap})
        self.keys.append(index)
        try:
            return super().compose_node(parent, index)
        finally:
            self.keys.pop()


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
