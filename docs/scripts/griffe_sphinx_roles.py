"""Griffe extension for the documentation site: Sphinx roles in docstrings become links.

equipoise's numpydoc docstrings cross-reference with Sphinx roles (``:func:`run```,
``:class:`~equipoise.scenario.Scenario```, ``:mod:`equipoise.rules.war```), which Markdown
would show as raw text. When mkdocstrings loads the package, this extension rewrites each role
in a docstring into an optional mkdocs-autorefs reference: a link where the object has a page
on the site, plain code where it has none, and never a build warning. Names are resolved in
the scope of the object whose docstring holds them, as Sphinx would, and aliases (names
re-exported by a package) to the object they stand for.

Loaded from mkdocs.yml (``extensions`` of the python handler); not part of the package.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|meth|class|mod|data|attr|exc|obj|const):`([^`]+)`")


def _target(scope: griffe.Object, name: str) -> str:
    """The full path of ``name`` as seen from ``scope``, or ``name`` itself if unknown."""
    head, _, rest = name.partition(".")
    try:
        path = scope.resolve(head)
    except (griffe.NameResolutionError, KeyError, ValueError):
        path = head
    full = f"{path}.{rest}" if rest else path
    root = scope.package
    if not full.startswith(f"{root.path}."):
        return full
    try:
        obj = root.get_member(full[len(root.path) + 1 :])
        return obj.final_target.path if obj.is_alias else obj.path
    except (griffe.AliasResolutionError, griffe.CyclicAliasError, KeyError, ValueError):
        return full


# A role alone on its line names an item of a numpydoc section such as "Functions" or
# "See Also", which the docstring parser reads as a plain name.
_ITEM = re.compile(r"^([ \t]*)" + _ROLE.pattern + r"[ \t]*$", re.M)


def _rewrite(scope: griffe.Object, text: str) -> str:
    text = _ITEM.sub(lambda m: m.group(1) + m.group(2).strip().lstrip("!~"), text)

    def link(match: re.Match[str]) -> str:
        name = match.group(1).strip().lstrip("!")
        short = name.startswith("~")
        name = name.lstrip("~")
        title = name.rsplit(".", 1)[-1] if short else name
        target = _target(scope, name)
        return f'<autoref identifier="{target}" optional><code>{title}</code></autoref>'

    return _ROLE.sub(link, text)


def _objects(obj: griffe.Object) -> Any:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _objects(member)


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx cross-reference roles in every docstring of a loaded package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Rewrite the docstrings of ``pkg`` and everything in it."""
        for obj in _objects(pkg):
            if obj.docstring is not None:
                obj.docstring.value = _rewrite(obj, obj.docstring.value)
