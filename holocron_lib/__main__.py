"""Allow `python -m holocron_lib ...` as a synonym of the `holocron` command."""

from holocron_lib.cli import main

if __name__ == "__main__":
    main()
