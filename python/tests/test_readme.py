"""The code of python/README.md runs as written, in one namespace as a
notebook would run it."""

import re

import pytest

pytest.importorskip("ema_workbench", reason="the README's last block needs ema_workbench")


def test_the_readme_runs(root):
    text = (root / "python" / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 6
    namespace = {}
    for block in blocks:
        exec(compile(block, "python/README.md", "exec"), namespace)
    assert namespace["d"].display_name == "muscat-2026 with format.mode=direct"
    assert len(namespace["runs"]) == 20_000
