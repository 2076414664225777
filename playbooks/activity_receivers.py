"""The activity checklist and business strategy arrive with a new programme."""

from django.dispatch import receiver

from playbooks.services.activities import add_default_activities, copy_activities
from playbooks.services.integration import copy_strategy
from programmes.signals import programme_created


@receiver(programme_created, dispatch_uid="playbooks.activities_for_a_new_programme")
def give_a_new_programme_its_activities(sender, programme, from_template, source, **kwargs):
    if source is not None:
        copy_activities(source=source, programme=programme)
        copy_strategy(source=source, programme=programme)
    elif from_template:
        add_default_activities(programme=programme)
