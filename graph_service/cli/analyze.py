"""``graph-service analyze``: every analysis with a progress display, the run saved, printed as tables, JSON or CSV."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph_service.cli.backend import Backend
from graph_service.cli.output import err
from graph_service.errors import Problem, ValidationError
from graph_service.services.analyses import STEPS, AnalysisReport, AnalysisRunRecord, report_csv, report_json


def render(report: AnalysisReport, output_format: str, previous: AnalysisRunRecord | None = None) -> str:
    """The report as ``table`` (rich text), ``json`` or ``csv``."""
    if output_format == "json":
        return report_json(report)
    if output_format == "csv":
        return report_csv(report)
    if output_format == "table":
        return _tables(report, previous)
    raise ValidationError([Problem("--format", "use table, json or csv", output_format)])


def _measured(label: str, value: object, threshold: object, detail: str) -> str:
    """A factor as staff read it: what was measured against the bound it broke, then the finding in words."""
    text = f"{label} {number_text(value)} / {number_text(threshold)}"
    return f"{text}: {detail}" if detail else text


def number_text(value: object) -> str:
    """A factor's value or threshold as the table prints it: floats to two places without trailing zeros."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _tables(report: AnalysisReport, previous: AnalysisRunRecord | None) -> str:
    console = Console(record=True, width=140, file=io.StringIO())
    s = report.summary()
    head = Table(title=f"分析结果 Analysis of {report.area_id or 'the whole city'} on {report.as_of.isoformat()}")
    head.add_column("measure")
    head.add_column("now", justify="right")
    head.add_column("previous run", justify="right")
    before = previous.summary if previous else {}
    for key, label in (
        ("compounds", "compounds 小区"),
        ("under_covered", "under-covered 覆盖不足"),
        ("under_covered_priority", f"  of which score < {report.parameters['standards']['under_covered_below']}"),
        ("mean_coverage_score", "mean coverage score"),
        ("organizations_assessed", "branches and community committees"),
        ("weak", "weak and lax 软弱涣散"),
        ("weak_priority", f"  of which score > {report.parameters['standards']['weak_above']}"),
        ("single_points_of_failure", "single points of failure"),
        ("pairing_proposals", "pairing proposals 结对建议"),
    ):
        if key in s:
            head.add_row(label, str(s[key]), str(before.get(key, "")))
    chain = s["chain"]
    head.add_row("buildings with a complete chain", f"{chain['complete']} / {chain['buildings']}", "")
    console.print(head)

    uc = Table(title="覆盖不足的小区 Under-covered compounds (lowest score first, top 20)")
    for col in ("compound", "name", "score", "gaps"):
        uc.add_column(col)
    for c in report.under_covered[:20]:
        gaps = "\n".join(_measured(f.label, f.value, f.threshold, f.detail) for f in c.factors if f.fired)
        uc.add_row(c.compound_id, c.name, f"{c.score:.0f}", gaps)
    console.print(uc)

    wk = Table(title="软弱涣散基层党组织 Weak organisations (highest score first, top 20)")
    for col in ("organisation", "name", "score", "factors: value / threshold, finding, ground"):
        wk.add_column(col)
    for w in report.weak[:20]:
        factors = "\n".join(
            f"{_measured(f.label, f.value, f.threshold, f.explanation or f.detail)} [{f.basis or f.criterion}]" for f in w.factors
        )
        wk.add_row(w.org_id, w.name, f"{w.score:.0f}", factors)
    console.print(wk)

    roll = Table(title="分区汇总 Roll-up per district")
    for col in ("district", "compounds", "under-covered", "with branch", "station share", "central households/100"):
        roll.add_column(col)
    for r in report.rollups:
        if r.level == "district":
            share = f"{r.station_share:.0%}" if r.station_share is not None else ""
            per100 = f"{r.central_households_per_100:.2f}" if r.central_households_per_100 is not None else ""
            roll.add_row(r.name, str(r.compounds), str(r.under_covered), str(r.with_branch), share, per100)
    console.print(roll)
    return console.export_text()


def analyze_command(
    backend: Backend, area: str | None, output_format: str, out_path: Path | None, as_of: date | None = None
) -> None:
    """Run everything with a progress display, save the run, print or write it."""
    if output_format not in ("table", "json", "csv"):
        raise ValidationError([Problem("--format", "use table, json or csv", output_format)])
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=err, transient=False,
    ) as bar:  # fmt: skip
        task = bar.add_task("analysis", total=len(STEPS))

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"analysis: {step}")

        report, previous = backend.analyze(area, as_of, progress)
    text = render(report, output_format, previous)
    if out_path is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out_path.write_text(text, encoding="utf-8")
        err.print(f"wrote {out_path} (run {report.run_id})")


__all__ = ["analyze_command", "render"]
