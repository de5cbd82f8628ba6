"""Speech without punctuation ends a clause after a sentence-final particle
(engine/spoken.py, ``[matching] spoken_clause_ends``), so a recogniser's line
is judged as the same line with commas is."""

import pytest

from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.normalize import Normalized
from phraseguard.engine.spoken import SpokenClauseEnds

ENDS = SpokenClauseEnds(ends=frozenset({"呀", "吧", "了", "呢", "您好", "抱歉"}),
                        vocatives=frozenset({"亲"}), goes_on=frozenset({"个"}))


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_lexicon())


@pytest.fixture(scope="module")
def without_spoken_ends(tmp_path_factory):
    path = tmp_path_factory.mktemp("lex") / "no_spoken.toml"
    path.write_text('[lexicon]\nname = "no-spoken"\nextends = "default"\n\n'
                    "[matching]\nspoken_clause_ends = []\n", encoding="utf-8")
    return Matcher(load_lexicon(path))


def found(m: Matcher, text: str) -> set[tuple[str, str]]:
    return {(h.rule_id, h.severity.name.lower()) for h in m.scan(text)}


def test_a_clause_ends_after_a_particle_that_more_words_follow():
    words = ["您", "找", "主播", "去", "呀", "客服", "这边"]
    assert ENDS.positions(words) == {6}


def test_a_run_of_particles_ends_once_after_its_last():
    assert ENDS.positions(["没办法", "了", "吧", "您", "看"]) == {5}


def test_no_clause_end_after_the_last_word():
    assert ENDS.positions(["没办法", "呢"]) == frozenset()


def test_a_vocative_joins_the_run_but_does_not_start_one():
    assert ENDS.positions(["抱歉", "亲", "这个", "弄", "不了"]) == {3}
    assert ENDS.positions(["亲", "自己", "操作"]) == frozenset()


def test_a_classifier_after_the_particle_means_it_was_not_one():
    # Cantonese 呢个 = "this"
    assert ENDS.positions(["呢", "个", "情况"]) == frozenset()


def test_a_line_with_punctuation_keeps_the_writer_s_breaks():
    nz = Normalized("好的呀，您找主播去", "好的呀您找主播去", tuple(range(8)), frozenset({3}))
    assert ENDS.apply(nz, frozenset({0, 2, 3, 4, 5, 7, 8})) is nz


def test_spoken_ends_bound_a_clause_but_never_stop_a_match():
    nz = ENDS.apply(Normalized("您找主播去呀客服这边", "您找主播去呀客服这边",
                                 tuple(range(10)), frozenset()),
                      frozenset({0, 1, 2, 4, 5, 6, 8, 10}))
    assert nz.spoken == {6}
    assert nz.clause_bounds(1, 5) == (0, 6)
    assert not nz.crosses_break(4, 8)


@pytest.mark.parametrize("text", [
    "主播说的您找主播去呀客服这边只认订单",
    "主播 说 的 您 找主 播去 呀 客服 这边 只认 订单",
])
def test_a_push_away_ended_by_a_particle_counts_without_the_comma(matcher, without_spoken_ends,
                                                                 text):
    written = found(matcher, "主播说的您找主播去呀，客服这边只认订单")
    assert ("push-away", "critical") in written
    assert found(matcher, text) == written
    assert ("push-away", "critical") not in found(without_spoken_ends, text)


def test_a_greeting_opens_a_clause_of_its_own(matcher, without_spoken_ends):
    # "this" alone as the topic stays give-up, as in the written 您好，这个没有办法呢
    assert found(matcher, "您好 这个 没有 办法 呢") == found(matcher, "您好，这个没有办法呢")
    assert ("give-up", "major") in found(matcher, "您好 这个 没有 办法 呢")
    assert ("give-up", "major") not in found(without_spoken_ends, "您好 这个 没有 办法 呢")


def test_a_garbled_word_that_looks_like_a_particle_still_matches(matcher):
    # 我不了解 misheard: the segmenter reads 了 as a particle, but a phrase
    # matches across a spoken clause end.
    assert ("disclaim-knowledge", "major") in found(matcher, "结果出没出我卟了卩")


def test_spoken_clause_ends_must_be_a_list_of_words(tmp_path):
    from phraseguard.errors import LexiconErrors

    path = tmp_path / "bad.toml"
    path.write_text('[lexicon]\nname = "bad"\nextends = "default"\n\n'
                    "[matching]\nspoken_clause_ends = 3\n", encoding="utf-8")
    with pytest.raises(LexiconErrors, match="bad.toml:6: .matching. spoken_clause_ends has the wrong type"):
        load_lexicon(path)


@pytest.mark.parametrize(("text", "rule"), [
    # a give-up word run on before "this": not a topic, as 没辙，你这个… reads
    ("没辙 你 这个 我 处理 不 来", "give-up-unable"),
    ("查不到 没 办法", "give-up"),
    # leaving it to the customer starts a new clause, as 您找… does
    ("这个 我们 也 莫得 法子 你 自己 想 嘛", "give-up"),
    ("哎呀 这个 我们 也 莫得法 你 将就 用 嘛", "give-up"),
])
def test_speech_without_a_particle_reads_as_the_written_line_too(matcher, text, rule):
    assert (rule, "major") in found(matcher, text)
