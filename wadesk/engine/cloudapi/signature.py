"""`X-Hub-Signature-256` of webhook POSTs: HMAC-SHA256 of the raw body with the app secret."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from wadesk.core.enums import SignatureVerdict

HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta would send for `body` signed with `app_secret`."""
    return _PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, header: str | None, app_secrets: Iterable[str]) -> SignatureVerdict:
    """Check `header` against every configured app secret, in constant time per secret."""
    secrets = [s for s in app_secrets if s]
    if not secrets:
        return SignatureVerdict.NO_SECRET
    if not header:
        return SignatureVerdict.MISSING
    if not header.startswith(_PREFIX):
        return SignatureVerdict.INVALID
    given = header[len(_PREFIX) :].strip().lower().encode()
    ok = False
    for secret in secrets:
        # the one-shot digest (OpenSSL, no HMAC object): this is on the webhook's ack path
        expected = hmac.digest(secret.encode(), body, "sha256").hex().encode()
        ok |= hmac.compare_digest(expected, given)
    return SignatureVerdict.VALID if ok else SignatureVerdict.INVALID
