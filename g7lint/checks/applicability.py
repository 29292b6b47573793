"""Decide from metadata whether a card describes a generative model.

Content provenance (G7 action 7) is asked only of models that produce new
content; the policy lists which pipeline tags, tags and libraries say so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from g7lint import _core
from g7lint.policy.model import Generative

#: How much of the card's opening prose is read when metadata is silent.
OPENING_CHARS = 4000


def is_generative(
    metadata: dict[str, Any],
    rules: Generative,
    opening: Callable[[], str] = lambda: "",
    text_patterns: tuple[_core.Pattern | None, _core.Pattern | None] = (None, None),
) -> bool | None:
    """True or False when the card says; None when it cannot tell.

    Metadata decides first (pipeline tag, tags, library). Without it, the
    opening prose (computed only then) is weighed: more generative than non-generative wording
    (e.g. "chat", "text-to-speech" against "NER", "embeddings") decides.
    """
    from_metadata = _from_metadata(metadata, rules)
    if from_metadata is not None:
        return from_metadata
    text = opening().lower()  # the patterns are compiled for lower-case text
    if not text:
        return None
    generative_text, non_generative_text = text_patterns
    yes = generative_text.count(text) if generative_text else 0
    no = non_generative_text.count(text) if non_generative_text else 0
    if yes == no:
        return None
    return yes > no


def _from_metadata(metadata: dict[str, Any], rules: Generative) -> bool | None:
    tags = metadata.get("tags")
    tag_list = (
        [tags] if isinstance(tags, str) else [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
    )
    for values, generative, non_generative in (
        ([metadata.get("pipeline_tag")], rules.pipeline_tags, rules.non_generative_pipeline_tags),
        (
            tag_list,
            [*rules.pipeline_tags, *rules.tags],
            [*rules.non_generative_pipeline_tags, *rules.non_generative_tags],
        ),
        ([metadata.get("library_name")], rules.libraries, rules.non_generative_libraries),
    ):
        strings = [value for value in values if isinstance(value, str)]
        if any(value in generative for value in strings):
            return True
        if any(value in non_generative for value in strings):
            return False
    return None
