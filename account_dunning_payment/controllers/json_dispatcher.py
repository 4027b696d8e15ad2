# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ``dunning_json`` routing type: JSON-RPC of the debtor's page."""

import logging

from werkzeug.exceptions import Forbidden, NotFound

from odoo.exceptions import UserError
from odoo.http import JsonRPCDispatcher

from .access import secure_response

_logger = logging.getLogger(__name__)


class DunningJsonDispatcher(JsonRPCDispatcher):
    """JSON-RPC for the debtor's page: errors without Odoo's debug data.

    Odoo's JSON-RPC errors carry the server's traceback (``data.debug``); on
    a page open to the internet, a refused payment says why in one sentence
    (the payment form shows ``data.message``) and nothing else: the message
    of a user error, a generic one for anything else (logged on the server).

    Odoo registers a dispatcher by its ``routing_type`` when the class is
    defined (``Dispatcher.__init_subclass__``): importing this module is
    enough.
    """

    routing_type = "dunning_json"

    def _response(self, result=None, error=None):
        return secure_response(super()._response(result=result, error=error))

    def handle_error(self, exc):
        if isinstance(exc, NotFound):
            code, message = 404, "404: Not Found"
            text = self.request.env._("This link is invalid or has expired.")
        elif isinstance(exc, UserError | Forbidden):
            code, message = 200, "Odoo Server Error"
            text = exc.args[0] if isinstance(exc, UserError) else "Forbidden"
        else:
            _logger.exception("Error on the payment page")
            code, message = 200, "Odoo Server Error"
            text = self.request.env._("Your request could not be processed.")
        return self._response(
            error={
                "code": code,
                "message": message,
                "data": {"name": "UserError", "message": text, "arguments": [text]},
            }
        )
