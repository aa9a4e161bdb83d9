"""BibTeX for the data sets and methods a panel used (peacesciencer's ``ps_cite()``).

Every panel function records what it used in ``frame.attrs["equipoise.sources"]`` (see
:mod:`equipoise.panels._frame`); :func:`cite` turns that record into BibTeX. peacesciencer
asks to be cited beside the data (Miller 2022), and so every panel cites it and equipoise.
"""

from __future__ import annotations

import pandas as pd

from equipoise._version import __version__
from equipoise.panels._frame import cited_sources, panel_kind

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
    "cow_contiguity": """@article{stinnett2002correlates,
  author  = {Stinnett, Douglas M. and Tir, Jaroslav and Schafer, Philip and Diehl, Paul F. and
             Gochman, Charles},
  title   = {The {Correlates of War} Project Direct Contiguity Data, Version 3},
  journal = {Conflict Management and Peace Science},
  year    = {2002},
  volume  = {19},
  number  = {2},
  pages   = {58--66},
  note    = {Direct Contiguity data, v3.2}
}""",
    "gml_mids": """@article{gibler2016analysis,
  author  = {Gibler, Douglas M. and Miller, Steven V. and Little, Erin K.},
  title   = {An Analysis of the Militarized Interstate Dispute ({MID}) Dataset, 1816-2001},
  journal = {International Studies Quarterly},
  year    = {2016},
  volume  = {60},
  number  = {4},
  pages   = {719--730},
  note    = {GML MID data, v2.2.1}
}""",
    "vdem": """@manual{coppedge2020vdem,
  author = {Coppedge, Michael and others},
  title  = {{V-Dem} Codebook v10},
  year   = {2020},
  organization = {Varieties of Democracy ({V-Dem}) Project},
  note   = {Electoral democracy index, v2x\\_polyarchy}
}""",
    "polity": """@manual{marshall2017polity,
  author = {Marshall, Monty G. and Gurr, Ted Robert and Jaggers, Keith},
  title  = {Polity {IV} Project: Political Regime Characteristics and Transitions,
            1800-2016},
  year   = {2017},
  organization = {Center for Systemic Peace},
  note   = {polity2}
}""",
    "uds": """@misc{marquez2016quick,
  author       = {Marquez, Xavier},
  title        = {A Quick Method for Extending the {Unified Democracy Scores}},
  year         = {2016},
  howpublished = {SSRN working paper 2753830},
  note         = {Extended UDS, xm\\_qudsest}
}

@article{pemstein2010democratic,
  author  = {Pemstein, Daniel and Meserve, Stephen A. and Melton, James},
  title   = {Democratic Compromise: A Latent Variable Analysis of Ten Measures of Regime
             Type},
  journal = {Political Analysis},
  year    = {2010},
  volume  = {18},
  number  = {4},
  pages   = {426--449}
}""",
    "thompson2012": """@book{thompson2012handbook,
  author    = {Thompson, William R. and Dreyer, David},
  title     = {Handbook of International Rivalries, 1494-2010},
  publisher = {CQ Press},
  address   = {Washington, DC},
  year      = {2012}
}""",
    "cshapes": """@article{schvitz2022mapping,
  author  = {Schvitz, Guy and Girardin, Luc and R{\\"u}egger, Seraina and Weidmann, Nils B. and
             Cederman, Lars-Erik and Gleditsch, Kristian Skrede},
  title   = {Mapping the International System, 1886-2017: The {CShapes} 2.0 Dataset},
  journal = {Journal of Conflict Resolution},
  year    = {2022},
  volume  = {66},
  number  = {1},
  pages   = {144--161},
  note    = {Minimum distances between states}
}""",
    "signorino1999": """@article{signorino1999tau,
  author  = {Signorino, Curtis S. and Ritter, Jeffrey M.},
  title   = {Tau-b or Not Tau-b: Measuring the Similarity of Foreign Policy Positions},
  journal = {International Studies Quarterly},
  year    = {1999},
  volume  = {43},
  number  = {1},
  pages   = {115--144}
}""",
    "hage2011": """@article{hage2011choice,
  author  = {H{\\"a}ge, Frank M.},
  title   = {Choice or Circumstance? Adjusting Measures of Foreign Policy Similarity for
             Chance Agreement},
  journal = {Political Analysis},
  year    = {2011},
  volume  = {19},
  number  = {3},
  pages   = {287--305},
  doi     = {10.1093/pan/mpr023}
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

#: Sources without an entry of their own: the capitals table is equipoise's; the politically
#: relevant dyads filtered on contiguity rest on the contiguity data.
_ALIASES = {"capitals": "equipoise", "prd_contiguity": "cow_contiguity"}


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
        wars, ATOP, contiguity, MIDs, democracy, rivalries, minimum distances, similarity
        measures, peace years, power ratio, politically relevant dyads), each once, as long
        as one of the columns it gave is still in the panel (so dropping the polity2 columns
        drops Polity from the list).

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
    for key in cited_sources(panel):
        key = _ALIASES.get(key, key)
        if key in BIBTEX and key not in keys:
            keys.append(key)
    return "\n\n".join(BIBTEX[k] for k in keys) + "\n"
