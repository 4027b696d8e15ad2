# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Store a trained model as bytes that only this database can load back.

A scikit-learn model is a pickle, and unpickling runs code: a model read
from an attachment anybody could replace would be a way into the server.
So the bytes carry an HMAC-SHA256 of the pickle keyed by the database's
secret (``database.secret``), checked before anything is unpickled.
"""

import hashlib
import hmac
import pickle

MAGIC = b"DUNNING-MODEL-1\n"
DIGEST_SIZE = hashlib.sha256().digest_size


class ModelSignatureError(ValueError):
    """The stored bytes were not signed by this database: never unpickled."""


def _signature(payload, secret):
    return hmac.new(secret.encode(), payload, hashlib.sha256).digest()


def dumps(obj, secret):
    """Return the signed bytes of obj (MAGIC, signature, pickle)."""
    if not secret:
        raise ValueError("A secret is needed to sign a model.")
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + _signature(payload, secret) + payload


def loads(blob, secret):
    """Return the object of signed bytes, or raise ModelSignatureError.

    The signature is checked in constant time before unpickling.
    """
    if not secret or not blob or not blob.startswith(MAGIC):
        raise ModelSignatureError("Not a signed model.")
    signature = blob[len(MAGIC) : len(MAGIC) + DIGEST_SIZE]
    payload = blob[len(MAGIC) + DIGEST_SIZE :]
    if not hmac.compare_digest(signature, _signature(payload, secret)):
        raise ModelSignatureError("The model's signature does not match.")
    return pickle.loads(payload)  # noqa: S301 -- signed by this database
