"""One flagged call inside its parsed piece, with the few facts about names the rewrites ask for.

The piece (``pieces.py``) is the libcst tree of the statement around the call; what names
mean there is asked of the file's ``ast`` tree (``names.py``), in the call's scopes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, List, Optional, Set

import libcst as cst
from libcst.helpers import get_full_name_for_node

from ..rules import Finding
from .model import Unfixable
from .names import Names, Qualified, ScopeNode
from .pieces import Parsed

Node = cst.CSTNode


@dataclass
class Site:
    """A finding, the calls that start at its position and the piece they belong to."""

    finding: Finding
    calls: List[cst.Call]
    piece: Parsed
    names: Names
    scopes: List[ScopeNode]  # the call's scopes, innermost first
    helper_module: str

    def pick(self, matches: Callable[[cst.Call], bool]) -> cst.Call:
        for call in self.calls:
            if matches(call):
                return call
        raise Unfixable("no call of the expected shape at the reported position")

    def parent(self, node: Node) -> Optional[Node]:
        return self.piece.parents.get(node)

    def qualified(self, node: Node) -> Set[str]:
        """What ``node`` names (``{"json.dump"}``, ``{"builtins.open"}``); empty for a local value."""
        return {name for name, _ in self._names(node)}

    def imported(self, node: Node) -> bool:
        """True when ``node`` names something imported (``gzip.open``), not a method of a value."""
        return any(imported for _, imported in self._names(node))

    def _names(self, node: Node) -> Set[Qualified]:
        return self.names.qualified(get_full_name_for_node(node), self.scopes)

    def code(self, node: Node) -> str:
        return self.piece.module.code_for_node(node)

    def check_free(self, node: Node, name: str, module: str) -> None:
        """Refuse when ``name`` is bound in the file to anything but ``from module import name``."""
        if self.names.taken(name, module):
            raise Unfixable(f"the name {name} is already bound to something else here")

    def used_elsewhere(self, handle: cst.Name, use: Node) -> bool:
        """The handle name is read anywhere in its scope but at ``use``."""
        return self.names.loads(handle.value, self.scopes[0]) > 1


def mentions(text: str, name: str) -> bool:
    """``name`` occurs in ``text`` as a whole word."""
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", text) is not None
