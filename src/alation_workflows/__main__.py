"""`python -m alation_workflows`: the `alation-workflows` command line."""

from .cli import main

if __name__ == "__main__":
    main()
