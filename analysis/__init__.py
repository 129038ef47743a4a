"""The shared analysis package of the strategy book.

Layers, lowest first (a lower layer never imports a higher one):
adapters -> store -> stats, model -> charts -> report -> build.
"""

__version__ = "0.1.0"
