"""Command line: ``python -m forge_lessons <command>`` (or ``forge-lessons``).

Each sub-command is a pair of small functions, ``_args_<name>(parser)``
declaring its arguments and ``_cmd_<name>(args)`` doing the work and
returning the exit code, registered in :data:`COMMANDS`. A command reports a
usage error by raising :class:`UsageError`: one line on stderr, exit 2.
Commands import their heavy modules themselves (``nbformat`` alone takes
seconds to import), so a fully cached ``run`` stays fast.
"""

import argparse

from . import runner
from .course import NOTEBOOKS_DIR, PROFILES


class UsageError(Exception):
    """A wrong command line; the message is shown to the user as it is."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, without the usage text."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _add_notebooks_dir(parser):
    parser.add_argument(
        "--notebooks-dir",
        default=NOTEBOOKS_DIR,
        metavar="DIR",
        help="folder holding the lessons (default: the course's notebooks/)",
    )


def _add_selection(parser):
    parser.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="lesson names or numbers, e.g. 02 or 02_leaky_vs_pipelined_scaling (default: all)",
    )
    parser.add_argument(
        "--jobs", type=_positive_int, default=2, metavar="N", help="notebooks executing at once (default: 2)"
    )
    _add_notebooks_dir(parser)


def _select(args):
    try:
        paths = runner.notebook_paths(args.notebooks, args.notebooks_dir)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if not paths:
        raise UsageError(f"no lessons (NN_*.ipynb) in {args.notebooks_dir}")


def _failed(results):
    return 1 if any(result["status"] == "failed" for result in results) else 0


def _args_run(parser):
    _add_selection(parser)
    parser.add_argument(
        "--profile", choices=PROFILES, default="full", help="quick: small data, seconds; full: the teaching run (default)"
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra notebook parameter, e.g. SEED=7 (repeatable)",
    )
    parser.add_argument("--out", default="build", metavar="DIR", help="output folder (default: build)")
    parser.add_argument(
        "--force", action="store_true", help="execute even notebooks whose cached run is still valid"
    )


def _cmd_run(args):
    try:
        params = dict(runner.parse_param(text) for text in args.param)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if "PROFILE" in params:
        raise UsageError("set the profile with --profile, not --param PROFILE=...")
    _select(args)
    results = runner.run_notebooks(
        args.notebooks,
        profile=args.profile,
        jobs=args.jobs,
        params=params,
        out_dir=args.out,
        force=args.force,
        notebooks_dir=args.notebooks_dir,
    )
    return _failed(results)


def _args_refresh(parser):
    _add_selection(parser)


def _cmd_refresh(args):
    from . import notebook_tools

    _select(args)
    return _failed(notebook_tools.refresh_in_place(args.notebooks, jobs=args.jobs, notebooks_dir=args.notebooks_dir))


def _args_student(parser):
    parser.add_argument("--out", default="build/student", metavar="DIR", help="output folder (default: build/student)")
    _add_notebooks_dir(parser)


def _cmd_student(args):
    from . import notebook_tools

    written = notebook_tools.write_student_versions(args.out, notebooks_dir=args.notebooks_dir)
    notebooks = sum(path.suffix == ".ipynb" for path in written)
    print(f"wrote {notebooks} student notebooks and {len(written) - notebooks} other files to {args.out}")
    return 0


def _args_data(parser):
    parser.add_argument("--out", default=None, metavar="DIR", help="output folder (default: the course's data/)")
    parser.add_argument("--check", action="store_true", help="only verify the files against SHA256SUMS")


def _cmd_data(args):
    from . import data

    if args.check:
        report = data.verify_checksums(args.out or data.DATA_DIR)
        for name, problem in report.items():
            print(f"{'ok' if problem is None else 'MISMATCH'}  {name}{'' if problem is None else ': ' + problem}")
        return 0 if all(problem is None for problem in report.values()) else 1
    for path in data.write_data(args.out or data.DATA_DIR):
        print(f"wrote {path}")
    return 0


def _args_lint(parser):
    from . import lint

    lint.add_arguments(parser)


def _cmd_lint(args):
    from . import lint

    return lint.run(args)


def _args_envcheck(parser):
    parser.add_argument("--all", action="store_true", help="list every locked package, not only differences")


def _cmd_envcheck(args):
    from . import environment

    rows = environment.check_environment()
    if args.all:
        for row in rows:
            print(f"{'ok ' if row['ok'] else 'BAD'} {row['package']:32} locked {row['locked']:12} installed {row['installed']}")
    print(environment.environment_report(rows))
    return 0 if all(row["ok"] for row in rows) else 1


def _args_guide(parser):
    parser.add_argument("--summary", default="build/summary.json", metavar="PATH",
                        help="a full-profile summary.json of every lesson (default: build/summary.json)")


def _cmd_guide(args):
    from . import guide

    try:
        path = guide.update_guide(args.summary)
    except (FileNotFoundError, ValueError) as error:
        raise UsageError(str(error)) from None
    print(f"updated the run times and exercises in {path}")
    return 0


COMMANDS = {
    "run": ("execute notebooks headlessly; write HTML, index.html and summary.json", _args_run, _cmd_run),
    "refresh": ("re-execute notebooks with their defaults and store the outputs in them", _args_refresh, _cmd_refresh),
    "student": ("write the lessons without solutions, for learners", _args_student, _cmd_student),
    "data": ("regenerate the shipped data set byte for byte (or --check it)", _args_data, _cmd_data),
    "guide": ("refresh the instructor guide's run times and exercise list", _args_guide, _cmd_guide),
    "envcheck": ("compare the installed packages with requirements-lock.txt", _args_envcheck, _cmd_envcheck),
    "lint": ("find data leakage in notebooks and scripts (exit 1 on findings)", _args_lint, _cmd_lint),
}


def build_parser():
    """Return the argument parser with one sub-parser per entry of :data:`COMMANDS`."""
    parser = _Parser(prog="forge-lessons", description="Run, refresh and package the forge-lessons course.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (summary, add_arguments, command) in COMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=summary)
        add_arguments(sub)
        sub.set_defaults(command_function=command, command_parser=sub)
    return parser


def main(argv=None):
    """Run the command line.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit code: 0 success, 1 a notebook failed. Usage errors exit
        with code 2 through ``SystemExit``, as argparse does.
    """
    args = build_parser().parse_args(argv)
    try:
        return args.command_function(args)
    except UsageError as error:
        args.command_parser.error(str(error))
