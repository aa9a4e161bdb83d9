"""BibTeX for the data sets and methods a panel used (peacesciencer's ``ps_cite()``).

Every panel function records what it used in ``frame.attrs["equipoise.sources"]`` (see
:mod:`equipoise.panels._frame`); :func:`cite` turns that record into BibTeX. peacesciencer
asks to be cited beside the data (Miller 2022), and so every panel cites it and equipoise.
"""

from __future__ import annotations

import pandas as pd

from equipoise._version import __version__
from equipoise.panels._frame import panel_kind, sources

__all__ = ["BIBTEX", "cite"]

#: BibTeX entries by source key, in the order :func:`cite` prints them.
BIBTEX: dict[str, str] = {
    "equipoise": f"""@software{{equipoise,
  title   = {{equipoise: simulate and measure the balance of power in international relations}},
  author  = {{{{equipoise developers}}}},
  version = {{{__version__}}},
  license = {{MIT}},
  note    = {{Panels built with equipoise.panels; capital coordinates from its capitals table}}
}}""",
    "peacesciencer": """@article{miller2022peacesciencer,
  author  = {Miller, Steven V.},
  title   = {{peacesciencer}: An {R} Package for Quantitative Peace Science Research},
  journal = {Conflict Management and Peace Science},
  year    = {2022},
  volume  = {39},
  number  = {6},
  pages   = {755--779},
  doi     = {10.1177/07388942221077926}
}""",
    "cow_states": """@misc{cow2017states,
  author       = {{Correlates of War Project}},
  title        = {State System Membership List, v2016},
  year         = {2017},
  howpublished = {\\url{http://correlatesofwar.org}},
  note         = {State system members and major powers}
}""",
    "cow_nmc": """@incollection{singer1972capability,
  author    = {Singer, J. David and Bremer, Stuart and Stuckey, John},
  title     = {Capability Distribution, Uncertainty, and Major Power War, 1820-1965},
  booktitle = {Peace, War, and Numbers},
  editor    = {Russett, Bruce},
  publisher = {Sage},
  address   = {Beverly Hills},
  year      = {1972},
  pages     = {19--48},
  note      = {National Material Capabilities data, v6.0}
}

@article{singer1987reconstructing,
  author  = {Singer, J. David},
  title   = {Reconstructing the {Correlates of War} Dataset on Material Capabilities of
             States, 1816-1985},
  journal = {International Interactions},
  year    = {1987},
  volume  = {14},
  number  = {1},
  pages   = {115--132}
}""",
    "cow_wars": """@book{sarkees2010resort,
  author    = {Sarkees, Meredith Reid and Wayman, Frank},
  title     = {Resort to War: 1816-2007},
  publisher = {CQ Press},
  address   = {Washington, DC},
  year      = {2010},
  note      = {Inter-State War Data, v4.0}
}""",
    "atop": """@article{leeds2002atop,
  author  = {Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and
             Long, Andrew G.},
  title   = {Alliance Treaty Obligations and Provisions, 1815-1944},
  journal = {International Interactions},
  year    = {2002},
  volume  = {28},
  number  = {3},
  pages   = {237--260},
  doi     = {10.1080/03050620213653}
}

@manual{leeds2022atopcodebook,
  author = {Leeds, Brett Ashley},
  title  = {Alliance Treaty Obligations and Provisions ({ATOP}) Codebook, Version 5.1},
  year   = {2022},
  url    = {http://www.atopdata.org}
}""",
    "btscs": """@article{beck1998taking,
  author  = {Beck, Nathaniel and Katz, Jonathan N. and Tucker, Richard},
  title   = {Taking Time Seriously: Time-Series-Cross-Section Analysis with a Binary
             Dependent Variable},
  journal = {American Journal of Political Science},
  year    = {1998},
  volume  = {42},
  number  = {4},
  pages   = {1260--1288},
  doi     = {10.2307/2991857}
}""",
    "carter2010": """@article{carter2010back,
  author  = {Carter, David B. and Signorino, Curtis S.},
  title   = {Back to the Future: Modeling Time Dependence in Binary Data},
  journal = {Political Analysis},
  year    = {2010},
  volume  = {18},
  number  = {3},
  pages   = {271--292},
  doi     = {10.1093/pan/mpq013}
}""",
    "bremer1992": """@article{bremer1992dangerous,
  author  = {Bremer, Stuart A.},
  title   = {Dangerous Dyads: Conditions Affecting the Likelihood of Interstate War,
             1816-1965},
  journal = {Journal of Conflict Resolution},
  year    = {1992},
  volume  = {36},
  number  = {2},
  pages   = {309--341},
  doi     = {10.1177/0022002792036002005}
}""",
    "lemke2001": """@article{lemke2001relevance,
  author  = {Lemke, Douglas and Reed, William},
  title   = {The Relevance of Politically Relevant Dyads},
  journal = {Journal of Conflict Resolution},
  year    = {2001},
  volume  = {45},
  number  = {1},
  pages   = {126--144},
  doi     = {10.1177/0022002701045001006}
}""",
}

#: Sources without an entry of their own: the capitals table is equipoise's.
_ALIASES = {"capitals": "equipoise"}


def cite(panel: pd.DataFrame) -> str:
    """BibTeX for every data set and method a panel used: peacesciencer's ``ps_cite()``.

    Parameters
    ----------
    panel : DataFrame
        A panel from :func:`~equipoise.panels.state_years` or
        :func:`~equipoise.panels.dyad_years` and the add-ons (the record of what it used
        lives in its attrs; a merge drops it, see :func:`~equipoise.panels.as_panel`).

    Returns
    -------
    str
        BibTeX entries separated by blank lines: equipoise, peacesciencer (Miller 2022), the
        COW state system, and then one or two per data set or method the add-ons used (NMC,
        wars, ATOP, peace years, power ratio, politically relevant dyads), each once.

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel.

    Examples
    --------
    >>> from equipoise.panels import add_atop_alliance, dyad_years
    >>> bib = cite(dyad_years(1900, 1901).pipe(add_atop_alliance))
    >>> [line.split("{")[1].rstrip(",") for line in bib.splitlines() if line.startswith("@")]
    ['equipoise', 'miller2022peacesciencer', 'cow2017states', 'leeds2002atop',
     'leeds2022atopcodebook']
    """
    panel_kind(panel, "cite")
    keys = ["equipoise", "peacesciencer", "cow_states"]
    for key in sources(panel):
        key = _ALIASES.get(key, key)
        if key in BIBTEX and key not in keys:
            keys.append(key)
    return "\n\n".join(BIBTEX[k] for k in keys) + "\n"
