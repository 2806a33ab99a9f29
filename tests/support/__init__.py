"""Helpers shared by the contract suite and the end-to-end harness."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
