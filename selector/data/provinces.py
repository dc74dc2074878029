"""Thailand's 77 provinces (the bundled table) and matching a scenario's ``province`` column to them.

A unit's province may be written in Thai (``เชียงใหม่``), in English (``Chiang Mai``, case, spaces
and hyphens aside, and the common spellings ``Lopburi``, ``Phangnga``, ``Buriram``, ``Sisaket``...)
or as its ISO 3166-2 code (``TH-50``). The table and the map's polygons are package data in
``selector/data/geo/`` (sources and licence in the README there).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from selector.errors import Problem
from selector.i18n import _

GEO_DIR = Path(__file__).resolve().parent / "geo"
PROVINCES_CSV = GEO_DIR / "thai_provinces.csv"
PROVINCES_GEOJSON = GEO_DIR / "thailand_provinces.geojson"
PROVINCE_COLUMN = "province"


@lru_cache(maxsize=1)
def province_table() -> pd.DataFrame:
    """The 77 provinces sorted by ISO code: iso_code, name_th, name_en, region6, region4, population, ..."""
    table = pd.read_csv(PROVINCES_CSV, dtype={"iso_code": str, "name_th": str, "name_en": str, "region6": str,
                                              "region4": str}, encoding="utf-8")
    return table.sort_values("iso_code", kind="mergesort").reset_index(drop=True)


def _key(text: str) -> str:
    """A name as compared: lower case, without spaces, hyphens, dots or apostrophes."""
    return re.sub(r"[\s\-.'’]", "", str(text)).lower()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every accepted spelling (as ``_key``) -> ISO code: the code, the Thai name and the English name."""
    names: dict[str, str] = {}
    for row in province_table().itertuples():
        for spelling in (row.iso_code, row.iso_code.replace("-", ""), row.name_th, row.name_en):
            names[_key(spelling)] = row.iso_code
    names[_key("Krung Thep Maha Nakhon")] = "TH-10"  # the ISO name of Bangkok
    names[_key("กรุงเทพฯ")] = "TH-10"
    return names


def match_province(text: str) -> str | None:
    """The ISO code of a province written in Thai, English or as its code; None when it is no province."""
    return _names().get(_key(text)) if str(text).strip() else None


def nearest_province(text: str) -> str:
    """The province whose name (Thai or English) is nearest to ``text``, as "Thai name (English name, ISO)"."""
    table = province_table()
    spellings = {_key(r.name_en): r for r in table.itertuples()} | {_key(r.name_th): r for r in table.itertuples()}
    close = difflib.get_close_matches(_key(text), list(spellings), n=1, cutoff=0)
    row = spellings[close[0]]
    return f"{row.name_th} ({row.name_en}, {row.iso_code})"


def match_provinces(units: pd.DataFrame, csv_name: str,
                    column: str = PROVINCE_COLUMN) -> tuple[dict[str, str], list[Problem]]:
    """{unit_id: ISO code} for every unit of ``units`` (indexed by CSV line), and a problem for each
    value of ``column`` that is no province, naming the nearest one."""
    found: dict[str, str] = {}
    problems: list[Problem] = []
    if column not in units:
        return found, problems
    for line, uid, value in zip(units.index, units["unit_id"], units[column]):
        text = "" if pd.isna(value) else str(value).strip()
        code = match_province(text)
        if code is not None:
            found[str(uid)] = code
        elif not text:
            problems.append(Problem(csv_name, int(line), column, _("the province is empty"),
                                    _("write the province in Thai, in English or as its ISO code (e.g. TH-50)")))
        else:
            problems.append(Problem(csv_name, int(line), column, _("'{value}' is not a province of Thailand",
                                                                    value=text),
                                    _("did you mean {nearest}? Write the province in Thai, in English or as its "
                                      "ISO code (e.g. TH-50)", nearest=nearest_province(text))))
    return found, problems
