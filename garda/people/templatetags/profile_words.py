"""Names instead of codes on the profile: occupations, languages and their levels."""

from django import template

from garda.people import catalogue
from garda.people.models import LanguageSkill

register = template.Library()


@register.filter
def occupation_title(code: str) -> str:
    """ "Tukang las" for 7212 (the code itself when it is not in the list)."""
    return catalogue.occupation_title(code or "")


@register.filter
def language_name(code: str) -> str:
    """ "Jepang" for ja."""
    return catalogue.language_name(code or "")


@register.filter
def language_level(item: LanguageSkill) -> str:
    """ "JLPT: N4 – dasar", "Penilaian sendiri: Dasar"."""
    return f"{item.get_scale_display()}: {catalogue.level_words(item.scale, item.level)}"
