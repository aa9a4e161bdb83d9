"""What each built-in data set must look like: file names, columns, codes, years.

One :class:`DataSpec` per table. Loaders (:mod:`equipoise.history.loaders`)
and ``equipoise data update`` use the same specs, so a downloaded file is
checked exactly as the built-in copy is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SPECS", "DataSpec"]


@dataclass(frozen=True)
class DataSpec:
    """Shape and provenance of one data table.

    Attributes
    ----------
    name : str
        Short name (``nmc``, ``states``, ...), also the built-in Parquet file stem.
    filename : str
        The CSV file name as its makers distribute it.
    columns : dict
        Required columns and their kinds (``"int"``, ``"float"``, ``"str"``).
    missing : tuple of int
        Codes that mean "missing" in numeric columns (COW: -9 unknown, -8 not
        applicable).
    year_columns : tuple of str
        Columns holding years, checked against ``year_range``; 0 is allowed
        where ``open_end`` names the column (ATOP: still in force).
    year_range : (int, int)
        Plausible first and last year.
    citation : str
        What the makers ask users to cite.
    url : str
        Where the makers distribute the file: the CSV itself, or a zip archive
        holding it (then see ``archive_member``). ``equipoise data update``
        downloads from here unless given another source (a URL prefix or a
        local directory, under which the file is looked up by ``filename`` or
        by the archive's name); to follow a moved address, pass that source or
        replace the spec with :func:`dataclasses.replace`.
    archive_member : tuple of str
        Path of the CSV inside the archive at ``url``, one entry per level of
        nesting (a zip inside a zip); empty when ``url`` is the CSV itself.
        Folders are matched leniently: if the exact path is absent, a member
        with the same base name is used.
    """

    name: str
    filename: str
    columns: dict[str, str]
    missing: tuple[int, ...] = ()
    year_columns: tuple[str, ...] = ()
    year_range: tuple[int, int] = (1815, 2100)
    open_end: tuple[str, ...] = ()
    citation: str = ""
    numeric_rest: bool = field(default=True)
    url: str = ""
    archive_member: tuple[str, ...] = ()


_NMC_CITE = (
    "Singer, J. David, Stuart Bremer, and John Stuckey. 1972. Capability Distribution, "
    "Uncertainty, and Major Power War, 1820-1965. In Bruce Russett (ed.), Peace, War, and "
    "Numbers, 19-48. Beverly Hills: Sage. (NMC v6.0; documentation: Greig & Enterline.)"
)
_SSM_CITE = (
    'Correlates of War Project. 2017. "State System Membership List, v2016." '
    "Online, http://correlatesofwar.org."
)
_WAR_CITE = (
    "Sarkees, Meredith Reid, and Frank Wayman. 2010. Resort to War: 1816-2007. "
    "Washington, DC: CQ Press."
)
_ATOP_CITE = (
    "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell, and Andrew G. Long. "
    '2002. "Alliance Treaty Obligations and Provisions, 1815-1944." International '
    "Interactions 28(3): 237-260. https://doi.org/10.1080/03050620213653 "
    "(ATOP 5.1 codebook: Leeds 2022, http://www.atopdata.org)"
)
# Official download addresses (checked against public scripts that use them, not
# fetched from here: this project is built without internet access). The COW
# site has been seen serving an incomplete TLS certificate chain; if a download
# fails for that reason, fetch the file with a browser and use
# ``equipoise data update --source DIR``.
_COW = "https://correlatesofwar.org/wp-content/uploads/"
_ATOP_ZIP = "https://www.atopdata.org/uploads/6/9/1/3/69134503/atop_5.1__.csv_.zip"
_ATOP_DIR = "ATOP 5.1 (.csv)/"
#: Start and end dates of a membership spell (COW State System Membership).
_SPELL = {
    "styear": "int",
    "stmonth": "int",
    "stday": "int",
    "endyear": "int",
    "endmonth": "int",
    "endday": "int",
}
_PACTS = {"defense": "int", "offense": "int", "neutral": "int", "nonagg": "int", "consul": "int"}

SPECS: dict[str, DataSpec] = {
    "nmc": DataSpec(
        "nmc",
        "NMC-60-abridged.csv",
        {
            "stateabb": "str",
            "ccode": "int",
            "year": "int",
            "milex": "float",
            "milper": "float",
            "irst": "float",
            "pec": "float",
            "tpop": "float",
            "upop": "float",
            "cinc": "float",
        },
        missing=(-9,),
        year_columns=("year",),
        year_range=(1816, 2100),
        citation=_NMC_CITE,
        url=_COW + "NMC_Documentation-6.0.zip",
        archive_member=("NMC-60-abridged.zip", "NMC-60-abridged.csv"),
    ),
    "states": DataSpec(
        "states",
        "states2016.csv",
        {
            "stateabb": "str",
            "ccode": "int",
            "statenme": "str",
            **_SPELL,
        },
        year_columns=("styear", "endyear"),
        year_range=(1816, 2100),
        citation=_SSM_CITE,
        url=_COW + "states2016.csv",
    ),
    "majors": DataSpec(
        "majors",
        "majors2016.csv",
        {
            "stateabb": "str",
            "ccode": "int",
            **_SPELL,
        },
        year_columns=("styear", "endyear"),
        year_range=(1816, 2100),
        citation=_SSM_CITE,
        url=_COW + "majors2016.csv",
    ),
    "system": DataSpec(
        "system",
        "system2016.csv",
        {"stateabb": "str", "ccode": "int", "year": "int"},
        year_columns=("year",),
        year_range=(1816, 2100),
        citation=_SSM_CITE,
        url=_COW + "system2016.csv",
    ),
    "wars": DataSpec(
        "wars",
        "Inter-StateWarData_v4.0.csv",
        {
            "WarNum": "int",
            "WarName": "str",
            "ccode": "int",
            "StateName": "str",
            "Side": "int",
            "StartYear1": "int",
            "EndYear1": "int",
            "Initiator": "int",
            "Outcome": "int",
            "BatDeath": "float",
        },
        missing=(-9, -8),
        year_columns=("StartYear1", "EndYear1"),
        year_range=(1816, 2100),
        citation=_WAR_CITE,
        url=_COW + "Inter-StateWarData_v4.0.csv",
    ),
    "atop_members": DataSpec(
        "atop_members",
        "atop5_1m.csv",
        {"atopid": "int", "member": "int", "yrent": "int", "yrexit": "int", **_PACTS},
        year_columns=("yrent", "yrexit"),
        year_range=(1815, 2100),
        open_end=("yrexit",),
        citation=_ATOP_CITE,
        url=_ATOP_ZIP,
        archive_member=(_ATOP_DIR + "atop5_1m.csv",),
    ),
    "atop_alliances": DataSpec(
        "atop_alliances",
        "atop5_1a.csv",
        {"atopid": "int", "begyr": "int", "endyr": "int", **_PACTS},
        year_columns=("begyr", "endyr"),
        year_range=(1815, 2100),
        open_end=("endyr",),
        citation=_ATOP_CITE,
        url=_ATOP_ZIP,
        archive_member=(_ATOP_DIR + "atop5_1a.csv",),
    ),
    "atop_stateyear": DataSpec(
        "atop_stateyear",
        "atop5_1sy.csv",
        {"state": "int", "year": "int", "atopally": "int", **_PACTS, "number": "int"},
        year_columns=("year",),
        year_range=(1815, 2100),
        citation=_ATOP_CITE,
        url=_ATOP_ZIP,
        archive_member=(_ATOP_DIR + "atop5_1sy.csv",),
    ),
}
