"""The README's examples are real: the derivation file and the `check_equation` call give the
verdicts and the diagnosis the README shows."""
import ast
import re
from pathlib import Path

from symbp.check import check_equation, check_text

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


def test_readme_check_equation_example_gives_the_results_shown():
    """The example's literals are read with `ast.literal_eval` (no code from the README runs)."""
    text = README.read_text(encoding="utf-8")
    start = text.index("```python\nfrom symbp import check_equation") + len("```python\n")
    block = text[start:text.index("```", start)]
    tree = ast.parse(block)
    define = next(ast.literal_eval(n.value) for n in tree.body
                  if isinstance(n, ast.Assign) and n.targets[0].id == "nielsen")
    call = next(n.value for n in tree.body
                if isinstance(n, ast.Assign) and n.targets[0].id == "result")
    assert isinstance(call, ast.Call) and call.func.id == "check_equation"
    kwargs = {k.arg: (define if k.arg == "define" else ast.literal_eval(k.value))
              for k in call.keywords}
    result = check_equation(*(ast.literal_eval(a) for a in call.args), **kwargs)
    shown = dict(re.findall(r"^result\.(\w+) +# (.+)$", block, re.MULTILINE))
    assert set(shown) == {"verdict", "diagnosis"}
    for name, value in shown.items():
        assert getattr(result, name) == ast.literal_eval(value), name
