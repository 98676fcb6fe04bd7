"""The region picker: a village (kelurahan/desa) chosen by name, its Kemendagri code kept
underneath. One field and one widget, used by every form that asks where a person
lives (the worker's profile and the officer's walk-in form).

The widget works without JavaScript in two ways, both plain submits of the form it
sits in: cascading selects (province → regency/city → district → village) refreshed
by the "Tampilkan pilihan" button, or a name search whose matches come back as radio
buttons with their full path. A press of either button is a *picker step*: the form
is shown again with what was typed, nothing is saved and no error is shown
(PickerStepMixin). With HTMX the same markup is swapped in place from
`places:region_picker`, which renders this widget for the query string.

The value stays the code: an API client (or a form without the picker's extra inputs)
sends `village_code=31.71.01.1001` and gets the same checks and messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from garda.places.models import Region

DEFAULT_PROVINCE = "31"  # DKI Jakarta: most people Garda serves live there
SEARCH_MIN_LENGTH = 3
SEARCH_LIMIT = 20
VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
# Names of the form fields the picker may render (the options view takes it from the
# query string): lower-case identifiers only.
FIELD_NAME = re.compile(r"^[a-z][a-z_]{0,39}$")
LEVELS = ("province", "regency", "district")

# Long official prefixes, shortened the way addresses are written on a letter.
_SHORT = (
    ("Daerah Khusus Ibukota ", "DKI "),
    ("Kota Administrasi ", "Kota "),
    ("Kabupaten Administrasi ", "Kab. "),
    ("Kabupaten ", "Kab. "),
)


def short_name(region: Region) -> str:
    """A region's name as an address writes it: "Kota Jakarta Pusat", "DKI Jakarta"."""
    name = region.name
    for long, short in _SHORT:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def place_label(region: Region) -> str:
    """A district or village with its kind: "Kec. Gambir", "Kel. Gambir", "Desa Sukamaju".
    Kemendagri numbers kelurahan 1xxx and desa 2xxx."""
    if region.level == Region.Level.DISTRICT:
        return f"Kec. {region.name}"
    if region.level == Region.Level.VILLAGE:
        return f"{'Kel.' if region.code[9] == '1' else 'Desa'} {region.name}"
    return short_name(region)


def area_choices(province: str = DEFAULT_PROVINCE) -> list:
    """A filter menu of a province's areas by name, the code as the value: the whole
    province, then each city or regency (whole) with its districts, grouped (one
    query)."""
    rows = list(
        Region.objects.filter(
            code__startswith=province,
            is_current=True,
            level__in=(Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.DISTRICT),
        )
        .order_by("code")
        .only("code", "name", "level", "parent_id")
    )
    choices: list = []
    groups: dict[str, list] = {}
    for region in rows:
        if region.level == Region.Level.PROVINCE:
            choices.append((region.code, _("%(name)s (all)") % {"name": short_name(region)}))
        elif region.level == Region.Level.REGENCY:
            groups[region.code] = [
                (region.code, _("%(name)s (all)") % {"name": short_name(region)})
            ]
            choices.append((short_name(region), groups[region.code]))
        elif region.parent_id in groups:
            groups[region.parent_id].append((region.code, place_label(region)))
    return choices


def area_label(code: str) -> str:
    """Any region code by name ("Kel. Gambir" or "Kota Jakarta Pusat"), for a filter
    value outside the menu; the code itself when it is unknown."""
    region = Region.objects.filter(code=code).only("code", "name", "level").first()
    return place_label(region) if region else code


def region_path(village: Region, ancestors: dict[str, Region]) -> str:
    """ "Kel. Gambir, Kec. Gambir, Kota Jakarta Pusat, DKI Jakarta": the village, then its
    district, regency and province as found in `ancestors` (by code)."""
    parts = [place_label(village)]
    code = village.code
    while "." in code:
        code = code.rpartition(".")[0]
        if code in ancestors:
            parts.append(place_label(ancestors[code]))
    return ", ".join(parts)


def ancestors_of(codes: list[str]) -> dict[str, Region]:
    """The district, regency and province of every code, in one query."""
    wanted = set()
    for code in codes:
        while "." in code:
            code = code.rpartition(".")[0]
            wanted.add(code)
    return {r.code: r for r in Region.objects.filter(code__in=wanted)}


def village_path(code: str) -> str:
    """The full path of one village code, or "" when the code is unknown."""
    village = Region.objects.filter(code=code).first()
    if village is None:
        return ""
    return region_path(village, ancestors_of([village.code]))


class PickerValue(str):
    """What the picker submitted: the string is the code to check (a village, or the
    deepest place chosen when no village is), the attributes say how to draw the
    picker again. CharField.to_python turns it into a plain str."""

    province: str = ""
    regency: str = ""
    district: str = ""
    query: str = ""
    searching: bool = False
    step: bool = False  # one of the picker's own buttons was pressed

    @classmethod
    def of(cls, value: str, **attrs) -> PickerValue:
        obj = cls(value)
        for key, attr in attrs.items():
            setattr(obj, key, attr)
        return obj


@dataclass
class Choice:
    value: str
    label: str
    selected: bool = False


class RegionPicker(forms.Widget):
    """Province → regency/city → district → village selects and a name search; see the
    module docstring. Renders `places/_region_picker.html`."""

    template_name = "places/_region_picker.html"
    use_fieldset = True  # several inputs: the field's label is the fieldset's legend

    def value_from_datadict(self, data, files, name):
        village = (data.get(name) or "").strip()
        if f"{name}_picker" not in data:  # the API, or a form without the picker
            return village
        parents = {level: (data.get(f"{name}_{level}") or "").strip() for level in LEVELS}
        query = (data.get(f"{name}_q") or "").strip()[:60]
        find = f"{name}_find" in data
        show = f"{name}_show" in data
        # Keep the deepest consistent choice: when a parent changed since the last
        # step, the choices below it belong to the old one and are dropped.
        chosen: dict[str, str] = {}
        deepest = ""
        for level in LEVELS:
            code = parents[level]
            if not code or (deepest and not code.startswith(deepest + ".")):
                break
            chosen[level] = deepest = code
        if VILLAGE_CODE.match(village):
            if village.startswith(f"{chosen.get('district', '-')}."):
                deepest = village
            elif query:  # a search result: a village anywhere, whatever the selects say
                chosen = {"province": village[:2], "regency": village[:5]}
                chosen["district"] = deepest = village[:8]
                deepest = village
            else:
                village = ""
        else:
            village = ""
        # A search typed without a village chosen from it: show the matches first.
        searching = bool(query) and not show and (find or not village)
        # A province alone is no answer (one is preselected): only deeper choices count.
        return PickerValue.of(
            deepest if len(deepest) > 2 else "",
            province=chosen.get("province") or DEFAULT_PROVINCE,
            regency=chosen.get("regency", ""),
            district=chosen.get("district", ""),
            query=query,
            searching=searching,
            step=find or show or searching,
        )

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_picker" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(self.picker_context(name, "" if value is None else value))
        return context

    def picker_context(self, name: str, value: str) -> dict:
        """The options to draw: at most four queries for the selects, two for a search."""
        if isinstance(value, PickerValue):
            province, regency, district = value.province, value.regency, value.district
            village = str(value) if VILLAGE_CODE.match(value) else ""
            query, searching = value.query, value.searching
        else:  # a saved code (initial), or a code typed into the API
            code = str(value)
            province = code[:2] or DEFAULT_PROVINCE
            regency = code[:5] if len(code) >= 5 else ""
            district = code[:8] if len(code) >= 8 else ""
            village = code if VILLAGE_CODE.match(code) else ""
            query, searching = "", False
        context = {"query": query, "searching": searching, "village": village}
        if searching:
            context["results"] = self.search(query, province=province, selected=village)
            return context
        provinces = self._options(Q(level=Region.Level.PROVINCE), province)
        regencies = self._options(Q(parent_id=province, level=Region.Level.REGENCY), regency)
        districts = (
            self._options(Q(parent_id=regency, level=Region.Level.DISTRICT), district)
            if regency
            else []
        )
        villages = (
            self._options(Q(parent_id=district, level=Region.Level.VILLAGE), village)
            if district
            else []
        )
        context.update(
            provinces=provinces, regencies=regencies, districts=districts, villages=villages
        )
        if village and not any(c.selected for c in villages):
            context["village_path"] = village_path(village)
        return context

    @staticmethod
    def _options(condition: Q, selected: str) -> list[Choice]:
        rows = Region.objects.filter(condition, is_current=True).order_by("name")
        return [
            Choice(r.code, place_label(r), r.code == selected)
            for r in rows.only("code", "name", "level")
        ]

    @staticmethod
    def search(query: str, *, province: str = "", selected: str = "") -> list[Choice]:
        """Current villages whose name, or whose district's name, holds `query`; the
        chosen province's first. Two queries whatever the number of matches."""
        if len(query) < SEARCH_MIN_LENGTH:
            return []
        rows = list(
            Region.objects.filter(level=Region.Level.VILLAGE, is_current=True)
            .filter(Q(name__icontains=query) | Q(parent__name__icontains=query))
            .annotate(
                elsewhere=Case(
                    When(code__startswith=f"{province}.", then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("elsewhere", "name", "code")
            .only("code", "name", "level")[:SEARCH_LIMIT]
        )
        ancestors = ancestors_of([r.code for r in rows])
        return [Choice(r.code, region_path(r, ancestors), r.code == selected) for r in rows]


def village_error(code: str) -> forms.ValidationError:
    """Why `code` is not a current village, in words: unknown, not a village (the
    picker stopped at a district or city), or retired by a later Kemendagri list."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        return forms.ValidationError(
            _(
                "There is no kelurahan or desa with the code %(code)s in the Kemendagri "
                "list. Choose the kelurahan or desa by its name."
            ),
            code="unknown_village",
            params={"code": code},
        )
    if region.level != Region.Level.VILLAGE:
        return forms.ValidationError(
            _("Choose the kelurahan or desa in %(place)s."),
            code="incomplete_village",
            params={"place": place_label(region)},
        )
    return forms.ValidationError(
        _(
            "%(place)s (code %(code)s) is no longer in the current Kemendagri list. "
            "Choose the kelurahan or desa by its current name."
        ),
        code="retired_village",
        params={"place": place_label(region), "code": code},
    )


def village_exists(code: str) -> bool:
    """A current village code (the only ones a new address may use)."""
    return Region.objects.filter(code=code, level=Region.Level.VILLAGE, is_current=True).exists()


class RegionField(forms.CharField):
    """A village code, chosen with the RegionPicker (or sent as a code). The form
    checks it with village_exists / village_error (an import checks thousands of rows
    against a set in memory instead)."""

    widget = RegionPicker

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 13)
        super().__init__(**kwargs)


class PickerStepMixin:
    """For a form with a RegionField: a press of the picker's own buttons (or a search
    typed without a choice) shows the form again with what was typed, without errors
    and without saving: is_valid() is False and the errors are dropped."""

    @property
    def picker_step(self) -> bool:
        if not self.is_bound:
            return False
        for name, field in self.fields.items():
            if isinstance(field.widget, RegionPicker) and not field.disabled:
                value = field.widget.value_from_datadict(
                    self.data, self.files, self.add_prefix(name)
                )
                if getattr(value, "step", False):
                    return True
        return False

    def is_valid(self) -> bool:
        if self.picker_step:
            self.full_clean()
            self._errors = ErrorDict()
            return False
        return super().is_valid()
