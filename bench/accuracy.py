"""Line-level precision and recall of the default lexicon on labelled lines.

    python bench/accuracy.py                    # table for every form
    python bench/accuracy.py --errors           # also list the misjudged lines
    python bench/accuracy.py --baseline         # plain substring search, for comparison
    python bench/accuracy.py --lexicon FILE     # another lexicon (e.g. one adding 无法)
    python bench/accuracy.py --tuning-only      # tuning sets only; held-out files not read
    python bench/accuracy.py --no-meaning       # the lexicon's rules alone, no meaning model
    python bench/accuracy.py --heldout-only --rounds 4   # only held-out round 4
    python bench/accuracy.py --tuning-only --train5 odd --sets p5-odd --errors
                                                # the half of train5 tuned on

Labelled data: ``tests/data/corpus_labels.tsv`` points at agent lines of
``../shared/corpus`` (the text is read from there, never copied into the
repository); ``tests/data/constructed.tsv`` holds lines written for the
project. Each line is also judged in three derived forms, as the acceptance
set does: traditional characters, speech-style spaced words, and homophone
errors in the forbidden phrases.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# One scoring for the bench and `phraseguard lexicon evaluate`: Score is the
# tally (caught, false alarms, missed, silent) behind precision and recall.
from phraseguard.evaluation import Tally as Score  # noqa: E402
from phraseguard.evaluation import judge_all  # noqa: E402

LABELS = ROOT / "tests" / "data" / "corpus_labels.tsv"
# A second set, labelled independently later (lines with 无法, 不确定,
# 不是很清楚... and another random sample), to see how the lexicon generalises.
HOLDOUT = ROOT / "tests" / "data" / "corpus_labels_holdout.tsv"
CONSTRUCTED = ROOT / "tests" / "data" / "constructed.tsv"
# Lines written by the lexicon's author for each family of forms (violations
# and near-miss benign lines), some with the turns around them.
FAMILIES = ROOT / "tests" / "data" / "families.tsv"
# Paraphrases by an independent writer (not the lexicon's author), for
# tuning: the customer's turn before, the line, the agent's next turn, and
# major / minor / benign. Different people phrase the same meaning
# differently; the lexicon's families were broadened on these.
PARAPHRASES = ROOT / "tests" / "data" / "paraphrases_train.tsv"
# A second tuning set of paraphrases by another independent writer (typed
# chat, phone-recogniser output, traditional characters, regional speech),
# same columns plus category and note; label mistakes are listed, not edited,
# in tests/data/paraphrases_train3_notes.md.
PARAPHRASES3 = ROOT / "tests" / "data" / "paraphrases_train3.tsv"
# A fourth writer's paraphrases whose violations avoid stock phrases (idioms,
# rhetorical questions, sarcasm, euphemisms, blame-shifting, non-answers):
# the indirect forms (issue #8; tests/data/paraphrases_train4_README.md).
PARAPHRASES4 = ROOT / "tests" / "data" / "paraphrases_train4.tsv"
# A fifth writer's snippets written like real calls: long agent turns with the
# violation among apologies and fillers, 43% recogniser output without
# punctuation, regional speech (tests/data/paraphrases_train5_README.md).
# Split by row parity before anyone read it: the lexicon is tuned on the odd
# data rows; the even rows are scored at the end only (``--train5 even``).
PARAPHRASES5 = ROOT / "tests" / "data" / "paraphrases_train5.tsv"
# The writers from the sixth on, one row each ("para-train6"...):
# tests/data/paraphrases_trainN.tsv. Fourth session, for the meaning model:
# 6 (violations without fixed wording), 7 (call-like speech and chat, dialect
# flavour), 8 (real-chat-style near-misses with words of uncertainty and
# limits), 9 (many businesses, personas and tones), 10 (traditional,
# recogniser output with spaces and homophone slips). Fifth session: 11
# (context across turns), 12 (phone calls as a recogniser writes them), 13
# (app chat with internet slang). Sixth session, industries other than
# e-commerce: 14 (finance, public services), 15 (telecom, utilities,
# travel), 16 (services, after-sales). Seventh session: 17 (public
# services), 18 (devices, tickets, subscriptions), 19 (insurance, personal
# services, apps). Eighth session: 20 (long, busy turns: property, agencies,
# B2B, freight, farming, legal, funerals), 21 (referrals, responsibility and
# tone: hospitals, schools, utilities, dealers, travel, customs, pharmacies),
# 22 (curt one-clause turns: delivery, driving schools, gyms, movers, elderly
# care, kindergartens, lottery, roadside help), 23 (Taiwan, Hong Kong,
# Singapore and Malaysia wording), 24 (the same agent words with different
# verdicts by the turns around them), 25 (regional speech across China).
# Ninth session: 26 (the line between a stated limit and giving up). Tenth
# session: 27 (the customer's turn or the next turn decides; give-ups said
# sideways: rhetorical questions, idioms, vague promises). Thirteenth session:
# 36 (after-sales of faults and wrong orders: the remedy refused), 37 (soft
# violations in the corpus's own register: deferrals, referrals, bare "not
# supported"; written at that session's end, first read at the next's start).
# Fourteenth session: 38 (the same soft violations on the phone lines of public
# services and finance), 39 (soft answers said out loud and in shorthand:
# recogniser output, regional speech, curt chat, long spoken turns), 40 (soft
# answers in retail, online services and everyday consumer life). Fifteenth
# session: 41 (soft answers the customer's turn decides), 42 (Weibo and shop
# chat in the corpus's own register). Sixteenth session: 43 (referrals and
# handovers: the same referral after a first contact and after the customer
# says they already tried that party). Seventeenth session: 44 (written service
# channels: ticket and e-mail replies, review replies, official accounts, the
# hand-over from a chatbot — by a writer other than held-out round 29's), 45
# (outbound and follow-up calls, by a writer other than round 31's), 46 (Chinese
# service outside mainland China, by a writer other than round 30's), 47 (written
# service channels again, a second writer).
WRITERS = {n: ROOT / "tests" / "data" / f"paraphrases_train{n}.tsv" for n in range(6, 256)}
# Real agent lines a labeller hunted by keyword families beyond the six
# stock phrases (不确定, 只能, 不支持, referrals...), judged in their dialogues:
# the tuning half (tests/data/corpus_hunt_README.md).
HUNT = ROOT / "tests" / "data" / "corpus_hunt.tsv"
# A second hunt (thirteenth session), in dialogues outside every earlier
# real-line set: the tuning two thirds (tests/data/corpus_hunt2_README.md).
HUNT2 = ROOT / "tests" / "data" / "corpus_hunt2.tsv"
# A third hunt (fourteenth session) for soft answers (deferrals, waits,
# referrals, "no information", bare refusals), in dialogues outside every
# earlier real-line set: the tuning two thirds (tests/data/corpus_hunt3_README.md).
HUNT3 = ROOT / "tests" / "data" / "corpus_hunt3.tsv"
# A fourth hunt (fifteenth session) for every kind of violation, in dialogues
# outside every earlier real-line set: the tuning two thirds
# (tests/data/corpus_hunt4_README.md).
HUNT4 = ROOT / "tests" / "data" / "corpus_hunt4.tsv"
# Held out: labelled by someone who never read or edited the lexicon, against
# the written QA policy, after the lexicon's families were written; nobody
# tunes on them (tests/data/heldout/README.md). Reported apart.
HELDOUT = ROOT / "tests" / "data" / "heldout"
_HELDOUT_LABELS = {"major": "violation", "minor": "minor", "benign": "benign"}


def _find_corpus() -> Path:
    """``../shared/corpus`` beside the checkout, or beside the folder of worktrees."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "corpus").is_dir():
            return base / "shared" / "corpus"
    return ROOT.parent / "shared" / "corpus"


CORPUS = _find_corpus()

# Characters of the standard's phrases whose homophones an ASR system writes.
TRIGGER_WORDS = ("不知道", "不清楚", "不了解", "没关系", "没办法", "没有办法", "没法", "不管",
                 "随便", "解决", "处理不了", "不归", "自己去问")


LABELS_KNOWN = ("violation", "minor", "benign")


@dataclass(frozen=True)
class Example:
    """A labelled agent line, with the turns around it when known.

    ``label``: ``violation`` (major or critical under the QA policy),
    ``minor`` (a stated limit without an alternative: limit-without-alternative)
    or ``benign``. ``customer`` is the customer's turn before, ``next_turn``
    the agent's next turn (None: unknown / none).
    """

    text: str
    label: str
    origin: str
    customer: str | None = None
    next_turn: str | None = None
    category: str = ""  # the labeller's category (giving_up, ignorance...), "" when none

    @property
    def violation(self) -> bool:
        return self.label == "violation"

    def positive(self, min_severity: str) -> bool:
        """Whether a QA reviewer expects a hit at ``--min-severity``."""
        if min_severity == "minor":
            return self.label in ("violation", "minor")
        return self.label == "violation"


def corpus_examples(corpus: Path = CORPUS, labels: Path = LABELS,
                    label_names: dict[str, str] | None = None) -> list[Example]:
    """Labelled agent lines of the shared corpus ([] when it is absent).

    ``label_names`` maps a file's own label names onto violation/minor/benign.
    """
    if not corpus.is_dir():
        return []
    rows = list(csv.DictReader(labels.open(encoding="utf-8"), delimiter="\t"))
    wanted = {(r["file"], r["dialog"], r["turn"]): r for r in rows}
    texts: dict[tuple[str, str, str], str] = {}
    turns = _dialogue_context(corpus, {r["file"] for r in rows}, set(wanted))
    for name in sorted({r["file"] for r in rows}):
        with (corpus / name).open(encoding="utf-8") as fp:
            for line in fp:
                d = json.loads(line)
                key = (name, str(d["dialog"]), str(d["turn"]))
                if key in wanted:
                    texts[key] = d["text"]
    out = []
    for key, r in wanted.items():
        text = texts.get(key)
        if text is None or hashlib.sha1(text.encode()).hexdigest()[:8] != r["sha1_8"]:
            raise SystemExit(f"{labels}: {key} does not match the corpus (changed corpus?)")
        label = (label_names or {}).get(r["label"], r["label"])
        if label not in LABELS_KNOWN:
            raise SystemExit(f"{labels}: {key}: unknown label {r['label']!r}")
        customer, nxt = turns.get(key, (None, None))
        out.append(Example(text, label, f"{key[0]}:{key[1]}:{key[2]}", customer, nxt,
                           r.get("category", "")))
    return out


def _dialogue_context(corpus: Path, names: set[str], wanted: set[tuple[str, str, str]]
                      ) -> dict[tuple[str, str, str], tuple[str | None, str | None]]:
    """(customer's turn before, agent's next turn) for each wanted line, from its dialogue."""
    return {key: (customer, nxt) for key, _, customer, nxt in dialogue_turns(corpus, names)
            if key in wanted}


def dialogue_turns(corpus: Path, names: set[str]
                   ) -> Iterator[tuple[tuple[str, str, str], str, str | None, str | None]]:
    """Every agent turn of the named corpus files, in their dialogues' order, as
    ((file, dialog, turn), text, customer's last turn before it, agent's next
    non-empty turn); None where there is none."""
    for name in sorted(names):
        dialogs: dict[str, list[dict]] = {}
        with (corpus / name).open(encoding="utf-8") as fp:
            for line in fp:
                d = json.loads(line)
                dialogs.setdefault(str(d["dialog"]), []).append(d)
        for dialog, turns in dialogs.items():
            turns.sort(key=lambda d: int(d["turn"]))
            last_customer = None
            for i, d in enumerate(turns):
                if d["role"] == "customer":
                    last_customer = d["text"]
                    continue
                nxt = next((t["text"] for t in turns[i + 1:]
                            if t["role"] != "customer" and t["text"].strip()), None)
                yield (name, dialog, str(d["turn"])), d["text"], last_customer, nxt


def constructed_examples(path: Path = CONSTRUCTED) -> list[Example]:
    """Lines written for the project; optional ``customer`` / ``next_turn`` columns."""
    rows = csv.DictReader(path.open(encoding="utf-8"), delimiter="\t")
    out = []
    for r in rows:
        if r["label"] not in LABELS_KNOWN:
            raise SystemExit(f"{path}: {r['text']!r}: unknown label {r['label']!r}")
        out.append(Example(r["text"], r["label"], path.stem, r.get("customer") or None,
                           r.get("next_turn") or None, r.get("category", "")))
    return out


def to_traditional(texts: list[str]) -> list[str]:
    import opencc

    conv = opencc.OpenCC("s2t")
    return [conv.convert(t) for t in texts]


def to_spaced(texts: list[str]) -> list[str]:
    """Speech-recogniser style: words separated by spaces, no punctuation."""
    import jieba

    jieba.setLogLevel(60)
    out = []
    for t in texts:
        words = [w for w in jieba.lcut(t) if w.strip() and not _is_punct(w)]
        out.append(" ".join(words))
    return out


def _is_punct(word: str) -> bool:
    import unicodedata

    return all(unicodedata.category(c)[0] in "PSZ" for c in word)


def _homophones() -> dict[str, list[str]]:
    from phraseguard.engine.phonetics import _load_pinyin_dict, _strip_tone

    by_sound: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    for cp, spelled in _load_pinyin_dict().items():
        if not 0x4E00 <= cp <= 0x9FFF:
            continue
        syl = _strip_tone(spelled.split(",")[0])
        first[chr(cp)] = syl
        by_sound.setdefault(syl, []).append(chr(cp))
    return {ch: [c for c in by_sound[s] if c != ch] for ch, s in first.items()}


def to_homophones(texts: list[str], seed: int = 7) -> list[str]:
    """Replace characters of the trigger words with same-sound characters."""
    rng = random.Random(seed)
    table = _homophones()
    out = []
    for t in texts:
        chars = list(t)
        for word in TRIGGER_WORDS:
            start = t.find(word)
            while start >= 0:
                for i in range(start, start + len(word)):
                    alts = table.get(chars[i], [])
                    if alts and rng.random() < 0.5:
                        chars[i] = rng.choice(alts[:20])
                start = t.find(word, start + 1)
        out.append("".join(chars))
    return out


def evaluate(matcher, examples: list[Example], texts: list[str] | None = None, *,
             min_severity: str = "major", judge=None, judged=None
             ) -> tuple[Score, list[tuple[Example, str, list]]]:
    """Line-level score: a line is flagged when a hit at ``min_severity`` or above
    remains after the dialogue judge (given the line's turns, when known).

    ``judge`` (the matcher's dialogue judge; None: the raw scan, as for the
    substring baseline) and ``judged`` (hits already judged by
    ``phraseguard.evaluation.judge_all``, to score two severities from one
    reading)."""
    texts = texts if texts is not None else [e.text for e in examples]
    floor = _severity(min_severity)
    if judged is None:
        judged = (judge_all(matcher, examples, texts) if judge is not None
                  else list(matcher.scan_lines(texts)))
    flags = []
    wrong = []
    for ex, text, hits in zip(examples, texts, judged, strict=True):
        hits = [h for h in hits if getattr(h, "severity", floor) >= floor]
        positive = ex.positive(min_severity)
        flags.append((bool(hits), positive))
        if bool(hits) != positive:
            wrong.append((ex, text, hits))
    return Score(flags.count((True, True)), flags.count((True, False)),
                 flags.count((False, True)), flags.count((False, False))), wrong


def _severity(name: str):
    from phraseguard.engine.hit import Severity

    return Severity.parse(name)


def forms(examples: list[Example]) -> dict[str, list[str]]:
    plain = [e.text for e in examples]
    return {
        "plain": plain,
        "traditional": to_traditional(plain),
        "spaced": to_spaced(plain),
        "homophone": to_homophones(plain),
        "spaced+homophone": to_spaced(to_homophones(plain)),
    }


class SubstringBaseline:
    """The issue's baseline: a line is flagged when it contains one of the six phrases."""

    PHRASES = ("我们不管", "跟我们没关系", "没办法解决", "随便", "不清楚", "不知道")

    def scan_lines(self, texts):
        return ([p for p in self.PHRASES if p in t] for t in texts)


def paraphrase_examples(path: Path = PARAPHRASES, half: str | None = None) -> list[Example]:
    """Paraphrases with their turns (columns prev_customer, text, next_agent, label).

    ``half``: ``"odd"`` or ``"even"`` keeps only the data rows of that parity
    (the first row after the header is row 1, odd); None keeps all."""
    rows = csv.DictReader(path.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE)
    out = []
    for i, r in enumerate(rows, start=1):
        if half is not None and (i % 2 == 1) != (half == "odd"):
            continue
        if r["label"] not in _HELDOUT_LABELS:
            raise SystemExit(f"{path}: {r['text']!r}: unknown label {r['label']!r}")
        out.append(Example(r["text"], _HELDOUT_LABELS[r["label"]], path.stem,
                           r["prev_customer"] or None, r["next_agent"] or None,
                           r.get("category", "")))
    return out


def tuning_sets(train5: str = "all") -> dict[str, list[Example]]:
    """The labelled sets the lexicon is tuned on (never a held-out set).

    ``train5``: ``all`` (row ``para-train5``), or only its ``odd`` rows (the
    half tuned on, row ``p5-odd``) or its ``even`` rows (row ``p5-even``)."""
    name5 = "para-train5" if train5 == "all" else f"p5-{train5}"
    return {"corpus": corpus_examples(), "holdout": corpus_examples(labels=HOLDOUT),
            "constructed": constructed_examples(),
            "families": constructed_examples(FAMILIES),
            "paraphrases": paraphrase_examples(),
            "paraphrases3": paraphrase_examples(PARAPHRASES3),
            "para-train4": paraphrase_examples(PARAPHRASES4),
            name5: paraphrase_examples(PARAPHRASES5, None if train5 == "all" else train5),
            **{f"para-train{n}": paraphrase_examples(path) for n, path in WRITERS.items()},
            "hunt": corpus_examples(labels=HUNT), "hunt2": corpus_examples(labels=HUNT2),
            "hunt3": corpus_examples(labels=HUNT3), "hunt4": corpus_examples(labels=HUNT4)}


def heldout_sets(round_: int = 2) -> dict[str, list[Example]]:
    """One round of held-out sets: real corpus lines in their dialogues, and
    paraphrases with the customer's turn before and the agent's next turn.

    Round 1 (``heldout_*.tsv``) was labelled in the second session; its misses
    were read when that session reported, so it is no longer blind. Round 2
    (``heldout2_*.tsv``) was labelled by new labellers before the third
    session's tuning and has been read by nobody who edits the lexicon; its
    totals were printed after every merge of that session. Round 3
    (``heldout3_paraphrases.tsv``, paraphrases only: the corpus has no
    unlabelled trigger lines left) was written in the fourth session before
    the meaning model was trained, by a writer who never saw the project.
    Round 4 (``heldout4_paraphrases.tsv``, paraphrases only) was written at
    the start of the fifth session by another such writer and measured at the
    end of that session (tests/data/heldout/NOTE.md counts every print).
    Round 5 (``heldout5_corpus.tsv``, real lines only) is the held-out third
    of a keyword hunt for meanings beyond the stock phrases, split by
    dialogue before anyone looked at it, at the start of the sixth session.
    Round 6 (``heldout6_paraphrases.tsv``) was written during the sixth
    session, after its real-line changes, by a writer who never saw the
    project (industries other than e-commerce); its first print led to three
    training writers on those industries, so its second print is not blind.
    Round 7 (``heldout7_paraphrases.tsv``), the same brief by another such
    writer, was written while they worked and measured once at the end.
    Round 8 (``heldout8_paraphrases.tsv``), 21 industries by a new writer,
    was written at the start of the seventh session, before any change of
    that session was measured, and measured once at its end. Round 9
    (``heldout9_paraphrases.tsv``), 40 industries and turns of every length
    by a new writer, was written during the eighth session while its
    training writers wrote, and measured once at its end. Round 10
    (``heldout10_paraphrases.tsv``), 40 industries with a fifth of the rows
    refusing one particular action, by a new writer, was written during the
    ninth session while the downgrade of such refusals was built (designed on
    the tuning sets), and copied in unread. Round 11
    (``heldout11_paraphrases.tsv``), 35 industries written as a week of real
    calls and chats, by a new writer at the end of the ninth session, copied in
    unread and not printed in that session: its first print is the next
    session's, before any change. Round 12 (``heldout12_paraphrases.tsv``),
    40 industries of agents under pressure (angry and repeat customers), by a
    new writer at the start of the tenth session, copied in unread and
    printed at that session's end. Round 13 (``heldout13_corpus.tsv``, real
    lines only): every agent turn of 120 corpus dialogues no earlier set
    touched, 100 of them chosen by the customer's dissatisfaction (never by
    what the agent said), labelled by a new labeller during the tenth
    session; copied in unread, printed at its end. Round 14
    (``heldout14_paraphrases.tsv``), a day on the phone lines (40% recogniser
    output), by a new writer at the end of the tenth session, copied in
    unread and not printed in that session: its first print is the next
    session's, before any change. Round 15 (``heldout15_paraphrases.tsv``),
    public services and small businesses (35% recogniser output), by a new
    writer during the eleventh session, copied in unread and printed once at
    its end. Round 16 (``heldout16_paraphrases.tsv``), chat and app
    messaging, by another new writer during the eleventh session, copied in
    unread and not printed in it: its first print was the twelfth session's,
    before any change. Round 17 (``heldout17_paraphrases.tsv``), after-sales
    of big purchases and business customers, by a new writer during the
    twelfth session, copied in unread and printed once at its end. Round 18
    (``heldout18_paraphrases.tsv``), big call centres whose scripted agents
    slip, by another new writer during the twelfth session, copied in unread
    and not printed in it: its first print was the thirteenth session's,
    before any change. Round 19 (``heldout19_corpus.tsv``, real lines only) is
    the held-out third, by dialogue, of a second keyword hunt made at the
    start of the thirteenth session in dialogues outside every earlier
    real-line set; copied in unread, printed at that session's end. Round 20
    (``heldout20_paraphrases.tsv``), repeat contacts, by a new writer during
    the thirteenth session, copied in unread and not printed in it. Round 21
    (``heldout21_paraphrases.tsv``), older and less digital customers, by
    another new writer during the thirteenth session while its changes were
    made, copied in unread and printed at its end. Round 22
    (``heldout22_paraphrases.tsv``), soft violations polite on the surface,
    by a new writer during the fourteenth session while its changes were
    made, copied in unread and printed at its end. Round 23
    (``heldout23_paraphrases.tsv``), Chinese-speaking service outside the
    mainland register, by another new writer during the fourteenth session,
    copied in unread and not printed in it. Round 24
    (``heldout24_corpus.tsv``, real lines only) is the held-out third, by
    dialogue, of a third hunt (soft answers) made during the fourteenth
    session; copied in unread, printed at its end. Round 27
    (``heldout27_corpus.tsv``, real lines only) is the held-out third, by
    dialogue, of a fourth hunt (every kind of violation) made during the
    fifteenth session; copied in unread, printed at its end. Round 25
    (``heldout25_paraphrases.tsv``), polite answers that give nothing where
    the customer's turn decides, by a new writer during the fifteenth
    session while its changes were made, copied in unread and printed at
    its end. Round 26 (``heldout26_paraphrases.tsv``), agents under
    pressure, by another new writer during the fifteenth session, copied in
    unread and not printed in it: its first print was the sixteenth
    session's start, before any change. Round 28
    (``heldout28_paraphrases.tsv``), where the violation sits in the turn
    and the exchange (buried in long polite turns, settled by the agent's
    next turn), by a new writer during the sixteenth session while its
    changes were made, copied in unread and printed at its end. Round 29
    (``heldout29_paraphrases.tsv``), written service channels (tickets,
    e-mail, review replies, bot-to-human hand-over), by another new writer
    during the sixteenth session, copied in unread and not printed in it:
    its first print was the seventeenth session's start, before any change.
    Round 30 (``heldout30_paraphrases.tsv``), Chinese service outside
    mainland China (Taiwan, Hong Kong, Macau, Singapore, Malaysia), by a new
    writer during the seventeenth session while its changes were made,
    copied in unread and printed at its end. Round 31
    (``heldout31_paraphrases.tsv``), outbound and follow-up calls, by
    another new writer during the seventeenth session, copied in unread and
    not printed in it: its first print was the eighteenth session's start,
    before any change. Round 32 (``heldout32_paraphrases.tsv``), young and
    digital customers of fast-moving services (games, subscriptions,
    second-hand apps, live-stream shopping, shared devices), by a new writer
    during the eighteenth session, copied in unread and not printed in it:
    its first print was the nineteenth session's start, before any change.
    Round 33 (``heldout33_paraphrases.tsv``), travel and transport in
    disruption (cancelled flights, changed trains, overbooked hotels, lost
    luggage), by a new writer during the nineteenth session, copied in unread
    and not printed in it: its first print was the twentieth session's start,
    before any change. Round 34 (``heldout34_paraphrases.tsv``), cross-border
    and international services (overseas shopping, customs, remittance, visa
    agencies, roaming), by a new writer during the twentieth session, copied
    in unread and not printed in it: its first print was the twenty-first
    session's start, before any change. Round 35 (``heldout35_paraphrases.tsv``),
    money services in trouble (banks, cards, loans and collections, payment
    apps, insurers and claims, brokers), by a new writer during the
    twenty-first session, copied in unread and not printed in it: its first
    print was the twenty-second session's start, before any change. Round 36
    (``heldout36_paraphrases.tsv``), health and care services in trouble
    (hospital appointment lines, pharmacies, health insurance, clinics,
    elderly care, check-up centres), by a new writer during the
    twenty-second session, copied in unread and not printed in it: its first
    print was the twenty-third session's start, before any change. Round 37
    (``heldout37_paraphrases.tsv``), education and training services in
    trouble (tutoring centres, online courses, driving schools, exam offices,
    language schools, study-abroad agencies, campus services), by a new writer
    during the twenty-third session, copied in unread and not printed in it:
    its first print was the twenty-fourth session's start, before any change.
    Round 38 (``heldout38_paraphrases.tsv``), home services and repairs in
    trouble (plumbers and electricians, appliance repair, cleaning and
    housekeeping, pest control, locksmiths, furniture assembly, renovation
    touch-ups), by a new writer during the twenty-fourth session, copied in
    unread and not printed in it: its first print was the twenty-fifth
    session's start, before any change. Round 39
    (``heldout39_paraphrases.tsv``), life-event and personal services in
    trouble (pet shops and vets, weddings and banquets, photography studios,
    funerals and cemeteries, event rentals, matchmaking, gyms, beauty
    salons), by a new writer during the twenty-fifth session, copied in
    unread and not printed in it: its first print was the twenty-sixth
    session's start, before any change. Round 40
    (``heldout40_paraphrases.tsv``), public administration and civic
    services in trouble (tax, social security and pensions, household
    registration and ID cards, vehicle management, passports, 12345 city
    hotlines, community committees, the housing provident fund), by a new
    writer during the twenty-sixth session, copied in unread and not printed
    in it: its first print was the twenty-seventh session's start, before
    any change. Round 41 (``heldout41_paraphrases.tsv``), automotive and
    mobility in trouble (car dealers and 4S shops, repair and maintenance,
    car insurance claims, EV charging, ride-hailing, parking, driving
    schools, used-car platforms), by a new writer during the twenty-seventh
    session, copied in unread and not printed in it: its first print was the
    twenty-eighth session's start, before any change. Round 42
    (``heldout42_paraphrases.tsv``), leisure, entertainment and events in
    trouble (ticketing, cinemas, theme parks and scenic spots, gyms and pools,
    KTV and escape rooms, photography studios, pet shops, grooming and vets,
    hobby classes), by a new writer during the twenty-eighth session, copied in
    unread and not printed in it: its first print was the twenty-ninth
    session's start, before any change. Round 43
    (``heldout43_paraphrases.tsv``), food and drink in trouble (restaurants
    and bookings, takeaway and delivery platforms, grocery and fresh-produce
    delivery, bakeries and cake orders, tea and coffee chains, catering,
    canteens), by a new writer during the twenty-ninth session, copied in
    unread and not printed in it: its first print was the thirtieth
    session's start, before any change. Round 44
    (``heldout44_paraphrases.tsv``), telecom operators, broadband and digital
    subscriptions in trouble (mobile carriers and number porting, home
    broadband and fibre, IPTV, bills and data packages, streaming and app
    subscriptions, cloud storage, game top-ups and accounts), by a new writer
    during the thirtieth session, copied in unread and not printed in it: its
    first print was the thirty-first session's start, before any change. Round
    45 (``heldout45_paraphrases.tsv``), property and housing in trouble
    (property management and its fees, shared-area repairs, parking, lifts and
    access cards; renting through agencies and apartment platforms, deposits
    and landlords; new homes from developers, handovers and defects, mortgages;
    moving and storage), by a new writer during the thirty-first session,
    copied in unread and not printed in it: its first print was the
    thirty-second session's start, before any change. Round 46
    (``heldout46_paraphrases.tsv``), consumer electronics, software and games
    in trouble (phones and laptops under warranty, smart-home devices and
    routers, app, cloud and game accounts, printers and cameras, repair
    centres and brand service lines), by a new writer during the
    thirty-second session, copied in unread and not printed in it: its first
    print was the thirty-third session's start, before any change. Round 47
    (``heldout47_paraphrases.tsv``), jobs and work in trouble (recruitment
    and job-search platforms, staffing and labour-dispatch agencies, payroll
    and HR outsourcing, gig and delivery-rider platforms, freelancing
    marketplaces, skills-test centres, labour-dispute hotlines), by a new
    writer during the thirty-third session, copied in unread and not printed
    in it: its first print was the thirty-fourth session's start, before any
    change. Round 48 (``heldout48_paraphrases.tsv``), logistics and moving in
    trouble (express couriers and parcel lockers, freight and trucking,
    international shipping and customs brokers, moving and storage, same-day
    city and cold-chain delivery, post offices), by a new writer during the
    thirty-fourth session, copied in unread and not printed in it: its first
    print is the next session's, before any change."""
    prefix = "heldout" if round_ == 1 else f"heldout{round_}"
    corpus = HELDOUT / f"{prefix}_corpus.tsv"  # rounds 3 and 4 have paraphrases only
    paraphrases = HELDOUT / f"{prefix}_paraphrases.tsv"  # round 5 has real lines only
    return {"corpus": corpus_examples(labels=corpus, label_names=_HELDOUT_LABELS)
            if corpus.exists() else [],
            "paraphrases": paraphrase_examples(paraphrases) if paraphrases.exists() else []}


# What each held-out round is, as its table's title says (heldout_sets: how
# each was made; tests/data/heldout/NOTE.md: every print).
HELDOUT_ROUNDS = {
    48: "written in session 34 by a writer who never saw the project: logistics and moving in "
        "trouble; never tuned on, first printed at the next session's start",
    47: "written in session 33 by a writer who never saw the project: jobs and work in "
        "trouble; never tuned on, first printed at the thirty-fourth session's start",
    46: "written in session 32 by a writer who never saw the project: consumer electronics, "
        "software and games in trouble; never tuned on, first printed at the thirty-third "
        "session's start",
    45: "written in session 31 by a writer who never saw the project: property and housing "
        "in trouble; never tuned on, first printed at the thirty-second session's start",
    44: "written in session 30 by a writer who never saw the project: telecom operators, "
        "broadband and digital subscriptions in trouble; never tuned on, first printed at the "
        "thirty-first session's start",
    43: "written in session 29 by a writer who never saw the project: food and drink in "
        "trouble; never tuned on, first printed at the thirtieth session's start",
    42: "written in session 28 by a writer who never saw the project: leisure, entertainment "
        "and events in trouble; never tuned on, first printed at the twenty-ninth session's start",
    41: "written in session 27 by a writer who never saw the project: automotive and "
        "mobility in trouble; never tuned on, first printed at the twenty-eighth session's start",
    40: "written in session 26 by a writer who never saw the project: public administration "
        "and civic services in trouble; never tuned on, first printed at the twenty-seventh session's start",
    39: "written in session 25 by a writer who never saw the project: life-event and "
        "personal services in trouble; never tuned on, first printed at the twenty-sixth session's start",
    38: "written in session 24 by a writer who never saw the project: home services and "
        "repairs in trouble; never tuned on, first printed at the twenty-fifth session's start",
    37: "written in session 23 by a writer who never saw the project: education and training "
        "services in trouble; never tuned on, first printed at the twenty-fourth session's "
        "start",
    36: "written in session 22 by a writer who never saw the project: health and care "
        "services in trouble; never tuned on, first printed at the twenty-third session's "
        "start",
    35: "written in session 21 by a writer who never saw the project: money services in "
        "trouble; never tuned on, first printed at the twenty-second session's start",
    34: "written in session 20 by a writer who never saw the project: 32 services, cross-border "
        "and international services; never tuned on, first printed at the twenty-first "
        "session's start",
    33: "written in session 19 by a writer who never saw the project: 32 services, travel and "
        "transport in disruption; never tuned on, first printed at the twentieth session's "
        "start",
    32: "written in session 18 by a writer who never saw the project: 31 services, young and "
        "digital customers of fast-moving services; never tuned on, first printed at the "
        "nineteenth session's start",
    31: "written in session 17 by a writer who never saw the project: 32 industries, outbound "
        "and follow-up calls; never tuned on, first printed at the eighteenth session's start",
    30: "written in session 17 by a writer who never saw the project: 31 industries, Chinese "
        "service outside mainland China (Taiwan, Hong Kong, Macau, Singapore, Malaysia); never "
        "tuned on, printed at that session's end",
    29: "written in session 16 by a writer who never saw the project: 32 industries, written "
        "service channels (tickets, e-mail, review replies, bot-to-human hand-over); never "
        "tuned on, first printed at the next session's start (session 17)",
    28: "written in session 16 by a writer who never saw the project: 32 industries, where "
        "the violation sits (buried in long polite turns, settled by the agent's next turn); "
        "never tuned on, printed at that session's end",
    26: "written in session 15 by a writer who never saw the project: 31 industries, agents "
        "under pressure (peak seasons, night shifts, outsourced and second-line staff); never "
        "tuned on, first printed at the next session's start",
    25: "written in session 15 by a writer who never saw the project: 32 industries, polite "
        "answers that give nothing where the customer's turn before decides; never tuned on, "
        "printed at that session's end",
    27: "real agent lines: the held-out third, by dialogue, of a fourth hunt (every kind of "
        "violation, in the dialogues earlier hunts left) in session 15, by a labeller who "
        "never saw the project; never tuned on, printed at that session's end",
    24: "real agent lines: the held-out third, by dialogue, of a third hunt (soft answers: "
        "deferrals, waits, referrals, bare refusals) in session 14, by a labeller who never "
        "saw the project; never tuned on, printed at that session's end",
    22: "written in session 14 by a writer who never saw the project: 30 industries, soft "
        "violations polite on the surface (deferrals, referrals, waits, bare 'not "
        "supported'); never tuned on, printed at that session's end",
    23: "written in session 14 by a writer who never saw the project: 32 industries, "
        "Chinese-speaking service outside the mainland register and across borders (Hong "
        "Kong, Taiwan, Singapore, Malaysia; code-switching); never tuned on, first printed "
        "at the next session's start",
    21: "written in session 13 by a writer who never saw the project: 31 industries, older "
        "and less digital customers; never tuned on, printed at that session's end",
    20: "written in session 13 by a writer who never saw the project: 31 industries, repeat "
        "contacts (customers back a second or third time); never tuned on, first printed at "
        "the next session's start",
    19: "real agent lines: the held-out third, by dialogue, of a second hunt by keyword "
        "families in session 13, by a labeller who never saw the project; never tuned on, "
        "printed at that session's end",
    18: "written in session 12 by a writer who never saw the project: 32 industries, big "
        "call centres whose scripted agents slip; never tuned on, first printed at the next "
        "session's start",
    17: "written in session 12 by a writer who never saw the project: 31 industries, "
        "after-sales of big purchases and business customers; never tuned on, printed once "
        "at that session's end",
    16: "written in session 11 by a writer who never saw the project: 32 industries, chat and "
        "app messaging (30% recogniser output); never tuned on, first printed at session "
        "12's start",
    15: "written in session 11 by a writer who never saw the project: 32 industries, public "
        "services and small businesses; never tuned on, printed once at that session's end",
    14: "written at the end of session 10 by a writer who never saw the project: 36 "
        "industries, a day on the phone lines; never tuned on, first printed at the next "
        "session's start",
    13: "real agent lines: every agent turn of 120 corpus dialogues, 100 chosen by the "
        "customer's dissatisfaction; labelled in session 10, printed at its end",
    12: "written at the start of session 10 by a writer who never saw the project: 40 "
        "industries, agents under pressure; never tuned on, printed at that session's end",
    11: "written at the end of session 9 by a writer who never saw the project: 35 industries, "
        "a week of real calls and chats; never tuned on, first printed at the next session's start",
    10: "written in session 9 by a writer who never saw the project: 40 industries, a fifth "
        "of the rows refusals of one particular action; never tuned on",
    9: "written in session 8 by a writer who never saw the project: 40 industries, turns of "
       "every length; never tuned on, measured once at the end of the session",
    8: "written at the start of session 7 by a writer who never saw the project: 21 "
       "industries; never tuned on, measured once at the end of the session",
    7: "written in session 6 by a writer who never saw the project, the brief of round 6; "
       "never tuned on, measured once",
    6: "written in session 6 by a writer who never saw the project: banking, telecom, "
       "travel, health, utilities...; never tuned on, but its first print led to training "
       "writers on those industries",
    5: "real lines hunted by keyword families in session 6 by a labeller who never saw the "
       "project; the held-out third, by dialogue; never tuned on",
    4: "written in session 5 by a writer who never saw the project; never tuned on; NOTE.md "
       "counts its prints",
    3: "written in session 4 by a writer who never saw the project, before the meaning model "
       "was trained; never tuned on",
    2: "labelled independently by someone who never saw the lexicon; never tuned on, never "
       "read by anyone tuning",
    1: "labelled independently in session 2; never tuned on, but its misses were read, so no "
       "longer blind",
}


def _table(title: str, sets: dict[str, list[Example]], matcher, judge, argv: list[str]) -> None:
    show = argv[argv.index("--min-severity") + 1] if "--min-severity" in argv else "major"
    print(title)
    print(f"{'set':<12} {'form':<17} {'lines':>5} {'viol':>4} {'minor':>5}   "
          f"{'P@major':>7} {'R@major':>7}   {'P@minor':>7} {'R@minor':>7}")
    for name, examples in sets.items():
        if not examples:
            continue
        nviol = sum(e.label == "violation" for e in examples)
        nminor = sum(e.label == "minor" for e in examples)
        for form, texts in forms(examples).items():
            judged = judge_all(matcher, examples, texts) if judge is not None else None
            major, wrong = evaluate(matcher, examples, texts, min_severity="major", judge=judge,
                                    judged=judged)
            minor, wrong_minor = evaluate(matcher, examples, texts, min_severity="minor",
                                          judge=judge, judged=judged)
            print(f"{name:<12} {form:<17} {len(examples):>5} {nviol:>4} {nminor:>5}   "
                  f"{major.precision:>7.3f} {major.recall:>7.3f}   "
                  f"{minor.precision:>7.3f} {minor.recall:>7.3f}")
            if "--errors" in argv:
                for ex, text, hits in (wrong if show == "major" else wrong_minor):
                    tag = "FP" if hits else "FN"
                    got = ", ".join(getattr(h, "rule_id", str(h)) + ":" + getattr(h, "matched", "")
                                    for h in hits)
                    print(f"    {tag} {ex.label[:5]} {text[:80]}  [{got}]  {ex.origin}")
    print()


def pick_sets(sets: dict, names: str, flag: str = "--sets", what: str = "set") -> dict:
    """``sets`` narrowed to the comma-separated ``names`` (ValueError: an unknown name,
    with the known ones in its message, as ``flag`` reports it; the call-flow
    diff narrows its items with it too)."""
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [w for w in wanted if w not in sets]
    if unknown:
        raise ValueError(f"{flag}: unknown {what}(s) {', '.join(unknown)}; "
                         f"known: {', '.join(sets)}")
    return {k: v for k, v in sets.items() if k in wanted}


_FLAGS = {"--baseline", "--errors", "--heldout-only", "--no-dialogue", "--no-meaning",
          "--tuning-only"}
_VALUED = {"--lexicon", "--min-severity", "--rounds", "--sets", "--train5"}


def check_args(argv: list[str]) -> str | None:
    """None when ``argv`` holds only known options; "help" for -h/--help;
    otherwise the one-line error. Checked before anything is read: an
    unknown option (a typo of --tuning-only, or --help) must never fall
    through to the default run, which prints every held-out round."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            return "help"
        if arg in _VALUED:
            if i + 1 >= len(argv):
                return f"{arg}: needs a value"
            i += 2
            continue
        if arg not in _FLAGS:
            return f"unknown option {arg!r} (python bench/accuracy.py --help lists them)"
        i += 1
    return None


def main(argv: list[str]) -> int:
    """``--errors`` lists misjudged lines (at ``--min-severity``, default major);
    ``--lexicon FILE`` measures another lexicon; ``--baseline`` measures plain
    substring search for the six standard phrases; ``--no-dialogue`` judges each
    line alone (no customer turn before, no agent turn after); ``--tuning-only``
    skips the held-out sets entirely (their files are not opened): the flag to
    use while tuning the lexicon. ``--train5 odd|even|all`` scores one half of
    the fifth paraphrase set (odd: the rows tuned on); ``--sets a,b`` only
    those tuning sets (names as in the table)."""
    problem = check_args(argv)
    if problem == "help":
        print(__doc__)
        return 0
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.engine.meaning_files import use_meaning

    lexicon = argv[argv.index("--lexicon") + 1] if "--lexicon" in argv else None
    judge = None
    if "--baseline" in argv:
        matcher = SubstringBaseline()
    else:
        lex = load_lexicon(lexicon)
        matcher = Matcher(lex)
        judge = matcher.dialogue
        if "--no-meaning" not in argv:
            use_meaning(matcher)
    train5 = argv[argv.index("--train5") + 1] if "--train5" in argv else "all"
    if train5 not in ("all", "odd", "even"):
        print(f"--train5: expected all, odd or even, got {train5!r}", file=sys.stderr)
        return 2
    sets = tuning_sets(train5)
    if "--sets" in argv:
        try:
            sets = pick_sets(sets, argv[argv.index("--sets") + 1])
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    # --tuning-only: the held-out files are not even opened, so nobody tuning
    # the lexicon can see a held-out line or its score.
    # --rounds 4: open only the named held-out rounds (each print of a round's
    # totals is one more look at it; tests/data/heldout/NOTE.md counts them).
    rounds = set(HELDOUT_ROUNDS)
    if "--rounds" in argv:
        try:
            rounds = {int(r) for r in argv[argv.index("--rounds") + 1].split(",")}
        except (IndexError, ValueError):
            print("--rounds: give round numbers, e.g. --rounds 4 or --rounds 3,4",
                  file=sys.stderr)
            return 2
    if "--tuning-only" in argv:
        rounds = set()
    held = {r: heldout_sets(r) for r in sorted(rounds & set(HELDOUT_ROUNDS), reverse=True)}
    if "--no-dialogue" in argv:
        def alone(groups):
            return {k: [dataclasses.replace(e, customer=None, next_turn=None) for e in v]
                    for k, v in groups.items()}
        sets = alone(sets)
        held = {r: alone(groups) for r, groups in held.items()}
    if "corpus" in sets and not sets["corpus"]:
        print(f"(no corpus at {CORPUS}: corpus rows skipped)")
    if "--heldout-only" not in argv:
        _table("TUNING SETS (the lexicon was written and tuned on these, and the meaning "
               "model trained on them)", sets, matcher, judge, argv)
    for r, groups in held.items():  # newest first
        _table(f"HELD-OUT ROUND {r} ({HELDOUT_ROUNDS[r]})", groups, matcher, judge, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
