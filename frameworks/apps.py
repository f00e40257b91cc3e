from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = _("Frameworks")

    def ready(self):
        from django.core.signals import request_started

        from frameworks.i18n import forget_versions

        # A page's queries do not depend on the pages before it (the pinned counts).
        request_started.connect(forget_versions, dispatch_uid="frameworks-forget-versions")
