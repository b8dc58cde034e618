"""Passphrase encryption of secret values in the state file.

Like Pulumi's passphrase secrets provider, a key is derived from the passphrase and a random
salt (PBKDF2-SHA256), the salt is stored with a known encrypted word so that a wrong passphrase
is detected, and every secret is encrypted with a fresh random nonce.

If the ``cryptography`` package is importable the cipher is AES-256-GCM (``v1:`` ciphertexts,
the layout Pulumi uses). Otherwise a keyed stream cipher built from the standard library is used
(``hmacctr1:`` ciphertexts): HMAC-SHA256 in counter mode for the keystream, encrypt-then-MAC
with a separate HMAC-SHA256 key. It keeps plaintext out of the file and detects tampering, but it
is test-grade: it has not been reviewed and must not protect anything real.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

try:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError:  # pragma: no cover - depends on the environment
    AESGCM = None

KDF_ITERATIONS = 10_000
_CHECK_WORD = "pulumi"


class IncorrectPassphraseError(ValueError):
    pass


class PassphraseCipher:
    """Encrypts and decrypts strings with a key derived from a passphrase."""

    def __init__(self, passphrase: str, salt: bytes | None = None) -> None:
        self.salt = salt if salt is not None else os.urandom(8)
        self._key = hashlib.pbkdf2_hmac(
            "sha256", passphrase.encode(), self.salt, KDF_ITERATIONS, dklen=32
        )

    @classmethod
    def from_provider_state(cls, passphrase: str, state: str) -> PassphraseCipher:
        """Rebuild the cipher from the ``salt`` string stored in a checkpoint, checking the
        passphrase against the encrypted check word."""
        version, salt, check = state.split(":", 2)
        if version != "v1":
            raise ValueError(f"unknown secrets provider state {state!r}")
        cipher = cls(passphrase, base64.b64decode(salt))
        try:
            word = cipher.decrypt(check)
        except ValueError as error:
            raise IncorrectPassphraseError("incorrect passphrase") from error
        if word != _CHECK_WORD:
            raise IncorrectPassphraseError("incorrect passphrase")
        return cipher

    def provider_state(self) -> str:
        salt = base64.b64encode(self.salt).decode()
        return f"v1:{salt}:{self.encrypt(_CHECK_WORD)}"

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        data = plaintext.encode()
        if AESGCM is not None:
            sealed = AESGCM(self._key).encrypt(nonce, data, None)
            return f"v1:{_b64(nonce)}:{_b64(sealed)}"
        body = _xor(data, _keystream(self._subkey(b"encrypt"), nonce, len(data)))
        tag = hmac.new(self._subkey(b"authenticate"), nonce + body, hashlib.sha256).digest()
        return f"hmacctr1:{_b64(nonce)}:{_b64(body + tag[:16])}"

    def decrypt(self, ciphertext: str) -> str:
        try:
            scheme, nonce_text, body_text = ciphertext.split(":")
            nonce, sealed = base64.b64decode(nonce_text), base64.b64decode(body_text)
        except ValueError as error:
            raise ValueError("malformed ciphertext") from error
        if scheme == "v1":
            if AESGCM is None:
                raise ValueError("this state was encrypted with AES-GCM; install 'cryptography'")
            try:
                return str(AESGCM(self._key).decrypt(nonce, sealed, None).decode())
            except Exception as error:  # cryptography raises InvalidTag
                raise ValueError("ciphertext does not authenticate") from error
        if scheme != "hmacctr1":
            raise ValueError(f"unknown ciphertext scheme {scheme!r}")
        body, tag = sealed[:-16], sealed[-16:]
        expected = hmac.new(self._subkey(b"authenticate"), nonce + body, hashlib.sha256).digest()
        if not hmac.compare_digest(tag, expected[:16]):
            raise ValueError("ciphertext does not authenticate")
        return _xor(body, _keystream(self._subkey(b"encrypt"), nonce, len(body))).decode()

    def _subkey(self, purpose: bytes) -> bytes:
        return hmac.new(self._key, purpose, hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = []
    for counter in range((length + 31) // 32):
        blocks.append(hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
