"""The 双随机 draw. Pure and deterministic: the same inputs and seed give the same draw, so a
stored round can be redrawn by anyone (manage.py verify_round).

Version 1: units are drawn with random.Random(seed).sample over the sorted population; then,
unit by unit in drawn order, each inspector slot goes to a random choice among the eligible
inspectors (not bound to that unit, not already on this check) with the fewest checks so far,
which spreads the work evenly.
"""

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ALGORITHM_VERSION = 1


class SamplingError(ValueError):
    def __init__(self, message, code, unit_id=None):
        super().__init__(message)
        self.code = code
        self.unit_id = unit_id


@dataclass(frozen=True)
class DrawnCheck:
    unit_id: int
    inspector_ids: tuple


def sample_size_for(population_size, *, count=None, ratio_percent=None):
    """A count, or a ratio of the population rounded half-up, at least 1 of a non-empty one."""
    if count is not None:
        return min(count, population_size)
    share = Decimal(population_size) * Decimal(ratio_percent or 0) / 100
    size = int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(max(size, 1 if population_size else 0), population_size)


def draw(population, size, pool, per_check, seed):
    """`population`: unit ids; `pool`: (inspector id, bound unit id or None) pairs."""
    if size > len(population):
        raise SamplingError("sample larger than the population", "too_many")
    if len(pool) < per_check:
        raise SamplingError("pool smaller than inspectors per check", "pool_too_small")
    rng = random.Random(str(seed))
    units = rng.sample(sorted(population), size)
    load = {inspector: 0 for inspector, _unit in sorted(pool)}
    bound = dict(pool)
    checks = []
    for unit in units:
        chosen = []
        for _slot in range(per_check):
            eligible = [i for i in load if bound[i] != unit and i not in chosen]
            if not eligible:
                raise SamplingError("not enough inspectors for a unit", "unit_unstaffed", unit)
            fewest = min(load[i] for i in eligible)
            pick = rng.choice([i for i in eligible if load[i] == fewest])
            chosen.append(pick)
            load[pick] += 1
        checks.append(DrawnCheck(unit, tuple(sorted(chosen))))
    return checks
