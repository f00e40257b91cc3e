"""Every assessment URL, under /assessments/ and the `assessments:` namespace; each
concern declares its own."""

from assessments.batch.urls import urlpatterns as batch
from assessments.briefs.urls import urlpatterns as briefs
from assessments.content.urls import urlpatterns as content
from assessments.core.urls import urlpatterns as core
from assessments.evidence.urls import urlpatterns as evidence
from assessments.interchange.urls import urlpatterns as interchange
from assessments.monitoring.urls import urlpatterns as monitoring
from assessments.notifications.urls import urlpatterns as notifications
from assessments.review.urls import urlpatterns as review
from assessments.upgrade.urls import urlpatterns as upgrade

app_name = "assessments"
urlpatterns = [
    *core,
    *interchange,
    *content,
    *review,
    *briefs,
    *upgrade,
    *batch,
    *notifications,
    *evidence,
    *monitoring,
]
