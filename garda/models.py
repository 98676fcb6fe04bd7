"""Project-wide tables that belong to no single domain."""

from django.db import models, transaction


class ReferenceSequence(models.Model):
    """Counters behind readable reference numbers (`PMI-2026-000042`): one row per
    prefix and year, incremented under a row lock so numbers are never reused."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"

    @classmethod
    def next_reference(cls, prefix: str, year: int) -> str:
        return cls.next_references(prefix, year, 1)[0]

    @classmethod
    def next_references(cls, prefix: str, year: int, count: int) -> list[str]:
        """`count` consecutive new numbers in one locked step (bulk imports)."""
        with transaction.atomic():
            seq, _ = cls.objects.select_for_update().get_or_create(prefix=prefix, year=year)
            cls.objects.filter(pk=seq.pk).update(last=models.F("last") + count)
            seq.refresh_from_db(fields=["last"])
        first = seq.last - count + 1
        return [f"{prefix}-{year}-{n:06d}" for n in range(first, seq.last + 1)]
