"""`python -m autograd`: the backproplab command (see autograd/cli)."""

from .cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
