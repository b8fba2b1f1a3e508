"""Writing the package's XML documents: element builder, qualified names, serialisation.

One small helper for the three kinds of XML in an archival package — the METS
documents (``archive.package``), the descriptive and the provenance metadata
(``archive.metadata_xml``) — so that they clean text, format attributes and
serialise the same way. Attributes that are None or empty are left out, booleans
are written ``true``/``false`` (``xs:boolean``), and every text is stripped of
the characters XML 1.0 cannot carry. Serialisation is deterministic: UTF-8,
an XML declaration, pretty-printed, attributes in the order they were given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

# Characters XML 1.0 cannot carry (control characters pasted into a text field).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def text(value: Any) -> str:
    """A string XML can carry (control characters removed)."""
    return _NOT_XML.sub("", str(value)) if value is not None else ""


def attribute(value: Any) -> str:
    """An attribute value: ``true``/``false`` for booleans, else the cleaned text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return text(value)


@dataclass(frozen=True)
class Namespace:
    """Builds the elements of one XML namespace: ``Namespace(uri).sub(parent, "tag")``."""

    uri: str

    def qname(self, tag: str) -> str:
        """``{uri}tag``, lxml's (Clark) notation for a qualified name."""
        return f"{{{self.uri}}}{tag}"

    def root(
        self, tag: str, *, nsmap: dict[str | None, str], attrs: dict[str, Any] | None = None
    ) -> Any:
        """The document element; ``attrs`` as in :meth:`sub`."""
        element = etree.Element(self.qname(tag), nsmap=nsmap)
        _set(element, attrs)
        return element

    def sub(
        self,
        parent: Any,
        tag: str,
        attrs: dict[str, Any] | None = None,
        body: str | None = None,
    ) -> Any:
        """A child element; attributes that are None or empty are left out."""
        element = etree.SubElement(parent, self.qname(tag))
        _set(element, attrs)
        if body:
            element.text = text(body)
        return element


def _set(element: Any, attrs: dict[str, Any] | None) -> None:
    for name, value in (attrs or {}).items():
        if value is None or value == "":
            continue
        element.set(name, attribute(value))


def serialise(root: Any) -> bytes:
    """The document as UTF-8 bytes with an XML declaration, pretty-printed."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
