import sys

from phraseguard.cli import main

sys.exit(main())
