from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "garda.people"
    verbose_name = "People"

    def ready(self):
        from garda.people import learned_weights, matching

        # The per-record duplicate check scores with the weights the last batch run
        # learned (docs/duplicates.md); without the file, the hand-set ones.
        matching.use_weights_file(learned_weights.weights_path())
