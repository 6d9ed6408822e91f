"""Settings: defaults, the TOML file, validation, and ``dossier config``."""

from __future__ import annotations

import json
import os
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result
from dossier.app.config import DEFAULTS, config_path, load, set_value
from dossier.domain.errors import DossierError, UsageError

Run = Callable[..., Result]


@pytest.fixture
def path() -> Path:
    return Path(os.environ["DOSSIER_CONFIG"])


def read_toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


# --- defaults and the file's location ---------------------------------------------------


def test_without_a_file_every_setting_is_its_default(path: Path) -> None:
    settings = load()
    assert settings.capacity == 30
    assert settings.workdays == frozenset({0, 1, 2, 3, 4})
    assert settings.country is None
    assert settings.subdivision is None
    assert settings.lang is None  # the locale's
    assert settings.sources == dict.fromkeys(
        (
            "capacity",
            "workdays",
            "country",
            "subdivision",
            "lang",
            "timezone",
            "cold_factor",
            "cold_days",
            "target.new",
            "target.repeat",
            "target.meetings_week",
            "user",
        ),
        "default",
    )
    assert (settings.target_new, settings.target_repeat, settings.target_meetings_week) == (
        20,
        10,
        5,
    )
    assert (settings.cold_factor, settings.cold_days, settings.cadences) == (1.5, 60, ())
    assert settings.path == str(path) and not settings.file_exists
    assert not path.exists()  # reading never creates it


def test_dossier_config_names_the_file(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "my.toml"
    other.parent.mkdir()
    other.write_text("capacity = 7\n", encoding="utf-8")
    environ = {"DOSSIER_CONFIG": str(other)}
    assert config_path(environ) == other
    settings = load(environ)
    assert settings.capacity == 7
    assert settings.sources["capacity"] == str(other)
    assert settings.path == str(other)


def test_dossier_config_expands_the_home_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config_path({"DOSSIER_CONFIG": "~/dossier.toml"}) == tmp_path / "dossier.toml"


@pytest.mark.parametrize("environ", [{}, {"DOSSIER_CONFIG": ""}])
def test_without_dossier_config_the_user_config_dir_is_used(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path(environ) == tmp_path / "xdg" / "dossier" / "config.toml"


def test_the_environment_variable_is_read_at_each_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    set_value("capacity", "12")
    monkeypatch.setenv("DOSSIER_CONFIG", str(tmp_path / "second.toml"))
    assert load().capacity == 30
    set_value("capacity", "5")
    assert load().capacity == 5
    assert (tmp_path / "second.toml").exists()


# --- setting each key --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "text", "returned", "attribute", "loaded", "stored"),
    [
        ("capacity", "12", 12, "capacity", 12, 12),
        ("capacity", " 45 ", 45, "capacity", 45, 45),
        ("capacity", "1", 1, "capacity", 1, 1),
        ("capacity", "10000", 10000, "capacity", 10000, 10000),
        (
            "workdays",
            "mon,tue,wed,thu,fri,sat",
            ["mon", "tue", "wed", "thu", "fri", "sat"],
            "workdays",
            frozenset(range(6)),
            ["mon", "tue", "wed", "thu", "fri", "sat"],
        ),
        (
            "workdays",
            "Monday Wednesday",
            ["mon", "wed"],
            "workdays",
            frozenset({0, 2}),
            ["mon", "wed"],
        ),
        (
            "workdays",
            "fri, MON,mon",
            ["mon", "fri"],
            "workdays",
            frozenset({0, 4}),
            ["mon", "fri"],
        ),
        ("workdays", "sun", ["sun"], "workdays", frozenset({6}), ["sun"]),
        ("country", "es", "ES", "country", "ES", "ES"),
        ("country", " GB ", "GB", "country", "GB", "GB"),
    ],
)
def test_set_value_is_stored_and_read_back_with_the_file_as_source(
    path: Path,
    key: str,
    text: str,
    returned: Any,
    attribute: str,
    loaded: Any,
    stored: Any,
) -> None:
    assert set_value(key, text) == returned
    settings = load()
    assert getattr(settings, attribute) == loaded
    assert settings.sources[key] == str(path)
    assert {k for k, v in settings.sources.items() if v == "default"} == set(DEFAULTS) - {key}
    assert read_toml(path) == {key: stored}


def test_a_subdivision_of_the_configured_country(path: Path) -> None:
    set_value("country", "ES")
    assert set_value("subdivision", "MD") == "MD"
    settings = load()
    assert (settings.country, settings.subdivision) == ("ES", "MD")
    assert settings.sources["subdivision"] == str(path)
    assert read_toml(path) == {"country": "ES", "subdivision": "MD"}


def test_settings_accumulate_in_one_file(path: Path) -> None:
    set_value("capacity", "20")
    set_value("workdays", "mon,tue,wed,thu")
    set_value("country", "GB")
    set_value("subdivision", "ENG")
    set_value("lang", "es")
    set_value("timezone", "Europe/Madrid")
    set_value("cold_factor", "2")
    set_value("cold_days", "30")
    set_value("cadence.vip", "2w")
    set_value("target.new", "25")
    set_value("target.repeat", "12")
    set_value("target.meetings_week", "0")
    set_value("user", "Anna")
    settings = load()
    assert settings.user == "anna"
    assert (settings.target_new, settings.target_repeat, settings.target_meetings_week) == (
        25,
        12,
        0,
    )
    assert "[target]" in path.read_text()  # a table a person can edit by hand
    assert settings.capacity == 20
    assert settings.workdays == frozenset(range(4))
    assert (settings.country, settings.subdivision) == ("GB", "ENG")
    assert (settings.lang, settings.timezone) == ("es", "Europe/Madrid")
    assert (settings.cold_factor, settings.cold_days) == (2.0, 30)
    assert settings.cadences == (("vip", "2w"),)
    assert set(settings.sources.values()) == {str(path)}


@pytest.mark.parametrize("reset", ["none", "None", "NONE", "", "  ", "default"])
def test_none_resets_a_setting_to_its_default(path: Path, reset: str) -> None:
    set_value("capacity", "12")
    set_value("workdays", "mon,tue")
    assert set_value("capacity", reset) == 30
    settings = load()
    assert settings.capacity == 30
    assert settings.sources["capacity"] == "default"
    assert settings.workdays == frozenset({0, 1})  # the other setting is kept
    assert read_toml(path) == {"workdays": ["mon", "tue"]}


def test_resetting_a_setting_that_was_never_set_is_harmless(path: Path) -> None:
    assert set_value("country", "none") is None
    assert load().country is None
    assert read_toml(path) == {}


# --- invalid values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "text", "fragments"),
    [
        ("capacity", "0", ["capacity", "1 to 10000", "0"]),
        ("capacity", "10001", ["capacity", "1 to 10000"]),
        ("capacity", "ten", ["capacity", "whole number", "'ten'"]),
        ("capacity", "-3", ["capacity", "whole number", "'-3'"]),
        ("capacity", "2.5", ["capacity", "whole number", "'2.5'"]),
        ("capacity", "²", ["capacity", "whole number"]),
        ("workdays", "funday", ["workdays", "mon, tue, wed, thu, fri, sat, sun"]),
        ("workdays", "mon,funday", ["workdays", "mon, tue, wed, thu, fri, sat, sun"]),
        ("workdays", ",", ["workdays", "at least one day"]),
        ("country", "XX", ["'XX'", "ISO code"]),
        ("country", "Spain", ["'SPAIN'", "ISO code"]),
        ("subdivision", "MD", ["set a country before a subdivision", "config set country"]),
    ],
)
def test_invalid_values_are_refused_with_a_usage_error(
    path: Path, key: str, text: str, fragments: list[str]
) -> None:
    with pytest.raises(UsageError) as caught:
        set_value(key, text)
    assert caught.value.exit_code == 2
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert "\n" not in message
    assert not path.exists()  # nothing was written


def test_a_subdivision_not_of_the_country_is_refused_and_the_known_ones_listed(path: Path) -> None:
    set_value("country", "ES")
    before = path.read_bytes()
    with pytest.raises(UsageError) as caught:
        set_value("subdivision", "ZZ")
    assert caught.value.exit_code == 2
    assert "ES has no subdivision 'ZZ'" in str(caught.value)
    assert "MD" in str(caught.value)  # the known ones are named
    assert path.read_bytes() == before
    assert load().subdivision is None


def test_an_invalid_value_leaves_the_file_as_it_was(path: Path) -> None:
    set_value("capacity", "12")
    before = path.read_bytes()
    with pytest.raises(UsageError):
        set_value("capacity", "0")
    assert path.read_bytes() == before
    assert load().capacity == 12


def test_an_unknown_setting_is_a_usage_error_naming_the_settings(path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        set_value("nosuch", "1")
    assert caught.value.exit_code == 2
    for key in DEFAULTS:
        assert key in str(caught.value)
    assert not path.exists()


# --- changing the country ------------------------------------------------------------------


@pytest.mark.parametrize("new_country", ["US", "FR", "GB"])
def test_changing_country_drops_the_old_countrys_subdivision(path: Path, new_country: str) -> None:
    set_value("country", "ES")
    set_value("subdivision", "MD")  # Madrid
    set_value("country", new_country)
    settings = load()
    assert settings.country == new_country
    assert settings.subdivision is None  # "MD" would be Maryland in the US
    assert settings.sources["subdivision"] == "default"
    assert "subdivision" not in read_toml(path)


def test_clearing_the_country_drops_its_subdivision(path: Path) -> None:
    set_value("country", "ES")
    set_value("subdivision", "MD")
    assert set_value("country", "none") is None
    settings = load()
    assert (settings.country, settings.subdivision) == (None, None)
    assert read_toml(path) == {}


def test_setting_the_same_country_again_keeps_its_subdivision(path: Path) -> None:
    set_value("country", "ES")
    set_value("subdivision", "MD")
    set_value("country", "es")
    assert (load().country, load().subdivision) == ("ES", "MD")


# --- the file itself -----------------------------------------------------------------------


def test_the_file_is_private_and_valid_toml(path: Path) -> None:
    set_value("capacity", "12")
    set_value("workdays", "mon,tue,wed")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_toml(path) == {"capacity": 12, "workdays": ["mon", "tue", "wed"]}
    assert path.read_text(encoding="utf-8").startswith("#")  # says how to change it
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_new_config_folder_is_private(path: Path) -> None:
    set_value("capacity", "12")
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_existing_readable_file_becomes_private_when_rewritten(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("capacity = 9\n", encoding="utf-8")
    path.chmod(0o644)
    set_value("country", "GB")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_toml(path) == {"capacity": 9, "country": "GB"}


def test_unknown_keys_in_the_file_are_ignored_and_kept(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('theme = "dark"\ncapacity = 8\n', encoding="utf-8")
    assert load().capacity == 8
    set_value("capacity", "9")
    assert read_toml(path) == {"theme": "dark", "capacity": 9}


@pytest.mark.parametrize(
    "content",
    ["capacity = [\n", "capacity = 12\ncapacity = 13\n", "= 3\n", "\x00\x01"],
)
def test_a_corrupt_file_is_a_dossier_error_naming_the_file(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DossierError) as caught:
        load()
    assert str(path) in str(caught.value)
    assert caught.value.exit_code == 1
    with pytest.raises(DossierError) as caught:
        set_value("capacity", "5")
    assert str(path) in str(caught.value)
    assert path.read_text(encoding="utf-8") == content  # not overwritten


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ('capacity = "ten"\n', "capacity"),
        ("capacity = 0\n", "capacity"),
        ("capacity = true\n", "capacity"),
        ("capacity = 12.0\n", "capacity"),
        ('workdays = ["mon", "funday"]\n', "workdays"),
        ('workdays = "mon"\n', "workdays"),
        ("workdays = []\n", "workdays"),
        ("country = 34\n", "country"),
    ],
)
def test_a_bad_value_in_the_file_names_the_file_and_the_fix(
    path: Path, content: str, key: str
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DossierError) as caught:
        load()
    assert str(path) in str(caught.value)
    assert f"dossier config set {key}" in str(caught.value)


def test_an_unknown_country_in_the_file_is_an_error_not_a_crash(path: Path, run: Run) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('country = "XX"\n', encoding="utf-8")
    result = run("folder")
    assert result.exit_code == 1
    assert result.stderr.startswith("dossier: ")
    assert "XX" in result.stderr


# --- through the command line -----------------------------------------------------------


def _rows(stdout: str) -> dict[str, list[str]]:
    rows = {}
    for line in stdout.splitlines():
        words = line.split()
        if words and words[0] in DEFAULTS:
            rows[words[0]] = words[1:3]
    return rows


def test_config_lists_the_settings_with_their_source(run: Run, path: Path) -> None:
    result = run("config")
    assert result.exit_code == 0
    assert _rows(result.stdout) == {
        "capacity": ["30", "default"],
        "workdays": ["mon,tue,wed,thu,fri", "default"],
        "country": ["none", "default"],
        "subdivision": ["none", "default"],
        "lang": ["none", "default"],
        "timezone": ["none", "default"],
        "cold_factor": ["1.5", "default"],
        "cold_days": ["60", "default"],
        "target.new": ["20", "default"],
        "target.repeat": ["10", "default"],
        "target.meetings_week": ["5", "default"],
        "user": ["none", "default"],
    }
    assert str(path) in result.stdout
    assert "not created yet" in result.stdout


def test_config_set_then_show(run: Run, path: Path, db_path: Path) -> None:
    result = run("config", "set", "capacity", "12")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"capacity = 12 (saved in {path})"
    shown = run("config")
    assert _rows(shown.stdout)["capacity"] == ["12", str(path)]
    assert _rows(shown.stdout)["workdays"] == ["mon,tue,wed,thu,fri", "default"]
    assert "not created yet" not in shown.stdout

    data = json.loads(run("config", "--json").stdout)
    assert str(data["settings"]["capacity"]["value"]) == "12"
    assert data["settings"]["capacity"]["from"] == str(path)
    assert data["settings"]["country"]["from"] == "default"
    assert data["config_file"] == str(path)
    assert data["database"] == os.environ["DOSSIER_DB"]  # the file, or the server URL


def test_config_json_gives_the_capacity_as_a_number(run: Run) -> None:
    run("config", "set", "capacity", "12")
    data = json.loads(run("config", "--json").stdout)
    assert data["settings"]["capacity"]["value"] == 12


def test_config_set_workdays_and_country_through_the_cli(run: Run, path: Path) -> None:
    assert run("config", "set", "workdays", "mon,tue,wed,thu,fri,sat").exit_code == 0
    result = run("config", "set", "country", "es")
    assert result.exit_code == 0
    assert result.stdout.startswith("country = ES ")
    rows = _rows(run("config").stdout)
    assert rows["workdays"] == ["mon,tue,wed,thu,fri,sat", str(path)]
    assert rows["country"] == ["ES", str(path)]
    reset = run("config", "set", "country", "none")
    assert reset.exit_code == 0
    assert reset.stdout.startswith("country = none ")
    assert _rows(run("config").stdout)["country"] == ["none", "default"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("capacity", "0"), "capacity"),
        (("capacity", "ten"), "capacity"),
        (("workdays", "funday"), "workdays"),
        (("country", "XX"), "XX"),
        (("subdivision", "MD"), "country"),
        (("nosuch", "1"), "nosuch"),
    ],
)
def test_config_set_with_a_bad_value_exits_2_with_one_line(
    run: Run, path: Path, args: tuple[str, str], fragment: str
) -> None:
    result = run("config", "set", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("dossier: ")
    assert fragment in lines[0]
    assert not path.exists()


def test_config_with_a_corrupt_file_exits_1_naming_it(run: Run, path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("capacity = [\n", encoding="utf-8")
    result = run("config")
    assert result.exit_code == 1
    assert result.stderr.startswith("dossier: ")
    assert str(path) in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("value", ["many", "1.5", "10001"])
def test_a_target_must_be_a_whole_number(run: Run, path: Path, value: str) -> None:
    result = run("config", "set", "target.new", value)
    assert result.exit_code != 0
    assert "target.new" in result.stderr and "Traceback" not in result.stderr
    assert not path.exists()


def test_a_target_set_then_reset_goes_back_to_its_default(run: Run, path: Path) -> None:
    assert run("config", "set", "target.repeat", "15").exit_code == 0
    assert load().target_repeat == 15
    assert run("config", "set", "target.repeat", "none").exit_code == 0
    assert load().target_repeat == 10
    assert load().sources["target.repeat"] == "default"
