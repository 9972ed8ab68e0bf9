"""``syscause taxonomy``: print a taxonomy's labels and definitions."""

from __future__ import annotations

from typing import Annotated

import typer

from syscause.cli._common import guarded


@guarded
def taxonomy(
    name: Annotated[
        str, typer.Option("--taxonomy", "-t", help="'default', 'asrs-hf' or a taxonomy JSON file.")
    ] = "default",
    as_json: Annotated[bool, typer.Option("--json", help="Print the taxonomy as JSON.")] = False,
) -> None:
    """Print the labels of a taxonomy with their definitions and mappings."""
    from syscause.taxonomy import load_taxonomy

    tax = load_taxonomy(name)
    if as_json:
        import dataclasses
        import json

        typer.echo(json.dumps(dataclasses.asdict(tax), indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"{tax.name} taxonomy {tax.version} ({len(tax.labels)} labels)", show_lines=True
    )
    table.add_column("id", style="bold")
    table.add_column("definition")
    table.add_column("mappings")
    for label in tax.labels:
        maps = "\n".join(f"{k}: {'; '.join(v)}" for k, v in label.mappings.items() if v)
        aliases = f"\naliases: {', '.join(label.aliases)}" if label.aliases else ""
        table.add_row(label.id, f"{label.name}. {label.definition}", maps + aliases)
    Console().print(table)
