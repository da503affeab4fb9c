"""Our own tokens and the encryption of personal data."""
from __future__ import annotations

import base64
import os

import pytest
from cryptography.exceptions import InvalidTag

from domain.data_crypto import DataCipher
from domain.tokens import TokenInvalid, TokenSigner

KEY1 = base64.b64encode(os.urandom(32)).decode()
KEY2 = base64.b64encode(os.urandom(32)).decode()
LOOKUP = base64.b64encode(os.urandom(32)).decode()


def test_qr_token_is_bound_to_store_table_and_version_and_fits_a_scene():
    signer = TokenSigner("secret")
    token = signer.qr_token(store_id=3, table_id=41, version=2)
    assert len(token) <= 32  # wxacode.getUnlimited scene limit
    claim = signer.parse_qr(token)
    assert (claim.table_id, claim.version) == (41, 2)
    assert signer.verify_qr(claim, 3)
    assert not signer.verify_qr(claim, 4)  # another store
    assert not TokenSigner("other").verify_qr(claim, 3)
    forged = signer.parse_qr(token.replace(".2.", ".3."))
    assert not signer.verify_qr(forged, 3)  # a rotated version needs a new mac


@pytest.mark.parametrize("bad", ["", "a.b", "zz.1.x.y", "a" * 80, "!.1.abc", "0.1.abc", "1.0.abc"])
def test_malformed_qr_tokens_are_refused(bad):
    with pytest.raises(TokenInvalid):
        TokenSigner("secret").parse_qr(bad)


def test_bearer_tokens_keep_to_their_audience_and_expire():
    signer = TokenSigner("secret")
    token = signer.issue("staff", {"s": 1, "v": 1})
    assert signer.read("staff", token, 60) == {"s": 1, "v": 1}
    with pytest.raises(TokenInvalid):
        signer.read("diner", token, 60)
    with pytest.raises(TokenInvalid):
        signer.read("staff", token[:-2] + "xx", 60)
    with pytest.raises(TokenInvalid):
        signer.read("staff", token, -1)  # older than allowed


def test_personal_data_round_trips_and_survives_key_rotation():
    old = DataCipher(f"1:{KEY1}", LOOKUP)
    blob = old.encrypt("oAbCdEf-openid", "openid")
    assert b"oAbCdEf" not in blob
    rotated = DataCipher(f"1:{KEY1},2:{KEY2}", LOOKUP)
    assert rotated.decrypt(blob, "openid") == "oAbCdEf-openid"
    assert rotated.encrypt("x", "openid")[0] == 2  # new data under the newest key
    assert old.lookup_hash("oAbCdEf-openid", "openid") == rotated.lookup_hash("oAbCdEf-openid", "openid")


def test_tampered_or_repurposed_ciphertext_fails():
    c = DataCipher(f"1:{KEY1}", LOOKUP)
    blob = bytearray(c.encrypt("secret", "openid"))
    with pytest.raises(InvalidTag):
        c.decrypt(bytes(blob), "phone")
    blob[-1] ^= 1
    with pytest.raises(InvalidTag):
        c.decrypt(bytes(blob), "openid")


def test_bad_key_configuration_is_refused():
    with pytest.raises(ValueError):
        DataCipher("1:" + base64.b64encode(b"short").decode(), LOOKUP)
    with pytest.raises(ValueError):
        DataCipher("", LOOKUP)
