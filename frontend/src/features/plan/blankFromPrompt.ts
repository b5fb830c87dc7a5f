// A flow to build by hand from a prompt the planner could not map: named from the prompt's
// first words, described by the whole prompt, and started as the blank flow is (one output).
// It is a draft the designer opens unsaved (/flows/draft): a flow exists once it is saved, so
// trying and leaving leaves nothing in the Flows list.

const MAX_NAME = 60;

/** A flow name from a prompt: its first sentence, cut at a word within 60 characters. */
export function nameFromPrompt(prompt: string): string {
  const text = prompt.trim().replace(/\s+/g, " ");
  const sentence = (text.split(/(?<=[.!?])\s/)[0] ?? text).replace(/[.!?,;:]+$/, "");
  let name = sentence;
  if (name.length > MAX_NAME) {
    const cut = name.slice(0, MAX_NAME + 1);
    const space = cut.lastIndexOf(" ");
    name = `${(space > 20 ? cut.slice(0, space) : cut.slice(0, MAX_NAME)).replace(/[,;:]$/, "")}…`;
  }
  return name ? name.charAt(0).toUpperCase() + name.slice(1) : "Untitled flow";
}

/** Where the designer opens a draft: the IR travels in the navigation's state. */
export const DRAFT_PATH = "/flows/draft";

/** The draft IR for `prompt`; nothing is saved. */
export function draftFromPrompt(prompt: string): Record<string, unknown> {
  const name = nameFromPrompt(prompt);
  const description = prompt.trim().slice(0, 4000);
  return {
    ir_version: "1.0",
    name,
    description,
    input_schema: { type: "object" },
    nodes: [{ id: "result", type: "output", title: "Result", value: "input" }],
    metadata: { planner: "editor", prompt: description },
  };
}
