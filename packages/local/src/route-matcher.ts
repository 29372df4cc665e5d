/**
 * Matches requests against route keys in API Gateway's syntax ("GET /todos/{id}"): literal
 * segments match exactly, `{name}` matches one non-empty segment, `{name+}` the rest of the
 * path. The most specific route wins (literal before parameter before greedy), as on API
 * Gateway. Parameter values are URL-decoded.
 */
export interface RouteDefinition {
  method: string;
  path: string;
}

export interface RouteMatch<R> {
  route: R;
  routeKey: string;
  pathParameters?: Record<string, string>;
}

type Segment = { kind: "literal"; value: string } | { kind: "param"; name: string } | { kind: "greedy"; name: string };

function parse(path: string): Segment[] {
  return path
    .split("/")
    .slice(1)
    .map((part): Segment => {
      const param = /^\{([^}+]+)(\+)?\}$/.exec(part);
      if (!param) return { kind: "literal", value: part };
      return param[2] ? { kind: "greedy", name: param[1]! } : { kind: "param", name: param[1]! };
    });
}

function specificity(segments: Segment[]): number[] {
  return segments.map((segment) => (segment.kind === "literal" ? 3 : segment.kind === "param" ? 2 : 1));
}

export function createRouteMatcher<R extends RouteDefinition>(routes: readonly R[]) {
  const compiled = routes
    .map((route) => ({ route, segments: parse(route.path), routeKey: `${route.method} ${route.path}` }))
    .sort((a, b) => {
      const sa = specificity(a.segments);
      const sb = specificity(b.segments);
      for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
        const diff = (sb[i] ?? 0) - (sa[i] ?? 0);
        if (diff !== 0) return diff;
      }
      return 0;
    });

  return function match(method: string, rawPath: string): RouteMatch<R> | undefined {
    const parts = rawPath.split("/").slice(1);
    for (const candidate of compiled) {
      if (candidate.route.method !== method) continue;
      const parameters = matchSegments(candidate.segments, parts);
      if (!parameters) continue;
      return {
        route: candidate.route,
        routeKey: candidate.routeKey,
        ...(Object.keys(parameters).length ? { pathParameters: parameters } : {}),
      };
    }
    return undefined;
  };
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i];
    if (segment.kind === "greedy") {
      const rest = parts.slice(i).join("/");
      if (!rest) return undefined;
      parameters[segment.name] = safeDecode(rest);
      return parameters;
    }
    if (part === undefined) return undefined;
    if (segment.kind === "literal") {
      if (part !== segment.value) return undefined;
    } else {
      if (part === "") return undefined;
      parameters[segment.name] = safeDecode(part);
    }
  }
  return parts.length === segments.length ? parameters : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
