from django.dispatch import Signal

# Sent inside the transaction that accepts an invitation, with `invitation` and
# `membership`. The mentoring app listens to pair a new mentee with the named mentor.
invitation_accepted = Signal()

# Sent inside the transaction that creates a programme, with `programme`, `from_template`
# (bool) and `source` (the programme it was copied from, or None). Apps that own parts of
# a programme (the playbook template, the activity checklist) add their defaults or copies.
programme_created = Signal()

# Sent inside the transaction that adds a person to a programme, with `membership`.
member_enrolled = Signal()

# Sent inside a transaction that changed what the pace rules read about some mentees (a
# phase move, something they or their mentor did, a pause ended), with `membership_ids`.
# The mentoring app, which holds the rules, judges them again once it commits.
pace_facts_changed = Signal()
