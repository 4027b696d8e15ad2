# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import subprocess

import lxml.html
from lxml import etree

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

#: Whether this machine's wkhtmltopdf is built with its patched Qt (read once).
_PATCHED_QT = {}


class IrActionsReport(models.Model):
    """Print many documents in one call of an unpatched wkhtmltopdf."""

    _inherit = "ir.actions.report"

    @api.model
    def _dunning_wkhtmltopdf_patched(self):
        """Return whether wkhtmltopdf is built with its patched Qt, which
        prints several documents in one call (and splits them by outlines)."""
        if "patched" not in _PATCHED_QT:
            try:
                version = subprocess.run(
                    [_get_wkhtmltopdf_bin(), "--version"],
                    capture_output=True,
                    text=True,
                    timeout=30,
                    check=False,
                ).stdout
            except (OSError, subprocess.SubprocessError):
                version = ""
            _PATCHED_QT["patched"] = "patched qt" in version.lower()
        return _PATCHED_QT["patched"]

    @api.model
    def _dunning_merge_bodies(self, bodies):
        """Return the HTML bodies of the documents as one, each document
        starting a new page: what an unpatched wkhtmltopdf prints in one call.

        Each body is a whole page of the report's layout (its stylesheets in
        the head, the same for all); the documents' contents follow each other
        in the first one's body.
        """
        documents = [lxml.html.document_fromstring(body) for body in bodies]
        target = documents[0].body
        for document in documents[1:]:
            etree.SubElement(target, "div", style="page-break-before: always;")
            for child in list(document.body):
                target.append(child)
        return lxml.html.tostring(
            documents[0], encoding="unicode", doctype="<!DOCTYPE html>"
        )

    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        """Within ``dunning_merge_bodies``, print the documents in one call
        when wkhtmltopdf cannot take several (built without its patched Qt,
        which also ignores the headers and footers): one page each is then
        split by pages, as Odoo does (``_render_qweb_pdf_prepare_streams``).
        """
        if (
            self.env.context.get("dunning_merge_bodies")
            and len(bodies) > 1
            and not self._dunning_wkhtmltopdf_patched()
        ):
            bodies = [self._dunning_merge_bodies(bodies)]
        return super()._run_wkhtmltopdf(
            bodies,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
