"""The version of stratpolicy (the one place it is written)."""

__version__ = "0.1.0.dev0"
"""The version of this stratpolicy release, a PEP 440 string."""
