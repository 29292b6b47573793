"""Decide from metadata whether a card describes a generative model.

Content provenance (G7 action 7) is asked only of models that produce new
content; the policy lists which pipeline tags, tags and libraries say so.
"""

from __future__ import annotations

from typing import Any

from g7lint.policy.model import Generative


def is_generative(metadata: dict[str, Any], rules: Generative) -> bool | None:
    """True or False when the metadata says; None when it cannot tell."""
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
