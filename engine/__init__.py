"""Business rules of sales_performance that need no database.

Nothing in this package imports ``odoo``: the models call these functions, and
``tests/engine`` unit-tests them with plain pytest in milliseconds.
"""
