"""The ``rlhf-kg`` command line: parses options, calls the library, formats what comes back.

Heavy modules (rdflib, pySHACL, networkx, matplotlib, the web server) are imported inside the
commands that need them, so answering a named question stays quick."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
TYPE_CHECKING = False  # typing would cost the CLI's start-up
if TYPE_CHECKING:
    from typing import Callable

from .errors import RlhfKgError

QUERY_FORMATS = ("table", "json", "csv", "tsv", "xml", "markdown")


def _graph_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    g = common.add_argument_group("graph")
    g.add_argument("--data", metavar="DIR", help="folder of YAML data (default: the bundled data/)")
    g.add_argument("--ontology", metavar="DIR", help="folder with the ontology and shapes (default: bundled)")
    g.add_argument("--store", choices=("oxigraph", "memory"),
                   help="embedded store (default: oxigraph, or $RLHF_KG_STORE)")
    g.add_argument("--endpoint", metavar="URL",
                   help="query a remote SPARQL 1.1 endpoint that holds the graph (or $RLHF_KG_ENDPOINT)")
    g.add_argument("--no-cache", action="store_true", help="recompile the YAML instead of using the cache")
    g.add_argument("--infer", nargs="?", const="rdfs", choices=("rdfs", "owlrl"),
                   help="add entailments first: RDFS (default when given) or OWL 2 RL")
    return common


def _load(args: argparse.Namespace):
    from .kg import KnowledgeGraph

    return KnowledgeGraph.load(args.data, args.ontology, store=args.store, endpoint=args.endpoint,
                               cache=not args.no_cache, infer=getattr(args, "infer", None))


def _write(text: str) -> None:
    sys.stdout.write(text)
    if text and not text.endswith("\n"):
        sys.stdout.write("\n")


# -- build, validate, stats --------------------------------------------------------------------

def cmd_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    # The cache is keyed by the inputs' bytes and the compiling code, so changed data is always
    # compiled (and its problems reported); unchanged data was compiled, and checked, before.
    kg = _load(args)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "rlhf-kg.ttl"
    kg.export("turtle", target)
    _write(_summary(kg, [target], time.perf_counter() - started))
    return 0


def _summary(kg, files: list[Path], seconds: float | None = None) -> str:
    counts = kg.class_counts()
    width = max(len(c) for c in counts) if counts else 0
    took = f" ({seconds:.2f} s)" if seconds is not None else ""
    lines = [f"{len(kg)} triples, {sum(counts.values())} things in {len(counts)} classes{took}"]
    lines += [f"  {name.ljust(width)}  {n:>4}" for name, n in sorted(counts.items())]
    lines += [f"wrote {f}" for f in files]
    return "\n".join(lines) + "\n"


def cmd_validate(args: argparse.Namespace) -> int:
    from .shapes import validate_graph

    kg = _load(args)
    report = validate_graph(kg.rdflib_graph(), kg.ontology_dir)
    _write(report.text())
    return 0 if report.conforms else 3


def cmd_stats(args: argparse.Namespace) -> int:
    _write(_summary(_load(args), []))
    return 0


# -- export, describe ----------------------------------------------------------------------------

def cmd_export(args: argparse.Namespace) -> int:
    from .export import FORMATS

    if args.list:
        for f in FORMATS.values():
            _write(f"{f.name:<9} {f.extension:<9} {f.description}")
        return 0
    kg = _load(args)
    if args.subset or args.around:
        kg = kg.subgraph(construct=args.subset, around=args.around, depth=args.depth)
    written = kg.export(args.format, args.output)
    for path in written:
        print(f"wrote {path} ({path.stat().st_size} bytes)", file=sys.stderr)
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    import json

    from .namespaces import shorten
    from .results import term_text, term_value

    kg = _load(args)
    header, facts = kg.describe(args.id)
    labels = kg.labels()
    if args.format == "json":
        _write(json.dumps({**header, "facts": [
            {"direction": f.direction, "predicate": f.predicate,
             "value": term_value(f.value), "label": term_text(f.value, labels), "sources": f.sources}
            for f in facts]}, indent=1, ensure_ascii=False))
        return 0
    lines = [f"{header['label']}  ({header['id']})", f"  IRI      {header['iri']}",
             f"  types    {', '.join(shorten(t) for t in header['types'])}",
             f"  sources  {', '.join(header['sources']) or '-'}", ""]
    for direction, title in (("out", "facts"), ("in", "mentioned by")):
        chosen = [f for f in facts if f.direction == direction and not f.predicate.endswith("#type")]
        if not chosen:
            continue
        lines.append(f"{title}:")
        width = max(len(shorten(f.predicate)) for f in chosen)
        for f in chosen:
            value = term_text(f.value, labels)
            source = f"   [{', '.join(f.sources)}]" if f.sources else ""
            lines.append(f"  {shorten(f.predicate).ljust(width)}  {value}{source}")
        lines.append("")
    _write("\n".join(lines))
    return 0


# -- queries -------------------------------------------------------------------------------------

def _params(pairs: list[list[str]] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in pairs or []:
        if name in out:
            raise RlhfKgError(f"parameter '{name}' given twice")
        out[name] = value
    return out


def cmd_queries(args: argparse.Namespace) -> int:
    from . import paths
    from .queries import load_catalogue

    catalogue = load_catalogue(Path(args.queries) if args.queries else paths.queries_dir())
    if args.format == "json":
        import json

        _write(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                            "parameters": [{"name": p.name, "type": p.type, "required": p.required,
                                            "default": p.default, "description": p.description}
                                           for p in q.parameters]} for q in catalogue.values()], indent=1))
        return 0
    for q in catalogue.values():
        _write(f"{q.name}\n  {q.title}: {q.description}")
        for p in q.parameters:
            _write(f"    -p {p.describe()}")
    return 0


def _print_result(result, fmt: str) -> None:
    if result.kind == "graph":
        _write(result.serialize("turtle" if fmt in ("table", "markdown") else fmt))
    else:
        _write(result.serialize(fmt))


def cmd_query(args: argparse.Namespace) -> int:
    kg = _load(args)
    if args.show_sparql:
        _write(kg.query_text(args.name, **_params(args.param)))
        return 0
    result = kg.query(args.name, timeout=args.timeout, **_params(args.param))
    _print_result(result, args.format)
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    if args.file:
        try:
            text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        except OSError as exc:
            raise RlhfKgError(f"cannot read query file {args.file}: {exc.strerror}") from None
    elif args.query:
        text = args.query
    else:
        raise RlhfKgError("give a query as an argument or with -f FILE.rq (- for standard input)")
    kg = _load(args)
    result = kg.sparql(text, timeout=args.timeout)
    fmt = args.format or ("turtle" if result.kind == "graph" else "table")
    if result.kind == "graph" and fmt in QUERY_FORMATS and fmt not in ("xml",):
        fmt = "turtle"
    _print_result(result, fmt)
    return 0


# -- careers -------------------------------------------------------------------------------------

def _months(low, high, known: bool = True) -> str:
    if low is None:
        return "duration not given"
    text = f"{low}-{high} months" if high is not None and high != low else f"{low} months"
    return text if known else text + " (known steps only)"


def _paths_text(plans, labels: dict[str, str]) -> str:
    lines = []
    for number, plan in enumerate(plans, start=1):
        lines.append(f"{number}. " + " -> ".join(labels.get(r, r) for r in plan.roles))
        kind = f"documented route {plan.route}" if plan.route else "chain of documented moves"
        lines.append(f"   {kind} · {plan.frequency} · {_months(plan.min_months, plan.max_months, plan.duration_known)}"
                     f" · {len(plan.steps)} step{'s' if len(plan.steps) != 1 else ''}")
        lines.append(f"   pay: {plan.pay_change}")
        if plan.skills_to_build:
            lines.append(f"   skills to build: {', '.join(labels.get(k, k) for k in plan.skills_to_build)}")
        for i, step in enumerate(plan.steps, start=1):
            from .careers import _pay_text

            lines.append(f"   step {i}: {labels.get(step.source, step.source)} -> {labels.get(step.target, step.target)}")
            lines.append(f"      {step.frequency} · {_months(step.min_months, step.max_months)}"
                         f" · pay {_pay_text(step.pay_before)} -> {_pay_text(step.pay_after)}")
            if step.skills_to_build:
                lines.append(f"      build: {', '.join(labels.get(k, k) for k in step.skills_to_build)}")
            lines.append(f"      sources: {', '.join(step.sources)}")
        lines.append(f"   sources: {', '.join(plan.sources)}")
        lines.append("")
    return "\n".join(lines)


def _paths_markdown(plans, labels: dict[str, str]) -> str:
    lines = ["| # | path | route | frequency | months | steps | skills to build | sources |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for number, plan in enumerate(plans, start=1):
        months = f"{plan.min_months}-{plan.max_months}" if plan.min_months is not None else ""
        lines.append(f"| {number} | {' → '.join(labels.get(r, r) for r in plan.roles)} | {plan.route or ''} | "
                     f"{plan.frequency} | {months} | {len(plan.steps)} | "
                     f"{', '.join(labels.get(k, k) for k in plan.skills_to_build)} | {', '.join(plan.sources)} |")
    return "\n".join(lines) + "\n"


def _planner(args):
    from .careers import CareerPlanner

    kg = _load(args)
    return kg, CareerPlanner.from_kg(kg)


def cmd_paths(args: argparse.Namespace) -> int:
    import json

    from .careers import resolve_role
    from .namespaces import thing_iri

    kg, planner = _planner(args)
    start = resolve_role(kg, planner.adjacency, args.source, "--from")
    target = resolve_role(kg, planner.adjacency, args.target, "--to") if args.target else None
    via = [resolve_role(kg, planner.adjacency, v, "--via") for v in args.via or []]
    avoid = [resolve_role(kg, planner.adjacency, v, "--avoid") for v in args.avoid or []]
    plans = planner.paths(start, target, args.max_steps, via, avoid, args.rank, args.limit)
    labels = {n: kg.label_of(thing_iri(n)) for p in plans for n in p.roles}
    skills = {k for p in plans for k in p.skills_to_build} | {k for p in plans for s in p.steps for k in s.skills_to_build}
    labels.update({k: kg.label_of(thing_iri(k)) for k in skills})
    if args.format == "json":
        _write(json.dumps([p.as_dict(labels) for p in plans], indent=1, ensure_ascii=False))
    elif args.format == "markdown":
        _write(_paths_markdown(plans, labels))
    else:
        _write(_paths_text(plans, labels))
    return 0


def cmd_gap(args: argparse.Namespace) -> int:
    import json

    from .careers import skill_gap

    kg = _load(args)
    gap = skill_gap(kg, args.source, args.target)
    if args.format == "json":
        _write(json.dumps({"from": gap.source, "to": gap.target, "held": gap.held, "to_build": gap.to_build},
                          indent=1, ensure_ascii=False))
        return 0
    lines = [f"Skill gap: {gap.source_label} -> {gap.target_label}", ""]
    for title, entries in (("to build", gap.to_build), ("already held", gap.held)):
        lines.append(f"{title} ({len(entries)}):")
        for e in entries:
            travels = f"; transfers to {', '.join(e['transfers_to'])}" if e["transfers_to"] else ""
            lines.append(f"  - {e['label']} [{e['need']}, {e['reuse_level'] or 'reuse level not given'}{travels}]")
        lines.append("")
    _write("\n".join(lines))
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    from .viz import draw

    kg = _load(args)
    path = draw(kg, args.output, args.view, args.source, args.target)
    print(f"wrote {path} ({path.stat().st_size} bytes)", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .server import Limits, serve

    if args.timeout <= 0 or args.max_rows <= 0:
        raise RlhfKgError("--timeout and --max-rows must be positive")
    kg = _load(args)
    where = f"http://{args.host}:{args.port}"
    print(f"rlhf-kg: serving {len(kg)} triples at {where}/ (SPARQL endpoint {where}/sparql); Ctrl-C stops",
          file=sys.stderr)
    try:
        serve(kg, args.host, args.port, Limits(args.timeout, args.max_rows), args.workers, args.cors, args.log_level)
    except KeyboardInterrupt:  # uvicorn shuts down, then re-raises the Ctrl-C it caught: that is a clean stop
        pass
    print("rlhf-kg: server stopped", file=sys.stderr)
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from .kg import KnowledgeGraph
    from .push import push

    target = args.endpoint
    if not target:
        raise RlhfKgError("push needs --endpoint URL: the SPARQL endpoint of the server to load")
    kg = KnowledgeGraph.load(args.data, args.ontology, store=args.store or "oxigraph", cache=not args.no_cache,
                             infer=args.infer)
    started = time.perf_counter()

    def progress(sent: int, total: int) -> None:
        print(f"\rpushed {sent:,} / {total:,} triples", end="", file=sys.stderr, flush=True)

    report = push(kg, target, args.graph, args.gsp, args.update, args.batch, progress)
    print(file=sys.stderr)
    _write(f"loaded {report.triples} triples into {report.target} at {report.url} by {report.protocol} "
           f"in {report.batches} batch{'es' if report.batches != 1 else ''} ({time.perf_counter() - started:.1f} s)")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth import synthesize

    def progress(done: int, total: int) -> None:
        print(f"\rwrote {done:,} / {total:,} synthetic units", end="", file=sys.stderr, flush=True)

    counts = synthesize(args.triples, args.output, args.seed, progress)
    print(file=sys.stderr)
    _write(f"wrote {sum(counts.values()):,} synthetic records (about {args.triples:,} triples) and the bundled data "
           f"to {args.output}; use it with --data {args.output}")
    return 0


# -- main ----------------------------------------------------------------------------------------

def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only`` set to a command name, just that command's parser
    is built (building all fourteen costs the CLI a fifth of its start-up)."""
    common = _graph_options()
    parser = argparse.ArgumentParser(
        prog="rlhf-kg", description="Build, check, query, export and draw the RLHF field knowledge graph.")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def command(name: str, func: Callable, help_text: str, parents=(common,)) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return argparse.ArgumentParser(add_help=False)  # a throwaway: this command is not wanted
        p = sub.add_parser(name, help=help_text, description=help_text, parents=list(parents))
        p.set_defaults(func=func)
        return p

    p = command("build", cmd_build, "compile ontology + data into one graph and write it as Turtle")
    p.add_argument("--out", default="build", metavar="DIR", help="output folder (default: build)")
    command("validate", cmd_validate, "check the graph against its SHACL shapes; non-zero exit on violations")
    command("stats", cmd_stats, "count triples and things per class")

    p = command("export", cmd_export, "write the graph in an RDF or graph format")
    p.add_argument("--format", "-t", metavar="FORMAT", help="format (default: from the file extension, else turtle)")
    p.add_argument("--output", "-o", metavar="PATH", default="-", help="file to write, or - for standard output")
    p.add_argument("--list", action="store_true", help="list the formats and exit")
    part = p.add_mutually_exclusive_group()
    part.add_argument("--subset", metavar="NAMED-CONSTRUCT", help="export only what a named CONSTRUCT question returns")
    part.add_argument("--around", metavar="ID", help="export only the neighbourhood of one thing")
    p.add_argument("--depth", type=int, default=1, metavar="N", help="links to follow from --around (default 1)")

    p = command("describe", cmd_describe, "everything known about one thing, each fact with its source")
    p.add_argument("id", help="an id (e.g. dpo), a label (e.g. 'Direct Preference Optimisation') or an IRI")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = command("queries", cmd_queries, "list the named questions and their parameters", parents=())
    p.add_argument("--queries", metavar="DIR", help=argparse.SUPPRESS)
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = command("query", cmd_query, "answer a named question")
    p.add_argument("name", help="the question's name (see 'rlhf-kg queries')")
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="a parameter, as an id or a label (repeatable)")
    p.add_argument("--format", "-f", choices=QUERY_FORMATS, default="table")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="stop the query after this many seconds")
    p.add_argument("--show-sparql", action="store_true", help="print the SPARQL with parameters bound, do not run it")

    p = command("sparql", cmd_sparql, "run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    p.add_argument("query", nargs="?", help="the query text")
    p.add_argument("-f", "--file", metavar="FILE.rq", help="read the query from a file (- for standard input)")
    p.add_argument("--format", metavar="FORMAT",
                   help="table|json|csv|tsv|xml|markdown for SELECT/ASK; turtle|ntriples|jsonld|xml|n3 for graphs")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="stop the query after this many seconds")

    p = command("paths", cmd_paths, "ranked career paths between roles, with durations, skills, pay and sources")
    p.add_argument("--from", dest="source", required=True, metavar="ROLE", help="the role you hold (id or label)")
    p.add_argument("--to", dest="target", metavar="ROLE", help="the role you want (default: every reachable role)")
    p.add_argument("--max-steps", type=int, default=4, metavar="N", help="longest path to consider (default 4)")
    p.add_argument("--via", action="append", metavar="ROLE", help="a role the path must pass through (repeatable)")
    p.add_argument("--avoid", action="append", metavar="ROLE", help="a role the path must not use (repeatable)")
    p.add_argument("--rank", choices=("steps", "duration", "pay"), default="steps")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="at most this many paths (default 10)")
    p.add_argument("--format", choices=("table", "json", "markdown"), default="table")

    p = command("gap", cmd_gap, "skills held and to build between two roles, with how far each skill travels")
    p.add_argument("--from", dest="source", required=True, metavar="ROLE")
    p.add_argument("--to", dest="target", required=True, metavar="ROLE")
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = command("viz", cmd_viz, "draw a view as interactive offline HTML, SVG, PNG or DOT")
    p.add_argument("--view", choices=("career", "methods", "field"), default="career")
    p.add_argument("--from", dest="source", metavar="ROLE", help="career view: where the highlighted path starts")
    p.add_argument("--to", dest="target", metavar="ROLE", help="career view: where the highlighted path ends")
    p.add_argument("--output", "-o", required=True, metavar="FILE", help="FILE.html, .svg, .png or .dot")

    p = command("serve", cmd_serve, "serve a SPARQL 1.1 endpoint and a web page (read-only)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7878)
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="time limit per query (default 10)")
    p.add_argument("--max-rows", type=int, default=10_000, metavar="N", help="row cap per answer (default 10000)")
    p.add_argument("--workers", type=int, metavar="N", help="query worker processes (default: cores + 1)")
    p.add_argument("--cors", action="store_true", help="allow cross-origin requests from any page")
    p.add_argument("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"))

    p = command("push", cmd_push, "load the built graph into a SPARQL server (Graph Store Protocol or SPARQL Update)")
    p.add_argument("--graph", metavar="IRI", help="named graph to replace (default: the default graph)")
    p.add_argument("--gsp", metavar="URL", help="Graph Store Protocol URL (default: /store beside the endpoint)")
    p.add_argument("--update", metavar="URL", help="SPARQL Update URL, used when the server has no Graph Store")
    p.add_argument("--batch", type=int, default=50_000, metavar="N", help="triples per request (default 50000)")

    p = command("synth", cmd_synth, "write a synthetic extension of the data, for measuring at scale", parents=())
    p.add_argument("--triples", type=int, required=True, metavar="N", help="about how many triples to add")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--output", required=True, metavar="DIR", help="a new or empty folder")

    return parser


COMMANDS = ("build", "validate", "stats", "export", "describe", "queries", "query", "sparql", "paths", "gap", "viz",
            "serve", "push", "synth")


class _VersionAction(argparse.Action):
    """Looks the version up only when asked (importlib.metadata is slow to import)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"rlhf-kg {_version()}")
        parser.exit()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("rlhf-kg")
    except Exception:  # not installed (running from a checkout)
        return "0+unknown"


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (errors print one line, never a traceback)."""
    argv = sys.argv[1:] if argv is None else argv
    first = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(first if first in COMMANDS else None)
    args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except RlhfKgError as exc:
        message = str(exc)
        for line in message.splitlines() or [message]:
            print(f"rlhf-kg: error: {line}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("rlhf-kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug, not bad input: still one line, the traceback on request
        if os.environ.get("RLHF_KG_DEBUG"):
            raise
        print(f"rlhf-kg: internal error: {type(exc).__name__}: {exc} "
              "(run again with RLHF_KG_DEBUG=1 for the traceback, and please report it)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
