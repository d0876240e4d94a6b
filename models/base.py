"""Malformed values sent to the addon's models (issue #17, hostile input).

Odoo converts the values of ``create``/``write`` field by field and lets a
value it cannot convert fail as a bare ``ValueError``/``TypeError`` (a text
in a number, an impossible date, a selection key that does not exist, a
malformed x2many command) or as a PostgreSQL error at flush time (an integer
beyond 32 bits, a text holding NUL); and it stores NaN and infinities. On
the addon's own models these become a ``ValidationError`` naming the field,
before anything is written. The values Odoo accepts stay accepted (same
conversions), except the non-finite numbers, which no figure may hold.
"""

import math

from odoo import api, fields, models
from odoo.api import NewId
from odoo.exceptions import ValidationError

MODULE = "sales_performance"
INT_MAX = 2**31 - 1
# no figure of the addon (amounts, scores, rates, hours) comes near 10^15; beyond
# it, rounding to the field's digits overflows
MAX_NUMBER = 1e15
X2MANY_ARITY = {0: 3, 1: 3, 2: 2, 3: 2, 4: 2, 5: 1, 6: 3}


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model_create_multi
    def create(self, vals_list):
        if self._original_module == MODULE:
            for vals in vals_list:
                self._sales_performance_check_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        if self._original_module == MODULE:
            self._sales_performance_check_values(vals)
        return super().write(vals)

    def _sales_performance_check_values(self, vals):
        for fname, value in vals.items():
            field = self._fields.get(fname)
            if field is None or value is None or value is False:
                continue
            problem = self._sales_performance_value_problem(field, value)
            if problem:
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(model)s: %(problem)s",
                        field=field._description_string(self.env),
                        model=self._description,
                        problem=problem,
                    )
                )

    def _sales_performance_value_problem(self, field, value):
        """Why ``value`` cannot be stored in ``field`` (None when it can)."""
        kind = field.type
        if kind in ("float", "monetary", "integer"):
            try:
                number = (int if kind == "integer" else float)(value or 0)
            except (TypeError, ValueError, OverflowError):
                return self.env._("%(value)s is not a number.", value=_short(value))
            if kind == "integer" and not -INT_MAX <= number <= INT_MAX:
                return self.env._("%(value)s is out of range.", value=number)
            if kind != "integer" and not math.isfinite(number):
                return self.env._("%(value)s is not a finite number.", value=number)
            if kind != "integer" and abs(number) > MAX_NUMBER:
                return self.env._(
                    "%(value)s is beyond the largest figure stored (%(max)s).",
                    value=number,
                    max=f"{MAX_NUMBER:.0e}",
                )
        elif kind in ("char", "text", "html"):
            if isinstance(value, str) and "\x00" in value:
                return self.env._("a text cannot hold a NUL character.")
        elif kind in ("date", "datetime"):
            convert = (
                fields.Date.to_date if kind == "date" else fields.Datetime.to_datetime
            )
            try:
                convert(value)
            except (TypeError, ValueError, OverflowError):
                return self.env._("%(value)s is not a valid date.", value=_short(value))
        elif kind == "selection":
            selection = field._selection
            if isinstance(selection, (list, dict)) and not _in(value, dict(selection)):
                return self.env._(
                    "%(value)s is not one of its values.", value=_short(value)
                )
        elif kind == "many2one":
            if isinstance(value, (str, bytes, float, list, set)):
                return self.env._("%(value)s is not a record id.", value=_short(value))
            if _is_int(value) and not 0 <= value <= INT_MAX:
                return self.env._("%(value)s is not a record id.", value=value)
        elif kind in ("one2many", "many2many") and not _commands_ok(value):
            return self.env._(
                "%(value)s is not a list of commands.", value=_short(value)
            )
        return None


def _commands_ok(value):
    """Whether ``value`` is something Odoo takes for an x2many field."""
    if isinstance(value, models.BaseModel):
        return True
    if not isinstance(value, (list, tuple)):
        return False
    for command in value:
        if not _command_ok(command):
            return False
    return True


def _command_ok(command):
    if _is_int(command):
        return 0 < command <= INT_MAX
    if isinstance(command, (NewId, dict, models.BaseModel)):
        return True
    if not isinstance(command, (list, tuple)) or not command:
        return False
    code = command[0]
    if (
        not _is_int(code)
        or code not in X2MANY_ARITY
        or len(command) < X2MANY_ARITY[code]
    ):
        return False
    if code in (1, 2, 3, 4) and not (
        _is_int(command[1]) or isinstance(command[1], NewId)
    ):
        return False
    if code in (0, 1) and not isinstance(command[2], dict):
        return False
    if code == 6:
        ids = command[2]
        if isinstance(ids, models.BaseModel):
            return True
        if isinstance(ids, (str, bytes, dict)) or _is_int(ids):
            return False
        if not isinstance(ids, (list, tuple)):
            return True  # another iterable: Odoo reads it
        return all(
            isinstance(i, NewId) or (_is_int(i) and 0 < i <= INT_MAX) for i in ids
        )
    return True


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_int(value):
    """An int (or an int enum such as Command), not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def _in(value, mapping):
    try:
        return value in mapping
    except TypeError:  # unhashable
        return False
