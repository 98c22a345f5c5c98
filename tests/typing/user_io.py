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
loaded = stratpolicy.load(path, Portfolio)  # typed: a Portfolio, or a SchemaError
print(loaded.name, len(loaded.missions))
anything = stratpolicy.load(path)  # any document kind
assert isinstance(anything, Portfolio)
rules = korea.tax_credits()
stratpolicy.dump(rules, "rules.json")
rule_set: RuleSet = stratpolicy.load("rules.json", RuleSet)
print(rule_set.id, len(rule_set.rules))
try:
    stratpolicy.loads("schema_version: 1\ndocument: portfolio\nid: x\n", "yaml")
except DataError as error:
    for problem in error.problems:
        print(problem.path, problem.message)
