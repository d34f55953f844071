"""Tables in ``docs/`` that the tests write, checked one row at a time.

``docs/reliability.md`` shows what the tool did for each bad input and each recording
fault. Each test renders its own row from its outcome and checks it against the document
right away, so the check does not depend on which tests ran before it or in what order:
``-m "not slow"`` checks every fast row, and the slow rows are checked when the slow tests
run. A separate layout check (no outcomes needed) makes sure the table lists exactly the
expected cases, in order, under the right header.

With ``VOICE_COACH_UPDATE_DOCS=1`` the same calls rewrite the rows instead of checking them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def updating() -> bool:
    """Whether this run regenerates the documents instead of checking them."""
    return bool(os.environ.get("VOICE_COACH_UPDATE_DOCS"))


@dataclass(frozen=True)
class DocTable:
    """A Markdown table between two marker comments in a document.

    Attributes:
        doc: the document.
        begin, end: the marker lines around the table.
        header: the table's header lines (titles and the ``|---|`` line).
        keys: the first cell of each row, in document order.
        footer: lines after the rows, inside the markers.
        regenerate: the command that rewrites the table, for the failure message.
    """

    doc: Path
    begin: str
    end: str
    header: tuple[str, ...]
    keys: tuple[str, ...]
    footer: tuple[str, ...] = ()
    regenerate: str = ""

    def _parts(self) -> tuple[str, list[str], str]:
        text = self.doc.read_text(encoding="utf-8")
        if self.begin not in text or self.end not in text:
            raise AssertionError(f"{self.doc} lacks the {self.begin} / {self.end} markers")
        head, rest = text.split(self.begin, 1)
        body, tail = rest.split(self.end, 1)
        return head, body.strip("\n").splitlines(), tail

    def rows(self) -> dict[str, str]:
        """The document's rows by key (the first cell), header and footer left out."""
        _head, lines, _tail = self._parts()
        out: dict[str, str] = {}
        for line in lines:
            if line.startswith("| ") and line not in self.header:
                out[line[2:].split(" | ", 1)[0]] = line
        return out

    def _write(self, rows: dict[str, str]) -> None:
        head, _lines, tail = self._parts()
        body = [*self.header, *(rows[k] for k in self.keys if k in rows), *self.footer]
        self.doc.write_text(f"{head}{self.begin}\n" + "\n".join(body) + f"\n{self.end}{tail}", encoding="utf-8")

    def check_row(self, key: str, line: str) -> None:
        """Assert the document's row for ``key`` is ``line`` (or write it, when updating)."""
        assert key in self.keys, f"{key!r} is not one of the table's cases"
        assert line.startswith(f"| {key} | "), line
        if updating():
            self._write({**self.rows(), key: line})
            return
        have = self.rows().get(key)
        assert have == line, (f"{self.doc.name} is out of date for {key!r}; regenerate it with "
                              f"{self.regenerate}\n  document: {have}\n  outcome:  {line}")

    def check_layout(self) -> None:
        """Assert the table has the header, one row per key in order, then the footer."""
        rows = self.rows()
        if updating():
            self._write(rows)
            return
        _head, lines, _tail = self._parts()
        assert tuple(lines[: len(self.header)]) == self.header, lines[: len(self.header)]
        assert list(rows) == list(self.keys), (
            f"{self.doc.name}: the rows should be exactly {list(self.keys)}, in that order; "
            f"regenerate it with {self.regenerate}")
        assert tuple(lines[len(self.header) + len(rows):]) == self.footer
