// Pure helpers for the flow documents the list creates, imports, exports and copies.
import { ApiError } from "../../lib/api";
import type { IrDocument } from "./api";
import { notValidJsonMessage } from "./jsonSyntax";

/** The smallest valid flow: one output node that returns the run input. */
export function blankIr(name: string, description: string): IrDocument {
  return {
    ir_version: "1.0",
    name,
    description,
    input_schema: { type: "object" },
    nodes: [{ id: "result", type: "output", title: "Result", value: "input" }],
    metadata: { planner: "editor" },
  };
}

export type ParsedImport = { ok: true; name: string; ir: IrDocument } | { ok: false; error: string };

/** Reads an IR file's text; the flow takes the document's name, else the file's. */
export function parseIrFile(text: string, fileName: string): ParsedImport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: notValidJsonMessage(text, error instanceof Error ? error.message : String(error)) };
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: `${fileName} does not hold a flow: expected a JSON object.` };
  }
  const ir = value as IrDocument;
  const fromDocument = typeof ir.name === "string" ? ir.name.trim() : "";
  const name = fromDocument || fileName.replace(/\.json$/i, "") || "Imported flow";
  return { ok: true, name, ir };
}

/** The IR of a copy: the same graph under the copy's name. */
export function copyIr(ir: IrDocument, name: string): IrDocument {
  return { ...ir, name };
}

export function copyName(name: string): string {
  return `Copy of ${name}`.slice(0, 200);
}

/** A file name for a flow's export: its name, without characters file systems refuse. */
export function exportFileName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ").replace(/\s+/g, " ").trim();
  return `${cleaned || "flow"}.json`;
}

export interface ProblemLine {
  where: string;
  message: string;
  hint?: string;
}

/** Every specific the API gave about a refusal: field messages and the IR's issues. */
export function errorProblems(error: unknown): ProblemLine[] {
  if (!(error instanceof ApiError)) return [];
  const lines: ProblemLine[] = [];
  for (const [field, messages] of Object.entries(error.fields)) {
    for (const message of Array.isArray(messages) ? messages : [String(messages)]) {
      lines.push({ where: field, message: String(message) });
    }
  }
  const issues = error.details.errors;
  if (Array.isArray(issues)) {
    for (const issue of issues as Array<Record<string, unknown>>) {
      const where = [issue.node, issue.field].filter((part) => typeof part === "string" && part).join(" · ");
      lines.push({
        where,
        message: String(issue.message ?? issue.code ?? "invalid"),
        hint: typeof issue.hint === "string" && issue.hint ? issue.hint : undefined,
      });
    }
  }
  return lines;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
