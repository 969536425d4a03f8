"""Numbers as people say them: words for counts, rounded durations, no percentages.

A coach says "about two minutes", not "113 seconds"; "a minute and a half", not "90 seconds".
Timed silences stay exact; only what is *said* about them is rounded.
"""

from __future__ import annotations

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
QUARTER_MINUTE_WORDS = {4: "a minute", 5: "a minute and a quarter", 6: "a minute and a half",
                        7: "a minute and three quarters"}
HALF_MINUTE_WORDS = {4: "two minutes", 5: "two and a half minutes", 6: "three minutes", 7: "three and a half minutes",
                     8: "four minutes"}


def number_word(n: int) -> str:
    """``n`` in words below a hundred ("forty-five"), digits above (Alexa reads them well)."""
    if 0 <= n < 20:
        return ONES[n]
    if 20 <= n < 100:
        tens, ones = divmod(n, 10)
        return TENS[tens] + (f"-{ONES[ones]}" if ones else "")
    return str(n)


def seconds_phrase(seconds: float) -> str:
    """An exact length: "eight seconds", "ninety seconds", "two minutes", "one second"."""
    whole = round(seconds)
    if whole >= 100:
        said = about_seconds_phrase(whole)
        return said if not said.startswith("about") else f"{whole} seconds"
    return "one second" if whole == 1 else f"{number_word(whole)} seconds"


def about_seconds_phrase(seconds: float) -> str:
    """A length as people round it: exact below 20 s, to 5 s below a minute, to quarter minutes
    below two, to half minutes above.

    "about" is said only when the rounding changed the number: 90 s is "a minute and a half",
    113 s is "about two minutes".
    """
    whole = round(seconds)
    if whole < 20:
        return seconds_phrase(whole)
    if whole < 55:
        rounded = int(5 * ((whole + 2.5) // 5))
        return ("" if rounded == whole else "about ") + seconds_phrase(rounded)
    quarters = int((whole + 7.5) // 15)
    if quarters < 8:
        return ("" if quarters * 15 == whole else "about ") + QUARTER_MINUTE_WORDS[quarters]
    halves = int((whole + 15) // 30)
    words = HALF_MINUTE_WORDS.get(halves) or f"{number_word(halves // 2)} minutes"
    return ("" if halves * 30 == whole else "about ") + words


def minutes_phrase(minutes: float) -> str:
    """A session length for a menu: "about ten minutes", "about a minute"."""
    whole = max(1, round(minutes))
    if whole > 10:  # nobody plans to the minute past ten: to the nearest five
        whole = int(5 * round(whole / 5))
    return "about a minute" if whole == 1 else f"about {number_word(whole)} minutes"


def times_phrase(n: int) -> str:
    """"once", "twice", "three times"."""
    return {1: "once", 2: "twice"}.get(n, f"{number_word(n)} times")
