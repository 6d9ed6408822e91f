"""dossier: a terminal-first follow-up organizer built on the paper tickler binder."""

__version__ = "0.1.0"
