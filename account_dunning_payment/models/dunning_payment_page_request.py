# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import os
import unicodedata
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

# Files attached to a dispute from the page.
DISPUTE_MAX_FILES = 5
DISPUTE_MAX_FILE_SIZE = 10 * 1024 * 1024
# Every file of one dispute together, and of every dispute of a debtor in a day.
DISPUTE_MAX_TOTAL_SIZE = 20 * 1024 * 1024
DISPUTE_MAX_DAILY_SIZE = 50 * 1024 * 1024
FILENAME_MAX_LENGTH = 100

_OLE = ("application/msword", "application/vnd.ms-excel", "application/x-ole-storage")
_OLE += ("application/cdfv2", "application/vnd.ms-office")
_TEXT = ("text/plain", "text/csv")
# Extension -> the types the content may be sniffed as (Odoo's own guesser,
# or libmagic when installed, which names some types differently).
DISPUTE_FILE_TYPES = {
    "pdf": ("application/pdf",),
    "png": ("image/png",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "gif": ("image/gif",),
    "webp": ("image/webp",),
    "heic": ("image/heic", "image/heif"),
    "heif": ("image/heic", "image/heif"),
    "doc": _OLE,
    "xls": _OLE,
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "odt": ("application/vnd.oasis.opendocument.text",),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet",),
    "csv": _TEXT,
    "txt": _TEXT,
}
HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heif")


class DunningQuotaReached(UserError):
    """The link (or, under ``/my``, the debtor) already made the company's
    daily number of requests of a kind: the page says so instead of a
    generic error."""


class DunningPaymentPageRequest(models.Model):
    """A request a visitor made on the payment page: a copy, a dispute, a
    promise. Counted to cap what one link (or, under ``/my``, one debtor) may
    trigger in a day, see :meth:`_dunning_quota_reached`."""

    _name = "dunning.payment.page.request"
    _description = "Request from the payment page"
    _order = "id desc"
    _log_access = False

    kind = fields.Selection(
        [("copy", "Copy"), ("dispute", "Dispute"), ("promise", "Promise")],
        required=True,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade"
    )
    token_id = fields.Many2one(
        "dunning.payment.token", index=True, ondelete="cascade", string="Link"
    )
    files_size = fields.Integer(help="Bytes of the files attached (disputes).")
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)

    # ------------------------------------------------------------------
    # Daily quotas
    # ------------------------------------------------------------------
    @api.model
    def _dunning_day_start(self):
        """Requests are counted over the last 24 hours."""
        return fields.Datetime.now() - timedelta(days=1)

    @api.model
    def _dunning_quota_limit(self, kind, company):
        return {
            "copy": company.dunning_page_max_copies,
            "dispute": company.dunning_page_max_disputes,
            "promise": company.dunning_page_max_promises,
        }[kind]

    @api.model
    def _dunning_quota_domain(self, kind, partner, company, token=None):
        """Per link for a visitor holding a link, per debtor under ``/my``."""
        domain = [
            ("kind", "=", kind),
            ("company_id", "=", company.id),
            ("date", ">=", self._dunning_day_start()),
        ]
        if token:
            return domain + [("token_id", "=", token.id)]
        return domain + [("partner_id", "=", partner.id), ("token_id", "=", False)]

    @api.model
    def _dunning_quota_reached(self, kind, partner, company, token=None):
        """Whether one more ``kind`` request would exceed the company's limit
        of the day for this link (``token``) or debtor."""
        limit = self._dunning_quota_limit(kind, company)
        count = self.sudo().search_count(
            self._dunning_quota_domain(kind, partner, company, token), limit=limit
        )
        return count >= limit

    @api.model
    def _dunning_check_quota(self, kind, partner, company, token=None):
        """Refuse one more ``kind`` request beyond the daily limit (see
        :meth:`_dunning_quota_reached`).

        :raise DunningQuotaReached: when the limit is reached.
        """
        if self._dunning_quota_reached(kind, partner, company, token):
            raise DunningQuotaReached(
                self.env._(
                    "We have already received several requests of this kind "
                    "today: our credit department will get back to you. You can "
                    "send a new one tomorrow."
                )
            )

    @api.model
    def _dunning_record(self, kind, partner, company, token=None, files_size=0):
        return self.sudo().create(
            {
                "kind": kind,
                "partner_id": partner.id,
                "company_id": company.id,
                "token_id": token.id if token else False,
                "files_size": files_size,
            }
        )

    @api.model
    def _dunning_files_size_today(self, partner, company):
        """Bytes of the dispute files a debtor sent in the last 24 hours."""
        groups = self.sudo()._read_group(
            [
                ("kind", "=", "dispute"),
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("date", ">=", self._dunning_day_start()),
            ],
            aggregates=["files_size:sum"],
        )
        return groups[0][0] or 0 if groups else 0

    # ------------------------------------------------------------------
    # Dispute files
    # ------------------------------------------------------------------
    @api.model
    def _dunning_clean_filename(self, name):
        """The base name of ``name`` without path, control or format
        characters (bidi overrides, zero-width), bounded in length; the
        extension is kept."""
        name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
        name = "".join(
            char
            for char in unicodedata.normalize("NFC", name)
            if unicodedata.category(char)[0] not in ("C", "Z") or char == " "
        )
        name = " ".join(name.split()).strip(" .")
        stem, ext = os.path.splitext(name)
        ext = ext[:10]
        stem = stem[: FILENAME_MAX_LENGTH - len(ext)].strip(" .")
        return f"{stem or 'file'}{ext}"

    @api.model
    def _dunning_file_type_ok(self, filename, content):
        """Whether ``content`` is of a type the page accepts, matching the
        extension of ``filename``: the content decides, not the visitor."""
        ext = os.path.splitext(filename)[1].lower().lstrip(".")
        allowed = DISPUTE_FILE_TYPES.get(ext)
        if not allowed or not content:
            return False
        sniffed = (guess_mimetype(content, default="") or "").lower()
        if sniffed in allowed:
            return True
        if ext in ("heic", "heif"):
            return content[4:8] == b"ftyp" and content[8:12] in HEIC_BRANDS
        if ext in ("csv", "txt") and not sniffed:
            # Odoo's guesser only knows UTF-8 text: accept other encodings
            # of plain text, nothing binary.
            return b"\x00" not in content[:4096]
        return False

    @api.model
    def _dunning_check_dispute_files(self, files, partner, company):
        """Sort the files sent with a dispute into kept and refused.

        :param files: ``(filename, content)`` pairs, as sent.
        :return: ``(kept, refused)``: the ``(clean name, content)`` pairs to
            attach, and the clean names of the files left out.
        """
        kept, refused = [], []
        budget = min(
            DISPUTE_MAX_TOTAL_SIZE,
            DISPUTE_MAX_DAILY_SIZE - self._dunning_files_size_today(partner, company),
        )
        for index, (filename, content) in enumerate(files):
            name = self._dunning_clean_filename(filename)
            if (
                index >= DISPUTE_MAX_FILES
                or not content
                or len(content) > DISPUTE_MAX_FILE_SIZE
                or len(content) > budget
                or not self._dunning_file_type_ok(name, content)
            ):
                refused.append(name)
                continue
            budget -= len(content)
            kept.append((name, content))
        return kept, refused

    @api.autovacuum
    def _gc_requests(self):
        self.sudo().search(
            [("date", "<", fields.Datetime.now() - timedelta(days=2))]
        ).unlink()
