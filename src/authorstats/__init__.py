"""authorstats: what do these researchers publish about, in these years?"""

__version__ = "0.1.0"
