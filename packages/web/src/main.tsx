import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { configureAuth } from "./auth/cognito";
import { ConfigError } from "./ConfigError";
import { loadConfig } from "./config";
import { startServiceWorker } from "./pwa/service-worker";
import { UpdatePrompt } from "./pwa/UpdatePrompt";
import "./styles.css";

startServiceWorker();
const root = createRoot(document.getElementById("root")!);
const result = loadConfig(import.meta.env);

if (result.ok) {
  configureAuth(result.config);
  root.render(
    <StrictMode>
      <App config={result.config} />
      <UpdatePrompt />
    </StrictMode>,
  );
} else {
  console.error(
    `Tasks is not configured: ${result.problems.map((problem) => `${problem.variable} (${problem.message})`).join(", ")}`,
  );
  root.render(<ConfigError problems={result.problems} />);
}
