"""Indonesian administrative regions (Kemendagri codes) and countries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One code of the Ministry of Home Affairs list, current or retired.

    Retired codes stay: NIKs issued before a split or renumbering still carry them.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency/city")
        DISTRICT = "district", _("District")
        VILLAGE = "village", _("Village")

    code = models.CharField(max_length=13, primary_key=True)  # dotted: 31.71.01.1001
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_constraint=False,  # retired codes may outlive their parent code
    )
    is_current = models.BooleanField(default=True)
    first_edition = models.PositiveSmallIntegerField()
    last_edition = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "level"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def digits(self) -> str:
        """The code without dots, as it appears in a NIK (first 6 digits)."""
        return self.code.replace(".", "")

    @property
    def is_jakarta(self) -> bool:
        return self.code.startswith("31")


class Country(models.Model):
    """A country by ISO 3166-1, with its Indonesian and English names."""

    code = models.CharField(max_length=2, primary_key=True)  # alpha-2
    alpha3 = models.CharField(max_length=3, unique=True)
    numeric = models.CharField(max_length=3)
    name_id = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    class Meta:
        ordering = ["name_id"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "id").startswith("en") else self.name_id
