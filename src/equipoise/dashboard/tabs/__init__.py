"""The dashboard's tabs, one module each, in the page's order.

:mod:`~equipoise.dashboard.tabs.simulate`, :mod:`~equipoise.dashboard.tabs.map`,
:mod:`~equipoise.dashboard.tabs.compare`, :mod:`~equipoise.dashboard.tabs.history` and
:mod:`~equipoise.dashboard.tabs.calibration`; :mod:`equipoise.dashboard.app` lays them out.
"""
