"""`python -m proxy [serve] [flags]`: run the sidecar."""

import sys

from proxy.cli.main import main

if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        args = ["serve", *args]
    sys.exit(main(args))
