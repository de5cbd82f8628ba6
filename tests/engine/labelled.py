"""Small labelled sets for training tests: a few give-ups (in a word the test
picks), a few don't-knows, and near-misses rescued by the next turn."""

from __future__ import annotations

from pathlib import Path

HEADER = "prev_customer\ttext\tnext_agent\tlabel\tcategory\tnote\n"


def rows(word: str = "没辙") -> list[tuple[str, str, str, str, str]]:
    """(prev_customer, text, next_agent, label, category) rows; ``word`` says "no way"."""
    return [
        ("东西坏了", f"这个我们也{word}了", "", "major", "giving_up"),
        ("东西坏了", f"我这边真是{word}", "", "major", "giving_up"),
        ("东西坏了", f"实在{word}啊", "还有别的问题吗", "major", "giving_up"),
        ("啥时候到", "天知道啥时候到", "", "major", "ignorance"),
        ("啥时候到", "这谁知道呢", "", "major", "ignorance"),
        ("东西坏了", f"这个我们也{word}了", "我帮您申请换货", "benign", "none"),
        ("东西坏了", f"我这边真是{word}", "我帮您申请退款", "benign", "none"),
        ("啥时候到", "我帮您查一下物流", "", "benign", "none"),
        ("你好", "您好，很高兴为您服务", "", "benign", "none"),
    ]


def write_labels(path: Path, table: list[tuple[str, ...]]) -> Path:
    """``table`` as a labelled TSV at ``path`` (a note column added)."""
    path.write_text(HEADER + "".join("\t".join(r) + "\tnote\n" for r in table), "utf-8")
    return path
