"""The statements both engines run, written once: mixins over ``self.conn`` and
``self.dialect`` (``dialect.py``), assembled into a store by each engine's package."""
