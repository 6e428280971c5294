"""Make audit_auditdigest and audit_auditverification append-only, like the events.

Same rules as 0002: UPDATE and DELETE refused row by row; on PostgreSQL TRUNCATE is
refused unless the table is already empty. The PostgreSQL function names the table
it guards in its message, so one function serves both tables.

0003 added a column to audit_auditevent. On SQLite that was an ``ALTER TABLE ADD
COLUMN``, which keeps triggers, but 0002 asks every later migration that alters the
table to reinstall them, so this one does (dropping them first if they survived).
"""

from django.db import migrations

TABLES = ("audit_auditdigest", "audit_auditverification")

POSTGRES_INSTALL = [
    """
    CREATE FUNCTION audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        has_rows boolean;
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)',
                           TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO has_rows;
            IF NOT has_rows THEN
                RETURN NULL;
            END IF;
        END IF;
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
]
for _table in TABLES:
    POSTGRES_INSTALL += [
        f"""
        CREATE TRIGGER {_table}_refuse_update_delete
        BEFORE UPDATE OR DELETE ON {_table}
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
        """,
        f"""
        CREATE TRIGGER {_table}_refuse_truncate
        BEFORE TRUNCATE ON {_table}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
        """,
    ]
POSTGRES_UNINSTALL = [
    statement
    for _table in TABLES
    for statement in (
        f"DROP TRIGGER IF EXISTS {_table}_refuse_truncate ON {_table}",
        f"DROP TRIGGER IF EXISTS {_table}_refuse_update_delete ON {_table}",
    )
] + ["DROP FUNCTION IF EXISTS audit_refuse_change()"]

# The event table's own triggers, exactly as 0002 created them.
SQLITE_EVENT_TRIGGERS = [
    "DROP TRIGGER IF EXISTS audit_event_refuse_update",
    "DROP TRIGGER IF EXISTS audit_event_refuse_delete",
    """
    CREATE TRIGGER audit_event_refuse_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_event_refuse_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE refused'); END
    """,
]
SQLITE_INSTALL = list(SQLITE_EVENT_TRIGGERS)
for _table in TABLES:
    for _op in ("UPDATE", "DELETE"):
        SQLITE_INSTALL.append(
            f"""
            CREATE TRIGGER {_table}_refuse_{_op.lower()} BEFORE {_op} ON {_table}
            BEGIN SELECT RAISE(ABORT, '{_table} is append-only: {_op} refused'); END
            """
        )
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {_table}_refuse_{_op}"
    for _table in TABLES
    for _op in ("update", "delete")
]


def _statements(vendor, install):
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_UNINSTALL
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_UNINSTALL
    raise NotImplementedError(f"No append-only triggers for {vendor}.")


def install(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, install=True):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, install=False):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_department_digests_verifications")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
