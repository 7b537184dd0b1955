"""Vouch: verified answers and customer quick facts beside every conversation."""

__version__ = "0.1.0"
