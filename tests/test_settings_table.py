"""docs/operations.md has one table of every setting, and it agrees with the code: each setting
newscrawl/settings.py defines or any module of newscrawl/ reads is a row, with the default the
code has and the environment variable settings.py reads it from."""

from __future__ import annotations

import re
from typing import Any

from tests.helpers import NO_DEFAULT, REPO, environment_of_settings, settings_read

OPERATIONS = REPO / "docs" / "operations.md"
HEADING = "## Every setting"
HEADER = "| setting | environment variable | default | meaning |"


def the_table() -> dict[str, dict[str, str]]:
    """The rows of the one settings table: {setting: {env, default, meaning}}."""
    lines = OPERATIONS.read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADING)
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("|"))
    assert lines[header] == HEADER
    end = header
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    rest = [line for line in lines[end:] if line.strip()]
    # A blank line would end the table in Markdown and leave the rest as loose text.
    assert not rest or not rest[0].startswith("|"), "a blank line breaks the settings table"
    rows: dict[str, dict[str, str]] = {}
    for line in lines[header + 2 : end]:
        cells = [c.strip() for c in line.strip()[1:-1].split("|")]
        assert len(cells) == 4, line
        name = cells[0].strip("`")
        assert name not in rows, f"{name} twice in the table"
        rows[name] = {"env": cells[1].strip("`"), "default": cells[2], "meaning": cells[3]}
    return rows


def default_text(value: Any) -> str | None:
    """How the table writes a plain default, or None for a dict (checked by its parts)."""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return f"`{value}`"
    if isinstance(value, list | tuple):
        return ", ".join(f"`{v}`" for v in value)
    return None


def assert_default(name: str, cell: str, value: Any) -> None:
    text = default_text(value)
    if text is not None:
        assert cell == text, f"{name}: the table says {cell!r}, the code {text!r}"
        return
    # A dict: every key and value (a class path by its last part) appears in the cell.
    for key, item in value.items():
        for part in (key, item):
            if part is None:  # a component switched off: its key is there
                continue
            text = str(part).rsplit(".", 1)[-1] if isinstance(part, str) else str(part)
            assert text in cell, f"{name}: {text!r} of {value!r} is not in the table's {cell!r}"


def test_there_is_one_settings_table():
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        count = text.count(HEADER)
        expected = 1 if path == OPERATIONS else 0
        assert count == expected, f"{path.name} has {count} settings tables"
        assert "\n| setting |" not in text.replace(HEADER, "") or path != OPERATIONS


def test_every_setting_is_in_the_table(defaults):
    rows = the_table()
    missing = sorted(({*defaults} | {*settings_read()}) - {*rows})
    assert not missing, f"settings in no row of docs/operations.md#every-setting: {missing}"


def test_defaults_match_settings_py(defaults):
    rows = the_table()
    for name, value in defaults.items():
        assert_default(name, rows[name]["default"], value)


def test_defaults_of_settings_read_elsewhere_match(defaults):
    """A setting settings.py does not define: the default of the code that reads it. One it
    defines: the code's fallback must not contradict it."""
    rows = the_table()
    for name, reads in settings_read().items():
        fallbacks = {repr(d) for _, _, d in reads if d is not NO_DEFAULT}
        if name in defaults:
            value = defaults[name]
            for where, _, fallback in reads:
                if fallback is NO_DEFAULT or fallback is None:
                    continue
                if isinstance(fallback, tuple | list):
                    fallback = list(fallback)
                    value = list(value)
                assert fallback == value, (
                    f"{where}: {name} falls back to {fallback!r}, not {value!r}"
                )
            continue
        assert len(fallbacks) <= 1, f"{name} has different defaults where it is read: {reads}"
        fallback = next(d for _, _, d in reads if d is not NO_DEFAULT)
        assert_default(name, rows[name]["default"], fallback)


def test_environment_variables_are_named(defaults):
    rows = the_table()
    for name, variables in environment_of_settings().items():
        assert rows[name]["env"] in variables, f"{name}: read from ${' or $'.join(variables)}"
    for name, row in rows.items():
        if row["env"]:
            assert name in environment_of_settings() or name not in defaults, name


def test_every_row_has_a_meaning():
    for name, row in the_table().items():
        assert re.search(r"\w{3}", row["meaning"]), name
