"""The bridge plugin as an installable zip: ``python -m igny8_publisher.plugin_package``
(or ``make plugin-zip``) writes ``dist/igny8-bridge.zip`` with every file of
``services/publisher/wordpress-plugin/igny8-bridge`` under an ``igny8-bridge/`` folder, as
WordPress's "Upload Plugin" expects."""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

PLUGIN_SLUG = "igny8-bridge"
PLUGIN_DIR = Path(__file__).resolve().parents[2] / "wordpress-plugin" / PLUGIN_SLUG
DEFAULT_OUTPUT = Path("dist") / f"{PLUGIN_SLUG}.zip"


def plugin_files(plugin_dir: Path = PLUGIN_DIR) -> list[Path]:
    """The plugin's files (no hidden files), in a stable order."""
    return sorted(p for p in plugin_dir.rglob("*")
                  if p.is_file() and not any(part.startswith(".")
                                             for part in p.relative_to(plugin_dir).parts))


def build_zip(output: Path = DEFAULT_OUTPUT, plugin_dir: Path = PLUGIN_DIR) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in plugin_files(plugin_dir):
            archive.write(path, f"{PLUGIN_SLUG}/{path.relative_to(plugin_dir).as_posix()}")
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    print(build_zip(args.output))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
