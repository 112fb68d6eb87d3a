"""`X-Hub-Signature-256` signing and verification over the raw body bytes."""

from __future__ import annotations

import hashlib
import hmac
import json

from wadesk.core.enums import SignatureVerdict
from wadesk.engine.cloudapi.signature import HEADER, sign, verify

SECRET = "0123456789abcdef0123456789abcdef"
BODY = b'{"object":"whatsapp_business_account","entry":[]}'


def test_header_name() -> None:
    assert HEADER == "X-Hub-Signature-256"


def test_sign_matches_hmac_sha256() -> None:
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert sign(BODY, SECRET) == "sha256=" + expected


def test_valid() -> None:
    assert verify(BODY, sign(BODY, SECRET), [SECRET]) is SignatureVerdict.VALID


def test_invalid_body_or_secret() -> None:
    header = sign(BODY, SECRET)
    assert verify(BODY + b" ", header, [SECRET]) is SignatureVerdict.INVALID
    assert verify(BODY, header, ["another-secret"]) is SignatureVerdict.INVALID
    assert verify(BODY, "sha256=" + "0" * 64, [SECRET]) is SignatureVerdict.INVALID
    assert verify(BODY, "sha256=", [SECRET]) is SignatureVerdict.INVALID


def test_missing_header() -> None:
    assert verify(BODY, None, [SECRET]) is SignatureVerdict.MISSING
    assert verify(BODY, "", [SECRET]) is SignatureVerdict.MISSING


def test_wrong_prefix() -> None:
    digest = sign(BODY, SECRET).removeprefix("sha256=")
    assert verify(BODY, "sha1=" + digest, [SECRET]) is SignatureVerdict.INVALID
    assert verify(BODY, digest, [SECRET]) is SignatureVerdict.INVALID


def test_uppercase_hex_accepted() -> None:
    digest = sign(BODY, SECRET).removeprefix("sha256=")
    assert verify(BODY, "sha256=" + digest.upper(), [SECRET]) is SignatureVerdict.VALID


def test_multiple_secrets_one_matching() -> None:
    header = sign(BODY, SECRET)
    assert verify(BODY, header, ["old-secret", SECRET, "x"]) is SignatureVerdict.VALID
    assert verify(BODY, header, ["old-secret", "x"]) is SignatureVerdict.INVALID


def test_no_secrets() -> None:
    header = sign(BODY, SECRET)
    assert verify(BODY, header, []) is SignatureVerdict.NO_SECRET
    assert verify(BODY, header, ["", ""]) is SignatureVerdict.NO_SECRET
    assert verify(BODY, None, []) is SignatureVerdict.NO_SECRET


def test_escaped_unicode_body_is_signed_over_raw_bytes() -> None:
    payload = {"name": "äöå Анна"}
    raw = json.dumps(payload).encode()  # ensure_ascii: \u00e4... as Meta sends
    assert b"\\u00e4" in raw
    header = sign(raw, SECRET)
    assert verify(raw, header, [SECRET]) is SignatureVerdict.VALID
    reencoded = json.dumps(json.loads(raw), ensure_ascii=False).encode()
    assert reencoded != raw
    assert verify(reencoded, header, [SECRET]) is SignatureVerdict.INVALID
