"""The command line in French: messages, errors, the intake summary and the summary CSV, run as real processes.

The French is checked against sentences written here by hand, and the figures against a small order file whose
totals are counted by hand below (not by clv-xl).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

import clv_xl
from clv_xl.cli import main
from clv_xl.i18n.catalogue import entries, translate

ROOT = Path(__file__).parents[1]
PACKAGE = Path(clv_xl.__file__).parent  # the package imported: the sources, or the installed wheel in CI's run #2
NBSP = "\u00a0"

# Four orders typed as French Excel exports them (';', decimal comma, dd/mm/yyyy, thousands with a space):
#   A: 1 200,50 on 05/01/2024 and 800,00 on 10/02/2024 -> revenue 2 000,50, 2 orders
#   B: 50,25 on 15/01/2024                              -> revenue 50,25, 1 order
#   C: 1 000,00 on 20/03/2024                           -> revenue 1 000,00, 1 order
# 4 rows, 4 orders, 3 customers, first 05/01/2024, last 20/03/2024, total 3 050,75 EUR.
HAND_COUNTED = (
    "Client;Date de commande;Montant TTC\n"
    "A;05/01/2024;1 200,50 €\n"
    "B;15/01/2024;50,25 €\n"
    "A;10/02/2024;800,00 €\n"
    "C;20/03/2024;1 000,00 €\n"
)
REVENUE = {"A": 2000.50, "B": 50.25, "C": 1000.00}
ORDERS = {"A": 2, "B": 1, "C": 1}


def run_cli(args: list[str], cwd: Path, *, lang_env: str = "fr_FR.UTF-8",
            encoding: str = "utf-8") -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LC_") and key != "CLV_XL_LANG"}
    env.update({"LANG": lang_env, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)})
    return subprocess.run([sys.executable, "-m", "clv_xl", *args], capture_output=True, env=env, cwd=cwd,
                          timeout=240)


def invoke(args: list[str], *, lang_env: str = "fr_FR.UTF-8") -> tuple[int, str, str]:
    """The command line run in this process (faster than a subprocess), under the locale ``lang_env``."""
    env = {"LANG": lang_env, "LC_ALL": None, "LC_MESSAGES": None, "CLV_XL_LANG": None}
    result = CliRunner(env=env).invoke(main, args)
    return result.exit_code, result.stdout.replace(NBSP, " "), result.stderr.replace(NBSP, " ")


def error_of(args: list[str], **kwargs: str) -> str:
    code, _out, err = invoke(args, **kwargs)
    assert code == 2, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err.strip()


def text(stream: bytes, encoding: str = "utf-8") -> str:
    return stream.decode(encoding).replace(NBSP, " ")


@pytest.fixture()
def orders_file(tmp_path: Path) -> Path:
    path = tmp_path / "commandes.csv"
    path.write_text(HAND_COUNTED, encoding="utf-8")
    return path


def one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 2, result.stderr
    err = text(result.stderr)
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err.strip()


def test_a_french_locale_speaks_french_and_lang_en_overrides_it(tmp_path: Path) -> None:
    french = one_error_line(run_cli(["inspect", "absent.csv"], tmp_path))
    assert french == "Erreur : fichier de commandes introuvable : absent.csv"
    english = one_error_line(run_cli(["inspect", "absent.csv", "--lang", "en"], tmp_path))
    assert english == "Error: order file not found: absent.csv"
    assert error_of(["inspect", "absent.csv"], lang_env="C.UTF-8").startswith("Error: ")
    asked = error_of(["--lang", "fr", "inspect", "absent.csv"], lang_env="en_US.UTF-8")
    assert asked.startswith("Erreur : fichier de commandes introuvable")


def test_the_errors_an_analyst_meets_most_are_french(tmp_path: Path, data_dir: Path) -> None:
    orders = data_dir / "orders"
    no_columns = error_of(["inspect", str(orders / "no_order_columns.csv")])
    assert no_columns.startswith("Erreur : aucune colonne client, date et montant reconnue dans no_order_columns.csv")
    assert "indiquez customer=<column>" in no_columns
    unreadable = error_of(["inspect", str(orders / "binary.csv")])
    assert unreadable == ("Erreur : binary.csv n'est pas un fichier texte, Excel ou Parquet "
                          "(il contient des données binaires)")
    empty = error_of(["inspect", str(orders / "empty.csv")])
    assert empty == "Erreur : empty.csv est vide ; exportez à nouveau les commandes"
    mixed = tmp_path / "devises.csv"
    mixed.write_text("client,date,montant,devise\nA,2024-01-02,10,EUR\nB,2024-01-03,12,EUR\n"
                     "C,2024-01-04,9,USD\n", encoding="utf-8")
    currencies = error_of(["inspect", str(mixed)])
    assert currencies.startswith("Erreur : devises.csv mélange plusieurs devises : EUR (2 commandes), "
                                 "USD (1 commande) ; choisissez-en une avec --currency EUR")


def test_an_existing_output_is_refused_in_french_and_kept(tmp_path: Path, orders_file: Path) -> None:
    target = tmp_path / "clients.csv"
    target.write_text("déjà là", encoding="utf-8")
    error = error_of(["summary", str(orders_file), "-o", str(target)])
    assert re.fullmatch(r"Erreur : '.*clients\.csv' existe déjà ; ajoutez --force pour le remplacer", error)
    assert target.read_text(encoding="utf-8") == "déjà là"


def test_bad_option_values_are_french_with_french_numbers(tmp_path: Path, orders_file: Path) -> None:
    word = error_of(["report", str(orders_file), "-o", str(tmp_path / "r.xlsx"), "--margin", "abc"])
    assert word.startswith("Erreur : Valeur invalide pour '--margin' : 'abc' n'est pas un nombre : écrivez 0,3")
    assert word.endswith("(voir 'main report --help')")
    too_big = error_of(["report", str(orders_file), "-o", str(tmp_path / "r.xlsx"), "--margin", "1,5"])
    assert too_big == "Erreur : margin doit être >= 0 et <= 1 ; reçu 1,5"
    assert not (tmp_path / "r.xlsx").exists()
    choice = error_of(["summary", str(orders_file), "-o", str(tmp_path / "c.csv"), "--csv-sep", "|"])
    assert choice.startswith("Erreur : Valeur invalide pour '--csv-sep' : '|' n'est pas l'un de")
    missing = error_of(["summary", str(orders_file)])
    assert missing.startswith("Erreur : Option '-o' / '--output' manquante.")


def test_the_intake_summary_and_the_csv_are_french(tmp_path: Path, orders_file: Path) -> None:
    result = run_cli(["summary", str(orders_file), "-o", "clients.csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    err = text(result.stderr).splitlines()
    assert err[0] == ("commandes.csv : 4 lignes lues, 4 commandes de 3 clients, du 05/01/2024 au 20/03/2024, "
                      "total 3 050,75 €")
    assert "colonnes : customer <- 'Client' (nom connu) ; date <- 'Date de commande' (nom connu) ; " \
           "amount <- 'Montant TTC' (nom connu)" in err
    assert "devise : EUR" in err
    assert "3 clients écrits dans " in err[-2]
    assert err[-1].startswith("CSV pour Excel en français : « ; » entre les colonnes, virgule décimale")
    raw = (tmp_path / "clients.csv").read_text(encoding="utf-8-sig")
    assert raw.splitlines()[0].startswith("customer_id;frequency;")
    assert "2000,5" in raw  # the decimal comma French Excel reads
    french = pd.read_csv(tmp_path / "clients.csv", sep=";", decimal=",", encoding="utf-8-sig", index_col=0)
    assert french["revenue"].to_dict() == REVENUE  # counted by hand above
    assert french["orders"].to_dict() == ORDERS
    code, _out, err_en = invoke(["summary", str(orders_file), "-o", str(tmp_path / "customers.csv"), "--lang", "en"])
    assert code == 0, err_en
    assert err_en.splitlines()[-1].startswith("CSV with ',' between columns")
    english = pd.read_csv(tmp_path / "customers.csv", encoding="utf-8-sig", index_col=0)
    pd.testing.assert_frame_equal(french, english)


def test_the_separator_can_be_forced(tmp_path: Path, orders_file: Path) -> None:
    code, _out, err = invoke(["summary", str(orders_file), "-o", str(tmp_path / "c.csv"), "--csv-sep", ","])
    assert code == 0, err
    assert "--csv-sep ; pour Excel en français" in err
    table = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig", index_col=0)
    assert table["revenue"].to_dict() == REVENUE


@pytest.mark.parametrize("encoding", ["cp1252", "cp850"])
def test_a_french_run_prints_on_a_windows_console(encoding: str, tmp_path: Path, orders_file: Path) -> None:
    result = run_cli(["summary", str(orders_file), "-o", "c.csv", "--inactive-after", "auto"], tmp_path,
                     encoding=encoding)
    assert result.returncode == 0, result.stderr.decode(encoding, "replace")
    err = result.stderr.decode(encoding)
    assert "3 050,75" in err.replace(NBSP, " ") and "écrits" in err and "«" in err  # accents, spaces survive
    assert ("€" in err) == (encoding == "cp1252") and ("EUR" in err.splitlines()[0]) == (encoding == "cp850")
    assert "?" not in err
    listing = run_cli(["functions"], tmp_path, encoding=encoding)
    assert listing.returncode == 0 and b"CLV(" in listing.stdout


# rows whose English is assembled from pieces in the code, so it never appears whole in the source
ASSEMBLED = {
    "click.not_int": "click writes '{value!r} is not a valid {number_type}'",
    "click.not_float": "the same, for floats",
    "phrase.count_order": "canonical.py writes f'{code} ({n:,} orders)' whatever n is",
    "phrase.roles3": "find_columns.py joins the missing roles' keywords with ' and '",
    "phrase.roles_cd": "idem",
    "phrase.roles_ca": "idem",
    "intake.no_currency": "intake_report.py writes 'currency: ' + (... or 'not stated in the data')",
}


def test_every_catalogued_sentence_is_still_written_by_the_code() -> None:
    """A reworded message would silently stay English: each row's fixed words must still be in the source."""
    def joined(paths: list[Path]) -> str:
        source = "\n".join(path.read_text(encoding="utf-8") for path in paths)
        return re.sub(r"[\"']\s*\n\s*(?:\+\s*)?[frb]*[\"']", "", source)  # join strings split over lines

    source = joined(sorted(PACKAGE.rglob("*.py"))) + joined(sorted(Path(click.__file__).parent.glob("*.py")))
    stale = {}
    for key, entry in entries().items():
        if key.startswith("cli.") or key in ASSEMBLED:  # cli.* rows are written by key, not matched
            continue
        fixed = [part.strip(" .:") for part in re.split(r"\{[^}]*\}", entry.en) if len(part.strip(" .:;()'")) >= 6]
        missing = [part for part in fixed if part not in source]
        if missing:
            stale[key] = missing
    assert stale == {}


def test_an_unknown_sentence_stays_english_and_numbers_are_french() -> None:
    assert translate("a sentence nobody wrote", "fr") == "a sentence nobody wrote"
    assert translate("Rows without customer (dropped): 12,345", "fr") == f"Lignes sans client (écartées){NBSP}: " \
        f"12{NBSP}345"


def test_every_key_the_command_line_says_is_in_the_catalogue() -> None:
    used = set()
    for path in (PACKAGE / "cli").glob("*.py"):
        used |= set(re.findall(r"""(?:say|message)\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    assert len(used) >= 10 and used <= set(entries()), sorted(used - set(entries()))


def test_every_catalogue_pattern_compiles() -> None:
    """The patterns are compiled on first use (an English run needs none): a broken one must fail here, not in a
    French analyst's run."""
    for key, entry in entries().items():
        assert entry.pattern.groupindex.keys() == {name for name, _ in entry.kinds}, key
