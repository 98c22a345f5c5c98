"""MkDocs hooks: publish the notebooks of ``notebooks/`` in the documentation site.

The notebooks live at the top of the repository (where users find them), not in ``docs/``.
This hook adds them to the site's files as ``notebooks/<name>.ipynb`` before the
mkdocs-jupyter plugin runs, which turns each into a page (executing it when its ``execute``
option is on). ``mkdocs serve`` also watches the folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

FOLDER = "notebooks"


def _root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


@event_priority(100)  # before mkdocs-jupyter (priority 0) wraps the notebook files
def on_files(files: Files, config: Any) -> Files:
    root = _root(config)
    for path in sorted((root / FOLDER).glob("*.ipynb")):
        files.append(
            File(
                f"{FOLDER}/{path.name}",
                src_dir=str(root),
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
        )
    return files


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    server.watch(str(_root(config) / FOLDER))
    return server
