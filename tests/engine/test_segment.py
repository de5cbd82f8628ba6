"""Word boundaries: WordGraph.cut equals jieba.lcut(HMM=False); the word DB cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from phraseguard.engine.segment import Segmenter, WordGraph, space_density

CORPUS_FILE = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "jddc2019_sample.jsonl"

SENTENCES = [
    "我不知道",
    "这个我们不管",
    "不知道您还有其他问题吗",
    "布置道具",
    "截图看不清楚",
    "这个不归我们部门管",
    "已经发货了，没法改地址了，您可以拒收后重新下单",
    "您好，请问有什么可以帮您？",
    "iPhone12的订单号是123456789",
    "京东快递(移动端) 你好",
    "亲亲，这个商品是7天无理由退货的哦~",
    "abc def 123.45% C++ c#",
    "小妹也不知道呢😀",
    "",
    "随便哪个都可以",
    "我真不知道",
    "并不知道这件事",
    "南京市长江大桥",
    "工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作",
]


@pytest.fixture(scope="module")
def jieba_cut():
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(60)
    jieba.initialize()
    return lambda s: jieba.lcut(s, HMM=False)


@pytest.fixture(scope="module")
def words_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("words")


@pytest.fixture(scope="module")
def graph(words_cache: Path) -> WordGraph:
    return WordGraph(cache=words_cache)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_cut_equals_jieba(graph: WordGraph, jieba_cut, sentence: str) -> None:
    assert graph.cut(sentence) == jieba_cut(sentence)


@pytest.mark.corpus
def test_cut_equals_jieba_on_corpus_agent_lines(graph: WordGraph, jieba_cut) -> None:
    if not CORPUS_FILE.is_file():
        pytest.skip(f"corpus absent: {CORPUS_FILE}")
    lines: list[str] = []
    with CORPUS_FILE.open(encoding="utf-8") as fp:
        for raw in fp:
            d = json.loads(raw)
            if d.get("role") == "agent":
                lines.append(d["text"])
                if len(lines) >= 2000:
                    break
    assert lines
    mismatches = [s for s in lines if graph.cut(s) != jieba_cut(s)]
    assert mismatches == []


def test_word_db_is_built_atomically_in_the_cache_dir(tmp_path: Path) -> None:
    WordGraph(cache=tmp_path)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 1
    assert files[0].startswith("words-") and files[0].endswith(".sqlite")
    assert not list(tmp_path.glob("*.tmp"))
    mtime = (tmp_path / files[0]).stat().st_mtime_ns
    WordGraph(cache=tmp_path)  # reused, not rebuilt
    assert (tmp_path / files[0]).stat().st_mtime_ns == mtime


def test_word_db_from_a_small_dictionary(tmp_path: Path) -> None:
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("不知道 100 v\n知道 50 v\n我 80 r\n", encoding="utf-8")
    g = WordGraph(dictionary=dictionary, cache=tmp_path / "cache")
    assert g.freq("不知道") == 100
    assert g.freq("不知") == 0  # a prefix only
    assert g.freq("猫") is None
    assert g.cut("我不知道") == ["我", "不知道"]


def test_removed_words_are_split(graph: WordGraph, words_cache: Path) -> None:
    assert "真不知道" in graph.cut("我真不知道")
    split = WordGraph(cache=words_cache, removed=("真不知道",))
    words = split.cut("我真不知道")
    assert "真不知道" not in words
    assert "".join(words[:2]) == "我真"  # 真 is cut off the phrase


def test_segmenter_boundaries_honour_split_words(graph: WordGraph, words_cache: Path,
                                                 monkeypatch) -> None:
    monkeypatch.setenv("PHRASEGUARD_CACHE", str(words_cache))
    plain = Segmenter().boundaries("我真不知道")
    split = Segmenter(split_words=("真不知道",)).boundaries("我真不知道")
    assert 2 not in plain  # 真不知道 is one dictionary word
    assert {0, 2, 5} <= split
    assert 5 in plain and 0 in plain


@pytest.mark.parametrize(
    ("text", "spaced"),
    [
        ("我 不 知道", True),
        ("这 个 我们 不 管", True),
        ("不清楚的呢 这个是这样的情况", False),
        ("我不知道", False),
        ("hello world", False),
        # punctuation set off by spaces is part of the spaced speech, not chat
        ("这个 不管 ~ ~ ~ 嘿嘿 ~ ~ ~", True),
        ("好的 ， 我 知道 了", True),
        ("好的，亲 我这边查一下哦", False),
    ],
)
def test_space_density_tells_speech_from_chat(text: str, spaced: bool) -> None:
    assert (space_density(text) >= 0.18) is spaced


def test_unwritable_cache_falls_back_to_the_temporary_folder(tmp_path, monkeypatch):
    from phraseguard.engine.segment import WordGraph

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    graph = WordGraph(cache=blocked)
    assert graph.cut("我们不知道") == ["我们", "不", "知道"]
    assert list((tmp_path / "tmp").glob("phraseguard-*/words-*.sqlite"))
