"""Typical user code: save and load documents in the three formats."""

from __future__ import annotations

from pathlib import Path

import stratpolicy
from stratpolicy import Portfolio, RuleSet
from stratpolicy.catalogs import korea
from stratpolicy.errors import DataError

summit = korea.summit_2025()
for fmt in ("json", "yaml", "toml"):
    text: str = stratpolicy.dumps(summit, fmt)
    again = stratpolicy.loads(text, fmt)
    assert isinstance(again, Portfolio) and again == summit
path = Path("summit.yaml")
stratpolicy.dump(summit, path)
loaded = stratpolicy.load(path)
assert isinstance(loaded, Portfolio)
print(loaded.name, len(loaded.missions))
rules = korea.tax_credits()
stratpolicy.dump(rules, "rules.json")
assert isinstance(stratpolicy.load("rules.json"), RuleSet)
try:
    stratpolicy.loads("schema_version: 1\ndocument: portfolio\nid: x\n", "yaml")
except DataError as error:
    for problem in error.problems:
        print(problem.path, problem.message)
