"""Personal-data guard: finds the *kinds* of personal data in a public message (phone, e-mail, a postcode
with a house number, NHS and National Insurance numbers). It reports kinds only, never the data itself."""

from __future__ import annotations

import re
from enum import StrEnum

import phonenumbers

# Fixed patterns written here use bounded repeats, so the stdlib engine stays linear on any input.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[^\W_][\w-]{0,62}(?:\.[\w-]{1,63}){1,8}", re.ASCII)
# Royal Mail format: outward code (area letters, district) and inward code (sector digit, unit letters).
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPS-UW]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
# A house number followed by a street name ("12 Acacia Avenue", "3-5 High St"), or a numbered flat or
# unit ("Flat 3b"). Requiring a street word keeps "300 people at M1 1AE" from reading as an address.
_STREET_WORDS = (
    "road|rd|street|st|avenue|ave|lane|ln|close|cl|drive|dr|way|court|ct|crescent|cres|place|pl|grove|"
    "gardens|gdns|terrace|hill|park|square|sq|walk|mews|row|view|rise|green|parade|wharf|yard|estate|end|"
    "gate|side|croft|fields|meadow|meadows|vale|boulevard|quay|house|cottages|buildings"
)
_HOUSE_NUMBER = re.compile(
    r"\b\d{1,4}[a-z]?(?:-\d{1,4}[a-z]?)?,?(?:\s{1,3}[a-z'-]{1,30}){1,4}\s{1,3}(?:" + _STREET_WORDS + r")\b"
    r"|\b(?:flat|apartment|apt|unit|no\.?)\s{0,3}\d{1,4}[a-z]?\b",
    re.IGNORECASE,
)
_ADDRESS_REACH = 80  # how far before a postcode a house number still belongs to the same address
_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
# Two prefix letters, six digits, a suffix A–D. First letter never D F I Q U V; second never D F I O Q U V; some pairs are never issued.
_NI = re.compile(
    r"\b([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])\s?(\d{2})\s?(\d{2})\s?(\d{2})\s?([A-D])\b", re.IGNORECASE
)
_NI_UNISSUED = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
# Any UK phone number has at least seven digits close together; checking that first spares most messages
# the phone-number library's much slower candidate parsing.
_SEVEN_DIGITS = re.compile(r"\d(?:\D{0,3}\d){6}")
_DIGIT = re.compile(r"\d")


class PersonalDataKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"  # a UK postcode with a house number
    NHS_NUMBER = "nhs_number"
    NI_NUMBER = "ni_number"


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus 11: weights 10..2 over the first nine digits; 11 - (sum mod 11) is the check digit, 11
    counts as 0 and 10 means no valid number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _NHS.finditer(text) if nhs_number_is_valid("".join(match.groups()))]


def _has_phone(text: str, excluded: list[tuple[int, int]]) -> bool:
    if not _SEVEN_DIGITS.search(text):
        return False
    for match in phonenumbers.PhoneNumberMatcher(text, "GB"):
        # A valid NHS number can also read as a phone number; it is reported as what it more surely is.
        if not any(start <= match.start < end for start, end in excluded):
            return True
    return False


def _has_address(text: str) -> bool:
    for postcode in _POSTCODE.finditer(text):
        before = text[max(0, postcode.start() - _ADDRESS_REACH): postcode.start()]
        if _HOUSE_NUMBER.search(before):
            return True
    return False


def _has_ni_number(text: str) -> bool:
    return any(match.group(1).upper() not in _NI_UNISSUED for match in _NI.finditer(text))


# Plain ASCII drawn as its shape: letters become `a`, digits `9`, the rest stays. Searching the shape with
# `in` and `count` (a C loop each) tells which searches could find anything at all.
_SHAPE = bytes(ord("a") if chr(code).isalpha() else ord("9") if chr(code).isdigit() else code
               for code in range(128)) + bytes(128)


def find_personal_data(text: str) -> tuple[PersonalDataKind, ...]:
    """The kinds of personal data in `text`, in a fixed order, each at most once."""
    if text.isascii():
        # Most chat is plain ASCII with a few digits or none. Phone, NHS and National Insurance numbers all
        # have six or more digits, and a postcode a letter right before a digit (or is GIR 0AA): text without
        # them is spared those searches (tests/rules/test_personal_data.py holds this to the full search).
        shape = text.encode("ascii").translate(_SHAPE)
        numbers = shape.count(b"9") >= 6
        postcode = b"a9" in shape or b"gir" in text.lower().encode("ascii")
    else:
        numbers = postcode = _DIGIT.search(text) is not None
    return _search(text, numbers=numbers, postcode=postcode)


def _search(text: str, *, numbers: bool, postcode: bool) -> tuple[PersonalDataKind, ...]:
    found: list[PersonalDataKind] = []
    nhs = _nhs_spans(text) if numbers else []
    if numbers and _has_phone(text, nhs):
        found.append(PersonalDataKind.PHONE)
    if "@" in text and _EMAIL.search(text):
        found.append(PersonalDataKind.EMAIL)
    if postcode and _has_address(text):
        found.append(PersonalDataKind.ADDRESS)
    if nhs:
        found.append(PersonalDataKind.NHS_NUMBER)
    if numbers and _has_ni_number(text):
        found.append(PersonalDataKind.NI_NUMBER)
    return tuple(found)


def search_everything(text: str) -> tuple[PersonalDataKind, ...]:
    """`find_personal_data` without its shortcuts: every search over every text (for tests)."""
    return _search(text, numbers=True, postcode=True)
