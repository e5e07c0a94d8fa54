"""The DuckDB warehouse: DDL migrations, the build-then-swap writer, audits and read-only queries.

All SQL of the project lives in ``warehouse/sql/`` and every DuckDB call in this package.
"""
