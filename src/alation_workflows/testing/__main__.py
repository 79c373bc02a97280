"""`python -m alation_workflows.testing`: serve the simulator on loopback until Ctrl-C."""

from __future__ import annotations

import argparse
import threading

from .simulator import Simulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m alation_workflows.testing", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--token", default="test-token", help="API access token the simulator accepts")
    parser.add_argument("--job-duration", type=float, default=0.0, help="seconds new jobs stay running")
    args = parser.parse_args(argv)
    if args.job_duration < 0:
        parser.error("--job-duration must be >= 0")
    sim = Simulator(token=args.token, job_duration=args.job_duration)
    with sim.serve(port=args.port) as url:
        print(f"Alation simulator listening on {url}", flush=True)
        print(f"ALATION_BASE_URL={url}", flush=True)
        print(f"ALATION_TOKEN={args.token}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping", flush=True)


if __name__ == "__main__":
    main()
