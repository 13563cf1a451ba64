"""Redraw a sampling round from its stored seed, population and inspector pool, and confirm
that the result is the one that was published."""

from django.core.management.base import BaseCommand, CommandError

from assessment.models import SamplingRound
from assessment.services.rounds import verify_round
from core.errors import DomainError


class Command(BaseCommand):
    help = "Redraw a 双随机 round and confirm the stored result is identical."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)

    def handle(self, *args, round_id, **options):
        try:
            sampling_round = SamplingRound.objects.get(pk=round_id)
        except SamplingRound.DoesNotExist:
            raise CommandError(f"There is no round {round_id}.") from None
        if sampling_round.status != SamplingRound.Status.DRAWN:
            raise CommandError(f"Round {round_id} has not been drawn yet.")
        try:
            identical, redrawn = verify_round(sampling_round)
        except DomainError as error:
            raise CommandError(error.message) from None
        if not identical:
            self.stdout.write(f"stored:  {sampling_round.result}")
            self.stdout.write(f"redrawn: {redrawn}")
            raise CommandError(f"Round {round_id}: the redraw differs from the stored result.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Round {round_id} verified: seed {sampling_round.seed}, algorithm version "
                f"{sampling_round.algorithm_version}, {len(redrawn)} units and their inspectors "
                "drawn again identically."
            )
        )
