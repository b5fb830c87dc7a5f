// The forms of instruction refine understands offline, each with an example, as the forms
// table of docs/planner.md lists them (refineForms.test.ts keeps the two the same).

export interface RefineForm {
  /** The form, as docs/planner.md names it. */
  form: string;
  /** What the panel's chip says, when shorter than `form`. */
  label?: string;
  /** One of the examples the docs give for it, word for word. */
  example: string;
}

export const REFINE_FORMS: readonly RefineForm[] = [
  { form: "Add a step", example: "also text the customer" },
  { form: "Add an approval", example: "ask finance to approve refunds over 500" },
  { form: "Remove a step", example: "drop the tax step" },
  { form: "Change the approval", label: "Change an approval", example: "the approval should time out after 2 days" },
  { form: "Change a threshold", example: "raise the limit to $2,000" },
  { form: "Rename a step", example: "rename notify to welcome" },
  { form: "Order two steps", label: "Reorder", example: "put the ticket before the email" },
  { form: "Swap a step", example: "swap the email for a ticket" },
  { form: "Set an input", example: "set the subject of send_email to 'Welcome!'" },
  { form: "Say a step again, other values", label: "Change values", example: "charge in EUR instead" },
  { form: "Pick a listed value", label: "Pick an option", example: "use DHL for shipping" },
  { form: "Copy someone in", example: "also cc bob@x.com on the receipt" },
  { form: "Retry a step", example: "retry the payment 3 times" },
  { form: "Guard a step", example: "only charge it if the order is valid" },
];
