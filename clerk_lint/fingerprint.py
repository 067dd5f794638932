"""``partialFingerprints.primaryLocationLineHash`` computed as GitHub's upload-sarif action does.

A rolling polynomial hash (base 37, wrapping 64-bit arithmetic) over a window of the next 100
characters that are not spaces or tabs, starting at the first character of each line; CR and CRLF
count as LF; each value is suffixed with ``:n``, the how-many-th time that value occurs in the file.
Computing it here makes the alerts stable, and lets GitHub match alerts across commits exactly as
if its own action had computed them.
"""

from __future__ import annotations

BLOCK_SIZE = 100
MOD = 37
MASK = (1 << 64) - 1
EOF_CHAR = 65535
FIRST_MOD = pow(MOD, BLOCK_SIZE, 1 << 64)


def _code_units(text: str) -> list[int]:
    """UTF-16 code units, as JavaScript's ``charCodeAt`` sees the text."""
    data = text.encode("utf-16-le", "surrogatepass")
    return [data[i] | (data[i + 1] << 8) for i in range(0, len(data), 2)]


def line_hashes(text: str) -> dict[int, str]:
    """1-based line number -> ``"<hex>:<n>"`` for every line of ``text``."""
    window = [0] * BLOCK_SIZE
    line_numbers = [-1] * BLOCK_SIZE
    state = {"hash": 0, "index": 0}
    counts: dict[str, int] = {}
    result: dict[int, str] = {}

    def output() -> None:
        index = state["index"]
        value = format(state["hash"] & MASK, "x")
        counts[value] = counts.get(value, 0) + 1
        result[line_numbers[index]] = f"{value}:{counts[value]}"
        line_numbers[index] = -1

    def update(current: int) -> None:
        index = state["index"]
        begin = window[index]
        window[index] = current
        state["hash"] = (MOD * state["hash"] + current - FIRST_MOD * begin) & MASK
        state["index"] = (index + 1) % BLOCK_SIZE

    line_number = 0
    line_start = True
    prev_cr = False
    for current in [*_code_units(text), EOF_CHAR]:
        if current in (0x20, 0x09) or (prev_cr and current == 0x0A):
            prev_cr = False
            continue
        if current == 0x0D:
            current = 0x0A
            prev_cr = True
        else:
            prev_cr = False
        if line_numbers[state["index"]] != -1:
            output()
        if line_start:
            line_start = False
            line_number += 1
            line_numbers[state["index"]] = line_number
        if current == 0x0A:
            line_start = True
        update(current)
    for _ in range(BLOCK_SIZE):
        if line_numbers[state["index"]] != -1:
            output()
        update(0)
    return result
