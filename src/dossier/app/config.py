"""User settings: a small TOML file, read at each command, written by ``dossier config``.

The file lives in the platform's user config directory (``~/.config/dossier/config.toml``
on Linux) unless ``DOSSIER_CONFIG`` names another. Every setting has a default, so the
file is optional; ``dossier config`` shows each value and where it came from.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..domain.errors import DossierError, UsageError
from ..domain.settings import FULL_NAMES, WEEKDAY_NAMES, Settings

DEFAULTS: dict[str, Any] = {
    "capacity": 30,
    "workdays": ["mon", "tue", "wed", "thu", "fri"],
    "country": None,
    "subdivision": None,
    "lang": None,
    "timezone": None,
    "cold_factor": 1.5,
    "cold_days": 60,
    "target.new": 20,
    "target.repeat": 10,
    "target.meetings_week": 5,
    "user": None,
}
# ``target.new`` …: kept in the file as a [target] table.
TARGET = "target"
TARGET_LIMIT = 10_000
# ``cadence.NAME``: the default cadence of a tag or a stage (a stage name is the stage).
CADENCE = "cadence"


def config_path(environ: Mapping[str, str] = os.environ) -> Path:
    if environ.get("DOSSIER_CONFIG"):
        return Path(environ["DOSSIER_CONFIG"]).expanduser()
    from ..storage.paths import user_dir

    return user_dir("config") / "config.toml"


def load(environ: Mapping[str, str] = os.environ) -> Settings:
    """The settings in force, each with its source ("default" or the file's path)."""
    path = config_path(environ)
    stored = _read(path)
    values = dict(DEFAULTS)
    sources = dict.fromkeys(DEFAULTS, "default")
    cadences: list[tuple[str, str]] = []
    for key, raw in stored.items():
        if key == CADENCE and isinstance(raw, dict):
            for name, step in sorted(raw.items()):
                full = f"{CADENCE}.{name}"
                cadences.append((name, _checked(full, step, path)))
                sources[full] = str(path)
            continue
        if key == TARGET and isinstance(raw, dict):
            for name, number in raw.items():
                full = f"{TARGET}.{name}"
                if full in DEFAULTS:
                    values[full] = _checked(full, number, path)
                    sources[full] = str(path)
            continue
        if key not in DEFAULTS:
            continue
        values[key] = _checked(key, raw, path)
        sources[key] = str(path)
    return Settings(
        capacity=int(values["capacity"]),
        workdays=frozenset(WEEKDAY_NAMES.index(d) for d in values["workdays"]),
        country=values["country"],
        subdivision=values["subdivision"],
        sources=sources,
        path=str(path),
        file_exists=_exists(path),
        lang=values["lang"],
        timezone=values["timezone"],
        cadences=tuple(cadences),
        cold_factor=float(values["cold_factor"]),
        cold_days=int(values["cold_days"]),
        target_new=int(values["target.new"]),
        target_repeat=int(values["target.repeat"]),
        target_meetings_week=int(values["target.meetings_week"]),
        user=values["user"],
    )


def _checked(key: str, raw: Any, path: Path) -> Any:
    try:
        return _check(key, raw)
    except UsageError as exc:
        raise DossierError(
            "{path}: {problem}; fix it with 'dossier config set {key} …'",
            path=str(path),
            problem=exc.message,
            key=key,
        ) from None


def configured_language(environ: Mapping[str, str] = os.environ) -> str | None:
    """The ``lang`` setting, read before the command runs (help included): None when it is
    not set, or when the file cannot be read or holds no language dossier speaks. Those
    are reported by ``load`` to the commands that read the settings, and ``dossier config
    set lang …`` must still run to fix them."""
    try:
        value = _read(config_path(environ)).get("lang")
        return _check("lang", value) if value is not None else None
    except DossierError:
        return None


def set_value(key: str, text: str, environ: Mapping[str, str] = os.environ) -> Any:
    """Validate and store one setting; ``none`` (or an empty value) resets it to default."""
    if key.startswith(CADENCE + "."):
        return _set_cadence(key, text, environ)
    if key not in DEFAULTS:
        raise UsageError(
            "unknown setting {key!r}; settings are: {keys}",
            key=key,
            keys=", ".join([*DEFAULTS, "cadence.TAG", "cadence.STAGE"]),
        )
    path = config_path(environ)
    stored = _read(path)
    previous_country = stored.get("country")
    if key.startswith(TARGET + "."):
        return _set_target(key, text, path, stored)
    value = _put(stored, key, key, text)
    if key == "country" and value != previous_country:
        stored.pop("subdivision", None)  # a region belongs to its country
    _check_holidays(stored.get("country"), stored.get("subdivision"))
    _write(path, stored)
    return value


def _set_target(key: str, text: str, path: Path, stored: dict[str, Any]) -> Any:
    """``target.new 25``: kept under a [target] table; ``none`` goes back to the default."""
    table = dict(stored.get(TARGET) or {})
    value = _put(table, key.removeprefix(TARGET + "."), key, text)
    stored[TARGET] = table or None
    _write(path, stored)
    return value


def _put(table: dict[str, Any], name: str, key: str, text: str) -> Any:
    """Keep setting ``key``'s checked value under ``name``; empty, ``none`` or ``default``
    removes it and gives back the default."""
    if text.strip().lower() in ("", "none", "default"):
        table.pop(name, None)
        return DEFAULTS[key]
    value = _check(key, _parse(key, text))
    table[name] = value
    return value


def _set_cadence(key: str, text: str, environ: Mapping[str, str]) -> str | None:
    """``cadence.vip 2w``: a tag's (or a stage's) default cadence; ``none`` removes it."""
    from ..domain.cadence import parse

    name = key.removeprefix(CADENCE + ".").strip()
    if not name or any(c.isspace() or c in ".[]\"'" for c in name):
        raise UsageError("{key}: name a tag or a stage after 'cadence.', e.g. cadence.vip", key=key)
    path = config_path(environ)
    stored = _read(path)
    table = dict(stored.get(CADENCE) or {})
    step = parse(text, key) if text.strip() else None
    if step is None:
        table.pop(name, None)
    else:
        table[name] = str(step)
    stored[CADENCE] = table or None
    _write(path, stored)
    return str(step) if step else None


def _parse(key: str, text: str) -> Any:
    if key == "capacity":
        from ..domain.dates import ascii_digits  # ٣٠ is 30, as everywhere dossier reads numbers

        digits = ascii_digits(text.strip())
        if not (digits.isascii() and digits.isdigit()):
            raise UsageError("capacity must be a whole number of dossiers, not {text!r}", text=text)
        return int(digits)
    if key == "workdays":
        days = []
        for part in text.replace(" ", ",").split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name not in WEEKDAY_NAMES and name not in FULL_NAMES:
                raise UsageError(
                    "workdays: {text!r} is not a weekday; use mon, tue, wed, thu, fri, sat, sun "
                    "(or the full names)",
                    text=part.strip(),
                )
            days.append(name[:3])
        return days
    if key in ("cold_factor", "cold_days") or key.startswith(TARGET + "."):
        from ..domain.dates import ascii_digits

        digits = ascii_digits(text.strip())
        try:
            return float(digits) if key == "cold_factor" else int(digits)
        except ValueError:
            raise UsageError("{key} must be a number, not {text!r}", key=key, text=text) from None
    if key == "lang":
        return text.strip().lower()
    return text.strip().upper() if key == "country" else text.strip()


def _check(key: str, value: Any) -> Any:
    if key.startswith(CADENCE + "."):
        from ..domain.cadence import parse

        step = parse(value, key) if isinstance(value, str) else None
        if step is None:
            raise UsageError(
                "{key} must be a cadence such as 3w, not {value!r}", key=key, value=value
            )
        return str(step)
    if key == "cold_factor":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 100:
            raise UsageError(
                "cold_factor must be a number from 1 to 100, not {value!r}", value=value
            )
        return float(value)
    if key == "cold_days":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
            raise UsageError(
                "cold_days must be a whole number from 1 to 10000, not {value!r}", value=value
            )
        return value
    if key.startswith(TARGET + "."):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= TARGET_LIMIT:
            raise UsageError(
                "{key} must be a whole number from 0 to 10000, not {value!r}", key=key, value=value
            )
        return value
    if key == "capacity":
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10_000:
            raise UsageError(
                "capacity must be a whole number from 1 to 10000, not {value!r}", value=value
            )
    elif key == "workdays":
        if not isinstance(value, list) or not value:
            raise UsageError("workdays needs at least one day, e.g. mon,tue,wed,thu,fri")
        wrong = [d for d in value if d not in WEEKDAY_NAMES]
        if wrong:
            raise UsageError(
                "workdays: {value!r} is not one of {names}",
                value=wrong[0],
                names=", ".join(WEEKDAY_NAMES),
            )
        value = sorted(set(value), key=WEEKDAY_NAMES.index)
    elif value is not None and not isinstance(value, str):
        raise UsageError("{key} must be text, not {value!r}", key=key, value=value)
    elif key == "timezone" and value is not None:
        value = _zone_name(value)
    elif key == "user" and value is not None:
        from .users import checked_user

        value = checked_user(value, "user")
    elif key == "lang" and value is not None:
        from ..i18n import SUPPORTED

        if value not in SUPPORTED:
            raise UsageError(
                "lang must be one of: {languages}; not {value!r}",
                languages=", ".join(SUPPORTED),
                value=value,
            )
    return value


def _zone_name(name: str) -> str:
    """An IANA time zone name as the zone database spells it (``europe/madrid`` is
    ``Europe/Madrid``), or a usage error naming an example."""
    import zoneinfo

    wanted = name.strip()
    known = {key.lower(): key for key in zoneinfo.available_timezones()}
    if wanted.lower() not in known:
        raise UsageError(
            "timezone {value!r} is not a time zone name; use one such as Europe/Madrid, "
            "America/New_York or UTC",
            value=name,
        )
    return known[wanted.lower()]


def system_timezone(environ: Mapping[str, str] = os.environ) -> str:
    """The system's time zone name: ``TZ`` when it names a zone, else the zone that
    ``/etc/localtime`` links to, else UTC (a bare file with no name to give)."""
    import zoneinfo

    known = zoneinfo.available_timezones()
    candidate = environ.get("TZ", "").strip().removeprefix(":")
    if candidate in known:
        return candidate
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        return "UTC"
    parts = target.split("/")
    for start in range(len(parts)):  # .../zoneinfo/Europe/Madrid, or a posix/ subfolder
        name = "/".join(parts[start:])
        if name in known:
            return name
    return "UTC"


def timezone_in_force(settings: Settings, environ: Mapping[str, str] = os.environ) -> str:
    """The ``timezone`` setting, or the system's when it is not set."""
    return settings.timezone or system_timezone(environ)


def _check_holidays(country: str | None, subdivision: str | None) -> None:
    """Only here, when a setting changes, is the holidays package asked what it knows."""
    if country is None:
        if subdivision:
            raise UsageError("set a country before a subdivision: dossier config set country ES")
        return
    import holidays

    supported = holidays.list_supported_countries()
    if country not in supported:
        raise UsageError(
            "no public holidays known for country {country!r}; "
            "use an ISO code such as ES, GB, US, DE or FR",
            country=country,
        )
    if subdivision and subdivision not in supported[country]:
        if not supported[country]:
            raise UsageError(
                "{country} has no subdivision {subdivision!r}; known: none",
                country=country,
                subdivision=subdivision,
            )
        raise UsageError(
            "{country} has no subdivision {subdivision!r}; known: {known}",
            country=country,
            subdivision=subdivision,
            known=", ".join(supported[country][:20]),
        )


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}  # the common case; spares the TOML parser's import
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DossierError(
            "cannot read the config file {path}: {reason}", path=str(path), reason=str(exc)
        ) from None
    except UnicodeDecodeError:
        raise DossierError(
            "the config file {path} is not UTF-8 text; save it as UTF-8, or delete it "
            "and set the values again with 'dossier config set'",
            path=str(path),
        ) from None


def _write(path: Path, values: dict[str, Any]) -> None:
    """Replace the file atomically (write a sibling, then rename), private to the user:
    folders 0700 and the file 0600 whatever the umask, set explicitly (see
    ``paths.private_dir``)."""
    import tomli_w

    from ..storage.paths import private_dir

    try:
        private_dir(path.parent)
        temporary = path.with_name(path.name + ".tmp")
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # a stale temporary keeps its old mode
            handle.write(b"# dossier settings: change with 'dossier config set KEY VALUE'\n")
            handle.write(tomli_w.dumps({k: v for k, v in values.items() if v is not None}).encode())
        os.replace(temporary, path)
    except OSError as exc:
        raise DossierError(
            "cannot write the config file {path}: {reason}", path=str(path), reason=exc.strerror
        ) from None


def _exists(path: Path) -> bool:
    """Whether the settings file is there; one that cannot even be looked at is not."""
    try:
        return path.is_file()
    except OSError:
        return False
