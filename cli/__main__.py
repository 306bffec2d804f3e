"""`python -m proctor.cli`: the same as the `proctor` command."""

from proctor.cli.main import run

if __name__ == "__main__":
    run()
