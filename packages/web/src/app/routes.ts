/**
 * The app's places, in the URL hash. The default list keeps TodoMVC's routes (`#/`, `#/active`,
 * `#/completed`) so any TodoMVC test can drive it; other lists nest theirs under `#/lists/<id>`.
 */
import { DEFAULT_LIST_ID } from "@tasks/core/contract";
import { useCallback, useEffect, useState } from "react";

export type Filter = "all" | "active" | "completed";

export type Route =
  | { view: "list"; listId: string; filter: Filter }
  | { view: "planned" }
  | { view: "search"; query: string };

const FILTERS: readonly Filter[] = ["all", "active", "completed"];
const asFilter = (part: string | undefined): Filter | null =>
  part === undefined || part === "" ? "all" : FILTERS.includes(part as Filter) && part !== "all" ? (part as Filter) : null;

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, "");
  const [head, ...rest] = path.split("/");
  if (head === "planned") return { view: "planned" };
  if (head === "search") return { view: "search", query: safeDecode(rest.join("/")) };
  if (head === "lists" && rest[0]) {
    const filter = asFilter(rest[1]);
    if (filter) return { view: "list", listId: safeDecode(rest[0]), filter };
  }
  return { view: "list", listId: DEFAULT_LIST_ID, filter: asFilter(head) ?? "all" };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function listHref(listId: string, filter: Filter = "all"): string {
  const suffix = filter === "all" ? "" : filter;
  if (listId === DEFAULT_LIST_ID) return `#/${suffix}`;
  return `#/lists/${encodeURIComponent(listId)}${suffix ? `/${suffix}` : ""}`;
}

export const PLANNED_HREF = "#/planned";
export const searchHref = (query: string) => `#/search/${encodeURIComponent(query)}`;

/** The current route, and a way to go elsewhere (`replace`: no new history entry, as for typing). */
export function useRoute(): [Route, (href: string, options?: { replace?: boolean }) => void] {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onHashChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onHashChange);
    return () => window.removeEventListener("hashchange", onHashChange);
  }, []);
  const navigate = useCallback((href: string, options: { replace?: boolean } = {}) => {
    if (options.replace) {
      history.replaceState(history.state, "", href);
      setRoute(parseHash(href));
    } else {
      window.location.hash = href;
    }
  }, []);
  return [route, navigate];
}
