"""Build hook: ship the book's data/ inside the wheel as ``usrussia/bookdata``.

A plain ``pip install .`` (as Binder or Colab may do) then finds the datasets from any
working directory (``usrussia.data.INSTALLED_DATA_DIR``). An editable install
(``requirements.txt`` has ``-e .``) reads ``data/`` in place and needs no copy. Copying at
build time keeps ``package-dir = {"" = "."}`` in pyproject.toml, which lets the editable
install use a plain ``.pth`` file instead of an import hook that setuptools warns about.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = Path(__file__).resolve().parent / "data"


class BuildWithData(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "usrussia" / "bookdata"
        target.mkdir(parents=True, exist_ok=True)
        for path in [*sorted(DATA.glob("*.csv")), DATA / "datapackage.json"]:
            shutil.copy2(path, target / path.name)


setup(cmdclass={"build_py": BuildWithData})
