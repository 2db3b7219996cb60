"""Allow ``python -m authorstats``."""

from authorstats.cli import main

if __name__ == "__main__":  # not when a worker process started by spawn (dask's LocalCluster) imports it again
    main()
