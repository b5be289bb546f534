"""sktag's version, in a module of its own: what it imports costs nothing."""

__version__ = "0.1.0"
