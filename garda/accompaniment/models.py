"""Accompaniment (pendampingan): an officer's tasks and appointments with a person,
and the timeline of every contact. Who accompanies whom is people.Assignment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Task(models.Model):
    """Something to do for a person by a due time: a task, or an appointment with a
    place (e.g. "accompany to the immigration office on 12 Dec")."""

    class Kind(models.TextChoices):
        TASK = "task", _("Task")
        APPOINTMENT = "appointment", _("Appointment")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="accompaniment_tasks"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accompaniment_tasks"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TASK)
    title = models.CharField(_("what"), max_length=200)
    place = models.CharField(_("where"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["officer", "done_at", "due_at"], name="task_officer_open"),
            models.Index(fields=["person", "due_at"], name="task_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(cancelled_at__isnull=True),
                name="task_done_or_cancelled",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.pk}"


class Contact(models.Model):
    """One contact with a person (visit, call, message, meeting at the office)."""

    class Channel(models.TextChoices):
        OFFICE = "office", _("At the office")
        VISIT = "visit", _("Home visit")
        PHONE = "phone", _("Phone call")
        MESSAGE = "message", _("Message (WhatsApp/SMS)")
        EMAIL = "email", _("E-mail")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="accompaniment_contacts"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    happened_at = models.DateTimeField(_("when"), default=timezone.now)
    summary = models.TextField(_("summary"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["person", "happened_at"], name="contact_person")]

    def __str__(self) -> str:
        return f"{self.channel}#{self.pk}"
