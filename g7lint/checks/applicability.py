"""Decide from metadata whether a card describes a generative model.

Content provenance (G7 action 7) is asked only of models that produce new
content; the policy lists which pipeline tags, tags and libraries say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from g7lint.policy.model import Generative

#: How much of the card's opening prose is read when metadata is silent.
OPENING_CHARS = 4000


def is_generative(
    metadata: dict[str, Any],
    rules: Generative,
    opening: Callable[[], str] = lambda: "",
    text_patterns: tuple[re.Pattern[str] | None, re.Pattern[str] | None] = (None, None),
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
    yes = len(generative_text.findall(text)) if generative_text else 0
    no = len(non_generative_text.findall(text)) if non_generative_text else 0
    if yes == no:
        return None
    return yes > no


def _from_metadata(metadata: dict[str, Any], rules: Generative) -> bool | None:
    pipeline_tag = metadata.get("pipeline_tag")
    if isinstance(pipeline_tag, str):
        if pipeline_tag in rules.pipeline_tags:
            return True
        if pipeline_tag in rules.non_generative_pipeline_tags:
            return False
    tags = metadata.get("tags")
    tag_set = {t for t in tags if isinstance(t, str)} if isinstance(tags, list) else set()
    if isinstance(tags, str):
        tag_set = {tags}
    if tag_set & set(rules.pipeline_tags) or tag_set & set(rules.tags):
        return True
    if tag_set & set(rules.non_generative_pipeline_tags) or tag_set & set(rules.non_generative_tags):
        return False
    library = metadata.get("library_name")
    if isinstance(library, str):
        if library in rules.libraries:
            return True
        if library in rules.non_generative_libraries:
            return False
    return None
