from django.dispatch import Signal

# Sent inside the writer's transaction when a year's schedule changed: (year, actor).
# Whoever stores dates counted in working days listens and recomputes them.
schedule_changed = Signal()
