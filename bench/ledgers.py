"""Synthetic rent ledgers for benchmarks: realistic, deterministic, any size.

About 15% of tenancies have some arrears and about 5% at least a month's rent;
a follow-up snapshot a month later moves some of them (paid off, grown,
payment arrangement), as a real corporation's next export would.
"""

import random
from datetime import date

from woonzeker.demo.drechtsteden import TEAMS

HEADER = [
    "peildatum",
    "contractnummer",
    "huurder_naam",
    "straat",
    "huisnummer",
    "huisnummer_toevoeging",
    "postcode",
    "woonplaats",
    "maandhuur",
    "achterstand",
    "betalingsregeling",
    "telefoon",
    "email",
    "bsn",
]
FIRST_DATE = date(2026, 9, 1)
FOLLOW_UP_DATE = date(2026, 10, 1)
STREETS = ["Voorstraat", "Merwekade", "Singel", "Kerkstraat", "Rivierdijk", "Oranjelaan", "Lindenlaan", "Havenstraat"]
NAMES = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Yilmaz", "El Idrissi"]
LETTERS = "ABCDEGHJKLMNPRTVWXZ"


def _bsn(number):
    """A made-up citizen service number that passes the eleven-test, unique per tenancy number."""
    while True:
        digits = f"{10_000_000 + number * 7 % 90_000_000:08d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return f"{digits}{check}"
        number += 90_000_000 // 7 + 1  # another prefix, still unique for any ledger size used here


def _tenancy(rng, number):
    _code, _team, municipality, start, end, _district = TEAMS[number % len(TEAMS)]
    postcode = f"{rng.randint(int(start[:4]), int(end[:4]))}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
    rent = rng.randrange(45000, 98000) / 100
    roll = rng.random()
    if roll < 0.05:
        months = rng.choice([1, 1, 1.5, 2, 3])
    elif roll < 0.15:
        months = rng.uniform(0.05, 0.95)
    else:
        months = 0
    return {
        "contract": f"HC-{number:08d}",
        "name": f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(NAMES)}",
        "street": rng.choice(STREETS),
        "number": str(rng.randint(1, 400)),
        "suffix": rng.choice(["", "", "", "", "A", "B", "bis"]),
        "postcode": postcode,
        "town": municipality,
        "rent": rent,
        "arrears": round(rent * months, 2),
        "arrangement": False,
        "bsn": _bsn(number),
    }


def _follow_up(rng, tenancy):
    roll = rng.random()
    tenancy = dict(tenancy)
    if tenancy["arrears"] > 0:
        if roll < 0.3:
            tenancy["arrears"] = 0.0
        elif roll < 0.4:
            tenancy["arrangement"] = True
        elif roll < 0.7:
            tenancy["arrears"] = round(tenancy["arrears"] + tenancy["rent"], 2)
    elif roll < 0.02:
        tenancy["arrears"] = tenancy["rent"]
    return tenancy


def _amount(value):
    return f"{value:.2f}".replace(".", ",")


def write_ledgers(rows, first_path, follow_up_path, seed=2015):
    """Write a first and a follow-up snapshot of ``rows`` tenancies (streaming, constant memory)."""
    rng = random.Random(seed)
    with open(first_path, "w", encoding="utf-8") as first, open(follow_up_path, "w", encoding="utf-8") as follow:
        first.write(";".join(HEADER) + "\n")
        follow.write(";".join(HEADER) + "\n")
        for number in range(rows):
            tenancy = _tenancy(rng, number)
            later = _follow_up(rng, tenancy)
            for handle, day, t in [(first, FIRST_DATE, tenancy), (follow, FOLLOW_UP_DATE, later)]:
                handle.write(
                    ";".join(
                        [
                            day.isoformat(),
                            t["contract"],
                            t["name"],
                            t["street"],
                            t["number"],
                            t["suffix"],
                            t["postcode"],
                            t["town"],
                            _amount(t["rent"]),
                            _amount(t["arrears"]),
                            "ja" if t["arrangement"] else "nee",
                            "",
                            "",
                            t["bsn"],
                        ]
                    )
                    + "\n"
                )
