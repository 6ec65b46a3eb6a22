"""The shape of the YAML data: which kinds of record exist, their fields, the field types and
the RDF predicate each field becomes. The loader checks records against it and the builder
turns them into triples with it, so adding a field is a one-line change here."""

from __future__ import annotations

from dataclasses import dataclass, field

from .namespaces import DCT, ONTOLOGY as R, PROV, RDFS, SCHEMA, SKOS


@dataclass(frozen=True)
class Field:
    """One field of a record kind.

    ``type`` is one of: text (English prose, a language-tagged literal), string, strings,
    int, money, percent, year, yearmonth, bool, ref, refs, steps, authors, wikidata, arxiv,
    class (an organisation class name), enum (a value from ``choices``)."""

    name: str
    type: str
    predicate: str | None
    required: bool = False
    targets: tuple[str, ...] = ()
    choices: dict[str, str] = field(default_factory=dict)
    help: str = ""
    many: bool = False  # a list is allowed (always true for refs, steps, strings, authors)


ORG_CLASSES = {
    "FrontierLab": R + "FrontierLab",
    "HyperscalerAIOrganisation": R + "HyperscalerAIOrganisation",
    "AIUnicorn": R + "AIUnicorn",
    "AIStartup": R + "AIStartup",
    "ResearchInstitute": R + "ResearchInstitute",
    "Organisation": R + "Organisation",
}
PLACE_CLASSES = {"City": R + "City", "Region": R + "Region"}
METHOD_CLASSES = {"Method": R + "Method", "MethodFamily": R + "MethodFamily", "Pipeline": R + "Pipeline"}
FRAMEWORK_CLASSES = {"OpenSource": R + "Framework", "InternalStack": R + "Framework"}
PAY_COMPONENTS = {
    "base": R + "BaseSalary",
    "total": R + "TotalCompensation",
    "equity": R + "Equity",
    "bonus": R + "Bonus",
}
FREQUENCIES = {"usual": R + "Usual", "common": R + "Common", "occasional": R + "Occasional", "rare": R + "Rare"}
REUSE_LEVELS = {
    "transversal": R + "Transversal",
    "cross-sector": R + "CrossSector",
    "sector-specific": R + "SectorSpecific",
    "occupation-specific": R + "OccupationSpecific",
}
SOURCE_KINDS = {
    "document": SCHEMA + "CreativeWork",
    "abstract": R + "SourcePart",
    "footnote": R + "SourcePart",
    "table": R + "SourcePart",
    "section": R + "SourcePart",
    "question": R + "SourcePart",
    "list": R + "SourcePart",
    "editorial": R + "SourcePart",
}


COMMON = (
    Field("id", "id", None, required=True, help="stable slug, unique across all files"),
    Field("label", "text", SKOS + "prefLabel", required=True),
    Field("alt_labels", "strings", SKOS + "altLabel"),
    Field("definition", "text", SKOS + "definition"),
    Field("note", "text", SKOS + "note"),
    Field("same_as", "wikidata", SCHEMA + "sameAs", help="Wikidata item id, e.g. Q21708200"),
    Field("source", "refs", PROV + "wasDerivedFrom", required=True, targets=("sources",)),
)


@dataclass(frozen=True)
class Kind:
    """A kind of record: the YAML top-level key, its RDF class and its fields."""

    key: str
    singular: str
    rdf_class: str | None
    fields: tuple[Field, ...]
    class_field: str | None = None  # a field whose value picks the rdf:type

    @property
    def field_map(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}


def _kind(key: str, singular: str, rdf_class: str | None, *fields: Field, common=COMMON,
          class_field: str | None = None) -> Kind:
    return Kind(key, singular, rdf_class, tuple(common) + fields, class_field)


_SOURCE_COMMON = tuple(f for f in COMMON if f.name != "source") + (
    Field("part_of", "ref", DCT + "isPartOf", targets=("sources",)),
)

KINDS: dict[str, Kind] = {k.key: k for k in (
    _kind("sources", "source", None,
          Field("kind", "enum", None, required=True, choices=SOURCE_KINDS),
          Field("locator", "string", R + "locator"),
          Field("question", "text", R + "question"),
          Field("file", "string", SCHEMA + "name"),
          Field("editorial", "bool", R + "editorial"),
          common=_SOURCE_COMMON, class_field="kind"),
    _kind("specialisations", "specialisation", R + "Specialisation",
          Field("broader", "refs", SKOS + "broader", targets=("specialisations",)),
          Field("adjacent_to", "refs", R + "adjacentTo", targets=("specialisations",)),
          Field("requires_access_to", "refs", R + "requiresAccessTo", targets=("prerequisites",)),
          Field("concentrated_at", "class", R + "concentratedAt", choices=ORG_CLASSES)),
    _kind("levels", "level", R + "SeniorityLevel",
          Field("rank", "int", R + "rank", required=True)),
    _kind("tracks", "track", R + "Track"),
    _kind("prerequisites", "prerequisite", R + "Prerequisite"),
    _kind("responsibilities", "responsibility", R + "Responsibility"),
    _kind("roles", "role", R + "Role",
          Field("specialisation", "ref", R + "specialisation", required=True, targets=("specialisations",)),
          Field("level", "ref", R + "level", targets=("levels",)),
          Field("track", "ref", R + "track", targets=("tracks",)),
          Field("employer_type", "class", R + "employerType", choices=ORG_CLASSES),
          Field("broader", "ref", R + "broaderRole", targets=("roles",)),
          Field("essential_skills", "refs", R + "requiresEssentialSkill", targets=("skills",)),
          Field("optional_skills", "refs", R + "requiresOptionalSkill", targets=("skills",)),
          Field("responsibilities", "refs", R + "hasResponsibility", targets=("responsibilities",)),
          Field("diagnoses", "refs", R + "diagnoses", targets=("failure_modes",)),
          Field("expected_to_know", "refs", R + "expectedToKnow", targets=("methods",)),
          Field("experience_required", "text", R + "experienceRequired")),
    _kind("places", "place", None,
          Field("type", "class", None, required=True, choices=PLACE_CLASSES),
          Field("located_in", "ref", R + "locatedIn", targets=("places",)),
          Field("cluster_rank", "int", R + "rank"),
          Field("market", "text", R + "scope"),
          class_field="type"),
    _kind("organisations", "organisation", None,
          Field("type", "class", None, required=True, choices=ORG_CLASSES),
          Field("located_in", "refs", R + "locatedIn", targets=("places",)),
          Field("member_of", "refs", R + "memberOf", targets=("organisations",)),
          Field("spun_out_of", "ref", R + "spunOutOf", targets=("organisations",)),
          class_field="type"),
    _kind("methods", "method", None,
          Field("type", "class", None, required=True, choices=METHOD_CLASSES),
          Field("family", "refs", R + "memberOfFamily", targets=("methods",)),
          Field("extends", "refs", R + "extends", targets=("methods",)),
          Field("partially_replaces", "refs", R + "partiallyReplaces", targets=("methods",)),
          Field("variant_of", "refs", R + "variantOf", targets=("methods",)),
          Field("introduced_in", "ref", R + "introducedIn", targets=("papers",)),
          Field("year", "year", R + "yearIntroduced"),
          Field("year_end", "year", R + "yearIntroducedEnd"),
          Field("dominant_until", "year", R + "dominantUntil"),
          Field("applies_to", "string", R + "appliesTo"),
          Field("stages", "steps", R + "hasStage", targets=("methods",)),
          Field("failure_modes", "refs", R + "hasFailureMode", targets=("failure_modes",)),
          class_field="type"),
    _kind("papers", "paper", R + "Paper",
          Field("title", "string", SCHEMA + "name", required=True),
          Field("authors", "authors", R + "author", required=True),
          Field("year", "year", R + "year", required=True),
          Field("cited_as", "string", R + "citedAs", required=True),
          Field("arxiv", "arxiv", R + "arxivId")),
    _kind("skills", "skill", R + "Skill",
          Field("broader", "refs", SKOS + "broader", targets=("skills",)),
          Field("reuse_level", "enum", R + "reuseLevel", choices=REUSE_LEVELS),
          Field("transfers_to", "refs", R + "transfersTo", targets=("specialisations",)),
          Field("methods", "refs", R + "relatedMethod", targets=("methods",))),
    _kind("competencies", "competency", R + "Competency",
          Field("number", "int", R + "number", required=True),
          Field("core_to", "ref", R + "coreCompetencyOf", required=True, targets=("roles",)),
          Field("skills", "refs", R + "involvesSkill", targets=("skills",)),
          Field("methods", "refs", R + "involvesMethod", targets=("methods",))),
    _kind("frameworks", "framework", R + "Framework",
          Field("type", "enum", None, required=True, choices=FRAMEWORK_CLASSES),
          Field("made_by", "ref", R + "madeBy", targets=("organisations",)),
          Field("built_on", "refs", R + "builtOn", targets=("frameworks",)),
          Field("used_for", "refs", R + "usedFor", targets=("methods",)),
          Field("fitness", "text", R + "fitness")),
    _kind("failure_modes", "failure mode", R + "FailureMode",
          Field("mitigated_by", "refs", R + "mitigatedBy", targets=("methods",)),
          Field("related", "refs", SKOS + "related", targets=("failure_modes",))),
    _kind("pay_bands", "pay band", R + "PayBand",
          Field("role", "ref", R + "forRole", required=True, targets=("roles",)),
          Field("level", "ref", R + "level", targets=("levels",)),
          Field("component", "enum", R + "payComponent", required=True, choices=PAY_COMPONENTS),
          Field("comprises", "enum", R + "comprises", choices=PAY_COMPONENTS, many=True),
          Field("min", "money", SCHEMA + "minValue", required=True),
          Field("max", "money", SCHEMA + "maxValue", required=True),
          Field("open_upper_end", "bool", R + "openUpperEnd"),
          Field("approximate", "bool", R + "approximate"),
          Field("currency", "string", SCHEMA + "currency", required=True),
          Field("as_of", "yearmonth", R + "asOf", required=True),
          Field("employer_type", "class", R + "employerType", choices=ORG_CLASSES),
          Field("scope", "text", R + "scope"),
          Field("basis", "text", R + "basis")),
    _kind("quantities", "quantity", R + "Quantity"),
    _kind("estimates", "estimate", R + "Estimate",
          Field("measures", "ref", R + "measures", required=True, targets=("quantities",)),
          Field("about", "refs", R + "about", targets=("*",)),
          Field("employer_type", "class", R + "employerType", choices=ORG_CLASSES),
          Field("compared_to", "ref", R + "comparedTo", targets=("*",)),
          Field("min", "percent", SCHEMA + "minValue"),
          Field("min_text", "string", R + "minText"),
          Field("max", "percent", SCHEMA + "maxValue"),
          Field("open_upper_end", "bool", R + "openUpperEnd"),
          Field("approximate", "bool", R + "approximate"),
          Field("unit", "string", SCHEMA + "unitText", required=True),
          Field("scope", "text", R + "scope"),
          Field("period", "string", R + "period")),
    _kind("claims", "claim", R + "Claim",
          Field("subject", "refs", R + "claimSubject", required=True, targets=("*",)),
          Field("relation", "string", R + "relation", required=True),
          Field("compared_to", "refs", R + "comparedTo", targets=("*",)),
          Field("statement", "text", R + "statement", required=True),
          Field("period", "string", R + "period")),
    _kind("transitions", "transition", R + "Transition",
          Field("from", "ref", R + "fromRole", required=True, targets=("roles",)),
          Field("to", "ref", R + "toRole", required=True, targets=("roles",)),
          Field("frequency", "enum", R + "frequency", required=True, choices=FREQUENCIES),
          Field("min_months", "int", R + "minDurationMonths"),
          Field("max_months", "int", R + "maxDurationMonths"),
          Field("prerequisite_skills", "refs", R + "prerequisiteSkill", targets=("skills",)),
          Field("skills_to_build", "refs", R + "skillToBuild", targets=("skills",)),
          Field("resources", "refs", R + "resource", targets=("papers", "frameworks", "methods")),
          Field("period", "string", R + "period")),
    _kind("routes", "career route", R + "CareerRoute",
          Field("steps", "steps", R + "hasStep", required=True, targets=("transitions",)),
          Field("frequency", "enum", R + "frequency", required=True, choices=FREQUENCIES),
          Field("min_months", "int", R + "minDurationMonths"),
          Field("max_months", "int", R + "maxDurationMonths"),
          Field("skills_to_build", "refs", R + "skillToBuild", targets=("skills",)),
          Field("period", "string", R + "period")),
    _kind("related_pages", "related page", R + "RelatedPage",
          Field("about", "refs", R + "about", targets=("*",))),
)}

# Pairs of fields where the first must not exceed the second.
ORDERED_PAIRS = (("min", "max"), ("min_months", "max_months"), ("year", "year_end"), ("year", "dominant_until"))

YEAR_RANGE = (1950, 2100)

LABEL_PREDICATES = (SKOS + "prefLabel", RDFS + "label")
