// Which documents the extension hands to the server.

import type { TextDocument } from "vscode";
import type { DocumentSelector } from "vscode-languageclient";

/**
 * Plain-text and Markdown files, and every unsaved tab whatever language VS
 * Code guessed for it (a report pasted into a new tab may be taken for
 * "Ini"): the server checks a tab of another language only when its text
 * looks like a report, the same test as for a `.txt` file.
 */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: "file", language: "plaintext" },
  { scheme: "file", language: "markdown" },
  // Saved web pages: the server checks the page as rendered, findings in its source.
  { scheme: "file", language: "html" },
  { scheme: "untitled" },
];

export function checksDocument(doc: Pick<TextDocument, "languageId" | "uri">): boolean {
  return (
    doc.uri.scheme === "untitled" ||
    (doc.uri.scheme === "file" && (doc.languageId === "plaintext" || doc.languageId === "markdown" || doc.languageId === "html"))
  );
}
