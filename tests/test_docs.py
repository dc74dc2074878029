"""The documentation stays true.

The README keeps its two commands and a quick start that runs as written; the scenario format's
tables are the ones generated from the data dictionary; every command is in the README's commands
table and every constraint family in the model's table; the MkDocs site builds with --strict.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
from click.testing import CliRunner

from selector.cli import main
from selector.fields import columns_table_markdown, settings_table_markdown

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """Every fenced block of a Markdown text, in order, as (language, body)."""
    return [(lang, body) for lang, body in re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.S | re.M)]


def section(text: str, heading: str) -> str:
    """The text of the `## heading...` section, up to the next `## ` heading."""
    start = re.search(rf"^## {re.escape(heading)}.*$", text, flags=re.M)
    assert start, f"no '## {heading}' section"
    end = re.search(r"^## ", text[start.end():], flags=re.M)
    return text[start.end(): start.end() + end.start()] if end else text[start.end():]


QUICK_START = section(README, "Quick start")


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    first, second = bash_blocks(README)[:2]
    assert "selector solve scenarios/dlt-offices.csv" in first and first.startswith("pip install")
    assert "pytest" in second and second.startswith("pip install")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert second in ci.splitlines()


def test_scenario_format_tables_are_generated_from_the_data_dictionary():
    page = doc("scenario-format.md")
    assert columns_table_markdown() in page
    assert settings_table_markdown() in page


def test_every_command_is_in_the_readme_commands_table():
    table = section(README, "Commands")
    for name in main.commands:
        assert f"| `selector {name}` |" in table, f"selector {name} is missing from the README's commands table"


def test_every_model_family_is_in_the_model_table():
    from selector.model import CONSTRAINT_FAMILIES

    page = doc("model.md")
    for family in CONSTRAINT_FAMILIES:
        assert f"`{family.__name__}`" in page, family.__name__


# The quick start: files written with `cat > FILE <<'EOF'`, then `mkdir`, `cd` and `selector` commands.

def quick_start_steps(block: str) -> list[tuple[str, ...]]:
    """A bash block of the quick start as steps: ("write", file, text) or ("run", *argv)."""
    steps: list[tuple[str, ...]] = []
    lines = block.splitlines()
    i = 0
    while i < len(lines):
        heredoc = re.fullmatch(r"cat > (\S+) <<'EOF'", lines[i])
        if heredoc:
            end = lines.index("EOF", i + 1)
            steps.append(("write", heredoc.group(1), "\n".join(lines[i + 1:end]) + "\n"))
            i = end + 1
            continue
        command = lines[i]
        while command.endswith("\\"):
            i += 1
            command = command[:-1] + lines[i]
        steps.extend(("run", *shlex.split(part)) for part in command.split(" && "))
        i += 1
    return steps


def test_docs_quick_start_is_the_readmes():
    assert fenced_blocks(doc("quickstart.md")) == fenced_blocks(QUICK_START)


def test_readme_quick_start_runs_as_written(tmp_path, monkeypatch):
    """Every command of the quick start exits 0, and the output it shows is what the command prints."""
    runner = CliRunner()
    folder = tmp_path
    output = None  # of the last selector command
    ran = []
    for lang, body in fenced_blocks(QUICK_START):
        if lang == "text":
            assert output is not None, "the quick start shows output before any command"
            printed = [line.rstrip() for line in output.splitlines()]
            shown = [line.rstrip() for line in body.splitlines() if line.strip()]
            position = 0
            for line in shown:  # in the order shown, each line is a line of the output
                assert line in printed[position:], f"{ran[-1]}: shown but not printed: {line!r}\n{output}"
                position = printed.index(line, position) + 1
            continue
        assert lang == "bash", f"the quick start has a ```{lang} block"
        for step in quick_start_steps(body):
            if step[0] == "write":
                (folder / step[1]).write_text(step[2], encoding="utf-8")
            elif step[1] == "mkdir":
                (folder / step[2]).mkdir()
            elif step[1] == "cd":
                folder = folder / step[2]
            elif step[1] == "selector":
                monkeypatch.chdir(folder)
                result = runner.invoke(main, list(step[2:]), prog_name="selector")
                ran.append(" ".join(step[1:]))
                assert result.exit_code == 0, f"{ran[-1]} exited {result.exit_code}:\n{result.output}"
                output = result.output
            else:
                pytest.fail(f"the quick start runs {step[1]!r}, which this test does not know")
    for name in ("validate", "solve", "check", "export"):
        assert any(r.startswith(f"selector {name} ") for r in ran), f"the quick start never runs selector {name}"
    assert (folder / "plan.xlsx").stat().st_size > 0 and (folder / "plan.html").stat().st_size > 0


def test_docs_build_strict(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocs_click")
    site = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    cli = (site / "cli" / "index.html").read_text(encoding="utf-8")
    for name in main.commands:  # the reference is generated from the click group: every command is there
        assert f'id="{name}"' in cli, name
    assert "&lt;stem&gt;-schedule.csv" in cli and "Sentinel" not in cli  # docs/hooks/cli_reference.py
