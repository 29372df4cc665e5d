/**
 * docs/openapi.json, built from the route table (routes.ts), what operations.ts says of each route
 * and the zod contract through zod's own JSON Schema output (draft 2020-12, the dialect of
 * OpenAPI 3.1). Request schemas are converted as the handlers read them (`io: "input"`: defaults
 * optional, query values strings), answers as the handlers write them (`io: "output"`).
 */
import {
  BulkCompleteInput,
  BulkCompleteResult,
  ClearCompletedResult,
  CreateListInput,
  CreateTodoInput,
  ErrorBody,
  ErrorDetail,
  List,
  ListCollection,
  PatchListInput,
  PatchTodoInput,
  SyncChange,
  SyncPage,
  Todo,
  TodoPage,
  type ErrorCode,
} from "@tasks/core/contract";
import * as z from "zod";
import { routeKey, routes } from "../routes.js";
import {
  COMMON_ERRORS,
  ERROR_CODES,
  operations,
  PATH_PARAMETERS,
  REQUEST_HEADERS,
  RETRY_AFTER_CODES,
  type Operation,
} from "./operations.js";

type JsonSchema = Record<string, unknown>;
type Io = "input" | "output";

interface Component {
  schema: z.ZodType;
  io: Io;
  description: string;
}

/** The contract's named schemas, as components/schemas. */
const COMPONENTS: Record<string, Component> = {
  Todo: {
    schema: Todo,
    io: "output",
    description:
      "A task. `id` is a ULID (sorts by creation); timestamps are ISO-8601 UTC; `version` starts at 1 and every write adds one; `listId` is `default` unless set; `due` is a date `YYYY-MM-DD` or null; `completedAt` is null while the task is open.",
  },
  TodoPage: { schema: TodoPage, io: "output", description: "A page of tasks; pass `nextCursor` as `?cursor=` for the next one." },
  List: {
    schema: List,
    io: "output",
    description: "A list of tasks. Every user has the list `default` (named \"Tasks\"), which can be renamed and moved, never deleted.",
  },
  ListCollection: { schema: ListCollection, io: "output", description: "Every list of the caller, by `position`." },
  BulkCompleteResult: { schema: BulkCompleteResult, io: "output", description: "How many tasks mark all changed." },
  ClearCompletedResult: { schema: ClearCompletedResult, io: "output", description: "How many completed tasks were deleted." },
  SyncChange: {
    schema: SyncChange,
    io: "output",
    description: "One change: the item as it is now (`deleted: false`), or that it is gone (`deleted: true`, also for every task of a deleted list).",
  },
  SyncPage: {
    schema: SyncPage,
    io: "output",
    description:
      "Changes to apply in order, and the cursor to pass as `?since=` next (while `hasMore`, at once). Changes of the last 30 s may come again on the next pull: apply them idempotently.",
  },
  ErrorDetail: { schema: ErrorDetail, io: "output", description: "One problem with the request: where, and what." },
  ErrorBody: { schema: ErrorBody, io: "output", description: "Every error the functions answer." },
  CreateTodoInput: {
    schema: CreateTodoInput,
    io: "input",
    description:
      "`title`: trimmed, 1 to 500 characters, no control characters. `notes`: up to 4 000 characters, newlines allowed. `due`: a real date `YYYY-MM-DD`, years 2000 to 2999, or null. `listId`: `default` or one of the caller's lists. Any other field is a 400.",
  },
  PatchTodoInput: {
    schema: PatchTodoInput,
    io: "input",
    description: "At least one field, each as in CreateTodoInput; `due: null` clears the due date, a new `listId` moves the task.",
  },
  BulkCompleteInput: { schema: BulkCompleteInput, io: "input", description: "What every matching task becomes." },
  CreateListInput: { schema: CreateListInput, io: "input", description: "`name`: trimmed, 1 to 100 characters, no control characters." },
  PatchListInput: { schema: PatchListInput, io: "input", description: "At least one of `name`, `position`." },
};

/** API Gateway's own answer (its authorizer's 401, its throttle's 429): not the functions' envelope. */
const GATEWAY_MESSAGE: JsonSchema = {
  description: "API Gateway's own answer, before any function runs.",
  type: "object",
  properties: { message: { type: "string" } },
  required: ["message"],
};

const SCHEMA_REF = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** zod's draft 2020-12 output minus what only a standalone schema needs. */
function embedded(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function componentSchemas(): Record<string, JsonSchema> {
  const converted: Record<string, JsonSchema> = {};
  for (const io of ["output", "input"] as const) {
    const registry = z.registry<{ id: string; description: string }>();
    for (const [id, component] of Object.entries(COMPONENTS)) {
      if (component.io === io) registry.add(component.schema, { id, description: component.description });
    }
    const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}` });
    for (const [id, schema] of Object.entries(schemas)) converted[id] = embedded(schema as JsonSchema);
  }
  return Object.fromEntries(Object.keys(COMPONENTS).map((id) => [id, converted[id]!]));
}

function componentOf(schema: z.ZodType, io: Io): string {
  const found = Object.entries(COMPONENTS).find(([, component]) => component.schema === schema && component.io === io);
  if (!found) throw new Error(`A route uses a contract schema that is not a component (${io}); add it to COMPONENTS`);
  return found[0];
}

function inline(schema: z.ZodType, io: Io): JsonSchema {
  return embedded(z.toJSONSchema(schema, { io }) as JsonSchema);
}

function parameters(path: string, operation: Operation): JsonSchema[] {
  const inPath = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
    const parameter = PATH_PARAMETERS[name!];
    if (!parameter) throw new Error(`No PATH_PARAMETERS entry for {${name}}`);
    return { name, in: "path", required: true, description: parameter.description, schema: inline(parameter.schema, "input") };
  });
  const inQuery: JsonSchema[] = [];
  if (operation.query) {
    const query = inline(operation.query.schema, "input") as { properties: Record<string, JsonSchema>; required?: string[] };
    const described = Object.keys(operation.query.parameters);
    const names = Object.keys(query.properties);
    if (described.join() !== names.join()) {
      throw new Error(`${operation.operationId}: query parameters described (${described}) are not the schema's (${names})`);
    }
    for (const name of names) {
      inQuery.push({
        name,
        in: "query",
        required: query.required?.includes(name) ?? false,
        description: operation.query.parameters[name],
        schema: query.properties[name],
      });
    }
  }
  const inHeaders = (operation.headers ?? []).map((name) => ({ name, in: "header", required: false, ...REQUEST_HEADERS[name] }));
  return [...inPath, ...inQuery, ...inHeaders];
}

function errorResponses(operation: Operation): Record<string, JsonSchema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...operation.errors, ...COMMON_ERRORS])) {
    const { status } = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, JsonSchema> = {};
  for (const [status, codes] of byStatus) {
    const envelope = {
      allOf: [SCHEMA_REF("ErrorBody"), { type: "object", properties: { error: { type: "object", properties: { code: { enum: codes } } } } }],
    };
    responses[String(status)] = {
      description: codes.map((code) => `\`${code}\`: ${ERROR_CODES[code].when}`).join(" "),
      headers: {
        "x-request-id": { $ref: "#/components/headers/RequestId" },
        ...(codes.some((code) => RETRY_AFTER_CODES.includes(code)) ? { "Retry-After": { $ref: "#/components/headers/RetryAfter" } } : {}),
      },
      content: {
        "application/json": { schema: status === 401 ? { anyOf: [envelope, SCHEMA_REF("GatewayMessage")] } : envelope },
      },
    };
  }
  responses["429"] = {
    description:
      "Over a route's throttle or the account's: API Gateway answers `{\"message\":\"Too Many Requests\"}` (the offline gateway also sends `Retry-After`).",
    headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } },
    content: { "application/json": { schema: SCHEMA_REF("GatewayMessage") } },
  };
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

function operationObject(path: string, operation: Operation): JsonSchema {
  const { success } = operation;
  const successResponse: JsonSchema = {
    description: success.description,
    headers: {
      "x-request-id": { $ref: "#/components/headers/RequestId" },
      ...(success.location
        ? { Location: { description: `The new resource: \`${success.location}\`.`, required: true, schema: { type: "string" } } }
        : {}),
    },
    ...(success.schema ? { content: { "application/json": { schema: SCHEMA_REF(componentOf(success.schema, "output")) } } } : {}),
  };
  const params = parameters(path, operation);
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    ...(params.length ? { parameters: params } : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: SCHEMA_REF(componentOf(operation.body, "input")) } },
          },
        }
      : {}),
    responses: { [String(success.status)]: successResponse, ...errorResponses(operation) },
  };
}

export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const operation = (operations as Record<string, Operation | undefined>)[routeKey(route)];
    if (!operation) throw new Error(`No OpenAPI operation for ${routeKey(route)}`);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operationObject(route.path, operation);
  }
  return {
    openapi: "3.1.1",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: "Tasks API",
      version: "2.0.0",
      description:
        "Tasks and lists of the signed-in user. Every route needs a Cognito access token; the user is the token's `sub`, never anything in the request. Errors are `{\"error\":{\"code\",\"message\",\"details\"?,\"requestId\",\"currentVersion\"?}}`. Generated from the zod contract (`pnpm docs:openapi`): do not edit by hand.",
    },
    tags: [
      { name: "Tasks", description: "Tasks (todos), in lists." },
      { name: "Lists", description: "The caller's lists, the default one included." },
      { name: "Sync", description: "A replica of the caller's lists and tasks: a snapshot, then the changes after a cursor." },
    ],
    security: [{ cognitoAccessToken: [] }],
    paths,
    components: {
      schemas: { ...componentSchemas(), GatewayMessage: GATEWAY_MESSAGE },
      headers: {
        RequestId: { description: "The request's id, also in the error body and the logs.", schema: { type: "string" } },
        RetryAfter: { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 0 } },
      },
      securitySchemes: {
        cognitoAccessToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "`Authorization: Bearer <Cognito user pool access token>`. An ID token is refused (401).",
        },
      },
    },
  };
}

/** The file's exact text: what `pnpm docs:openapi` writes and the test compares. */
export function openApiJson(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}
