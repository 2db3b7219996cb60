"""Allow ``python -m authorstats``."""

from authorstats.cli import main

main()
