"""Immutable course content, as the loader builds it from files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType


@dataclass(frozen=True)
class Objective:
    id: str
    text: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    year: int | None
    file: str | None = None
    url: str | None = None
    #: the date (YYYY-MM-DD) the url was last checked
    checked: str | None = None
    #: BCP 47 language of the title when it is not Dutch (e.g. "en", "fr"), for lang="..."
    lang: str | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    html: str
    words: int


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    summary: str
    order: int
    minutes: int
    audience: tuple[str, ...]
    objectives: tuple[Objective, ...]
    takeaways: tuple[str, ...]
    sources: tuple[Source, ...]
    sections: tuple[Section, ...]
    version: str
    path: str

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sections)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True)
class Option:
    id: str
    html: str
    correct: bool
    feedback_html: str


@dataclass(frozen=True)
class Pair:
    id: str
    left_html: str
    right: str
    feedback_html: str


@dataclass(frozen=True)
class Question:
    """One question; ``type`` names its class in ``elearn.questiontypes`` (which fills
    ``options`` or ``pairs`` and ``extra_rights``)."""

    id: str
    type: str
    objective: str
    module: str
    prompt_html: str
    explanation_html: str
    options: tuple[Option, ...] = ()
    pairs: tuple[Pair, ...] = ()
    extra_rights: tuple[str, ...] = ()
    form: str | None = None  # item bank only: A | B (parallel forms)
    twin: str | None = None  # item bank, form A only: the id of its form-B twin


@dataclass(frozen=True)
class Quiz:
    """A set of questions taken as one attempt: a module quiz, or a path's pre/post test."""

    id: str
    title: str
    kind: str  # module | pretest | posttest
    questions: tuple[Question, ...]
    pass_mark: int = 80
    max_attempts: int | None = None
    partial_credit: bool = True
    module: str | None = None
    version: str = ""
    #: path tests only: form ("A"/"B") -> that form's items; ``questions`` holds both forms
    forms: Mapping[str, tuple[Question, ...]] = field(default_factory=dict, hash=False, compare=False)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def question_count(self) -> int:
        """Questions in one attempt (a path test's forms are equally long: their items are twins)."""
        return len(next(iter(self.forms.values()))) if self.forms else len(self.questions)

    def for_form(self, form: str | None) -> Quiz:
        """The quiz as one attempt takes it: a path test narrowed to one parallel form.

        A module quiz (or ``form`` None) is returned unchanged.
        """
        if not self.forms or form is None:
            return self
        return replace(self, questions=self.forms[form], forms={})


@dataclass(frozen=True)
class Choice:
    id: str
    html: str
    feedback_html: str
    next: str
    scores: Mapping[str, int]


@dataclass(frozen=True)
class Node:
    id: str
    html: str
    choices: tuple[Choice, ...] = ()
    ending: bool = False
    title: str = ""
    outcome: str = ""
    debrief_html: str = ""

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class Vignette:
    id: str
    module: str
    title: str
    setting: str
    summary: str
    start: str
    nodes: Mapping[str, Node]
    allow_cycles: bool
    version: str
    path: str

    @property
    def decision_count(self) -> int:
        return sum(1 for n in self.nodes.values() if not n.ending)


@dataclass(frozen=True)
class ConfidenceItem:
    id: str
    text: str
    #: a short, distinct name (at most 32 characters) for the trainer's chart
    label: str = ""


@dataclass(frozen=True)
class ConfidenceScale:
    min: int
    max: int
    low: str
    high: str
    items: tuple[ConfidenceItem, ...]


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    synonyms: tuple[str, ...]
    link_forms: tuple[str, ...]
    definition_html: str
    related: tuple[str, ...]
    module: str


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    country: str
    regions: tuple[str, ...]
    audiences: tuple[str, ...]
    kinds: tuple[str, ...]
    offer: str
    source: str
    checked: str
    #: the official website (https)
    url: str | None = None
    phone: str | None = None
    email: str | None = None
    #: the page (URL) that states the phone number or e-mail address
    contact_source: str | None = None


@dataclass(frozen=True)
class ReferralMap:
    regions: Mapping[str, str]
    audiences: Mapping[str, str]
    kinds: Mapping[str, str]
    organisations: tuple[Organisation, ...]
    #: region id -> the region it lies in (a province lies in Vlaanderen, Vlaanderen in België)
    region_parents: Mapping[str, str] = field(default_factory=dict)
    #: English filter labels: {"regions"|"audiences"|"kinds": {id: label}}, for the English interface
    labels_en: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def label(self, vocabulary: str, key: str, lang: str = "nl") -> str:
        """The label of a region, audience or kind id, in English when ``lang`` is "en" and one is
        given; otherwise the Dutch label (or the id itself when it is unknown)."""
        if lang == "en" and key in self.labels_en.get(vocabulary, {}):
            return self.labels_en[vocabulary][key]
        return getattr(self, vocabulary).get(key, key)

    def region_chain(self, region: str) -> tuple[str, ...]:
        """The region and every region it lies in, innermost first."""
        chain = [region]
        while chain[-1] in self.region_parents and len(chain) <= len(self.region_parents):
            chain.append(self.region_parents[chain[-1]])
        return tuple(chain)

    def serves(self, org: Organisation, region: str) -> bool:
        """Whether a worker in ``region`` can use ``org``: it works in that region, in a region
        containing it (all of Vlaanderen, all of Belgium) or in a part of it (a province)."""
        if not region:
            return True
        wider = set(self.region_chain(region))
        return any(r in wider or region in self.region_chain(r) for r in org.regions)

    def for_region(self, region: str) -> tuple[Organisation, ...]:
        """The organisations a worker in ``region`` can use, in file order."""
        return tuple(o for o in self.organisations if self.serves(o, region))

    def matching(self, region: str = "", audience: str = "", kind: str = "", country: str = "") -> list[Organisation]:
        """The organisations for the referral map's filters; an empty or unknown region means all
        regions, an empty audience, kind or country does not filter."""
        return [
            o
            for o in self.for_region(region if region in self.regions else "")
            if (not audience or audience in o.audiences)
            and (not kind or kind in o.kinds)
            and (not country or country == o.country)
        ]


#: post-test pass mark of a path that does not set ``post_pass_mark`` (percent)
DEFAULT_POST_PASS_MARK = 70


@dataclass(frozen=True)
class LearningPath:
    slug: str
    title: str
    description: str
    sectors: tuple[str, ...]
    modules: tuple[str, ...]
    minutes: int
    #: percentage the post-test must reach before the certificate is issued
    post_pass_mark: int = DEFAULT_POST_PASS_MARK
    #: optional English title and description, shown in the English interface
    title_en: str | None = None
    description_en: str | None = None

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` ("en" uses ``title_en`` when given), else the Dutch title."""
        return self.title_en if lang == "en" and self.title_en else self.title

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` ("en" uses ``description_en`` when given), else the Dutch one."""
        return self.description_en if lang == "en" and self.description_en else self.description


@dataclass(frozen=True)
class Course:
    """Everything the loader produced; looked up by slug or id, never by position."""

    modules: tuple[Module, ...]
    quizzes: Mapping[str, Quiz]
    vignettes: Mapping[str, Vignette]
    item_bank: tuple[Question, ...]
    confidence: ConfidenceScale | None
    glossary: tuple[Term, ...]
    referral_map: ReferralMap | None
    paths: tuple[LearningPath, ...]
    version: str
    #: readable names of source documents cited by file name
    source_labels: Mapping[str, str] = field(default_factory=dict)
    #: the printable leaflet for JAC/CAW workers (reference/leaflet.yaml), see content/leaflet.py
    leaflet: object | None = None
    _modules_by_slug: Mapping[str, Module] = field(default_factory=dict, repr=False)
    _vignettes_by_module: Mapping[str, tuple[Vignette, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "_modules_by_slug", MappingProxyType({m.slug: m for m in self.modules}))
        by_module: dict[str, list[Vignette]] = {}
        for v in self.vignettes.values():
            by_module.setdefault(v.module, []).append(v)
        # looked up for every learner of a cohort on the trainer's dashboard
        object.__setattr__(
            self, "_vignettes_by_module", MappingProxyType({slug: tuple(vs) for slug, vs in by_module.items()})
        )

    def module(self, slug: str) -> Module | None:
        return self._modules_by_slug.get(slug)

    def path(self, slug: str) -> LearningPath | None:
        return next((p for p in self.paths if p.slug == slug), None)

    def module_quiz(self, slug: str) -> Quiz | None:
        return self.quizzes.get(slug)

    def quiz_modules(self, path: LearningPath | None) -> list[str]:
        """The modules of ``path`` that have a module quiz, in path order (none without a path)."""
        return [m for m in path.modules if m in self.quizzes] if path else []

    def vignettes_for(self, module_slug: str) -> tuple[Vignette, ...]:
        return self._vignettes_by_module.get(module_slug, ())

    def term(self, term_id: str) -> Term | None:
        return next((t for t in self.glossary if t.id == term_id), None)

    def find_terms(self, query: str) -> tuple[Term, ...]:
        """Glossary terms whose name, a synonym or the definition contains ``query`` (any case);
        every term for an empty query."""
        q = query.strip().lower()
        if not q:
            return self.glossary
        return tuple(
            t
            for t in self.glossary
            if q in t.term.lower() or any(q in s.lower() for s in t.synonyms) or q in t.definition_html.lower()
        )
