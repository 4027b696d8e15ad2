/** @odoo-module */
/* Copyright 2026 Dunning Advanced Contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

// A debtor opens the link of a reminder (no login), selects two overdue
// invoices, pays them with the demo provider and lands back on the page.
registry.category("web_tour.tours").add("account_dunning_payment_pay", {
    steps: () => [
        {
            content: "The page lists the open invoices",
            trigger: ".o_collections_page .o_collections_pay_form",
        },
        {
            content: "Select the first overdue invoice",
            trigger: ".o_collections_pay_form tbody tr.table-danger:nth-child(1) input[name='invoice_ids']",
            run: "check",
        },
        {
            content: "Select the second overdue invoice",
            trigger: ".o_collections_pay_form tbody tr.table-danger:nth-child(2) input[name='invoice_ids']",
            run: "check",
        },
        {
            content: "Leave the invoice not yet due aside",
            trigger: ".o_collections_pay_form tbody tr:not(.table-danger) input[name='invoice_ids']",
            run: "uncheck",
        },
        {
            content: "Pay the selection",
            trigger: "button.o_collections_pay",
            run: "click",
        },
        {
            content: "The payment page shows the total of the two invoices",
            trigger: ".o_collections_pay_invoices li:nth-child(2):last-child",
        },
        {
            content: "Choose the demo provider",
            trigger: "input[name='o_payment_radio'][data-provider-code='demo']",
            run: "click",
        },
        {
            content: "The demo form simulates a successful payment",
            trigger: "#simulated_payment_state",
            run: "select done",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
        },
        {
            content: "Back on the page: the confirmation is shown",
            trigger: ".o_collections_page .o_collections_message_paid",
            timeout: 30000,
        },
        {
            content: "with the receipt of the payment",
            trigger: ".o_collections_receipt .o_collections_receipt_reference",
        },
    ],
});
