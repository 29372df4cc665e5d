import { isoDay } from "../planned/dates";

/** Saves the export as `tasks-export-<date>.json` through a download link. */
export function downloadJson(document_: Record<string, unknown>, now = new Date()): string {
  const name = `tasks-export-${isoDay(now)}.json`;
  const url = URL.createObjectURL(new Blob([JSON.stringify(document_, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
