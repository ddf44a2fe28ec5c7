"""Minimal HS256 JSON Web Tokens (stdlib only) for the sandbox's Rev.io PSA auth."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

__all__ = ["InvalidTokenError", "decode_hs256", "encode_hs256"]

_HEADER = {"alg": "HS256", "typ": "JWT"}


class InvalidTokenError(ValueError):
    """The token is malformed or its signature does not verify."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _json(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()


def encode_hs256(claims: dict[str, Any], secret: bytes) -> str:
    """Return a compact JWS (``header.payload.signature``) signed with HMAC-SHA256."""
    signing_input = f"{_b64encode(_json(_HEADER))}.{_b64encode(_json(claims))}"
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64encode(signature)}"


def decode_hs256(token: str, secret: bytes) -> dict[str, Any]:
    """Verify ``token`` and return its claims; raise :class:`InvalidTokenError` otherwise.

    Expiry is not checked here: the caller decides what an expired token means.
    """
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidTokenError("not a compact JWS")
    header_b64, payload_b64, signature_b64 = parts
    try:
        expected = hmac.new(
            secret, f"{header_b64}.{payload_b64}".encode("ascii"), hashlib.sha256
        ).digest()
        if not hmac.compare_digest(expected, _b64decode(signature_b64)):
            raise InvalidTokenError("bad signature")
        header = json.loads(_b64decode(header_b64))
        claims = json.loads(_b64decode(payload_b64))
    except (ValueError, UnicodeError) as exc:  # binascii.Error and JSONDecodeError included
        raise InvalidTokenError("malformed token") from exc
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        raise InvalidTokenError("unexpected algorithm")
    if not isinstance(claims, dict):
        raise InvalidTokenError("claims are not an object")
    return claims
