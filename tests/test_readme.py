"""Every Python block in README.md and docs/ is a complete program that runs against the
sandbox.

A block runs in a subprocess with the environment ``revclient sandbox`` prints (the
clients' constructor arguments default to it). An HTML comment on the line before a block
says what else it needs: ``<!-- readme-test: redis (...) -->`` gets a throwaway
redis-server (``REDIS_URL``), ``<!-- readme-test: skip (reason) -->`` is only compiled.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sandbox_process import clean_env, sandbox_vars

from revclient.testing import Sandbox
from revclient.testing._redis import redis_server

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: The pages with examples: the README and the documentation site's pages.
PAGES = [README, *sorted((ROOT / "docs").rglob("*.md"))]
MARKER = re.compile(r"<!--\s*readme-test:\s*(\w+)\s*(?:\((.*)\))?\s*-->")
#: How many blocks may be left unrun; raise it only with a reason in the README.
MAX_SKIPPED = 1


@dataclass(frozen=True)
class Block:
    """One fenced Python block: where it starts, its code, and its marker if any."""

    line: int
    code: str
    marker: str | None = None
    reason: str = ""
    page: str = ""

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def python_blocks(text: str) -> list[Block]:
    """The ```python blocks of a Markdown text, with the marker on the line before each."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```python":
            found = MARKER.fullmatch(lines[i - 1].strip()) if i else None
            end = lines.index("```", i + 1)
            code = "\n".join(lines[i + 1 : end]) + "\n"
            marker, reason = (found.group(1), found.group(2) or "") if found else (None, "")
            blocks.append(Block(i + 1, code, marker, reason))
            i = end
        i += 1
    return blocks


BLOCKS = [
    Block(b.line, b.code, b.marker, b.reason, str(page.relative_to(ROOT)))
    for page in PAGES
    for b in python_blocks(page.read_text(encoding="utf-8"))
]


def test_the_extractor_reads_markers_and_blocks() -> None:
    fence = "```"
    text = f"x\n<!-- readme-test: skip (needs a GPU) -->\n{fence}python\nprint(1)\n{fence}\n"
    text += f"{fence}python\n2\n{fence}\n"
    assert python_blocks(text) == [
        Block(3, "print(1)\n", "skip", "needs a GPU"),
        Block(6, "2\n", None, ""),
    ]


def test_the_readme_and_the_docs_have_their_examples_and_few_are_skipped() -> None:
    assert len([b for b in BLOCKS if b.page == "README.md"]) >= 9
    assert len({b.page for b in BLOCKS}) >= 8  # README.md and the guide's pages
    assert {b.marker for b in BLOCKS} <= {None, "skip", "redis"}
    skipped = [b for b in BLOCKS if b.marker == "skip"]
    assert len(skipped) <= MAX_SKIPPED and all(b.reason for b in skipped)


@pytest.fixture(scope="module")
def sandbox_env() -> Iterator[dict[str, str]]:
    with Sandbox(seed=0, records=150).run_in_thread() as sb:
        env = clean_env(**sandbox_vars(sb))
        env.pop("REVCLIENT_LOG", None)
        # The dlt example: no anonymous usage telemetry (a connection beyond loopback).
        env["RUNTIME__DLTHUB_TELEMETRY"] = "false"
        yield env


def run(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("block", BLOCKS, ids=[b.where for b in BLOCKS])
def test_example_runs(block: Block, sandbox_env: dict[str, str], tmp_path: Path) -> None:
    # dlt keeps its pipelines under DLT_DATA_DIR (~/.dlt by default).
    sandbox_env = {**sandbox_env, "DLT_DATA_DIR": str(tmp_path / ".dlt")}
    compile(block.code, block.where, "exec")  # every block, skipped or not
    if block.marker == "skip":
        pytest.skip(f"{block.where}: {block.reason}")
    if block.marker == "redis":
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed")
        with redis_server() as server:
            done = run(block.code, {**sandbox_env, "REDIS_URL": server.url}, tmp_path)
    else:
        done = run(block.code, sandbox_env, tmp_path)
    assert done.returncode == 0, f"{block.where}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr, done.stderr
    assert done.stdout.strip(), "every example shows something"
