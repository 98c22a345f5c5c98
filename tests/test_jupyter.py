"""What the main objects show in Jupyter: a short ``repr`` and an HTML ``_repr_html_``."""

from __future__ import annotations

import datetime as dt

from stratpolicy import Mission, Portfolio, Requirement, Target
from stratpolicy.model import Citation
from stratpolicy.rules import Input, Parameter, ParameterSet, ParameterValue, Rule, RuleSet
from stratpolicy.units import parse_amount

D = dt.date

# -- Mission ------------------------------------------------------------------------------


def test_mission_repr_is_one_line_with_counts() -> None:
    assert repr(Mission(id="m", name="M")) == "Mission(id='m', name='M', 0 targets, 0 requirements)"
    challenge = Mission(
        id="c",
        name="C",
        kind="challenge",
        parent="m",
        targets=[Target(metric="rank", rank=2)],
        requires=[Requirement(technology="ai")],
    )
    assert repr(challenge) == (
        "Mission(id='c', name='C', kind='challenge', parent='m', 1 target, 1 requirement)"
    )


def test_mission_html_has_its_targets_and_requirements() -> None:
    mission = Mission(
        id="ai_power",
        name="R&D <leader>",
        goal="Be in the top 3",
        targets=[
            Target(metric="AI ranking", rank=3, description="top three", due=D(2030, 12, 31)),
            Target(metric="GPUs", value=parse_amount("50,000 GPU"), verified=True),
            Target(metric="Independence", description="Technological independence"),
        ],
        requires=[
            Requirement(technology="ai"),
            Requirement(technology="chips", weight=0.5, note="compute"),
        ],
        owners=["msit", "motie"],
    )
    html = mission._repr_html_()
    assert "<strong>R&amp;D &lt;leader&gt;</strong>" in html and "<leader>" not in html
    assert "<p>Targets (3)</p>" in html and "<p>Required technologies (2)</p>" in html
    rows = html.split("<tr>")
    assert (
        "<td>AI ranking</td><td>top 3</td><td>top three</td><td>2030-12-31</td><td>no</td>" in html
    )
    assert "<td>GPUs</td><td>50000 GPU</td><td></td><td></td><td>yes</td>" in html
    # a qualitative target's label is its description: not repeated in the description column
    assert "<td>Independence</td><td>Technological independence</td><td></td>" in html
    assert "<td>chips</td><td>0.5</td><td>compute</td>" in html
    assert "<td>ai</td><td>1</td><td></td>" in html
    assert "owners: <code>msit, motie</code>" in html
    assert len(rows) == 1 + (1 + 3) + (1 + 2)  # text before, header + rows of each table


def test_mission_html_without_targets_says_none() -> None:
    html = Mission(id="m", name="M")._repr_html_()
    assert "<em>Targets (0): none</em>" in html
    assert "<em>Required technologies (0): none</em>" in html


# -- Decision -----------------------------------------------------------------------------

ACT = Citation(act="Example Act", article="7")


def rule_set() -> RuleSet:
    return RuleSet(
        id="demo",
        inputs=[
            Input(name="size", type="category", categories=["sme", "large"]),
            Input(name="expense", type="money", unit="KRW", default=0.0),
        ],
        parameters=ParameterSet(
            parameters=[
                Parameter(
                    name="rate",
                    values=[
                        ParameterValue(
                            start=D(2021, 7, 1), by_key={"sme": 0.4, "large": 0.3}, citation=ACT
                        )
                    ],
                )
            ]
        ),
        rules=[
            Rule(
                id="credit",
                condition="expense > 0",
                outputs={"credit": "expense * rate[size]"},
                citation=ACT,
            ),
            Rule(id="old", outputs={"bonus": "expense * 0.01"}, valid_to=D(2020, 12, 31)),
            Rule(id="half", outputs={"half": "expense * 0.5"}),
        ],
    )


def test_decision_html_has_outputs_rules_and_inputs() -> None:
    decision = rule_set().evaluate({"size": "sme", "expense": 1e9}, on=D(2025, 1, 1))
    html = decision._repr_html_()
    assert "<strong>Decision of rule set &#x27;demo&#x27; on 2025-01-01</strong>" in html
    # outputs: 1e9 * 0.4, by rule credit, with its citation
    assert (
        "<tr><td>credit</td><td>400,000,000 KRW</td><td>rule credit</td>"
        "<td>Example Act, Art. 7</td></tr>"
    ) in html
    # a rule out of its validity period, and an unconditional rule
    assert "<td>old</td><td>not in force</td><td>valid ... to 2020-12-31</td>" in html
    assert "<td>half</td><td>fired</td><td>always</td><td>half = 500,000,000 KRW</td>" in html
    # the condition with its value (escaped), and the dated, cited parameter it read
    assert "<td>expense &gt; 0 -&gt; true</td>" in html
    assert (
        "parameter rate[&#x27;sme&#x27;] = 0.4 (in force from 2021-07-01; Example Act, Art. 7)"
        in html
    )
    assert "<tr><td>size</td><td>&#x27;sme&#x27;</td><td></td></tr>" in html


def test_decision_html_marks_defaults_and_unfired_rules() -> None:
    decision = rule_set().evaluate({"size": "large"}, on=D(2025, 1, 1))
    html = decision._repr_html_()
    assert "<td>credit</td><td>did not fire</td><td>expense &gt; 0 -&gt; false</td>" in html
    assert "<tr><td>expense</td><td>0 KRW</td><td>default</td></tr>" in html
    assert "<tr><td>credit</td><td>not set</td><td></td><td></td></tr>" in html


def test_explanation_html_is_the_decision_html() -> None:
    decision = rule_set().evaluate({"size": "sme", "expense": 5.0}, on=D(2025, 1, 1))
    assert decision._repr_html_() == decision.explain()._repr_html_()
    assert repr(decision) == "<Decision 'demo' on 2025-01-01: credit=2, half=2.5>"


# -- MissionGraph -------------------------------------------------------------------------


def test_graph_repr_and_html_summary(small_portfolio: Portfolio) -> None:
    graph = small_portfolio.graph()
    assert repr(graph) == (
        "MissionGraph('small': 2 missions, 5 technologies, 2 instruments, 1 incentives, "
        "1 actors, 0 dependencies)"
    )
    html = graph._repr_html_()
    assert "<tr><td>missions</td><td>2 (1 core, 1 below)</td></tr>" in html
    assert "<tr><td>technologies</td><td>5 (2 areas)</td></tr>" in html
    # ai_power: ai (weight 1, support 1/2: llm of llm, ai_chips) and ai_chips (0.5, support 0)
    # -> (1 * 0.5 + 0.5 * 0) / 1.5 = 33 %, gap ai_chips; the challenge needs only ai_chips -> 0 %
    # (no envelopes: the coverage with envelopes is the same)
    assert (
        "<td>AI power</td><td>mission</td><td>2</td><td>33%</td><td>33%</td><td>ai_chips</td>"
    ) in html
    assert (
        "<td>&nbsp;&nbsp;AI chips challenge</td><td>challenge</td><td>1</td><td>0%</td>"
        "<td>0%</td><td>ai_chips</td>"
    ) in html


def test_graph_html_of_an_empty_portfolio() -> None:
    html = Portfolio(id="e", name="Empty").graph()._repr_html_()
    assert "<p><em>no missions</em></p>" in html
    assert "<tr><td>missions</td><td>0 (0 core, 0 below)</td></tr>" in html
