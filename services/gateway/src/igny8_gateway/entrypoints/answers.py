"""Answers the gateway shapes itself (every other answer is an owner's reply model from
``igny8_contracts``): how many rows a bulk change touched."""

from __future__ import annotations

from pydantic import BaseModel


class DeletedCount(BaseModel):
    deleted_count: int


class UpdatedCount(BaseModel):
    updated_count: int
