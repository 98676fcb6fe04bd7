from django.apps import AppConfig


class DestinationsConfig(AppConfig):
    name = "garda.destinations"
    verbose_name = "Destinations"

    def ready(self):
        from garda import pagecache

        # The public destination pages (garda/pagecache.py) show these.
        pagecache.watch(
            "destinations",
            "destinations.Destination",
            "destinations.Scheme",
            "destinations.DestinationScheme",
            "destinations.SectorRule",
            "destinations.RequirementSet",
            "destinations.Requirement",
        )
