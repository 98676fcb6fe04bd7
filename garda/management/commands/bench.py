"""`garda bench`: the project's measurements (docs/benchmarks.md), the same command as
`python -m bench` with the same options.

The benchmark lives in the repository's `bench/` package, a development tool that is
not in the wheel: from a checkout (after `pip install -e '.[bench]'`) this command is
that benchmark; from an installed product it says where to find it.
"""

from django.core.management.base import BaseCommand, CommandError

try:
    from bench.cli import Command as _Benchmark
except ImportError:  # an installed product, without the repository's bench/
    _Benchmark = None


if _Benchmark is not None:

    class Command(_Benchmark):
        pass

else:

    class Command(BaseCommand):
        help = "The project's measurements: run from a checkout of the repository."

        def add_arguments(self, parser):
            parser.add_argument("options", nargs="*")

        def handle(self, *args, **options):
            raise CommandError(
                "garda bench runs from a checkout of the repository, after "
                "pip install -e '.[bench]' (the bench/ package is not installed with the "
                "product); see docs/benchmarks.md."
            )
