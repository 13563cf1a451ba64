"""Many records created at once, with their "created" history (django-simple-history).

simple-history's own bulk helper builds one historical model instance per record in Python;
for a 10,000-row import that doubled the time of the whole import. Here the history rows are
copied from the rows just inserted, by one INSERT … SELECT per batch inside the database. The
rows are those simple-history would write: every tracked field, the time, "+", the user and no
reason. On SQLite the records themselves are inserted by multi-row INSERT … RETURNING
statements with values the fields prepare themselves, as bulk_create stores them (tests compare
both), without the ORM compiling the statement value by value (a third of the import's time);
on PostgreSQL bulk_create is faster than that already.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

HISTORY_BATCH = 2000  # ids per statement: under every backend's limit on parameters
INSERT_PARAMETERS = 5000  # values per INSERT: likewise


def _insert(model, objects):
    """Insert new objects and set their primary keys, storing what bulk_create would store;
    anything this does not handle (preset keys, database defaults, expressions, fields with
    their own placeholders) goes to bulk_create itself."""
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    if (
        # PostgreSQL's bulk_create already sends one array per column (UNNEST): faster than this
        connection.vendor != "sqlite"
        or not connection.features.can_return_rows_from_bulk_insert
        or not meta.pk.auto_created
        or any(field.has_db_default() or hasattr(field, "get_placeholder") for field in fields)
        or any(obj.pk is not None for obj in objects)
    ):
        return model.objects.bulk_create(objects)
    rows = [[field.pre_save(obj, True) for field in fields] for obj in objects]
    if any(hasattr(value, "resolve_expression") for row in rows for value in row):
        return model.objects.bulk_create(objects)
    database = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is asked 10,000s of times
    rows = [
        [field.get_db_prep_save(value, database) for field, value in zip(fields, row, strict=True)]
        for row in rows
    ]
    quote = connection.ops.quote_name
    one_row = f"({', '.join(['%s'] * len(fields))})"
    # only names quoted by the backend are formatted in; every value is a parameter
    insert = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(field.column) for field in fields)}) VALUES "
    )
    per_statement = max(1, INSERT_PARAMETERS // len(fields))
    keys = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(
                f"{insert}{', '.join([one_row] * len(batch))} RETURNING {quote(meta.pk.column)}",
                [value for row in batch for value in row],
            )
            keys.extend(key for (key,) in cursor.fetchall())
    for obj, key in zip(objects, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def bulk_create_with_history(objects, *, user):
    """Insert ``objects`` (all of one model) and their history; returns the created objects."""
    if not objects:
        return []
    model = type(objects[0])
    created = _insert(model, objects)
    history = model.history.model
    quote = connection.ops.quote_name
    source_columns = [field.column for field in history.tracked_fields]
    target_columns = [
        history._meta.get_field(field.name).column for field in history.tracked_fields
    ]
    extra = ["history_date", "history_type", "history_user", "history_change_reason"]
    extra_columns = [history._meta.get_field(name).column for name in extra]
    extra_values = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        "+",
        getattr(user, "pk", None),
        None,
    ]
    ids = [obj.pk for obj in created]
    # only names quoted by the backend are formatted in; every value is a parameter
    insert = (
        f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608
        f"({', '.join(map(quote, target_columns + extra_columns))}) "
        f"SELECT {', '.join(map(quote, source_columns))}, %s, %s, %s, %s "
        f"FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} IN "
    )
    with connection.cursor() as cursor:
        for start in range(0, len(ids), HISTORY_BATCH):
            batch = ids[start : start + HISTORY_BATCH]
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(f"{insert}({placeholders})", [*extra_values, *batch])
    return created
