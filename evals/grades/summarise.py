"""Sum up blind grades: python -m evals.grades.summarise [evals/grades/before evals/grades/after]

Per corpus and per kind of question (qtype, from the question files): the share of answerable
questions graded correct, partial, wrong or declined wrongly, and of unanswerable ones declined."""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from evals.run import OWN, REAL, ROOT, load_questions


def load(folder: Path) -> list[dict]:
    """The grades in `folder`, each with its question's corpus, kind and qtype."""
    questions = {q["id"]: q for q in load_questions(OWN + REAL)}
    rows = []
    for path in sorted(folder.glob("grades_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                rows.append({**g, **{k: questions[g["id"]][k] for k in ("corpus", "kind", "qtype")}})
    return rows


def summarise(rows: list[dict], key: str) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r[key]].append(r)
        groups["all"].append(r)
    out = {}
    for name, members in groups.items():
        answerable = Counter(r["label"] for r in members if r["kind"] == "answerable")
        unanswerable = Counter(r["label"] for r in members if r["kind"] == "unanswerable")
        n_a, n_u = sum(answerable.values()), sum(unanswerable.values())
        out[name] = {
            "answerable": n_a,
            "correct": answerable["correct"],
            "partial": answerable["partial"],
            "wrong": answerable["wrong"],
            "declined_wrongly": answerable["declined wrongly"],
            "unanswerable": n_u,
            "declined_rightly": unanswerable["declined rightly"],
        }
    return out


def main(argv: list[str]) -> None:
    folders = [Path(a) for a in argv] or [ROOT / "evals" / "grades" / "before", ROOT / "evals" / "grades" / "after"]
    for folder in folders:
        rows = load(folder)
        for key in ("corpus", "qtype"):
            print(f"\n{folder.name} by {key}")
            for name, s in sorted(summarise(rows, key).items(), key=lambda kv: (kv[0] != "all", kv[0])):
                a, u = s["answerable"] or 1, s["unanswerable"]
                line = (
                    f"  {name:12} correct {s['correct']}/{s['answerable']} ({s['correct'] / a:.0%}), partial {s['partial']}, "
                    f"wrong {s['wrong']}, declined wrongly {s['declined_wrongly']}"
                )
                if u:
                    line += f"; unanswerable declined {s['declined_rightly']}/{u}"
                print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
