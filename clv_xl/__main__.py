"""``python -m clv_xl`` runs the ``clv-xl`` command line."""

from clv_xl.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through a subprocess in the tests
    main()
