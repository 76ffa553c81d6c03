"""Numbers written in French, in digits or in words, found with their position in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from text_to_num import text2num

NUMBER_WORDS = frozenset(
    (
        "zéro zero un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
        "seize vingt vingts trente quarante cinquante soixante septante huitante nonante cent cents mille"
    ).split()
)
WORD = re.compile(r"[a-zàâäçéèêëîïôöûùüÿœ]+(?:-[a-zàâäçéèêëîïôöûùüÿœ]+)*", re.IGNORECASE)
DIGITS = re.compile(
    r"(?<![\w.,/-])(?P<units>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,3}(?:\.\d{3})+(?![.,]\d)|\d+)"
    r"(?:[,.](?P<cents>\d{1,2}))?(?![\d])"
)


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: Decimal
    in_words: bool

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def _is_number_word(word: str) -> bool:
    return all(part.lower() in NUMBER_WORDS for part in word.split("-"))


def words_to_int(words: str) -> int | None:
    """ "deux cent cinquante" → 250; None when the words do not form one number."""
    try:
        return int(text2num(words.lower(), "fr"))
    except (ValueError, TypeError):
        return None


def find_word_numbers(text: str) -> list[Number]:
    """Runs of French number words ("mille deux cents", "vingt et un", "quatre-vingt-dix")."""
    tokens = list(WORD.finditer(text))
    found: list[Number] = []
    index = 0
    while index < len(tokens):
        if not _is_number_word(tokens[index].group(0)):
            index += 1
            continue
        end = index
        while end + 1 < len(tokens):
            following = tokens[end + 1]
            gap = text[tokens[end].end() : following.start()]
            if gap.strip():
                break
            word = following.group(0).lower()
            if _is_number_word(word) or (
                word == "et" and end + 2 < len(tokens) and tokens[end + 2].group(0).lower() in ("un", "une", "onze")
            ):
                end += 1
            else:
                break
        # The longest prefix of the run that reads as one number.
        for last in range(end, index - 1, -1):
            start_char, end_char = tokens[index].start(), tokens[last].end()
            value = words_to_int(text[start_char:end_char])
            if value is not None:
                found.append(Number(start_char, end_char, Decimal(value), True))
                index = last + 1
                break
        else:
            index += 1
    return found


def find_digit_numbers(text: str) -> list[Number]:
    """ "1 200", "1.200", "250,50", "19.99", "1200" with their positions."""
    found = []
    for match in DIGITS.finditer(text):
        units = re.sub(r"[ \u00a0\u202f.]", "", match.group("units"))
        cents = match.group("cents")
        value = Decimal(units) + (Decimal(cents.ljust(2, "0")) / 100 if cents else Decimal(0))
        found.append(Number(match.start(), match.end(), value, False))
    return found


def find_numbers(text: str) -> list[Number]:
    return sorted(find_digit_numbers(text) + find_word_numbers(text), key=lambda number: number.start)
