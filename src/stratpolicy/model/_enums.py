"""Enumerations of the domain: kinds of technology, instrument, actor, incentive; firm sizes."""

from __future__ import annotations

from enum import StrEnum

from stratpolicy._checks import as_enum

__all__ = [
    "ActorKind",
    "BudgetStage",
    "FirmSize",
    "IncentiveKind",
    "InstrumentCategory",
    "InstrumentKind",
    "MissionKind",
    "TechnologyKind",
]


class TechnologyKind(StrEnum):
    """Level of a technology in a national list.

    ``AREA`` is a designated field (one of Korea's 12 areas); ``KEY_TECHNOLOGY`` sits
    under an area (one of the 50 key technologies).
    """

    AREA = "area"
    KEY_TECHNOLOGY = "key_technology"


class MissionKind(StrEnum):
    """Level of a mission: a core mission, a sub-mission, or a mid- to long-term challenge."""

    MISSION = "mission"
    SUB_MISSION = "sub_mission"
    CHALLENGE = "challenge"


class ActorKind(StrEnum):
    """Kind of organisation that sets, runs or benefits from policy."""

    MINISTRY = "ministry"
    AGENCY = "agency"
    COMMITTEE = "committee"
    FIRM = "firm"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    FINANCIAL_INSTITUTION = "financial_institution"
    OTHER = "other"


class FirmSize(StrEnum):
    """Firm size classes used by Korean tax and R&D law.

    ``SME_GRADUATED`` is a firm in the years just after it ceased to be an SME (RSTA
    tier from tax year 2025).
    """

    SME = "sme"
    SME_GRADUATED = "sme_graduated"
    MID_SIZED = "mid_sized"
    LARGE = "large"


class IncentiveKind(StrEnum):
    """What an instrument offers a beneficiary."""

    TAX_CREDIT = "tax_credit"
    GRANT_SHARE = "grant_share"
    LOAN = "loan"
    GUARANTEE = "guarantee"
    EQUITY = "equity"
    MATCHING_RATIO_CAP = "matching_ratio_cap"
    OTHER = "other"


class BudgetStage(StrEnum):
    """Which figure a budget amount is: a plan, a proposal, an enacted or an executed budget.

    One year of one instrument may have several stages (Korea's 2026 R&D budget: 35.3
    trillion KRW proposed in August 2025, 35.5 trillion KRW enacted in December 2025).
    Members are ordered by **finality** (:attr:`finality`): an analysis that is not told
    which stage to use takes, for each instrument, the most final stage recorded for the
    year -- executed, then supplementary, then enacted, then proposal, then plan, then an
    entry without a stage.

    * ``plan``: a figure in a government plan (an implementation or mid-term plan), not a
      stage of the budget process;
    * ``proposal``: the government's budget proposal to the legislature;
    * ``enacted``: the budget the legislature passed (the appropriation);
    * ``supplementary``: the budget after a supplementary budget;
    * ``executed``: money actually spent (settled accounts).

    Examples:
        >>> BudgetStage("enacted").finality > BudgetStage("proposal").finality
        True
    """

    PLAN = "plan"
    PROPOSAL = "proposal"
    ENACTED = "enacted"
    SUPPLEMENTARY = "supplementary"
    EXECUTED = "executed"

    @property
    def finality(self) -> int:
        """Rank in the budget process: higher is more final (``plan`` 1 ... ``executed`` 5)."""
        return _FINALITY[self.value]


_FINALITY = {"plan": 1, "proposal": 2, "enacted": 3, "supplementary": 4, "executed": 5}


class InstrumentCategory(StrEnum):
    """The five instrument categories of the EC-OECD STIP Compass taxonomy (2023)."""

    GOVERNANCE = "Governance"
    DIRECT_FINANCIAL_SUPPORT = "Direct financial support"
    INDIRECT_FINANCIAL_SUPPORT = "Indirect financial support"
    COLLABORATIVE_INFRASTRUCTURES = "Collaborative infrastructures (soft and physical)"
    GUIDANCE_REGULATION_INCENTIVES = "Guidance, regulation and incentives"


_G = InstrumentCategory.GOVERNANCE
_D = InstrumentCategory.DIRECT_FINANCIAL_SUPPORT
_I = InstrumentCategory.INDIRECT_FINANCIAL_SUPPORT
_C = InstrumentCategory.COLLABORATIVE_INFRASTRUCTURES
_R = InstrumentCategory.GUIDANCE_REGULATION_INCENTIVES

# value -> (STIP code, category, label). Source: EC-OECD STIP Compass taxonomy, 2023 edition
# (see the catalog ``stip_instrument_types``).
_STIP: dict[str, tuple[str, InstrumentCategory, str]] = {
    "strategies_agendas_plans": ("PI024", _G, "Strategies, agendas and plans"),
    "governance_structure_reform": (
        "PI030",
        _G,
        "Creation or reform of governance structure or public body",
    ),
    "policy_intelligence": (
        "PI031",
        _G,
        "Policy intelligence (e.g. evaluations, benchmarking and forecasts)",
    ),
    "stakeholder_consultation": ("PI025", _G, "Formal consultation of stakeholders or experts"),
    "horizontal_coordination_bodies": ("PI026", _G, "Horizontal STI coordination bodies"),
    "regulatory_oversight_bodies": ("PI033", _G, "Regulatory oversight and ethical advice bodies"),
    "standards_certification": (
        "PI027",
        _G,
        "Standards and certification for technology development and adoption",
    ),
    "public_awareness": (
        "PI028",
        _G,
        "Public awareness campaigns and other outreach activities",
    ),
    "institutional_funding_public_research": (
        "PI006",
        _D,
        "Institutional funding for public research",
    ),
    "project_grants_public_research": ("PI007", _D, "Project grants for public research"),
    "grants_business_rd": ("PI008", _D, "Grants for business R&D and innovation"),
    "centres_of_excellence_grants": ("PI009", _D, "Centres of excellence grants"),
    "procurement_rd": ("PI010", _D, "Procurement programmes for R&D and innovation"),
    "fellowships_scholarships": (
        "PI011",
        _D,
        "Fellowships and postgraduate loans and scholarships",
    ),
    "loans_credits_firms": ("PI012", _D, "Loans and credits for innovation in firms"),
    "equity_financing": ("PI013", _D, "Equity financing"),
    "innovation_vouchers": ("PI014", _D, "Innovation vouchers"),
    "tax_relief_firms": (
        "PI015",
        _I,
        "Tax or social contributions relief for firms investing in R&D and innovation",
    ),
    "tax_relief_individuals": (
        "PI016",
        _I,
        "Tax relief for individuals supporting R&D and innovation",
    ),
    "debt_guarantees_risk_sharing": ("PI029", _I, "Debt guarantees and risk sharing schemes"),
    "networking_platforms": ("PI021", _C, "Networking and collaborative platforms"),
    "research_infrastructures": (
        "PI022",
        _C,
        "Dedicated support to research and technical infrastructures",
    ),
    "information_services_datasets": ("PI023", _C, "Information services and access to datasets"),
    "technology_extension_advisory": (
        "PI017",
        _R,
        "Technology extension and business advisory services",
    ),
    "st_regulation_soft_law": ("PI032", _R, "Science and technology regulation and soft law"),
    "labour_mobility": ("PI018", _R, "Labour mobility regulation and incentives"),
    "intellectual_property": ("PI019", _R, "Intellectual property regulation and incentives"),
    "challenges_prizes_awards": (
        "PI020",
        _R,
        "Science and innovation challenges, prizes and awards",
    ),
}


class InstrumentKind(StrEnum):
    """The 28 policy instrument types of the EC-OECD STIP Compass taxonomy (2023 edition).

    Each member has its STIP ``code`` (``"PI008"``), its ``category`` and its official
    ``label``. A member can be named by its value or by its code.

    Examples:
        >>> InstrumentKind.GRANTS_BUSINESS_RD.code
        'PI008'
        >>> InstrumentKind("PI015").label
        'Tax or social contributions relief for firms investing in R&D and innovation'
    """

    STRATEGIES_AGENDAS_PLANS = "strategies_agendas_plans"
    GOVERNANCE_STRUCTURE_REFORM = "governance_structure_reform"
    POLICY_INTELLIGENCE = "policy_intelligence"
    STAKEHOLDER_CONSULTATION = "stakeholder_consultation"
    HORIZONTAL_COORDINATION_BODIES = "horizontal_coordination_bodies"
    REGULATORY_OVERSIGHT_BODIES = "regulatory_oversight_bodies"
    STANDARDS_CERTIFICATION = "standards_certification"
    PUBLIC_AWARENESS = "public_awareness"
    INSTITUTIONAL_FUNDING_PUBLIC_RESEARCH = "institutional_funding_public_research"
    PROJECT_GRANTS_PUBLIC_RESEARCH = "project_grants_public_research"
    GRANTS_BUSINESS_RD = "grants_business_rd"
    CENTRES_OF_EXCELLENCE_GRANTS = "centres_of_excellence_grants"
    PROCUREMENT_RD = "procurement_rd"
    FELLOWSHIPS_SCHOLARSHIPS = "fellowships_scholarships"
    LOANS_CREDITS_FIRMS = "loans_credits_firms"
    EQUITY_FINANCING = "equity_financing"
    INNOVATION_VOUCHERS = "innovation_vouchers"
    TAX_RELIEF_FIRMS = "tax_relief_firms"
    TAX_RELIEF_INDIVIDUALS = "tax_relief_individuals"
    DEBT_GUARANTEES_RISK_SHARING = "debt_guarantees_risk_sharing"
    NETWORKING_PLATFORMS = "networking_platforms"
    RESEARCH_INFRASTRUCTURES = "research_infrastructures"
    INFORMATION_SERVICES_DATASETS = "information_services_datasets"
    TECHNOLOGY_EXTENSION_ADVISORY = "technology_extension_advisory"
    ST_REGULATION_SOFT_LAW = "st_regulation_soft_law"
    LABOUR_MOBILITY = "labour_mobility"
    INTELLECTUAL_PROPERTY = "intellectual_property"
    CHALLENGES_PRIZES_AWARDS = "challenges_prizes_awards"

    @property
    def code(self) -> str:
        """The STIP Compass code, e.g. ``"PI008"``."""
        return _STIP[self.value][0]

    @property
    def category(self) -> InstrumentCategory:
        """The STIP Compass category of this type."""
        return _STIP[self.value][1]

    @property
    def label(self) -> str:
        """The official STIP Compass label (2023 edition)."""
        return _STIP[self.value][2]

    @classmethod
    def _missing_(cls, value: object) -> InstrumentKind | None:
        """Let ``InstrumentKind("PI008")`` find a member by its STIP code."""
        for member in cls:
            if member.code == value:
                return member
        return None

    @classmethod
    def from_code(cls, code: str) -> InstrumentKind:
        """Return the member with STIP code ``code``.

        Raises:
            KeyError: No instrument type has that code.
        """
        for member in cls:
            if member.code == code:
                return member
        raise KeyError(code)


# Typed converters of the enumeration fields: a member or its value (``kind="area"``), as
# the docs write it, type-checks in user code; anything else is kept for the object's
# checks to report (``Checker.shapes``).


def to_technology_kind(value: TechnologyKind | str) -> TechnologyKind:
    return as_enum(TechnologyKind, value)


def to_mission_kind(value: MissionKind | str) -> MissionKind:
    return as_enum(MissionKind, value)


def to_actor_kind(value: ActorKind | str) -> ActorKind:
    return as_enum(ActorKind, value)


def to_firm_size(value: FirmSize | str | None) -> FirmSize | None:
    return None if value is None else as_enum(FirmSize, value)


def to_incentive_kind(value: IncentiveKind | str) -> IncentiveKind:
    return as_enum(IncentiveKind, value)


def to_budget_stage(value: BudgetStage | str | None) -> BudgetStage | None:
    return None if value is None else as_enum(BudgetStage, value)


def to_instrument_kind(value: InstrumentKind | str) -> InstrumentKind:
    return as_enum(InstrumentKind, value)
