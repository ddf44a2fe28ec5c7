# generated from specs/rev23.toml by revclient._codegen; do not edit
"""REV23 Cloud API: response models (generated)."""

from datetime import date, datetime
from typing import Any

import attrs

from .._models import Id, Model, register_models

__all__ = ["Customer"]


@attrs.define(kw_only=True)
class Customer(Model):
    """A studio customer (fields named after the REV23 UI; the API's names are not documented).

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    id: Id | None = None
    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    nickname: str | None = None
    email: str | None = None
    phone_number: str | None = None
    birthdate: date | None = None
    gender: str | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    occupation: str | None = None
    notes: str | None = None
    created_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


register_models(Customer)
