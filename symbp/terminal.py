"""Text from a user's file made safe to print on a terminal: one function, used by every output
path of the command line, so that a claim name cannot break a line, move the cursor, recolour the
screen (ANSI escapes) or reverse the text after it (bidirectional marks)."""
from __future__ import annotations

import re
import unicodedata

#: Bidirectional controls (embeddings, overrides, isolates, marks) and other invisible formatting
#: characters that can make printed text read differently from what it is.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def _escape(match: re.Match) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object) -> str:
    """`text` as one printable line: control, bidirectional and line-separating characters are
    shown as escapes (\\n, \\e, \\x00, \\u202e); everything else is left as it is."""
    s = str(text)
    if _UNSAFE.search(s) is None and all(unicodedata.category(c) != "Cf" or c == "\u200d"
                                         for c in s if ord(c) > 0x7f):
        return s
    s = _UNSAFE.sub(_escape, s)
    return "".join(f"\\u{ord(c):04x}" if ord(c) > 0x7f and unicodedata.category(c) == "Cf"
                   and c != "\u200d" else c for c in s)


def safe_lines(text: str) -> str:
    """A multi-line text (a report) with each line made safe and the line breaks kept."""
    return "\n".join(safe(line) for line in text.split("\n"))
