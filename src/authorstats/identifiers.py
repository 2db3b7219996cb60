"""Pure: DOIs and arXiv ids, however a source or a CSV writes them, in one normal form."""

from __future__ import annotations

import re

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$", re.IGNORECASE)
# arXiv's DOIs (10.48550/arXiv.2105.04906) name the preprint, not a published version.
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:v\d+)?(?:\.pdf)?$", re.IGNORECASE)


def normalise_doi(doi: str | None) -> str:
    """``https://doi.org/10.1/AbC`` or ``doi: 10.1/AbC`` -> ``10.1/abc``; "" for nothing."""
    return _DOI_PREFIX.sub("", (doi or "").strip()).strip().lower()


def doi_from_url(url: str) -> str:
    """The DOI of a ``https://doi.org/10...`` link, lower-case; "" for any other link."""
    match = _DOI_URL.match(url or "")
    return match.group(1).lower() if match else ""


def arxiv_id_from_doi(doi: str) -> str:
    """``10.48550/arXiv.2105.04906`` -> ``2105.04906``; "" for a DOI that is not arXiv's."""
    match = ARXIV_DOI.match(doi or "")
    return match.group(1).lower() if match else ""


def arxiv_id_from_url(url: str) -> str:
    """``https://arxiv.org/abs/2105.04906v2`` (or its PDF) -> ``2105.04906``; "" for other links."""
    match = _ARXIV_URL.search(url or "")
    return match.group(1).lower() if match else ""
