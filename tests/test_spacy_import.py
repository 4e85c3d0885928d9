"""spaCy imported without its command line (coding/spacy_import.py): the command line is not
loaded, yet spaCy works in full afterwards, and any other spaCy is imported as it is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(script: str, path: Path | None = None) -> dict[str, object]:
    """Run `script` in a fresh Python (spaCy not yet imported) and return the JSON it prints."""
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(path), str(ROOT / "src")])
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


REAL = """
import json, sys
from dialogtool.coding.spacy_import import import_spacy
spacy = import_spacy()
state = {"cli": "spacy.cli" in sys.modules, "weasel": "weasel" in sys.modules, "stand_in_attr": "cli" in vars(spacy)}
nlp = spacy.blank("nb")  # spaCy's own pipeline, registries and all
from dialogtool.coding.matcher import tokenizer
text = "Bl.a. IP-planen, jf. s. 4 (www.helse-nord.no)."
state["same_tokens"] = [t.text for t in nlp(text)] == [t.text for t in tokenizer()(text)]
state["attribute_cli"] = hasattr(spacy.cli, "download")  # read without importing it, as after a plain import
import spacy.cli
state["real_cli"] = hasattr(spacy.cli, "download")
state["no_such"] = not hasattr(spacy, "no_such_attribute")
state["info"] = spacy.info(silent=True)["spacy_version"] == spacy.__version__
print(json.dumps(state))
"""


def test_spacy_without_its_cli_then_with_it_on_demand() -> None:
    state = _run(REAL)
    assert state["cli"] is False and state["weasel"] is False and state["stand_in_attr"] is False
    assert state["same_tokens"] is True
    assert state["attribute_cli"] is True  # `spacy.cli` read first loads the real one
    assert state["real_cli"] is True and state["no_such"] is True
    assert state["info"] is True  # `spacy.info` calls the real one


def test_the_installed_spacy_uses_its_cli_only_for_info() -> None:
    """What the stand-ins rely on; when a spaCy upgrade changes it, they are no longer used."""
    from dialogtool.coding.spacy_import import cli_only_for_info

    assert cli_only_for_info()


CHECK = """
import json, sys
from dialogtool.coding.spacy_import import import_spacy
try:
    spacy = import_spacy()
    outcome = spacy.MARK
except RuntimeError as exc:
    spacy, outcome = None, str(exc)
state = {"outcome": outcome, "left": {n: sys.modules[n].__doc__ for n in sys.modules if n.startswith("spacy.cli")}}
state["info"] = spacy.info() if spacy is not None else None
print(json.dumps(state))
"""


def _fake_spacy(root: Path, init: str) -> Path:
    """A package `spacy` of our own, with a command line that says whether it was loaded."""
    package = root / "spacy"
    (package / "cli").mkdir(parents=True)
    (package / "__init__.py").write_text(init, encoding="utf-8")
    (package / "cli" / "__init__.py").write_text('"""the real cli"""\n', encoding="utf-8")
    (package / "cli" / "info.py").write_text('"""the real info"""\ndef info(): return "real"\n', encoding="utf-8")
    (package / "cli" / "download.py").write_text('"""download"""\n', encoding="utf-8")
    return root


def test_a_spacy_that_uses_its_cli_otherwise_is_imported_as_it_is(tmp_path: Path) -> None:
    init = 'from .cli.info import info  # noqa: F401\nfrom .cli import download  # noqa: F401\nMARK = "plain"\n'
    state = _run(CHECK, _fake_spacy(tmp_path, init))
    assert state["outcome"] == "plain"
    assert state["left"] == {
        "spacy.cli": "the real cli",
        "spacy.cli.download": "download",
        "spacy.cli.info": "the real info",
    }
    assert state["info"] == "real"


def test_stand_ins_used_for_a_spacy_like_the_installed_one(tmp_path: Path) -> None:
    init = 'from .cli.info import info  # noqa: F401\nMARK = "stand-ins"\n'
    state = _run(CHECK, _fake_spacy(tmp_path, init))
    assert state["outcome"] == "stand-ins"
    assert state["left"] == {}  # neither the real command line nor the stand-ins are left
    assert state["info"] == "real"  # `spacy.info` imports and calls the real one


@pytest.mark.parametrize("when", ["after", "before"])
def test_stand_ins_are_removed_when_spacys_import_fails(tmp_path: Path, when: str) -> None:
    lines = ["from .cli.info import info  # noqa: F401", 'raise RuntimeError("broken spaCy")']
    init = "\n".join(lines if when == "after" else lines[::-1]) + "\n"
    state = _run(CHECK, _fake_spacy(tmp_path, init))
    assert state["outcome"] == "broken spaCy"
    assert state["left"] == {}
