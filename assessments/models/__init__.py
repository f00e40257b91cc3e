"""Every model of the assessments app, by concern; the tables keep their app label."""

from assessments.models.analysis import ComponentTag, Indicator, Threat
from assessments.models.assessment import Answer, Assessment
from assessments.models.batch import BatchExport
from assessments.models.evidence import Quote, Source
from assessments.models.groups import PopulationGroup
from assessments.models.jobs import Job
from assessments.models.links import LinkChange
from assessments.models.monitoring import Reading
from assessments.models.notifications import Notification, NotificationSettings
from assessments.models.responses import Response
from assessments.models.review import Comment, FrozenBrief, ReviewEvent
from assessments.models.teams import Membership, Team
from assessments.models.upgrade import VersionMove

__all__ = [
    "Answer",
    "Assessment",
    "BatchExport",
    "Comment",
    "ComponentTag",
    "FrozenBrief",
    "Indicator",
    "Job",
    "LinkChange",
    "Membership",
    "Notification",
    "NotificationSettings",
    "PopulationGroup",
    "Quote",
    "Reading",
    "Response",
    "ReviewEvent",
    "Source",
    "Team",
    "Threat",
    "VersionMove",
]
