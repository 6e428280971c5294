"""``manage.py audit verify|digest|verify-digest``: check and anchor the audit chain."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandError

from audit import keys
from audit.context import bind
from audit.digests import (
    ChainBrokenError,
    digest_directory,
    digest_verify,
    digest_write,
)
from audit.verification import verification_run

# Runs without --as are recorded as "system:cli".
CLI_SYSTEM = "cli"


class Command(BaseCommand):
    help = (
        "Audit log tools. 'verify' recomputes the hash chain, 'digest' writes a signed "
        "digest of its head, 'verify-digest' checks the chain against a digest. "
        "Every check is recorded with who ran it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify,digest,verify-digest}"
        )
        verify = subcommands.add_parser(
            "verify", help="Recompute the hash chain and name the first broken link."
        )
        verify.add_argument(
            "--from", dest="from_seq", type=int, help="First sequence number to check."
        )
        verify.add_argument(
            "--to", dest="to_seq", type=int, help="Last sequence number to check."
        )
        verify.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Check ranges in this many processes (default 1).",
        )
        digest = subcommands.add_parser(
            "digest", help="Verify the chain and write a signed digest of its head."
        )
        check = subcommands.add_parser(
            "verify-digest", help="Check a digest's signature and the chain against it."
        )
        check.add_argument("file", type=Path, help="The digest file (JSON).")
        check.add_argument(
            "--public-key",
            type=Path,
            help="PEM file of the public key to check with (default: this system's).",
        )
        for subparser in (verify, digest, check):
            subparser.add_argument(
                "--as",
                dest="as_user",
                metavar="USERNAME",
                help="record the run as this user (default: system:cli)",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        with bind(via="cli"):
            actor = _acting_user(options["as_user"])
            system = "" if actor is not None else CLI_SYSTEM
            subcommand = options["subcommand"]
            try:
                if subcommand == "verify":
                    self.verify(
                        actor,
                        system,
                        options["from_seq"],
                        options["to_seq"],
                        options["jobs"],
                    )
                elif subcommand == "digest":
                    self.digest(actor, system)
                else:
                    self.verify_digest(
                        actor, system, options["file"], options["public_key"]
                    )
            except keys.SigningKeyError as error:
                raise CommandError(str(error)) from error

    def verify(
        self,
        actor: AbstractBaseUser | None,
        system: str,
        from_seq: int | None,
        to_seq: int | None,
        jobs: int = 1,
    ) -> None:
        """Print the chain's state; raise CommandError at the first broken link."""
        result, _row = verification_run(
            actor=actor, system=system, from_seq=from_seq, to_seq=to_seq, jobs=jobs
        )
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at seq {result.broken_seq}: {result.reason}. "
                f"Expected {result.expected}, found {result.found}. "
                f"Events verified before it: {result.checked}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {result.checked} events checked, "
                f"head seq {result.head_seq}, head hash {result.head_hash}"
            )
        )

    def digest(self, actor: AbstractBaseUser | None, system: str) -> None:
        """Write a signed digest of the chain head and print where."""
        try:
            digest = digest_write(actor=actor, system=system)
        except ChainBrokenError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Digest of seq {digest.seq} (head hash {digest.head_hash}) signed "
                f"with key {digest.key_id}: {digest_directory() / digest.file_name}"
            )
        )

    def verify_digest(
        self,
        actor: AbstractBaseUser | None,
        system: str,
        path: Path,
        public_key_file: Path | None,
    ) -> None:
        """Check a digest; raise CommandError naming the seq where it disagrees."""
        public_key = None
        if public_key_file is not None:
            try:
                public_key = keys.load_public_key_pem(public_key_file.read_bytes())
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read the public key: {error}") from error
        check, _row = digest_verify(
            path, actor=actor, system=system, public_key=public_key
        )
        if not check.ok:
            where = "" if check.broken_seq is None else f" at seq {check.broken_seq}"
            detail = (
                f" Expected {check.expected}, found {check.found}."
                if check.expected
                else ""
            )
            raise CommandError(f"Digest check failed{where}: {check.reason}.{detail}")
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: the signature verifies and the chain's {check.checked} events "
                f"up to seq {check.seq} match the digest."
            )
        )


def _acting_user(username: str | None) -> AbstractBaseUser | None:
    if username is None:
        return None
    model = get_user_model()
    try:
        return model._default_manager.get_by_natural_key(username)
    except model.DoesNotExist as error:
        raise CommandError("--as names no existing user.") from error
