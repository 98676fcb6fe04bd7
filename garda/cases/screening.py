"""The forced-labour screening: 11 questions mapped to the ILO indicators, and the
rule that turns answers into a level (docs/domain.md, "Forced-labour screening").

Pure: no database. Forced labour needs both involuntariness and coercion (ILO), so:
- **urgent**: anyone hurt or threatened (questions 3 and 4): refer the same day;
- **high**: at least one involuntariness answer (5, 6) *and* at least one coercion
  answer (1, 2, 3, 7 with three months or more, 8, 10): a trafficking indicator;
- **medium**: any other single red flag;
- **none**: nothing raised (or nothing asked).
What each level does to a case (severity, task-force flag) is policy data
(`data/policy.toml`), not code.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

NONE, MEDIUM, HIGH, URGENT = "none", "medium", "high", "urgent"
LEVELS = (NONE, MEDIUM, HIGH, URGENT)
LEVEL_LABELS = {
    NONE: _("no indicator"),
    MEDIUM: _("one warning sign"),
    HIGH: _("signs of forced labour"),
    URGENT: _("violence or threats: act today"),
}

# What an answer means.
OK = ""  # no flag
INVOLUNTARY = "involuntary"
COERCION = "coercion"
RED_FLAG = "red_flag"  # a single warning sign
HARM = "harm"  # violence or threats


@dataclass(frozen=True)
class Option:
    code: str
    label: object
    flag: str = OK


@dataclass(frozen=True)
class Question:
    code: str
    text: object
    indicator: object
    options: tuple[Option, ...]


UNKNOWN = Option("unknown", _("Not asked or does not know"))

QUESTIONS: tuple[Question, ...] = (
    Question(
        "documents",
        _("Do you have your passport and ID now? If not, who has them?"),
        _("Retention of identity documents"),
        (
            Option("self", _("I have them")),
            Option("held", _("The employer or agent holds them"), COERCION),
            UNKNOWN,
        ),
    ),
    Question(
        "movement",
        _("Can you leave your job or the house when you want?"),
        _("Restriction of movement"),
        (Option("yes", _("Yes")), Option("no", _("No"), COERCION), UNKNOWN),
    ),
    Question(
        "threats",
        _(
            "Have you or your family been hurt or threatened, including threats to "
            "report you to the police or immigration, if you tried to leave or complain?"
        ),
        _("Intimidation and threats"),
        (Option("no", _("No")), Option("yes", _("Yes"), HARM), UNKNOWN),
    ),
    Question(
        "violence",
        _("Has anyone hit you, or touched you sexually, against your will?"),
        _("Physical and sexual violence"),
        (Option("no", _("No")), Option("yes", _("Yes"), HARM), UNKNOWN),
    ),
    Question(
        "deception",
        _("Is the job, employer, pay or hours what you were promised before leaving?"),
        _("Deception"),
        (
            Option("same", _("Yes, as promised")),
            Option("different", _("No: another employer, job or task, or lower pay"), INVOLUNTARY),
            UNKNOWN,
        ),
    ),
    Question(
        "debt",
        _(
            "Do you owe money to the agent, employer or a lender for your placement? "
            "Is it deducted from your salary?"
        ),
        _("Debt bondage"),
        (
            Option("no", _("No")),
            Option("yes", _("Yes: a debt I cannot repay, or deductions"), INVOLUNTARY),
            UNKNOWN,
        ),
    ),
    Question(
        "wages",
        _("Have you been paid in full and on time? How many months are unpaid?"),
        _("Withholding of wages"),
        (
            Option("paid", _("Paid in full and on time")),
            Option("one_month", _("One or two months unpaid"), RED_FLAG),
            Option("three_months", _("Three months or more, or paid only at the end"), COERCION),
            UNKNOWN,
        ),
    ),
    Question(
        "isolation",
        _("Can you use your phone and talk to family or friends freely?"),
        _("Isolation"),
        (Option("yes", _("Yes")), Option("no", _("No phone, or it is watched"), COERCION), UNKNOWN),
    ),
    Question(
        "hours",
        _("How many hours a day do you work? Do you get a weekly day off?"),
        _("Excessive overtime"),
        (
            Option("normal", _("12 hours or less, with a day off")),
            Option("excessive", _("More than 12 hours a day, or no day off"), RED_FLAG),
            UNKNOWN,
        ),
    ),
    Question(
        "living",
        _("Where do you sleep and eat? Do you get enough food? Are you locked in?"),
        _("Abusive working and living conditions"),
        (
            Option("ok", _("Enough food, not locked in")),
            Option("abusive", _("Locked in, or not enough food"), COERCION),
            UNKNOWN,
        ),
    ),
    Question(
        "irregular",
        _(
            "Did you travel on a tourist or umrah visa, or without going through the "
            "manpower office or BP3MI?"
        ),
        _("Abuse of vulnerability (irregular status)"),
        (Option("no", _("No")), Option("yes", _("Yes"), RED_FLAG), UNKNOWN),
    ),
)

BY_CODE: dict[str, Question] = {q.code: q for q in QUESTIONS}


class ScreeningError(ValueError):
    """An answer names a question or an option that does not exist."""


@dataclass(frozen=True)
class Result:
    level: str
    indicators: tuple[str, ...]  # question codes whose answer raised a flag

    @property
    def indicator_labels(self) -> list[str]:
        return [str(BY_CODE[c].indicator) for c in self.indicators]


def check(answers: dict[str, str]) -> dict[str, str]:
    """`answers` cleaned: every key a question, every value one of its options; raises
    ScreeningError naming the first bad key."""
    clean = {}
    for code, value in (answers or {}).items():
        question = BY_CODE.get(code)
        if question is None:
            raise ScreeningError(code)
        if value not in {o.code for o in question.options}:
            raise ScreeningError(code)
        clean[code] = value
    return clean


def assess(answers: dict[str, str]) -> Result:
    """The level and the indicators that the (checked) answers raise."""
    flags: dict[str, str] = {}
    for code, value in check(answers).items():
        option = next(o for o in BY_CODE[code].options if o.code == value)
        if option.flag:
            flags[code] = option.flag
    kinds = set(flags.values())
    if HARM in kinds:
        level = URGENT
    elif INVOLUNTARY in kinds and COERCION in kinds:
        level = HIGH
    elif flags:
        level = MEDIUM
    else:
        level = NONE
    order = [q.code for q in QUESTIONS]
    return Result(level, tuple(sorted(flags, key=order.index)))
