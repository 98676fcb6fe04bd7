from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "garda.training"
    verbose_name = "Training"

    def ready(self):
        from garda import pagecache

        # The public catalogue (garda/pagecache.py): courses, batches, seats left.
        pagecache.watch(
            "training",
            "training.Provider",
            "training.CompetencyUnit",
            "training.Course",
            "training.CourseUnit",
            "training.CoursePrerequisiteDocument",
            "training.Batch",
            "training.Session",
            "training.Enrolment",
        )
