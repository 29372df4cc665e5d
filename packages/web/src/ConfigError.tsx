import type { ConfigProblem } from "./config";

/** Shown instead of the app when the build or dev server was started without its VITE_* settings. */
export function ConfigError({ problems }: { problems: ConfigProblem[] }) {
  return (
    <main className="auth-screen">
      <div className="auth-form" role="alert">
        <h1>Tasks is not configured</h1>
        <p>The app cannot start because these settings are missing or invalid:</p>
        <ul>
          {problems.map((problem) => (
            <li key={problem.variable}>
              <code>{problem.variable}</code>: {problem.message}
            </li>
          ))}
        </ul>
        <p>
          Run <code>pnpm start</code> for the offline stack, or deploy with <code>sst deploy</code>, which set them.
        </p>
      </div>
    </main>
  );
}
