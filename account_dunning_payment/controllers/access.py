# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may see a debtor's page, and how its routes answer.

:class:`DebtorAccess` is what every route of the page receives instead of
the token; :func:`debtor_route` declares a route both behind the secret link
and under ``/my``; :func:`secure_response` adds the page's security headers
to every answer.
"""

import functools
from urllib.parse import quote

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.dunning_payment_page_request import DunningQuotaReached
from ..models.dunning_payment_token import hash_token, normalize_token

MY_PREFIX = "/my/collections"
# Every response of the debtor's page: never cached (a shared computer, a
# proxy), never sent as a referrer to another site (the link is secret),
# never indexed, never framed by another site.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": "frame-ancestors 'self'",
}


def secure_response(response):
    """Add :data:`SECURITY_HEADERS` to ``response`` (returned)."""
    headers = getattr(response, "headers", None)
    if headers is not None:
        for name, value in SECURITY_HEADERS.items():
            headers[name] = value
    return response


class DebtorAccess:
    """Who may see a debtor's page: a secret link, or a portal user.

    ``partner_id`` (the commercial partner) and ``company_id`` are sudoed
    records: every read is then restricted by hand to that debtor and company.
    ``prefix`` is the URL of the page, under which every other route lives.
    ``portal_user`` is the logged-in user under ``/my`` (none behind a link).
    """

    __slots__ = ("partner_id", "company_id", "prefix", "token", "portal_user")

    def __init__(self, partner, company, prefix, token=None, portal_user=None):
        self.partner_id = partner
        self.company_id = company
        self.prefix = prefix
        self.token = token
        self.portal_user = portal_user

    @property
    def is_portal(self):
        return not self.token


def debtor_route(routes, json=False, **kwargs):
    """Route a handler both behind the secret link and under ``/my``.

    ``routes`` are suffixes (``""`` for the page itself); the handler gets a
    :class:`DebtorAccess` instead of the token. A bad token answers a plain
    404 (an error for JSON); a visitor without a login on ``/my`` is sent to
    the login page. On an HTTP route, a :class:`~odoo.exceptions.UserError`
    (a :class:`~odoo.exceptions.ValidationError` too) rolls back what the
    handler did and sends the visitor back to the page with the generic
    error message, or the daily limit's message for a
    :class:`DunningQuotaReached`.

    The controller provides ``_dunning_access(token, json)``,
    ``_dunning_back(access, message)`` and ``_dunning_not_found()``.
    """

    def decorator(method):
        paths = []
        for suffix in routes:
            paths += [f"/collections/<string:token>{suffix}", f"{MY_PREFIX}{suffix}"]

        @http.route(
            paths,
            type="dunning_json" if json else "http",
            auth="public",
            sitemap=False,
            # The portal's layout (header, languages) for a portal user.
            website=True,
            **kwargs,
        )
        @functools.wraps(method)
        def wrapper(self, token=None, **params):
            # A parameter named like the handler's own (``?access=1``).
            params.pop("access", None)
            params.pop("self", None)
            if json:  # Errors answered by the dispatcher, with the headers.
                access = self._dunning_access(token, json=json)
                return method(self, access, **params)
            try:
                access = self._dunning_access(token, json=json)
                if not isinstance(access, DebtorAccess):
                    return secure_response(access)
                try:
                    with request.env.cr.savepoint():
                        response = method(self, access, **params)
                except DunningQuotaReached:
                    response = self._dunning_back(access, "limit")
                except UserError:  # ValidationError too: nothing is kept.
                    response = self._dunning_back(access, "error")
            except NotFound:
                response = self._dunning_not_found()
            return secure_response(response)

        return wrapper

    return decorator


class DebtorAccessMixin:
    """How a controller of the page finds the :class:`DebtorAccess` of a
    request (for :func:`debtor_route`), and answers when there is none."""

    def _dunning_ip(self):
        return request.httprequest.remote_addr or ""

    def _dunning_check_token(self, token, own_cursor=False):
        """Return the valid token record (sudo), or an empty recordset.

        A valid token is always served, whoever failed before from the same
        address. A bad one is counted per address and per link tried (see
        dunning.payment.token.attempt); a locked address is not recorded any
        more. HTTP routes answer 404 without raising, so the failure is
        committed with the request; JSON routes raise, so they log it in a
        cursor of its own.
        """
        Attempt = request.env["dunning.payment.token.attempt"].sudo()
        Token = request.env["dunning.payment.token"].sudo()
        token_sudo = Token._dunning_find(token)
        if token_sudo:
            return token_sudo
        ip = self._dunning_ip()
        digest = hash_token(normalize_token(token) or "")
        if own_cursor:
            with request.env.registry.cursor() as cr:
                Attempt.with_env(Attempt.env(cr=cr))._dunning_log_failure(ip, digest)
        else:
            Attempt._dunning_log_failure(ip, digest)
        return token_sudo

    def _dunning_access(self, token, json=False):
        """Return the :class:`DebtorAccess` of the request, or the response
        to give instead (404, login page)."""
        if token is None:
            user = request.env.user
            if user._is_public():
                if json:
                    raise Forbidden()
                path = request.httprequest.full_path.rstrip("?")
                return request.redirect(f"/web/login?redirect={quote(path)}")
            # The debtor is the user's company (commercial entity), in the
            # company the user works in: a portal user has one.
            return DebtorAccess(
                user.partner_id.commercial_partner_id.sudo(),
                request.env.company.sudo(),
                MY_PREFIX,
                portal_user=user,
            )
        token_sudo = self._dunning_check_token(token, own_cursor=json)
        if not token_sudo:
            if json:
                raise NotFound()
            return self._dunning_not_found()
        lang = token_sudo.partner_id.lang
        if lang and request.env["res.lang"]._lang_get(lang):
            request.update_context(lang=lang)
            token_sudo = token_sudo.with_context(lang=lang)
        return DebtorAccess(
            token_sudo.partner_id,
            token_sudo.company_id,
            f"/collections/{token}",
            token=token_sudo,
        )

    def _dunning_not_found(self):
        """A plain 404: no stack trace, nothing about the records."""
        return request.make_response(
            request.env._("This link is invalid or has expired."),
            headers=[("Content-Type", "text/plain; charset=utf-8")],
            status=404,
        )

    def _dunning_back(self, access, message):
        return request.redirect(f"{access.prefix}?message={message}")
