"""Alembic environment and revisions for Proctor's schema."""
