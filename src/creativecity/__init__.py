"""creativecity: evidence, scores and reports for UNESCO Creative Cities."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("creativecity")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
