"""The version of the equipoise package (the one place it is set; the wheel reads it)."""

__version__ = "0.2.0"
