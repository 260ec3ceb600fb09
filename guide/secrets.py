"""Values the person supplies, and masking them everywhere they could leak.

Personal data (password, e-mail, identifiant) never reaches a report, a trace, a log or a
screenshot: every text leaving the tool goes through `Values.mask`.
"""

from __future__ import annotations

import base64
import getpass
import html
import io
import json
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

from .loader import VARIABLE_REF
from .model import Flow

MASK = "••••••"


class MissingValue(Exception):
    """A variable has no value and none can be asked for."""


@dataclass
class Values:
    """Resolved variable values; `secret` ones are masked in every output."""

    values: dict[str, str] = field(default_factory=dict)
    secret_names: set[str] = field(default_factory=set)
    ask: Callable[[str, str, bool], str] | None = None  # (name, label, secret) -> value
    labels: dict[str, str] = field(default_factory=dict)
    missing_ok: bool = False  # live without autoplay: the person types it in the page, guide never needs it

    @classmethod
    def for_fixtures(cls, flow: Flow) -> Values:
        """The flow's fake test values: what check and shots type into the fixtures."""
        return cls(
            {n: v.test for n, v in flow.variables.items()},
            {n for n, v in flow.variables.items() if v.secret},
            labels={n: v.label for n, v in flow.variables.items()},
        )

    @classmethod
    def for_person(
        cls,
        flow: Flow,
        given: Mapping[str, str],
        environ: Mapping[str, str] = os.environ,
        interactive: bool = True,
        missing_ok: bool = False,
    ) -> Values:
        """Values for the real site: --var, then the environment, then a prompt when needed."""
        values = {}
        for name, variable in flow.variables.items():
            if name in given:
                values[name] = given[name]
            elif variable.env and environ.get(variable.env):
                values[name] = environ[variable.env]
        return cls(
            values,
            {n for n, v in flow.variables.items() if v.secret},
            ask=_prompt if interactive else None,
            labels={n: v.label for n, v in flow.variables.items()},
            missing_ok=missing_ok,
        )

    def get(self, name: str) -> str:
        if name not in self.values:
            if self.missing_ok:
                return ""
            if self.ask is None:
                raise MissingValue(
                    f"no value for {name!r} ({self.labels.get(name, name)}): "
                    f"pass --var {name}=… or set its environment variable"
                )
            self.values[name] = self.ask(name, self.labels.get(name, name), name in self.secret_names)
        return self.values[name]

    def substitute(self, text: str) -> str:
        return VARIABLE_REF.sub(lambda m: self.get(m[1]), text)

    def is_secret_ref(self, text: str) -> bool:
        return any(name in self.secret_names for name in VARIABLE_REF.findall(text))

    def secrets(self) -> list[str]:
        """Known secret values, longest first (so a value inside another is masked whole)."""
        found = {self.values[n] for n in self.secret_names if self.values.get(n)}
        return sorted(found, key=len, reverse=True)

    def forms(self) -> list[str]:
        """Every way a secret can be written down in an artifact, longest first."""
        return sorted({form for secret in self.secrets() for form in encodings(secret)}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        """`text` with every secret, in every encoding, replaced by ••••••."""
        for form in self.forms():
            text = text.replace(form, MASK)
        return text

    def mask_bytes(self, data: bytes) -> bytes:
        for form in self.forms():
            data = data.replace(form.encode("utf-8", "surrogatepass"), MASK.encode("utf-8"))
        return data


MIN_BASE64_CORE = 8  # shorter base64 fragments would also match unrelated data


def encodings(secret: str) -> set[str]:
    """The forms a value takes in URLs, form posts, JSON, HTML and base64: each is masked."""
    forms = {
        secret,
        html.escape(secret),
        html.escape(secret, quote=False),
        html.escape(secret).replace("&#x27;", "&#39;"),
        html.escape(secret, quote=False).replace('"', "&quot;"),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }
    forms |= {json.dumps(form)[1:-1] for form in list(forms)}  # a JSON body inside a JSON string (traces)
    encoded = {quote(secret, safe=safe) for safe in ("", "-_.!~*'()", "/")}  # Python, encodeURIComponent, a path
    encoded |= {quote_plus(secret, safe=safe) for safe in ("", "-_.!~*'()")}
    encoded.add(_form_urlencoded(secret))  # what browsers send for a form
    forms |= encoded | {_lower_hex(e) for e in encoded}
    forms |= _base64_cores(secret.encode("utf-8", "surrogatepass"))
    return {form for form in forms if form}


def _form_urlencoded(text: str) -> str:
    """application/x-www-form-urlencoded as browsers write it (WHATWG URL: `*-._` stay as they are)."""
    safe = b"*-._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return "".join(
        "+" if byte == 0x20 else chr(byte) if byte in safe else f"%{byte:02X}"
        for byte in text.encode("utf-8", "surrogatepass")
    )


def _lower_hex(encoded: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m[0].lower(), encoded)


def _base64_cores(data: bytes) -> set[str]:
    """The base64 characters that depend on `data` alone, at each of the 3 byte alignments it
    can have inside a longer base64 text (standard and URL-safe alphabets)."""
    cores = set()
    for offset in range(3):
        encoded = base64.b64encode(bytes(offset) + data).decode("ascii").rstrip("=")
        start = (0, 2, 3)[offset]  # characters that still mix in the bytes before
        end = len(encoded) - (0 if (offset + len(data)) % 3 == 0 else 1)  # or the bytes after
        core = encoded[start:end]
        if len(core) >= MIN_BASE64_CORE:
            cores |= {core, core.replace("+", "-").replace("/", "_")}
    return cores


def _prompt(name: str, label: str, secret: bool) -> str:
    reader = getpass.getpass if secret else input
    return reader(f"{label} ({name}) : ")


def redact_zip(path: str | Path, values: Values) -> None:
    """Rewrite a Playwright trace so no secret value survives in any of its files."""
    if not values.secrets():
        return
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, values.mask_bytes(source.read(item)))
    Path(path).write_bytes(buffer.getvalue())
