"""``python -m briefs`` runs the command line."""

from briefs.cli.main import main

if __name__ == "__main__":
    main()
