"""English and Spanish: choosing the language, dossier's catalogue, and Typer's and
Click's chrome (help and usage errors) in Spanish under ``es``, unchanged under ``en``."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from fnmatch import fnmatch
from pathlib import Path
from types import ModuleType

import pytest

import dossier
from conftest import Result, ok, on_a_pty, refused
from dossier import i18n
from dossier.i18n import SUPPORTED, UnsupportedLanguage, pick_language

Run = Callable[..., Result]

ROOT = Path(__file__).parent.parent
DOSSIER = Path(sys.executable).parent / "dossier"
SRC = str(Path(dossier.__file__).parents[1])  # this checkout's dossier, in a subprocess
ENGLISH_CHROME = ("Usage", "Options", "Commands", "Arguments", "Show this message and exit")


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """A Spanish run changes this process's Typer and Click: the next test starts in
    English whatever this one did."""
    yield
    i18n.use("en")


def tool() -> ModuleType:
    """tools/i18n.py, the catalogue builder and checker."""
    spec = importlib.util.spec_from_file_location("dossier_i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def assert_spanish_help(text: str) -> None:
    assert "Uso:" in text and "Opciones" in text, text
    for word in ENGLISH_CHROME:
        assert word not in text, (word, text)


# --- choosing the language ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "configured", "environ", "expected"),
    [
        (None, None, {}, "en"),
        (None, None, {"LANG": "es_ES.UTF-8"}, "es"),
        (None, None, {"LANG": "es_MX"}, "es"),
        (None, None, {"LANG": "es"}, "es"),
        (None, None, {"LANG": "es_AR.UTF-8@euro"}, "es"),
        (None, None, {"LANG": "C"}, "en"),
        (None, None, {"LANG": "POSIX"}, "en"),
        (None, None, {"LANG": "en_US.UTF-8"}, "en"),
        (None, None, {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, None, {"LANG": "est_EE"}, "en"),  # Estonian is not Spanish
        (None, None, {"LC_MESSAGES": "es_ES", "LANG": "en_GB"}, "es"),
        (None, None, {"LC_ALL": "C", "LC_MESSAGES": "es_ES", "LANG": "es_ES"}, "en"),
        (None, None, {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "es_ES"}, "es"),  # empty: unset
        (None, "es", {"LANG": "en_US.UTF-8"}, "es"),
        (None, "en", {"LANG": "es_ES.UTF-8"}, "en"),
        ("es", "en", {"LANG": "C"}, "es"),
        ("en", "es", {"LC_ALL": "es_ES.UTF-8"}, "en"),
        (" ES ", None, {}, "es"),
    ],
)
def test_pick_language(
    flag: str | None, configured: str | None, environ: dict[str, str], expected: str
) -> None:
    assert pick_language(flag, configured, environ) == expected


@pytest.mark.parametrize(("flag", "configured"), [("fr", None), (None, "fr"), ("", "es")])
def test_pick_language_refuses_a_language_it_does_not_speak(
    flag: str | None, configured: str | None
) -> None:
    with pytest.raises(UnsupportedLanguage) as caught:
        pick_language(flag, configured, {"LANG": "es_ES"})
    assert caught.value.exit_code == 2
    assert "en, es" in str(caught.value)
    assert SUPPORTED == ("en", "es")


def test_translating_dossiers_own_strings() -> None:
    app_help = "A follow-up organizer: one dossier per client, filed behind day and month tabs."
    assert i18n._(app_help) == app_help
    assert i18n.ngettext("{count} dossier", "{count} dossiers", 2) == "{count} dossiers"
    i18n.use("es")
    assert i18n._(app_help).startswith("Organizador de seguimientos")
    assert i18n._("not in the catalogue") == "not in the catalogue"
    assert i18n.ngettext("{count} dossier", "{count} dossiers", 1) == "{count} expediente"
    assert i18n.ngettext("{count} dossier", "{count} dossiers", 3) == "{count} expedientes"
    i18n.use("en")
    assert i18n._(app_help) == app_help


def test_a_missing_catalogue_leaves_english(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(lang: str) -> None:
        raise FileNotFoundError(lang)

    monkeypatch.setattr(i18n, "_load", missing)
    i18n.use("es")
    assert i18n._("Options") == "Options"


# --- help ---------------------------------------------------------------------------------


def test_root_help_in_spanish(run: Run) -> None:
    text = ok(run("--lang", "es", "--help"))
    assert_spanish_help(text)
    assert "Comandos" in text and "Muestra este mensaje y sale." in text
    assert "[OPCIONES] COMANDO [ARGS]..." in text
    assert "Organizador de seguimientos" in text  # dossier's own help, from the catalogue


def test_command_help_in_spanish(run: Run) -> None:
    text = ok(run("--lang", "es", "today", "--help"))
    assert_spanish_help(text)
    assert "Mira la pestaña de otro día." in text


# Words a Spanish help shares with the English one on purpose: commands, vocabulary ids
# and setting names as typed, language codes, program names, and words of both languages.
SHARED_WORDS = {
    "dossier",
    "en",
    "es",
    "lang",
    "less",
    "id",
    "a",
    "no",
    "terminal",
    "shell",
    "vcard",
    "postgresql",
}


def help_words(text: str) -> set[str]:
    """The words of a help screen, without its options, metavars and variables."""
    text = re.sub(r"(?<![\w])-{1,2}[a-z][a-z-]*|\$[A-Z_]+|\b[A-Z][A-Z_]+\b|\S+\.db\b", " ", text)
    return {word.lower() for word in re.findall(r"\b[^\W\d_][\w'-]*", text)}


@pytest.mark.parametrize(
    "args", [("--help",), ("today", "--help"), ("file", "--help"), ("show", "--help")]
)
def test_spanish_help_has_no_english_word(run: Run, args: tuple[str, ...]) -> None:
    """Not only the chrome: every help text of dossier's own is in Spanish."""
    from typer.main import get_command

    from dossier.cli import app
    from dossier.domain.records import KINDS, OUTCOMES, STAGES

    commands = set(getattr(get_command(app), "commands", {}))
    typed = commands | set(STAGES) | set(KINDS) | set(OUTCOMES)
    english = help_words(ok(run(*args)))
    spanish = help_words(ok(run("--lang", "es", *args)))
    assert english & spanish - typed - SHARED_WORDS == set(), ok(run("--lang", "es", *args))


def test_help_with_defaults_and_required_arguments_in_spanish(run: Run) -> None:
    assert "[por defecto: 14]" in ok(run("--lang=es", "agenda", "--help"))
    text = ok(run("--lang", "es", "config", "set", "--help"))
    assert_spanish_help(text)
    assert "Argumentos" in text and "[obligatorio]" in text and "required" not in text


def test_the_locale_picks_spanish(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert_spanish_help(ok(run("--help")))
    assert "Usage:" in ok(run("--lang", "en", "--help"))  # the flag comes first


def test_the_console_script_under_a_spanish_locale() -> None:
    """The installed entry point, in a fresh process: the language is chosen before
    anything is printed."""
    env = {**os.environ, "LANG": "es_ES.UTF-8", "PYTHONPATH": SRC}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    result = subprocess.run([DOSSIER, "--help"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert_spanish_help(result.stdout)


def test_rich_help_on_a_terminal_in_spanish() -> None:
    """On a terminal the help is Typer's Rich panels, whose titles Typer computes when
    it first imports them."""
    env = {**os.environ, "TERM": "xterm-256color", "NO_COLOR": "1", "COLUMNS": "100",
           "PYTHONPATH": SRC}  # fmt: skip
    code, out = on_a_pty([str(DOSSIER), "--lang", "es", "config", "set", "--help"], env, 100)
    assert code == 0, out
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out)
    assert_spanish_help(text)
    assert "─ Argumentos ─" in text and "─ Opciones ─" in text and "[obligatorio]" in text


def test_english_is_unchanged(run: Run) -> None:
    before = ok(run("--help"))
    assert before.startswith("Usage: dossier [OPTIONS] COMMAND [ARGS]...")
    assert "Options:" in before and "Commands:" in before
    assert "Show this message and exit." in before
    ok(run("--lang", "es", "--help"))
    assert ok(run("--help")) == before  # Spanish in between leaves nothing behind
    assert ok(run("--lang", "en", "--help")) == before
    message = refused(run("today", "--bogus"), 2)
    assert message == "dossier: No such option: --bogus (see 'dossier today --help')"


def test_english_opens_no_catalogue() -> None:
    probe = (
        "import sys\n"
        "from dossier.cli import app\n"
        "try:\n"
        "    app(['--help'], standalone_mode=False)\n"
        "finally:\n"
        "    print('dossier.cli.chrome' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "LANG": "en_US.UTF-8", "PYTHONPATH": SRC}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "False"


def test_global_options_around_lang(run: Run, db_path: Path) -> None:
    assert_spanish_help(ok(run("--db", str(db_path), "--lang", "es", "--help")))
    assert_spanish_help(ok(run("--no-pager", "--lang=es", "--db", str(db_path), "--help")))
    today = ok(run("--lang", "es", "today"))
    assert ok(run("--lang", "es")) == today  # a bare dossier with --lang: today's tab
    assert "pestaña" in today  # and in Spanish


# --- usage errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("today", "--bogus"), "No existe la opción: --bogus (véase 'dossier today --help')"),
        (("show",), "Falta el argumento 'CLIENT'. (véase 'dossier show --help')"),
        (("today", "extra"), "Sobran argumentos (extra) (véase 'dossier today --help')"),
        (("today", "--on"), "No existe la opción: --on (opciones posibles: --json, --owner)"),
        (("agenda", "--days", "x"), "Valor no válido para '--days': 'x' no es un número entero"),
        (("agenda", "--days"), "La opción '--days' necesita un valor."),
        (("today", "--json=1"), "La opción '--json' no admite un valor."),
        (("nosuch",), "No existe el comando 'nosuch'. (véase 'dossier --help')"),
    ],
)
def test_usage_errors_in_spanish(run: Run, args: tuple[str, ...], expected: str) -> None:
    message = refused(run("--lang", "es", *args), 2)
    assert message.startswith(f"dossier: {expected}"), message


@pytest.mark.parametrize("args", [("--lang", "fr"), ("--lang=fr",), ("--lang", "fr", "--help")])
def test_an_unknown_language_is_refused_in_one_line(run: Run, args: tuple[str, ...]) -> None:
    message = refused(run(*args), 2)
    assert "'fr'" in message and "en, es" in message


# --- what the commands print ----------------------------------------------------------------


def test_command_lines_in_spanish(run: Run, tmp_path: Path) -> None:
    assert ok(run("--lang", "es", "demo")).startswith("Se añadieron 40 clientes de ejemplo.")
    assert ok(run("--lang", "es", "check")).endswith("Todas las comprobaciones son correctas.\n")
    level = ok(run("--lang", "es", "level", "--days", "2", "--capacity", "900", "--dry-run"))
    assert level == (
        "Nada que nivelar: ningún día pasa de 900 en el vie 5 jul 2024 ni en 1 día más.\n"
    )
    spread = ok(run("--lang", "es", "spread", "2024-12", "--dry-run"))
    assert (
        spread == "Nada que repartir: la pestaña de diciembre 2024 no tiene expedientes sin día.\n"
    )
    out = tmp_path / "out.json"
    assert ok(run("--lang", "es", "export", "-o", str(out))) == f"Exportado a {out}\n"
    assert ok(run("--lang", "es", "undo")).startswith("Deshecho: dossier --lang es demo (del ")
    imported = ok(run("--lang", "es", "import", str(out)))
    assert re.fullmatch(r"Se importaron 40 clientes y \d+ entradas del historial\n", imported)
    one, single = tmp_path / "one.db", tmp_path / "one.json"
    ok(run("--db", str(one), "add", "Zoe Único", "--note", "hola"))
    ok(run("--db", str(one), "export", "-o", str(single)))
    imported = ok(run("--lang", "es", "import", str(single)))
    assert imported == "Se importó 1 cliente y 1 entrada del historial\n"


def test_the_confirmation_in_spanish(run: Run) -> None:
    ok(run("add", "Ana"))
    ok(run("add", "Berta"))
    kept = run("--lang", "es", "rm", "Ana", input="n\n")
    assert kept.exit_code == 1 and "[s/N]: " in kept.stderr, kept
    assert "no se ha borrado; responda s, o use --yes" in kept.stderr
    for name, answer in (("Ana", "s"), ("Berta", "sí")):
        gone = run("--lang", "es", "rm", name, input=f"{answer}\n")
        assert gone.exit_code == 0, gone
    assert run("rm", "x", input="s\n").exit_code == 1  # "s" is not yes in English


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("edit", "1", "--set", "budget"), "--set 'budget' necesita la forma CLAVE=VALOR"),
        (("level", "--days", "0"), "--days 0: indique un número de días entre 1 y 366"),
        (("move", "1"), "indique adónde: dossier move CLIENTE... --on FECHA"),
        (("spread", "13"), "'13' es un día; indique una pestaña de mes"),
    ],
)
def test_errors_are_printed_in_the_language_of_the_run(
    run: Run, args: tuple[str, ...], expected: str
) -> None:
    ok(run("add", "Ana"))
    assert refused(run("--lang", "es", *args), 2).startswith(f"dossier: {expected}")


# --- the lang setting ---------------------------------------------------------------------


def test_the_lang_setting(run: Run) -> None:
    assert ok(run("config", "set", "lang", "ES")).startswith("lang = es ")
    assert_spanish_help(ok(run("--help")))
    assert "Usage:" in ok(run("--lang", "en", "--help"))  # the flag beats the setting
    assert ok(run("config", "set", "lang", "none")).startswith("lang = none ")
    assert "Usage:" in ok(run("--help"))


def test_an_unknown_lang_setting_is_refused_in_one_line(run: Run) -> None:
    message = refused(run("config", "set", "lang", "fr"), 2)
    assert "lang" in message and "'fr'" in message and "en, es" in message


def test_config_shows_the_lang_setting(run: Run) -> None:
    assert "lang" in ok(run("config"))
    ok(run("config", "set", "lang", "es"))
    row = next(line for line in ok(run("config")).splitlines() if line.startswith("lang "))
    assert row.split()[1] == "es"


def test_a_bad_lang_in_the_file_does_not_lock_config_set_out(run: Run, tmp_path: Path) -> None:
    config = Path(os.environ["DOSSIER_CONFIG"])
    config.parent.mkdir(parents=True)
    config.write_text('lang = "fr"\n', encoding="utf-8")
    assert "Usage:" in ok(run("--help"))  # help still works, in the locale's language
    assert "lang" in refused(run("config"), 1)  # the commands that read settings say why
    assert ok(run("config", "set", "lang", "es")).startswith("lang = es ")


# --- the catalogue ------------------------------------------------------------------------


def test_the_catalogue_check_passes() -> None:
    assert tool().check() == []


def test_every_message_of_the_code_has_its_spanish() -> None:
    """Every error, notice, help text and view word the code marks has a Spanish
    translation, and no message is built with an f-string (it would have no id)."""
    assert tool().missing() == []


def test_the_finder_sees_an_untranslated_message_and_an_f_string(tmp_path: Path) -> None:
    """``missing`` would pass vacuously if it found no message at all."""
    source = tmp_path / "dossier"
    (source / "app").mkdir(parents=True)
    (source / "app" / "x.py").write_text(
        "class StrangeError(DossierError): ...\n"
        "def f(n):\n"
        "    raise StrangeError('no such thing {n}', n=n)\n"
        "def g(n):\n"
        "    raise StrangeError(f'built {n}')\n",
        encoding="utf-8",
    )
    problems = tool().missing(source=source)
    assert any("no such thing {n}" in p and "x.py:3" in p for p in problems), problems
    assert any("x.py:5" in p and "f-string" in p for p in problems), problems


def test_the_check_finds_what_is_wrong(tmp_path: Path) -> None:
    i18n_tool = tool()
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "dossier.po"
    header = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
    )
    po.write_text(header + 'msgid "Options"\nmsgstr "Opciones"\n', encoding="utf-8")
    assert any("compile" in problem for problem in i18n_tool.check(tmp_path))  # no .mo yet
    i18n_tool.compile_all(tmp_path)
    assert i18n_tool.check(tmp_path) == []
    po.write_text(
        header + 'msgid "Options"\nmsgstr ""\n\n'
        'msgid "Missing argument {name}."\nmsgstr "Falta el argumento {nombre}."\n',
        encoding="utf-8",
    )
    problems = i18n_tool.check(tmp_path)
    assert any("'Options'" in p and "no translation" in p for p in problems), problems
    assert any("fields" in p for p in problems), problems


def test_the_mo_writer_is_read_by_gettext(tmp_path: Path) -> None:
    from gettext import GNUTranslations

    i18n_tool = tool()
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#, python-brace-format\nmsgid "{n} day"\nmsgid_plural "{n} days"\n'
        'msgstr[0] "{n} día"\nmsgstr[1] "{n} días"\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "mayo"\n\n'
        'msgid "Line one\\n"\n"and \\"two\\""\nmsgstr "Línea uno\\ny \\"dos\\""\n',
        encoding="utf-8",
    )
    mo = tmp_path / "x.mo"
    mo.write_bytes(i18n_tool.compile_mo(i18n_tool.parse_po(po)))
    with mo.open("rb") as handle:
        catalogue = GNUTranslations(handle)
    assert catalogue.ngettext("{n} day", "{n} days", 1) == "{n} día"
    assert catalogue.ngettext("{n} day", "{n} days", 5) == "{n} días"
    assert catalogue.pgettext("month", "May") == "mayo"
    assert catalogue.gettext('Line one\nand "two"') == 'Línea uno\ny "dos"'


def test_the_compiled_catalogues_are_package_data() -> None:
    """A wheel (and pip install) carries the .mo files: the package-data globs cover them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["dossier.i18n"]
    package = Path(i18n.__file__).parent
    compiled = [mo.relative_to(package).as_posix() for mo in package.rglob("*.mo")]
    assert compiled
    for name in compiled:
        assert any(fnmatch(name, glob) for glob in globs), name
