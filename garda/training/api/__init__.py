"""The training API: one router, mounted by garda/api.py; one module per part."""

from garda.apiutils import combine_routers
from garda.training.api import catalogue, certificates, classroom, insight

router = combine_routers(catalogue.router, classroom.router, certificates.router, insight.router)
