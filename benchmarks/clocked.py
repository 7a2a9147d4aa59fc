"""Run a command-line crawl with the clock set to a given moment (time-machine), for the
benchmarks that simulate hours of a site's life: `python benchmarks/clocked.py ISO-TIME
scrapy crawl liputan6 ...`. The clock then runs on from that moment at its normal pace; the
event loop's own clock (monotonic) is left alone, so timers and timeouts behave."""

from __future__ import annotations

import sys
from datetime import datetime

import time_machine


def main() -> None:
    moment = datetime.fromisoformat(sys.argv[1])
    time_machine.travel(moment, tick=True).start()
    from scrapy.cmdline import execute

    sys.argv = sys.argv[2:]
    execute()


if __name__ == "__main__":
    main()
