"""Cited question answering over responsible-sourcing standards (JDD, Copper Mark)."""

__version__ = "0.1.0"
