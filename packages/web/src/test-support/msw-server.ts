import { setupServer } from "msw/node";

/** One msw server for the component tests; each test installs its services with server.use(). */
export const server = setupServer();
