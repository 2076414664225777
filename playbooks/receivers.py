"""Reactions to what the programmes app announces: a new programme gets its playbook
template, activity checklist and business strategy; each new mentee gets a playbook."""

from django.dispatch import receiver

from playbooks.services.activity import add_default_activities, copy_activities
from playbooks.services.integration import copy_strategy
from playbooks.services.playbook import copy_template, create_default_template, create_playbook
from programmes.models import Role
from programmes.policy import SYSTEM
from programmes.signals import member_enrolled, programme_created


@receiver(programme_created, dispatch_uid="playbooks.give_the_programme_a_template")
def give_the_programme_a_template(sender, programme, from_template, source=None, **kwargs):
    """A duplicated programme copies its source's template; a new one from the built-in
    template gets the default sections; a blank one starts with none."""
    if source is not None:
        copy_template(source=source, programme=programme, by=SYSTEM)
    elif from_template:
        create_default_template(programme=programme, by=SYSTEM)


@receiver(programme_created, dispatch_uid="playbooks.activities_for_a_new_programme")
def give_a_new_programme_its_activities(sender, programme, from_template, source, **kwargs):
    if source is not None:
        copy_activities(source=source, programme=programme, by=SYSTEM)
        copy_strategy(source=source, programme=programme, by=SYSTEM)
    elif from_template:
        add_default_activities(programme=programme, by=SYSTEM)


@receiver(member_enrolled, dispatch_uid="playbooks.give_the_mentee_a_playbook")
def give_the_mentee_a_playbook(sender, membership, **kwargs):
    if membership.role == Role.MENTEE:
        create_playbook(membership=membership, by=SYSTEM)
