"""The reintegration sustainability survey as data, and its scoring (pure: no models).

An instrument (data/instruments/*.toml, or an official file loaded with `garda
reintegration_instrument`) has three dimensions (economic, social, psychosocial), each
with its weight in the composite, and indicators, each in one dimension with its weight
there and ONE question whose answer options are coded 0 to 1 (higher = more
sustainable). Nothing here knows a weight: they all come from the instrument.

Scoring (`score`):
- a dimension's score is the weighted mean of the codings of its answered indicators,
  the weights renormalised over the answered ones;
- a dimension with fewer than half its indicators answered has no score (None);
- the composite is the weighted mean of the dimension scores, and None unless every
  dimension has a score;
- scores are rounded to 4 decimals.
"""

from math import isfinite

DIMENSIONS = ("economic", "social", "psychosocial")
DECIMALS = 4


class InstrumentError(ValueError):
    """An instrument definition that cannot be used (the message says why)."""


class AnswerError(ValueError):
    """Answers that do not fit the instrument (the message says which)."""

    def __init__(self, message: str, *, question: str = "", code: str = "invalid"):
        super().__init__(message)
        self.question = question
        self.code = code


def _text(value, where: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InstrumentError(f"{where}: a text is needed")
    return value.strip()


def _number(value, where: str, *, low: float = 0.0, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
        raise InstrumentError(f"{where}: a number is needed, not {value!r}")
    value = float(value)
    if value < low or (high is not None and value > high):
        bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise InstrumentError(f"{where}: {value:g} is not {bounds}")
    return value


def validate(data: dict) -> dict:
    """The instrument `data` (as read from TOML or JSON) checked and normalised into
    the definition a row keeps; InstrumentError names the first problem."""
    if not isinstance(data, dict):
        raise InstrumentError("the instrument is not a table")
    out = {
        "code": _text(data.get("code"), "code"),
        "version": _text(data.get("version"), "version"),
        "title": _text(data.get("title"), "title"),
        "source": _text(data.get("source"), "source"),
        "official": data.get("official"),
    }
    if not isinstance(out["official"], bool):
        raise InstrumentError("official: say true or false")
    if len(out["code"]) > 20 or len(out["version"]) > 20:
        raise InstrumentError("code and version: at most 20 characters each")
    if len(out["title"]) > 200 or len(out["source"]) > 500:
        raise InstrumentError("title: at most 200 characters; source: at most 500")
    dimensions = data.get("dimensions")
    if not isinstance(dimensions, list):
        raise InstrumentError("dimensions: a list is needed")
    dims = {}
    for n, dim in enumerate(dimensions, 1):
        if not isinstance(dim, dict):
            raise InstrumentError(f"dimension {n}: not a table")
        code = _text(dim.get("code"), f"dimension {n} code")
        if code not in DIMENSIONS:
            raise InstrumentError(f"dimension {code!r}: unknown (known: {', '.join(DIMENSIONS)})")
        if code in dims:
            raise InstrumentError(f"dimension {code!r}: given twice")
        dims[code] = {
            "code": code,
            "label_id": _text(dim.get("label_id"), f"dimension {code} label_id"),
            "label_en": _text(dim.get("label_en"), f"dimension {code} label_en"),
            "weight": _number(dim.get("weight"), f"dimension {code} weight"),
        }
    missing = [d for d in DIMENSIONS if d not in dims]
    if missing:
        raise InstrumentError(f"dimensions: missing {', '.join(missing)}")
    if sum(d["weight"] for d in dims.values()) <= 0:
        raise InstrumentError("dimensions: the weights add up to zero")
    indicators = data.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        raise InstrumentError("indicators: a list is needed")
    seen: set[str] = set()
    items = []
    for n, ind in enumerate(indicators, 1):
        if not isinstance(ind, dict):
            raise InstrumentError(f"indicator {n}: not a table")
        code = _text(ind.get("code"), f"indicator {n} code")
        if code in seen:
            raise InstrumentError(f"indicator {code!r}: given twice")
        seen.add(code)
        dimension = ind.get("dimension")
        if dimension not in dims:
            raise InstrumentError(f"indicator {code!r}: unknown dimension {dimension!r}")
        options = ind.get("options")
        if not isinstance(options, list) or len(options) < 2:
            raise InstrumentError(f"indicator {code!r}: at least two answer options are needed")
        opts, codes = [], set()
        for m, opt in enumerate(options, 1):
            if not isinstance(opt, dict):
                raise InstrumentError(f"indicator {code!r} option {m}: not a table")
            ocode = _text(opt.get("code"), f"indicator {code!r} option {m} code")
            if ocode in codes:
                raise InstrumentError(f"indicator {code!r}: option {ocode!r} given twice")
            codes.add(ocode)
            where = f"indicator {code!r} option {ocode!r}"
            opts.append(
                {
                    "code": ocode,
                    "value": _number(opt.get("value"), f"{where} value", high=1.0),
                    "label_id": _text(opt.get("label_id"), f"{where} label_id"),
                    "label_en": _text(opt.get("label_en"), f"{where} label_en"),
                }
            )
        items.append(
            {
                "code": code,
                "dimension": dimension,
                "weight": _number(ind.get("weight"), f"indicator {code!r} weight"),
                "question_id": _text(ind.get("question_id"), f"indicator {code!r} question_id"),
                "question_en": _text(ind.get("question_en"), f"indicator {code!r} question_en"),
                "options": opts,
            }
        )
    for code in DIMENSIONS:
        mine = [i for i in items if i["dimension"] == code]
        if not mine:
            raise InstrumentError(f"dimension {code!r}: no indicator")
        if sum(i["weight"] for i in mine) <= 0:
            raise InstrumentError(f"dimension {code!r}: the indicator weights add up to zero")
    out["dimensions"] = [dims[d] for d in DIMENSIONS]
    out["indicators"] = items
    return out


def check_answers(definition: dict, answers: dict) -> dict[str, str]:
    """The answers {indicator code: option code} kept (empty ones dropped); AnswerError
    for a question the instrument does not have or an answer not among its options."""
    if not isinstance(answers, dict):
        raise AnswerError("The answers are not a list of question and answer.")
    indicators = {i["code"]: i for i in definition["indicators"]}
    kept = {}
    for question, answer in answers.items():
        if question not in indicators:
            raise AnswerError(
                f"Question {question!r} is not in this survey.", question=str(question)
            )
        if answer in (None, ""):
            continue
        if not isinstance(answer, str) or answer not in {
            o["code"] for o in indicators[question]["options"]
        }:
            raise AnswerError(
                f"Answer {answer!r} is not an option of question {question!r}.",
                question=question,
            )
        kept[question] = answer
    return kept


def _mean(pairs: list[tuple[float, float]]) -> float | None:
    """Weighted mean of (value, weight) pairs; None when the weights add up to zero."""
    total = sum(w for _v, w in pairs)
    if total <= 0:
        return None
    return sum(v * w for v, w in pairs) / total


def score(definition: dict, answers: dict) -> dict[str, float | None]:
    """{"economic", "social", "psychosocial", "composite"}: each 0–1 or None (see the
    module's docstring). Raises AnswerError for answers that do not fit."""
    kept = check_answers(definition, answers)
    raw: dict[str, float | None] = {}
    for dim in definition["dimensions"]:
        mine = [i for i in definition["indicators"] if i["dimension"] == dim["code"]]
        answered = [i for i in mine if i["code"] in kept]
        value = None
        if 2 * len(answered) >= len(mine):
            pairs = []
            for ind in answered:
                coding = next(o["value"] for o in ind["options"] if o["code"] == kept[ind["code"]])
                pairs.append((coding, ind["weight"]))
            value = _mean(pairs)
        raw[dim["code"]] = value
    raw["composite"] = None
    if all(raw[d["code"]] is not None for d in definition["dimensions"]):
        raw["composite"] = _mean([(raw[d["code"]], d["weight"]) for d in definition["dimensions"]])
    return {k: None if v is None else round(v, DECIMALS) for k, v in raw.items()}
