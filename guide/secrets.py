"""Values the person supplies, and masking them everywhere they could leak.

Personal data (password, e-mail, identifiant) never reaches a report, a trace, a log or a
screenshot: every text leaving the tool goes through `Values.mask`.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

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

    @classmethod
    def for_fixtures(cls, flow: Flow) -> Values:
        """The flow's fake test values: what check and shots type into the fixtures."""
        return cls({n: v.test for n, v in flow.variables.items()},
                   {n for n, v in flow.variables.items() if v.secret},
                   labels={n: v.label for n, v in flow.variables.items()})

    @classmethod
    def for_person(cls, flow: Flow, given: Mapping[str, str], environ: Mapping[str, str] = os.environ,
                   interactive: bool = True) -> Values:
        """Values for the real site: --var, then the environment, then a prompt when needed."""
        values = {}
        for name, variable in flow.variables.items():
            if name in given:
                values[name] = given[name]
            elif variable.env and environ.get(variable.env):
                values[name] = environ[variable.env]
        return cls(values, {n for n, v in flow.variables.items() if v.secret},
                   ask=_prompt if interactive else None,
                   labels={n: v.label for n, v in flow.variables.items()})

    def get(self, name: str) -> str:
        if name not in self.values:
            if self.ask is None:
                raise MissingValue(f"no value for {name!r} ({self.labels.get(name, name)}): "
                                   f"pass --var {name}=… or set its environment variable")
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

    def mask(self, text: str) -> str:
        for secret in self.secrets():
            text = text.replace(secret, MASK)
        return text


def _prompt(name: str, label: str, secret: bool) -> str:
    reader = getpass.getpass if secret else input
    return reader(f"{label} ({name}) : ")


def redact_zip(path: str, values: Values) -> None:
    """Rewrite a Playwright trace so no secret value survives in any of its files."""
    import io
    import zipfile

    from .files import write_atomic

    secrets = values.secrets()
    if not secrets:
        return
    forms = [(form.encode("utf-8"), MASK.encode("utf-8"))
             for secret in secrets for form in {secret, _json_escaped(secret)}]
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            for secret, mask in forms:
                data = data.replace(secret, mask)
            target.writestr(item, data)
    write_atomic(path, buffer.getvalue())


def _json_escaped(text: str) -> str:
    import json

    return json.dumps(text)[1:-1]
