"""Japan SSW accepts JFT-Basic A2 or JLPT N4 as the language test: the current jp-ssw
set(s) get JLPT N4 as an alternative to JFT-Basic A2 (Requirement.alternative_group 1),
and the notes that sent JLPT N4 holders to their officer are rewritten. Changed in
place (the seeded version 1 only worked around the missing "one of"); cached readiness
of SSW targets is marked stale. A note an administrator rewrote is left as it is."""

from django.db import migrations

GROUP = 1
OLD_SET_NOTE = (
    "Jepang menerima JFT-Basic A2 atau JLPT N4 sebagai bukti bahasa. Garda memeriksa "
    "JFT-Basic A2; pemegang JLPT N4 (tanpa JFT-Basic) diminta menghubungi petugas, "
    "yang mencatat pengecualiannya. Perjanjian penempatan hanya diperlukan bila "
    "melalui P3MI."
)
NEW_SET_NOTE = (
    "Jepang menerima JFT-Basic A2 atau JLPT N4 sebagai bukti bahasa; salah satunya "
    "cukup. Perjanjian penempatan hanya diperlukan bila melalui P3MI."
)
OLD_JFT_NOTE = "JFT-Basic A2 (atau JLPT N4, lihat catatan set)."
NEW_JFT_NOTE = "Atau JLPT N4: salah satunya cukup."
NEW_JLPT_NOTE = "Atau JFT-Basic A2: salah satunya cukup."


def forwards(apps, schema_editor):
    RequirementSet = apps.get_model("destinations", "RequirementSet")
    Requirement = apps.get_model("destinations", "Requirement")
    Readiness = apps.get_model("destinations", "Readiness")
    DocumentType = apps.get_model("documents", "DocumentType")
    jlpt = DocumentType.objects.filter(code="jlpt").first()
    if jlpt is None:
        return
    for rs in RequirementSet.objects.filter(code="jp-ssw", is_current=True):
        jft = Requirement.objects.filter(
            requirement_set=rs, document_type__code="jft-basic"
        ).first()
        if jft is None:
            continue
        if Requirement.objects.filter(requirement_set=rs, document_type=jlpt).exists():
            continue
        jft.alternative_group = GROUP
        if jft.note == OLD_JFT_NOTE:
            jft.note = NEW_JFT_NOTE
        jft.save(update_fields=["alternative_group", "note"])
        Requirement.objects.create(
            requirement_set=rs,
            order=jft.order + 1,
            document_type=jlpt,
            min_level="N4",
            note=NEW_JLPT_NOTE,
            alternative_group=GROUP,
        )
        if rs.note == OLD_SET_NOTE:
            rs.note = NEW_SET_NOTE
            rs.save(update_fields=["note"])
    Readiness.objects.filter(target_key__contains=":jp-ssw:", stale=False).update(stale=True)


def backwards(apps, schema_editor):
    RequirementSet = apps.get_model("destinations", "RequirementSet")
    Requirement = apps.get_model("destinations", "Requirement")
    Readiness = apps.get_model("destinations", "Readiness")
    for rs in RequirementSet.objects.filter(code="jp-ssw", is_current=True):
        Requirement.objects.filter(
            requirement_set=rs, document_type__code="jlpt", alternative_group=GROUP
        ).delete()
        for jft in Requirement.objects.filter(requirement_set=rs, document_type__code="jft-basic"):
            jft.alternative_group = None
            if jft.note == NEW_JFT_NOTE:
                jft.note = OLD_JFT_NOTE
            jft.save(update_fields=["alternative_group", "note"])
        if rs.note == NEW_SET_NOTE:
            rs.note = OLD_SET_NOTE
            rs.save(update_fields=["note"])
    Readiness.objects.filter(target_key__contains=":jp-ssw:", stale=False).update(stale=True)


class Migration(migrations.Migration):
    dependencies = [
        ("destinations", "0004_requirement_alternative_group"),
        ("documents", "0002_seed_document_types"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
