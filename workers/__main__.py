"""``python -m workers`` is the ``leadflow`` command."""

from workers.cli import main

main()
