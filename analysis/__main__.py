"""Command line: `python -m analysis build --params params/default.yml` and friends."""

from __future__ import annotations

import argparse
import sys
import time
import traceback

from analysis.inputs import InputError

BAD_INPUT = 2  # the parameter file, a plan, content or data file is wrong: the message says where
INTERNAL_ERROR = 3  # a fault in the code: reported with its traceback


def _build(args: argparse.Namespace) -> int:
    from analysis.build.runner import build

    started = time.perf_counter()
    html = build(args.params, workers=args.workers, only=args.only, keep_staging=args.keep_staging, fresh=args.fresh)
    print(f"Built the book in {time.perf_counter() - started:.0f} s: open {html / 'index.html'}")
    return 0


def _pdf(args: argparse.Namespace) -> int:
    import logging

    from analysis.build.pdf import build_pdf

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = time.perf_counter()
    pdf = build_pdf(args.params, args.out)
    print(f"Printed the PDF board pack in {time.perf_counter() - started:.0f} s: {pdf}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from analysis import catalog

    cat = catalog.load(args.params)  # bad input raises InputError: main() prints it and returns 2
    for name, frame in sorted(cat.tables.items()):
        print(f"{name:12s} {len(frame):>9,d} rows")
    for file, reports in cat.notes.items():
        rejected = sum(1 for kind, _, _ in reports if kind == "rejected")
        print(
            f"{file}: {rejected} row(s) set aside and {len(reports) - rejected} repaired (see the data quality "
            "appendix)"
        )
    print(f"{args.params}: parameters and data are valid")
    return 0


def _new_edition(args: argparse.Namespace) -> int:
    from analysis.build.new_edition import write

    codes = [c.strip() for c in args.commissioners.split(",") if c.strip()]
    providers = [c.strip() for c in (args.providers or "").split(",") if c.strip()]
    target = write(codes, providers, args.out, args.id)
    print(f"Wrote {target}: check the lines marked CHECK and the comments, then `make check PARAMS={args.out}`")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command (build, check, pdf); return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Build and check the strategy book.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="execute every chapter and render the HTML book")
    b.add_argument("--params", default="params/default.yml", help="the edition's parameter file")
    b.add_argument(
        "--workers", type=int, default=None, help="chapters run in parallel (default from the parameter file)"
    )
    b.add_argument("--only", nargs="*", default=None, help="re-run only these chapters (others keep their last build)")
    b.add_argument(
        "--keep-staging", action="store_true",
        help="keep the build's staging folder under _build/.staging for inspection (removed by default)",
    )
    b.add_argument(
        "--fresh", action="store_true",
        help="execute every chapter and render every page, ignoring what earlier builds can reuse",
    )
    b.set_defaults(func=_build)
    p = sub.add_parser("pdf", help="print the executed chapters as an A4 PDF board pack (needs Chromium)")
    p.add_argument("--params", default="params/default.yml", help="the edition's parameter file")
    p.add_argument(
        "--out",
        default=None,
        help="where to write the PDF (default _build/pdf/book.pdf, or _build/<edition>/pdf/book.pdf)",
    )
    p.set_defaults(func=_pdf)
    c = sub.add_parser("check", help="validate a parameter file and its data, and prepare the data")
    c.add_argument("--params", default="params/default.yml")
    c.set_defaults(func=_check)
    n = sub.add_parser("new-edition", help="write a starting parameter file for the organisation codes given")
    n.add_argument("--commissioners", required=True, help="commissioner codes, comma-separated (e.g. 5MX,5M1 or 15E)")
    n.add_argument("--providers", default="", help="provider codes, comma-separated (e.g. RRK,RQ3)")
    n.add_argument("--out", required=True, help="where to write it, e.g. params/my-economy.yml")
    n.add_argument("--id", default=None, help="the edition id (default: the file name)")
    n.set_defaults(func=_new_edition)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (InputError, FileNotFoundError, IsADirectoryError, FileExistsError) as exc:
        # Bad input: one message naming the file, the place and the rule; no traceback.
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: workers and kernels are already stopped
        print(f"interrupted: {exc or 'Ctrl-C'}; the build stopped and the published book is whole", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - every failure gets a status; only bugs get a traceback
        from analysis.build.runner import BuildError

        if isinstance(exc, BuildError):
            print(f"error: {exc}", file=sys.stderr)
            return 1
        traceback.print_exc()
        print(
            f"internal error: {type(exc).__name__}: {exc}\n(this is a fault in the book's code, not in your input; "
            "please report it with the traceback above)",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
