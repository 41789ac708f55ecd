"""Bulk exports over REST: pairings as NDJSON and CSV, the organisational network as Popolo JSON."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/export", tags=["export"])
