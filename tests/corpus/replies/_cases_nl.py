"""stub"""
from _mail import Corpus


def build(c: Corpus) -> None:
    """None yet."""
