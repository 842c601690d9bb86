"""The README's derivation-file example is real: it checks, with the verdicts the README shows."""
from pathlib import Path

from symbp.check import check_text

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_example_file_has_the_verdicts_shown():
    text = README.read_text(encoding="utf-8")
    start = text.index("```toml\nlayers = [[2, 3, 2]") + len("```toml\n")
    example = text[start:text.index("```", start)]
    results = {r.name: r for r in check_text(example, "README.md")}
    assert results["BP1"].verdict == "holds"
    failing = results["local-derivative-as-printed"]
    assert failing.verdict == "fails"
    assert "w^{3}_{21} is extra on the right" in (failing.diagnosis or "")
