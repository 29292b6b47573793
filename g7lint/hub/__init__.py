"""The Hugging Face Hub: lint one model, scan thousands, or a parquet dump of all cards."""

from __future__ import annotations

from g7lint.hub.dump import scan_dump
from g7lint.hub.records import ScanRecord
from g7lint.hub.scan import HubQuery, HubSettings, lint_hub, parse_hub_uri, scan_hub

__all__ = ["HubQuery", "HubSettings", "ScanRecord", "lint_hub", "parse_hub_uri", "scan_dump", "scan_hub"]
