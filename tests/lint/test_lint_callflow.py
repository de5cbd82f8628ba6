"""``phraseguard lint --call-flow``: a script without a greeting or a closing."""

from __future__ import annotations

from click.testing import CliRunner

from phraseguard.cli import cli

GOOD = "您好，我是客服小王，很高兴为您服务\n请问有什么可以帮您？\n感谢您的来电，再见\n"
NO_GREETING = "客服：请问有什么可以帮您？\n客户：查快递\n客服：感谢您的来电，再见\n"
NO_CLOSING = "您好，我是客服小王\n请问有什么可以帮您？\n好的，我帮您查一下\n"


def _lint(tmp_path, *args: str):
    return CliRunner().invoke(cli, ["lint", "-q", "--no-config", *args])


def test_call_flow_findings_on_first_and_last_line(tmp_path) -> None:
    for name, text in (("good.txt", GOOD), ("open.txt", NO_GREETING), ("close.txt", NO_CLOSING)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = _lint(tmp_path, "--call-flow", str(tmp_path))
    assert result.exit_code == 1, result.output
    lines = sorted(line.replace(str(tmp_path) + "/", "") for line in result.output.splitlines())
    assert lines == [
        "close.txt:3:1: minor closing: no farewell in the last 2 agent messages → "
        "感谢您的来电，如果以后还有什么问题，请随时与我们联系，再见",
        "open.txt:1:1: minor greeting: no greeting in the first 2 agent messages → 您好，很高兴为您服务",
        "open.txt:1:1: minor self-introduction: no self-introduction in the first 2 agent messages → "
        "您好，我是客服，工号3021，很高兴为您服务",
    ]


def test_call_flow_is_opt_in_by_flag_or_config(tmp_path) -> None:
    script = tmp_path / "open.txt"
    script.write_text(NO_GREETING, encoding="utf-8")
    assert _lint(tmp_path, str(script)).exit_code == 0
    (tmp_path / "phraseguard.toml").write_text('call_flow = true\ncompany = "顺丰"\n', "utf-8")
    result = CliRunner().invoke(cli, ["lint", "-q", "--config", str(tmp_path / "phraseguard.toml"),
                                      str(script)])
    assert result.exit_code == 1
    assert "我是顺丰客服" in result.output  # the config's company fills the suggestion
