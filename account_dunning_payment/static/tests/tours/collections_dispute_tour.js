/** @odoo-module */
/* Copyright 2026 Dunning Advanced Contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

// A debtor opens the link of a reminder (no login) and disputes the second
// overdue invoice with a reason and a message.
registry.category("web_tour.tours").add("account_dunning_payment_dispute", {
    steps: () => [
        {
            content: "The page offers to dispute an invoice",
            trigger: ".o_collections_page form.o_collections_dispute",
        },
        {
            content: "Choose the second overdue invoice",
            trigger: "#dispute_invoice",
            run: "selectByIndex 1",
        },
        {
            content: "Choose a reason",
            trigger: "#dispute_reason",
            run: "selectByIndex 0",
        },
        {
            content: "Explain",
            trigger: "#dispute_message",
            run: "edit The goods arrived broken",
        },
        {
            content: "Send the dispute",
            trigger: ".o_collections_dispute button[type='submit']",
            run: "click",
        },
        {
            content: "Back on the page: the confirmation is shown",
            trigger: ".o_collections_page .o_collections_message_dispute",
            timeout: 30000,
        },
    ],
});
