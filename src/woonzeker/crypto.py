"""The citizen service number (BSN) at rest: encrypted, found through a keyed hash, shown masked.

* **Encrypted** with AES-256-GCM (authenticated: a changed value or a wrong key
  is an error, never a wrong number). A stored value reads
  ``v1:<key id>:<base64url(nonce + ciphertext + tag)>``; the key id (8 hex
  characters derived from the key, not the key) says which key decrypts it.
  ``settings.BSN_KEYS`` lists the keys, newest first: the first encrypts, every
  one decrypts, so a key is rotated by putting a new one in front and running
  ``manage.py reencrypt_bsns`` before the old one is removed.
* **Found** through ``keyed_hash``: HMAC-SHA256 with ``settings.BSN_HASH_KEY``, a
  separate key, stored in its own indexed column. Equal BSNs have equal hashes,
  so a tenant can be found by BSN without the plain number in the database.
* **Shown** as ``mask``: five asterisks and the last four digits (``*****6789``),
  enough to recognise a number on a letter, never enough to use it.

``EncryptedCharField`` does the first two for a model field: the ORM encrypts on
the way in and decrypts on the way out, and keeps the hash field named by
``hash_field`` in step on every ``save``. Set-based code (the ledger import)
calls ``encrypter`` and ``keyed_hash`` itself.
"""

import base64
import binascii
import functools
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull

VERSION = "v1"
NONCE_BYTES = 12
KEY_BYTES = 32
# Bound into every ciphertext: a value copied from another application with the same key does not decrypt.
ASSOCIATED_DATA = b"woonzeker"
MASK = "*****"
SHOWN_DIGITS = 4
KEY_HELP = (
    'Make a key with: python -c "import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32))'
    '.decode())"'
)


class DecryptionError(Exception):
    """A stored value cannot be decrypted with the configured keys; the message says why (never the value)."""


def _decode_key(text, name):
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name} must be {KEY_BYTES} random bytes in base64. {KEY_HELP}")
    return key


def key_id(key):
    """A short name for a key, safe to store and to show: it does not reveal the key."""
    return hashlib.sha256(b"woonzeker-bsn-key-id:" + key).hexdigest()[:8]


@functools.lru_cache(maxsize=8)
def _keyring(keys):
    if not keys:
        raise ImproperlyConfigured(f"WOONZEKER_BSN_KEYS is not set: the BSN cannot be encrypted. {KEY_HELP}")
    decoded = [_decode_key(text, f"WOONZEKER_BSN_KEYS (key {number})") for number, text in enumerate(keys, 1)]
    return [(key_id(key), AESGCM(key)) for key in decoded]


@functools.lru_cache(maxsize=8)
def _hash_key(text):
    if not text:
        raise ImproperlyConfigured(f"WOONZEKER_BSN_HASH_KEY is not set: a BSN cannot be looked up. {KEY_HELP}")
    return _decode_key(text, "WOONZEKER_BSN_HASH_KEY")


def keyring():
    """``[(key id, cipher), ...]`` for ``settings.BSN_KEYS``, newest first; raises if none or malformed."""
    return _keyring(tuple(settings.BSN_KEYS))


def encrypter():
    """A function that encrypts one text with the newest key (for loops over many values: the key is looked up once)."""
    identifier, cipher = keyring()[0]
    prefix = f"{VERSION}:{identifier}:"
    encrypt_with, random_bytes, encode = cipher.encrypt, os.urandom, base64.urlsafe_b64encode

    def encrypt_one(text):
        if not text:
            return ""
        nonce = random_bytes(NONCE_BYTES)
        return prefix + encode(nonce + encrypt_with(nonce, text.encode(), ASSOCIATED_DATA)).decode()

    return encrypt_one


def encrypt(text):
    """``text`` encrypted with the newest key; '' stays '' (an empty field is not a secret)."""
    return encrypter()(text)


def decrypt(stored):
    """The text of a value made by ``encrypt``; '' stays ''. Raises ``DecryptionError`` with the reason."""
    if not stored:
        return ""
    version, _sep, rest = stored.partition(":")
    identifier, _sep, payload = rest.partition(":")
    if version != VERSION or not payload:
        raise DecryptionError("The stored value is not an encrypted value (was the data migration run?).")
    ciphers = dict(keyring())
    if identifier not in ciphers:
        raise DecryptionError(
            f"The value was encrypted with key {identifier}, which is not in WOONZEKER_BSN_KEYS "
            f"(configured: {', '.join(ciphers)})."
        )
    try:
        raw = base64.urlsafe_b64decode(payload)
        return ciphers[identifier].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], ASSOCIATED_DATA).decode()
    except (InvalidTag, binascii.Error, ValueError):
        raise DecryptionError(
            f"The value does not decrypt with key {identifier}: the key is not the one it was encrypted with, "
            "or the stored value was altered."
        ) from None


def key_of(stored):
    """The id of the key a stored value was encrypted with ('' for an empty value)."""
    return stored.split(":")[1] if stored else ""


def keyed_hash(text):
    """HMAC-SHA256 of ``text`` with the hash key, in hex; '' for ''. Equal texts give equal hashes."""
    return hasher()(text)


def hasher():
    """``keyed_hash`` for loops over many values: the key is decoded once."""
    template = hmac.new(_hash_key(settings.BSN_HASH_KEY), digestmod=hashlib.sha256)

    def hash_one(text):
        if not text:
            return ""
        digest = template.copy()
        digest.update(text.encode())
        return digest.hexdigest()

    return hash_one


def mask(text):
    """``*****6789``: five asterisks and the last four digits; '' for ''."""
    return MASK + text[-SHOWN_DIGITS:] if text else ""


class _EmptyOnlyExact(Exact):
    """``field=''`` works (no value); any other value cannot match a randomised ciphertext, so it is refused."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: look it up through its keyed hash "
                f"({self.lhs.target.hash_field or 'no hash field'}) instead."
            )
        return super().get_prep_lookup()


class EncryptedCharField(models.CharField):
    """Text encrypted at rest, and in a dump; the attribute on the model holds the plain text.

    ``hash_field`` names a field (declared after this one) that ``save`` fills
    with ``keyed_hash`` of the text. Only ``field=''`` and ``isnull`` lookups
    are allowed; ``QuerySet.update`` bypasses the hash, so write through
    ``save`` or set both columns as the ledger import does.
    """

    def __init__(self, *args, hash_field=None, **kwargs):
        self.hash_field = hash_field
        kwargs.setdefault("max_length", 100)  # a nine-digit BSN takes 62 characters encrypted
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def value_to_string(self, obj):
        """Serialised (``dumpdata``, fixtures) encrypted, as at rest: a dump holds no plain text."""
        return encrypt(self.value_from_object(obj) or "")

    def to_python(self, value):
        """A serialised value read back (``loaddata``) is decrypted; plain text, as a form gives it, stays."""
        if isinstance(value, str) and value.startswith(f"{VERSION}:"):
            return decrypt(value)
        return super().to_python(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if self.hash_field:
            setattr(model_instance, self.hash_field, keyed_hash(value or ""))
        return value

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None


@checks.register(checks.Tags.security)
def check_bsn_keys(app_configs=None, **kwargs):
    """woonzeker.E001: the BSN keys must be set (and well-formed) wherever they are not generated (production)."""
    problems = []
    for name, load in (
        ("WOONZEKER_BSN_KEYS", keyring),
        ("WOONZEKER_BSN_HASH_KEY", lambda: _hash_key(settings.BSN_HASH_KEY)),
    ):
        try:
            load()
        except ImproperlyConfigured as error:
            problems.append(checks.Error(str(error), hint=f"Set {name} in the environment.", id="woonzeker.E001"))
    keys = [_decode_key(text, "") for text in settings.BSN_KEYS] if not problems else []
    if settings.BSN_HASH_KEY and any(key == _hash_key(settings.BSN_HASH_KEY) for key in keys):
        problems.append(
            checks.Error(
                "WOONZEKER_BSN_HASH_KEY must differ from every key in WOONZEKER_BSN_KEYS.", id="woonzeker.E002"
            )
        )
    return problems
