"""List the untranslated or fuzzy entries of a .po file; exit 1 if there are any.

A small reader rather than polib: the check needs only entries' flags, msgid and msgstr, and
keeping it dependency-free lets it run before anything else is installed.
"""

import sys
from pathlib import Path


def entries(text: str):
    """Yield (flags, msgid, [msgstr…]) for each entry; obsolete (#~) entries are skipped."""
    for block in text.split("\n\n"):
        flags, field, values = set(), None, {}
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and field:
                values[field] += line[1:-1]
            elif " " in line:
                field, _, rest = line.partition(" ")
                values[field] = rest.strip()[1:-1]
        if "msgid" in values:
            strs = [v for k, v in values.items() if k.startswith("msgstr")]
            yield flags, values["msgid"], strs


def main(path: str) -> int:
    bad = [
        msgid
        for flags, msgid, strs in entries(Path(path).read_text(encoding="utf-8"))
        if msgid and ("fuzzy" in flags or not all(strs))
    ]
    for msgid in bad:
        print(f"untranslated: {msgid[:100]}")
    if bad:
        print(f"{path}: {len(bad)} message(s) without an Arabic translation")
        return 1
    print(f"{path}: every message has an Arabic translation")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
