"""The export as a readable PDF (fpdf2; Indonesian by default, the reader's language),
drawn from export.collect's dictionary: the same data as the JSON, in sentences and
lists, one heading per section."""

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from garda.accompaniment.pdf import CORE_FONT, new_pdf, transliterate, unicode_font_dir

# The PDF lists the latest accesses; the JSON has every one.
ACCESS_ROWS = 500


class _Doc:
    def __init__(self):
        self.pdf, self.family = new_pdf(compress=True, font_dir=unicode_font_dir())
        self.pdf.add_page()

    def _text(self, value) -> str:
        cmap = getattr(self.pdf.current_font, "cmap", None)
        if cmap is not None and self.family != CORE_FONT:
            return transliterate(str(value), lambda ch: ord(ch) in cmap)
        return transliterate(str(value))

    def write(self, value, *, size: float = 10, bold: bool = False):
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, self._text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, value: str):
        self.pdf.ln(3)
        self.write(value, size=13, bold=True)
        self.pdf.ln(1)

    def sub(self, value: str):
        self.pdf.ln(1)
        self.write(value, size=11, bold=True)

    def pair(self, label: str, value):
        if value in (None, "", []):
            value = "—"
        self.write(f"{label}: {value}")

    def item(self, value: str):
        self.write(f"- {value}")

    def none(self):
        self.write(_("Nothing recorded."))

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _when(value: str | None) -> str:
    if not value:
        return "—"
    if len(value) == 10:  # a day ("1990-01-01")
        day = parse_date(value)
        return date_format(day, "j F Y") if day else value
    moment = parse_datetime(value)
    if moment is not None and timezone.is_aware(moment):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    day = parse_date(value)
    return date_format(day, "j F Y") if day else value


def render_pdf(data: dict) -> bytes:
    s = data["sections"]
    doc = _Doc()
    doc.write(_("My personal data in Garda"), size=16, bold=True)
    doc.write(data["person"]["full_name"], size=13, bold=True)
    doc.write(_("Reference: %(reference)s") % {"reference": data["person"]["reference"]})
    doc.write(_("Made on %(date)s") % {"date": _when(data["generated_at"])}, size=9)
    doc.write(
        _(
            "Everything Garda holds about you, under the Personal Data Protection law "
            "(UU 27/2022). The same data is in the JSON file, for other systems. Keep "
            "this document safe: it holds your identity numbers."
        ),
        size=9,
    )

    p = s["profile"]
    doc.heading(_("Personal details"))
    doc.pair(_("Full name (as on the KTP)"), p["full_name"])
    doc.pair(_("Other names"), p["other_names"])
    doc.pair(_("Sex"), p["sex_label"])
    doc.pair(_("Birth date"), _when(p["birth_date"]))
    doc.pair(_("Birth place"), p["birth_place"])
    doc.pair(_("Marital status"), p["marital_status_label"])
    doc.pair(_("Address"), p["address"])
    doc.pair(_("Village"), p["village_name"])
    doc.pair(_("Phone"), p["phone"])
    doc.pair(_("E-mail"), p["email"])
    doc.pair(_("Education"), p["education_label"])
    doc.pair(_("Field of study"), p["education_field"])
    doc.pair(_("Status"), p["status_label"])
    doc.pair(_("Placement route"), p["route_label"])
    doc.pair(_("Registered on"), _when(p["registered_at"]))
    if p["skills"]:
        doc.sub(_("Skills"))
        for skill in p["skills"]:
            doc.item(f"{skill['title']} ({skill['occupation_code']})")
    if p["languages"]:
        doc.sub(_("Languages"))
        for lang in p["languages"]:
            doc.item(f"{lang['language']}: {lang['level']} ({lang['scale']})")
    if p["work_experience"]:
        doc.sub(_("Work experience"))
        for work in p["work_experience"]:
            doc.item(
                f"{work['employer']}, {work['country']}: "
                f"{_when(work['from'])} – {_when(work['until'])}"
            )

    i = s["identity"]
    doc.heading(_("Identity numbers"))
    doc.pair(_("NIK"), i["nik"])
    doc.pair(_("Family card (KK) number"), i["kk_number"])
    doc.pair(_("Passport number"), i["passport_number"])
    doc.pair(
        _("Identity checked by an officer"),
        _when(i["verified_at"]) if i["verified"] else _("not yet"),
    )

    doc.heading(_("Family and emergency contacts"))
    for c in s["family_contacts"]:
        doc.item(f"{c['name']} ({c['relation_label']}) {c['phone']}".strip())
    if not s["family_contacts"]:
        doc.none()

    doc.heading(_("Consents"))
    for c in s["consents"]:
        state = (
            _("in force")
            if c["in_force"]
            else _("withdrawn on %(date)s") % {"date": _when(c["withdrawn_at"])}
        )
        agencies = ", ".join(c["agencies"])
        doc.item(
            f"{c['purpose_label']}: {_when(c['given_at'])}, {state}"
            + (f" ({agencies})" if agencies else "")
        )
    if not s["consents"]:
        doc.none()

    doc.heading(_("Documents"))
    for d in s["documents"]:
        line = f"{d['type_name']}: {d['status_label']}"
        if d["number"]:
            line += f", {_('number')} {d['number']}"
        if d["expires_on"]:
            line += f", {_('valid until')} {_when(d['expires_on'])}"
        doc.item(line)
        if d["rejection_reason"]:
            doc.write(
                "   " + _("Reason for rejection: %(reason)s") % {"reason": d["rejection_reason"]}
            )
        if d["files"]:
            doc.write(
                "   "
                + _("%(n)d file(s): download them on the page My documents.")
                % {"n": len(d["files"])},
                size=9,
            )
    if not s["documents"]:
        doc.none()

    doc.heading(_("Readiness"))
    r = s["readiness"]
    if r is None:
        doc.write(_("No placement plan yet."))
    else:
        doc.pair(
            _("Placement plan"),
            f"{r['destination_name']} · {r['scheme_name']} · {r['sector_label']}",
        )
        if r["result"]:
            doc.pair(_("Readiness"), f"{r['result']['percent']}%")
            for req in r["result"]["requirements"]:
                doc.item(f"{req['name']}: {req['state']}")

    a = s["accompaniment"]
    doc.heading(_("Accompaniment"))
    doc.sub(_("Your accompanying officers"))
    for o in a["officers"]:
        doc.item(f"{o['name']}, {o['agency']}")
    if not a["officers"]:
        doc.none()
    doc.sub(_("Appointments"))
    for t in a["appointments"]:
        doc.item(f"{_when(t['at'])}: {t['title']}, {t['place']} ({t['officer']['name']})")
    if not a["appointments"]:
        doc.none()
    doc.sub(_("Contacts with an officer"))
    for c in a["contacts"]:
        doc.item(f"{_when(c['at'])}: {c['channel_label']} ({c['officer']['name']})")
    if not a["contacts"]:
        doc.none()

    t = s["training"]
    doc.heading(_("Training"))
    for e in t["enrolments"]:
        doc.item(f"{e['course']} ({e['batch']}, {e['provider']}): {e['status_label']}")
    if not t["enrolments"]:
        doc.none()
    doc.sub(_("Certificates"))
    for c in t["certificates"]:
        doc.item(f"{c['title']} {c['number']}: {c['status_label']}, {_when(c['issued_on'])}")
    if not t["certificates"]:
        doc.none()

    doc.heading(_("Job applications"))
    doc.write(_("Garda keeps no job applications."))

    doc.heading(_("Reports and cases"))
    for c in s["cases"]:
        doc.sub(f"{c['reference']}: {', '.join(c['kind_labels'])}")
        doc.pair(_("Status"), c["stage_text"])
        doc.pair(_("Officer"), c["holder"])
        doc.pair(_("Reported on"), _when(c["created_at"]))
        for m in c["messages"]:
            doc.item(f"{_when(m['at'])} · {m['from']}: {m['text']}")
    if not s["cases"]:
        doc.none()

    doc.heading(_("Notifications"))
    for n in s["notifications"]:
        doc.item(f"{_when(n['at'])}: {n['title']}")
    if not s["notifications"]:
        doc.none()

    doc.heading(_("Correction requests"))
    for c in s["correction_requests"]:
        line = f"{_when(c['asked_at'])}: {c['field_label']}, {c['status_label']}"
        if c["decision_reason"]:
            line += f" ({c['decision_reason']})"
        doc.item(line)
    if not s["correction_requests"]:
        doc.none()

    doc.heading(_("Sharing with other agencies"))
    for x in s["sharing"]:
        ground = _("with your consent") if x["ground"] == "consent" else _("without your consent")
        line = f"{_when(x['shared_at'])}: {x['agency']}, {x['purpose']} ({ground})"
        if x["ended_at"]:
            line += ", " + _("ended on %(date)s") % {"date": _when(x["ended_at"])}
        doc.item(line)
    if not s["sharing"]:
        doc.none()

    doc.heading(_("Who accessed my data"))
    rows = s["access_log"]
    for e in rows[:ACCESS_ROWS]:
        who = _("You") if e["who"] == "self" else (e["who_label"] or _("the system"))
        if e["agency"]:
            who += f" · {e['agency']}"
        what = ", ".join(x for x in [e["what"], ", ".join(e["fields"])] if x)
        doc.item(f"{_when(e['at'])}: {who}, {e['action_label']}" + (f" ({what})" if what else ""))
    if len(rows) > ACCESS_ROWS:
        doc.write(
            _("And %(n)d earlier ones: all of them are in the JSON file.")
            % {"n": len(rows) - ACCESS_ROWS}
        )
    if not rows:
        doc.none()
    return doc.output()


def filename(data: dict, fmt: str) -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"data-saya-{data['person']['reference']}-{stamp}.{fmt}"
