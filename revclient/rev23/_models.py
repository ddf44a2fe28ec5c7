# generated from specs/rev23.toml by revclient._codegen; do not edit
"""REV23 Cloud API: response models (generated)."""

from datetime import date, datetime

import attrs

from .._models import Id, Model, fields_last, register_models

__all__ = ["Customer"]


@attrs.define(kw_only=True, field_transformer=fields_last)
class Customer(Model):
    """A studio customer (fields named after the REV23 UI; the API's names are not documented)."""

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


register_models(Customer)
