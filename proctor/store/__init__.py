"""Persistence: SQLAlchemy 2.0 typed tables, the database engine, and Alembic migrations."""
