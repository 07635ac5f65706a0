"""``briefs publish``: every brief × audience × language, HTML and PDF, as a static site.

A publish validates every brief in a folder, rebuilds only the editions whose inputs
changed (the brief file and the files it references, the templates, labels and fonts, and
the versions of briefs and WeasyPrint), removes the outputs of deleted briefs, and writes
``manifest.json`` (every output with its sha256, size, pages and the hash of its inputs),
``index.html`` and ``feed.xml`` from that manifest. It keeps going when a brief fails and
reports every failure at the end. One publish at a time writes into a folder (a lock).
Before a file changes the manifest drops it, after each brief it lists what was written,
and it is written last, after the site pages: a run killed at any moment leaves complete
files and a manifest that describes only what is on disk, and the next run does only what
is left (and rewrites site pages that differ from what the manifest makes).

``shard=(k, n)`` builds a deterministic 1/n of the editions (by a hash of their path);
:func:`merge` assembles shard folders into one site.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefs.check import assets
from briefs.check.validate import Validated
from briefs.errors import BriefError, Diagnostic, display_path
from briefs.fs import inside, lock_folder
from briefs.pipeline import manifest
from briefs.pipeline.build import (
    BuildOptions,
    Format,
    PendingBuild,
    Project,
    plan,
    start_build,
)
from briefs.pipeline.fresh import (
    Stamps,
    brief_reads,
    inputs_hash,
    sha256_file,
    shared_key,
)
from briefs.pipeline.manifest import BriefEntry, KeyFigureEntry, Manifest, OutputEntry
from briefs.schema import fields
from briefs.schema.base import FILE
from briefs.source import ReadError, briefs_in, confine, recording_reads
from briefs.text.i18n import format_money
from briefs.version import __version__

FORMATS: tuple[Format, ...] = ("html", "pdf")
"""What a publish makes of each edition unless asked for more (``formats=``)."""


@dataclass(frozen=True)
class Event:
    """Progress of a publish, for the CLI to show."""

    kind: str
    """``plan`` (total known), ``built``, ``skipped``, ``failed`` or ``removed``."""
    brief: str
    """The brief's id or file."""
    detail: str = ""
    """What was built or why it failed."""
    count: int = 0
    """Outputs concerned (for ``plan``: outputs to build in all)."""


@dataclass
class PublishResult:
    """What a publish did."""

    built: list[str] = field(default_factory=list)
    """Output paths (relative to the site) written in this run."""
    skipped: list[str] = field(default_factory=list)
    """Outputs that were up to date."""
    removed: list[str] = field(default_factory=list)
    """Outputs of briefs that no longer exist."""
    failures: list[BriefError] = field(default_factory=list)
    """One error per brief that failed, with its diagnostics."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """Warnings of the briefs built."""
    unparsed: list[str] = field(default_factory=list)
    """Briefs reused without being loaded: their files hash as the manifest says."""
    site_written: bool = False
    """Whether the site pages were made (not when they are on disk as the last run made them)."""


def brief_assets(validated: Validated) -> list[Path]:
    """Files next to the brief that it refers to: the model's file fields (CSV data) and the
    images of its Markdown fields, as the models declare them (:mod:`briefs.schema.fields`)."""
    folder = validated.source.path.resolve().parent
    data = validated.source.data
    names = [value for _, value in fields.values(data, FILE) if isinstance(value, str)]
    for _, value in fields.markdown_values(data):
        for text in value.values() if isinstance(value, dict) else [value]:
            if isinstance(text, str):
                names += [reference for _, reference in assets.images(text)]
    found: set[Path] = set()
    for name in names:
        try:
            path = confine(folder / name, folder)  # loops and links out were warned about
        except ReadError:
            continue
        if path.is_file():
            found.add(path)
    return sorted(found)


def _confined(path: Path, folder: Path) -> None:
    """Refuse a brief of the catalogue folder that leads out of it (a symlink) or loops:
    the files of a catalogue come from contributors, and a message would show its text."""
    try:
        confine(path, folder)
    except ReadError as exc:
        raise BriefError(Diagnostic(display_path(path), 0, 0, str(exc), exc.hint)) from None


def shard_of(path: str, count: int) -> int:
    """The shard (0-based) an output path belongs to, stable as the catalogue grows."""
    return int(hashlib.sha256(path.encode()).hexdigest()[:8], 16) % count


def _manifest(
    briefs: dict[str, BriefEntry],
    outputs: dict[str, OutputEntry],
    shard: str | None,
    base_url: str | None = None,
) -> Manifest:
    return Manifest(
        generator=f"briefs {__version__}",
        shard=shard,
        base_url=base_url,
        briefs=[briefs[k] for k in sorted(briefs)],
        outputs=[outputs[k] for k in sorted(outputs)],
    )


def _write_manifest(
    out: Path,
    briefs: dict[str, BriefEntry],
    outputs: dict[str, OutputEntry],
    shard: str | None,
    base_url: str | None = None,
) -> bool:
    """Write the manifest; return whether it changed."""
    return manifest.write(out, _manifest(briefs, outputs, shard, base_url))


def _brief_entry(
    validated: Validated, project: Project, inputs: str, reads: list[str]
) -> BriefEntry:
    """What the index and feed need to know of a brief (so shards can be merged)."""
    brief = validated.brief

    def texts(value: Any) -> dict[str, str]:
        return {
            lang: value.get(lang, brief.first_language) or value.any() for lang in brief.languages
        }

    audiences = [a for a, _ in plan(validated, BuildOptions(), project.profiles)]
    editions = {
        name: {
            lang: project.profiles[name].text(project.profiles[name].edition, lang)
            for lang in brief.languages
        }
        for name in dict.fromkeys(audiences)
    }
    return BriefEntry(
        id=brief.id,
        series=brief.series,
        date=brief.date.isoformat(),
        title=texts(brief.title),
        subtitle=texts(brief.subtitle) if brief.subtitle else None,
        summary=texts(brief.summary),
        organisation=texts(brief.organisation),
        authors=[texts(a.name) for a in brief.authors],
        tags=[texts(t) for t in brief.tags],
        languages=list(brief.languages),
        audiences=list(editions),
        editions=editions,
        key_figures=key_figures(validated, project),
        source=validated.source.path.name,  # briefs_in: the inputs folder's own files
        inputs=inputs,
        reads=reads,
    )


def key_figures(validated: Validated, project: Project) -> list[KeyFigureEntry]:
    """The brief's key figures as its site page shows them, formatted per language."""
    brief = validated.brief
    found = []
    for figure in [f for f in brief.key_figures if f.audiences is None] or brief.key_figures:
        values: dict[str, str] = {}
        labels: dict[str, str] = {}
        for lang in brief.languages:
            if figure.amount is not None:
                values[lang] = format_money(figure.amount, lang)
            elif figure.value is not None:
                values[lang] = figure.value.get(lang, brief.first_language) or figure.value.any()
            labels[lang] = figure.label.get(lang, brief.first_language) or figure.label.any()
        found.append(KeyFigureEntry(value=values, label=labels))
    return found


def publish(
    inputs_dir: Path,
    out: Path,
    *,
    jobs: int | None = None,
    base_url: str | None = None,
    force: bool = False,
    shard: tuple[int, int] | None = None,
    templates: Path | None = None,
    progress: Callable[[Event], None] = lambda event: None,
    formats: Sequence[Format] = FORMATS,
) -> PublishResult:
    """Publish every ``*.yaml`` brief in ``inputs_dir`` into ``out``; see the module doc.
    ``formats`` are what each edition is made as; files of other formats are removed."""
    if shard is not None and not 1 <= shard[0] <= shard[1]:
        raise BriefError(f"--shard must be K/N with 1 ≤ K ≤ N, not {shard[0]}/{shard[1]}")
    paths = briefs_in(inputs_dir)
    if not paths:
        raise BriefError(f"no briefs (*.yaml) in {inputs_dir}")
    out.mkdir(parents=True, exist_ok=True)
    with lock_folder(out):
        return _publish(
            inputs_dir, paths, out, jobs=jobs, base_url=base_url, force=force, shard=shard,
            templates=templates, progress=progress, formats=tuple(formats),
        )  # fmt: skip


def _publish(
    inputs_dir: Path,
    paths: list[Path],
    out: Path,
    *,
    jobs: int | None,
    base_url: str | None,
    force: bool,
    shard: tuple[int, int] | None,
    templates: Path | None,
    progress: Callable[[Event], None],
    formats: tuple[Format, ...],
) -> PublishResult:
    """:func:`publish` once it holds the folder's lock."""
    for leftover in out.rglob(".*.tmp"):  # temp files of a run that was killed
        leftover.unlink()
    project = Project.for_path(inputs_dir, templates)
    base_url = base_url or project.institute.settings.site.base_url
    shared = shared_key(project)
    old = manifest.load(out)
    old_outputs = {o.path: o for o in old.outputs}
    old_sources = {b.source: b for b in old.briefs}
    stamps = Stamps(out)
    result = PublishResult()
    briefs: dict[str, BriefEntry] = {}
    outputs: dict[str, OutputEntry] = {}
    label = f"{shard[0]}/{shard[1]}" if shard else None

    def fresh(key: str, inputs: str) -> bool:
        """Whether output ``key`` is on disk as the manifest lists it, made from ``inputs``."""
        entry = old_outputs.get(key)
        return (
            not force
            and entry is not None
            and entry.inputs == inputs
            and stamps.matches(key, entry.sha256, entry.bytes)
        )

    def wanted_of(brief_id: str, pairs: Sequence[tuple[str, str]]) -> list[str]:
        return [
            f"{brief_id}/{a}.{lang}.{fmt}"
            for a, lang in pairs
            if shard is None or shard_of(f"{brief_id}/{a}.{lang}", shard[1]) == shard[0] - 1
            for fmt in formats
        ]

    # 1. Decide what to build: a brief whose files hash as the manifest says, with every
    #    output in place, is reused without being loaded; the others are validated.
    todo: list[tuple[Validated, BuildOptions, str, list[str]]] = []
    for path in paths:
        try:
            _confined(path, inputs_dir)
        except BriefError as exc:
            result.failures.append(exc)
            progress(Event("failed", display_path(path), str(exc.diagnostics[0])))
            continue
        kept = old_sources.get(path.name)
        if kept is not None and kept.reads is not None and kept.id not in briefs:
            inputs = inputs_hash(shared, path, kept.reads)
            pairs = [(a, lang) for a in kept.audiences for lang in kept.languages]
            wanted = wanted_of(kept.id, pairs)
            if inputs == kept.inputs and all(fresh(key, inputs) for key in wanted):
                briefs[kept.id] = kept
                for key in wanted:
                    outputs[key] = old_outputs[key]
                result.skipped.extend(wanted)
                result.unparsed.append(kept.id)
                if wanted:
                    progress(Event("skipped", kept.id, count=len(wanted)))
                continue
        try:
            with recording_reads() as recorded:
                validated = project.load(path)
        except BriefError as exc:
            result.failures.append(exc)
            progress(Event("failed", display_path(path), str(exc.diagnostics[0])))
            continue
        brief = validated.brief
        clash = None
        if brief.id in manifest.SITE_FOLDERS:
            clash = validated.source.diagnostic(
                ("id",),
                f"'{brief.id}' is the name of a folder of the site's own files",
                f"choose another id: the site keeps {' and '.join(manifest.SITE_FOLDERS)} "
                "for itself",
            )
        elif brief.id in briefs:
            clash = Diagnostic(
                validated.source.name, 0, 0, f"id '{brief.id}' is used by another brief too"
            )
        if clash is not None:
            result.failures.append(BriefError(clash))
            progress(Event("failed", brief.id, str(clash)))
            continue
        reads = brief_reads(validated, recorded)
        inputs = inputs_hash(shared, path, reads)
        briefs[brief.id] = _brief_entry(validated, project, inputs, reads)
        editions = [
            (audience, lang)
            for audience, lang in plan(validated, BuildOptions(), project.profiles)
            if shard is None or shard_of(f"{brief.id}/{audience}.{lang}", shard[1]) == shard[0] - 1
        ]
        wanted = wanted_of(brief.id, editions)
        fresh_keys = [key for key in wanted if fresh(key, inputs)]
        for key in fresh_keys:
            outputs[key] = old_outputs[key]
        result.skipped.extend(fresh_keys)
        if fresh_keys:
            progress(Event("skipped", brief.id, count=len(fresh_keys)))
        stale = [
            e
            for e in editions
            if any(f"{brief.id}/{e[0]}.{e[1]}.{fmt}" not in fresh_keys for fmt in formats)
        ]
        if stale:
            todo.append(
                (
                    validated,
                    BuildOptions(out=out, editions=stale, formats=formats, site=True),
                    inputs,
                    [k for k in wanted if k not in fresh_keys],
                )
            )

    # 2. Outputs of briefs not loaded this run: a brief whose file is gone is deleted and
    #    its outputs go; one that failed to load keeps its previous outputs and entry.
    old_briefs = {b.id: b for b in old.briefs}
    doomed: list[str] = []
    for key in sorted(old_outputs):
        brief_id = key.split("/", 1)[0]
        if brief_id in briefs:
            continue
        kept = old_briefs.get(brief_id)
        if kept is not None and (inputs_dir / kept.source).is_file() and (out / key).is_file():
            outputs[key] = old_outputs[key]
            briefs.setdefault(brief_id, old_briefs[brief_id])
        else:
            doomed.append(key)
    # Before a file on disk changes, the manifest lists only the files that stay as they
    # are, so a run killed at any moment leaves a manifest that describes what is on disk.
    _write_manifest(out, briefs, outputs, label, base_url)
    for key in doomed:
        target = inside(out, key)  # resolved: a symlinked folder in --out cannot lead out
        if target.is_file():
            target.unlink()
            result.removed.append(key)
            progress(Event("removed", key.split("/", 1)[0], key))
        folder = target.parent
        if folder != out.resolve() and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()

    # 3. Build: HTML in this process, PDFs in the pool, all briefs' PDFs in flight at once.
    progress(Event("plan", "", count=sum(len(t[3]) for t in todo)))
    if todo:
        from briefs.pdf.pool import PdfPool

        with PdfPool(jobs, start=0) as pool:
            pool.grow(sum(len(t[1].editions) for t in todo))
            started: list[tuple[PendingBuild, str]] = []
            for validated, options, inputs, _ in todo:
                try:
                    started.append(
                        (start_build(validated, options, project=project, pool=pool), inputs)
                    )
                except BriefError as exc:
                    result.failures.append(exc)
                    progress(Event("failed", validated.brief.id, str(exc.diagnostics[0])))
            for build, inputs in started:
                brief_id = build.validated.brief.id
                try:
                    built = build.finish()
                except BriefError as exc:
                    for output in build.result.outputs:  # no unlisted half of an edition
                        output.path.unlink(missing_ok=True)
                    result.failures.append(exc)
                    progress(Event("failed", brief_id, str(exc.diagnostics[0])))
                    continue
                for output in built.outputs:
                    key = output.path.relative_to(out.resolve()).as_posix()
                    outputs[key] = OutputEntry(
                        path=key,
                        brief=brief_id,
                        audience=output.audience,
                        lang=output.lang,
                        format=output.format,
                        sha256=sha256_file(output.path),
                        bytes=output.size,
                        pages=output.pages,
                        inputs=inputs,
                    )
                    result.built.append(key)
                result.warnings.extend(built.warnings)
                _write_manifest(out, briefs, outputs, label, base_url)
                progress(Event("built", brief_id, count=len(built.outputs)))

    # The site pages are made from the manifest and rewritten when they differ from what
    # is on disk (a run killed while writing them), then the manifest is written last.
    final = _manifest(briefs, outputs, label, base_url)
    if shard is None:
        result.site_written = _site(out, final, project, shared, base_url, stamps)
    manifest.write(out, final)
    stamps.save()
    return result


def _site(
    out: Path, final: Manifest, project: Project, shared: str, base_url: str | None, stamps: Stamps
) -> bool:
    """Write the site pages unless they are on disk as a run made them from the same manifest
    and project, with their search index intact; return whether they were made."""
    from briefs.pipeline.search import index_intact
    from briefs.pipeline.site import site_pages, write_site

    key = hashlib.sha256(f"{shared}\0{base_url}\0".encode() + final.to_bytes()).hexdigest()
    pages: dict[str, str] = stamps.site.get("pages") or {}
    if (
        stamps.site.get("key") == key
        and pages
        and all(stamps.sha256(page) == digest for page, digest in pages.items())
        and {p.relative_to(out).as_posix() for p in site_pages(out)} <= set(pages)
        and index_intact(out)
    ):
        return False
    written = write_site(out, final, project, base_url=base_url)
    root = out.resolve()
    stamps.site = {
        "key": key,
        "pages": {
            page: stamps.sha256(page) for page in (p.relative_to(root).as_posix() for p in written)
        },
    }
    return True


def merge(
    shards: Sequence[Path], out: Path, *, base_url: str | None = None, templates: Path | None = None
) -> Manifest:
    """Assemble the outputs of shard folders into ``out`` with one manifest, index and feed."""
    out.mkdir(parents=True, exist_ok=True)
    with lock_folder(out):
        return _merge(shards, out, base_url=base_url, templates=templates)


def _merge(
    shards: Sequence[Path], out: Path, *, base_url: str | None, templates: Path | None
) -> Manifest:
    briefs: dict[str, BriefEntry] = {}
    outputs: dict[str, OutputEntry] = {}
    for folder in shards:
        data = manifest.load(folder, required=True)
        if not data.outputs and not data.briefs:
            raise BriefError(f"{folder}: no {manifest.NAME} from a publish shard")
        for brief_entry in data.briefs:
            briefs[brief_entry.id] = brief_entry
        for entry in data.outputs:
            source = (folder / entry.path).resolve()
            if not source.is_relative_to(folder.resolve()) or not source.is_file():
                raise BriefError(f"{folder}: {entry.path} is listed but missing")
            if sha256_file(source) != entry.sha256:
                raise BriefError(f"{folder}: {entry.path} does not match its sha256")
            target = inside(out, entry.path)
            if source != target:
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
                shutil.copyfile(source, tmp)
                tmp.replace(target)
            outputs[entry.path] = entry
    from briefs.pipeline.site import write_site

    project = Project.for_path(Path.cwd(), templates)
    base_url = base_url or project.institute.settings.site.base_url
    merged = _manifest(briefs, outputs, None, base_url)
    write_site(out, merged, project, base_url=base_url)
    manifest.write(out, merged)
    return merged
