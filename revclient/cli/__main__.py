"""``python -m revclient.cli``: the same as the ``revclient`` console script."""

from . import main

main()
