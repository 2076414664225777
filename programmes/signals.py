from django.dispatch import Signal

# Sent inside the transaction that accepts an invitation, with `invitation` and
# `membership`. The mentoring app listens to pair a new mentee with the named mentor.
invitation_accepted = Signal()
