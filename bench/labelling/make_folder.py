"""Set up a folder for an independent writer (a helper who never sees the project).

Usage:
    python bench/labelling/make_folder.py paraphrase /work/labels_train67 paraphrases_train67 "ANGLE"
    python bench/labelling/make_folder.py calls /work/labelscf_train30 calls_train30 callflow_train30 "ANGLE"

The writer gets only the brief and the policy (or the call rules): never this repository.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[0] not in ("paraphrase", "calls"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    kind, folder = argv[0], Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "paraphrase":
        name, angle = argv[2], argv[3]
        task = (HERE / "paraphrase_TASK.md").read_text(encoding="utf-8")
        task = task.replace("{{NAME}}", name).replace("{{ANGLE}}", angle)
        (folder / "POLICY.md").write_text(
            (HERE / "paraphrase_POLICY.md").read_text(encoding="utf-8"), encoding="utf-8")
    else:
        if len(argv) < 5:
            print(__doc__.strip(), file=sys.stderr)
            return 2
        calls, labels, angle = argv[2], argv[3], argv[4]
        task = (HERE / "calls_TASK.md").read_text(encoding="utf-8")
        task = (task.replace("{{CALLS}}", calls).replace("{{LABELS}}", labels)
                .replace("{{ANGLE}}", angle))
        (folder / "rules.md").write_text(
            (HERE / "calls_rules.md").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "TASK.md").write_text(task, encoding="utf-8")
    print(f"{folder}: TASK.md written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
