"""A mongoeco wire-protocol server on 127.0.0.1, for the tests that cross a socket.

Runs under the Python 3.13 of .venv-wire (`make wire-venv`), never under the project's own
interpreter: `.venv-wire/bin/python tests/wire_server.py [--port N] [--sqlite FILE]`.
Prints "listening HOST:PORT" once it accepts connections, then serves until SIGTERM or SIGINT.
The default engine is mongoeco's in-memory one (its SQLite engine refuses `$in` with 500 or more
values); `--sqlite FILE` keeps the data in FILE, so a server killed and started again on the
same file still holds what it had committed, as a real server would.
"""

from __future__ import annotations

import argparse
import asyncio
import signal


async def serve(port: int, sqlite: str | None) -> None:
    from mongoeco.engines.memory import MemoryEngine
    from mongoeco.engines.sqlite import SQLiteEngine
    from mongoeco.wire import AsyncMongoEcoProxyServer

    engine = SQLiteEngine(path=sqlite) if sqlite else MemoryEngine()
    server = AsyncMongoEcoProxyServer(engine=engine, host="127.0.0.1", port=port)
    address = await server.start()
    print(f"listening {address.host}:{address.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--sqlite", help="keep the data in this file (default: in memory)")
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.sqlite))


if __name__ == "__main__":
    main()
