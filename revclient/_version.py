"""The package version, in a module of its own so that nothing imports ``revclient`` for it."""

__version__ = "0.1.0"
