"""The static import graph of holocron_lib, and the library files a notebook depends on.

The graph is read from the source with ``ast``, so an import inside a function counts as much
as one at the top of a module, and ``from package import module`` is an edge to the module.
A notebook's *closure* starts from the holocron_lib modules its code cells import and follows
the graph; importing a module also runs its packages' ``__init__``. The files of a closure are
its modules plus the data files (``.sql``, ...) kept in folders of its packages that are not
packages themselves (``schema/sql/``). The book re-executes a notebook when one of them changes.
"""

from __future__ import annotations

import ast
import hashlib
import threading
from collections.abc import Iterable
from pathlib import Path

__all__ = ["closure", "closure_files", "file_hashes", "import_graph", "imports_of_source",
           "library_modules", "library_stamp", "notebook_closure_files", "package_data"]

LIBRARY = Path(__file__).resolve().parent.parent
ROOT_PACKAGE = "holocron_lib"


def library_modules(lib: Path = LIBRARY) -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, is a package's ``__init__``)."""
    found = {}
    for path in sorted(lib.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = [ROOT_PACKAGE, *path.relative_to(lib).with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _targets(tree: ast.AST, name: str, is_package: bool, modules) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            submodules = [f"{source}.{a.name}" for a in node.names
                          if f"{source}.{a.name}" in modules]
            targets = submodules if len(submodules) == len(node.names) else [source, *submodules]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        found.update(t for t in targets if t in modules and t != name)
    return found


def import_graph(lib: Path = LIBRARY) -> dict[str, set[str]]:
    """Module -> the holocron_lib modules it imports, anywhere in its text."""
    modules = library_modules(lib)
    return {name: _targets(ast.parse(path.read_text(encoding="utf-8")), name, is_package, modules)
            for name, (path, is_package) in modules.items()}


def library_stamp(lib: Path = LIBRARY) -> list[list]:
    """Each library source's relative name, size and modification time: the import graph
    read earlier still holds while this is unchanged."""
    stamp = []
    for path in sorted(lib.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        try:
            stat = path.stat()
        except OSError:  # removed while listed: absent from the stamp, as it now is
            continue
        stamp.append([str(path.relative_to(lib)), stat.st_size, stat.st_mtime_ns])
    return stamp


_graphs: dict[Path, tuple[list, dict, dict, dict]] = {}  # lib -> stamp, graph, modules, data
_graphs_lock = threading.Lock()


def notebook_closure_files(sources: Iterable[str], lib: Path = LIBRARY) -> list[Path]:
    """The library files a notebook with these code cells depends on.

    The import graph is read once per process and read again only when a library source
    changes (by size or time), so a worker pays for it once, not per run.
    """
    stamp = library_stamp(lib)
    with _graphs_lock:
        cached = _graphs.get(lib)
        if cached is None or cached[0] != stamp:
            cached = (stamp, import_graph(lib), library_modules(lib), package_data(lib))
            _graphs[lib] = cached
    _, graph, modules, data = cached
    return closure_files(closure(imports_of_source(sources, graph), graph), lib,
                         known=modules, data=data)


def _python_only(source: str) -> str:
    """A cell's source without IPython's magics and shell escapes, which ``ast`` cannot read."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def imports_of_source(sources: Iterable[str], modules: Iterable[str]) -> set[str]:
    """The library modules that these code cells import directly."""
    known = set(modules)
    found: set[str] = set()
    for source in sources:
        try:
            tree = ast.parse(_python_only(source))
        except SyntaxError:
            continue  # the kernel will say what is wrong; no import is read from it
        found |= _targets(tree, "__main__", False, known)
    return found


def closure(start: Iterable[str], graph: dict[str, set[str]]) -> set[str]:
    """``start`` and every module reachable from it, with the packages each one runs."""
    seen: set[str] = set()
    stack = list(start)
    while stack:
        module = stack.pop()
        if module in seen or module not in graph:
            continue
        seen.add(module)
        stack.extend(graph[module])
        parts = module.split(".")
        stack.extend(".".join(parts[:i]) for i in range(1, len(parts)))
    return seen


def package_data(lib: Path = LIBRARY) -> dict[str, list[Path]]:
    """Package -> the data files in its folders that are not packages (``schema/sql/…``)."""
    found: dict[str, list[Path]] = {}
    for path in sorted(lib.rglob("*")):
        if not path.is_file() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
            continue
        folder = path.parent
        while folder != lib and not (folder / "__init__.py").is_file():
            folder = folder.parent
        parts = [ROOT_PACKAGE, *folder.relative_to(lib).parts]
        found.setdefault(".".join(parts), []).append(path)
    return found


def closure_files(modules: Iterable[str], lib: Path = LIBRARY, *,
                  known: dict | None = None, data: dict | None = None) -> list[Path]:
    """The files behind ``modules``: their sources and their packages' data folders
    (``known`` and ``data``: ``library_modules`` and ``package_data``, when already read)."""
    known = known if known is not None else library_modules(lib)
    data = data if data is not None else package_data(lib)
    files: set[Path] = set()
    for module in modules:
        path, is_package = known[module]
        files.add(path)
        if is_package:
            files.update(data.get(module, ()))
    return sorted(files)


def file_hashes(files: Iterable[Path], base: Path) -> dict[str, str]:
    """Relative path -> short content hash, for telling which file changed."""
    return {str(path.relative_to(base)): hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            for path in files}
