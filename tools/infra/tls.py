"""Test certificates: a private CA and a server certificate for ``localhost`` / ``127.0.0.1``.

Made with ``cryptography`` (a dev dependency) for the TLS suites of Kafka and PostgreSQL. Every
file is PEM: ``ca.pem`` (the CA's certificate: the clients' trust store), ``server.pem`` (the
server's certificate followed by the CA's: the chain), ``server.key`` (PKCS#8, unencrypted),
``keystore.pem`` (key then chain, the single file Kafka's ``ssl.keystore.type=PEM`` reads).
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: Certificates are valid from a day ago (clock skew) for this many days.
_VALID_DAYS = 30


@dataclass(frozen=True, slots=True)
class Pki:
    """The files of one test PKI, all in ``folder``."""

    folder: Path

    @property
    def ca_file(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def cert_file(self) -> Path:
        return self.folder / "server.pem"

    @property
    def key_file(self) -> Path:
        return self.folder / "server.key"

    @property
    def keystore_file(self) -> Path:
        return self.folder / "keystore.pem"


def make_pki(
    folder: Path,
    *,
    hosts: tuple[str, ...] = ("localhost", "127.0.0.1"),
    now: datetime.datetime | None = None,
    name: str = "leadflow test",
) -> Pki:
    """Write a fresh CA and a server certificate for ``hosts`` (DNS names or IPs) in ``folder``."""
    start = (now or datetime.datetime.now(datetime.UTC)) - datetime.timedelta(days=1)
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} CA")])
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), start)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    cert = (
        _builder(subject, ca_name, key.public_key(), start)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(_names(hosts)), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pki = Pki(folder)
    ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca_pem
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pki.ca_file.write_bytes(ca_pem)
    pki.cert_file.write_bytes(chain)
    pki.key_file.write_bytes(key_pem)
    pki.key_file.chmod(0o600)
    pki.keystore_file.write_bytes(key_pem + chain)
    pki.keystore_file.chmod(0o600)
    return pki


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    start: datetime.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=_VALID_DAYS))
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _names(hosts: tuple[str, ...]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names
