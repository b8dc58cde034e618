"""Pulumi dynamic provider for autocalls.ai SIP trunks."""

from ._version import __version__

__all__ = ["__version__"]
