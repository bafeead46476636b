"""buildreal: a self-hosted, hands-on deep learning course platform."""

__version__ = "0.1.0"
