"""creativecity: evidence, scores and reports for UNESCO Creative Cities."""

# The single source of the version (pyproject.toml reads it): a literal, so that importing the package
# costs nothing, which matters for the command line's start-up time.
__version__ = "0.1.0"

__all__ = ["__version__"]
