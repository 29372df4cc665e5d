/**
 * Type-checks sst.config.ts and infra/*.ts (tsconfig.json) against SST's declarations, strict,
 * and fails on any error in this repository's files. Errors inside `.sst/platform` (SST's
 * component sources, compiled by SST under its own settings) are not ours and are not reported.
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { ensurePlatform, sstVersion } from "./ensure-platform";
import { ROOT } from "./paths";

const CONFIG = join(dirname(fileURLToPath(import.meta.url)), "..", "tsconfig.json");

export function infraTypeErrors(): { files: string[]; errors: string } {
  const parsed = ts.getParsedCommandLineOfConfigFile(CONFIG, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`cannot read ${CONFIG}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
  const ours = program
    .getSourceFiles()
    .filter((file) => !file.fileName.includes("/.sst/") && !file.fileName.includes("/node_modules/"));
  const diagnostics = [
    ...parsed.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
  ];
  const errors = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => "\n",
  });
  return { files: ours.map((file) => relative(ROOT, file.fileName)), errors };
}

await ensurePlatform((line) => console.log(line));
const { files, errors } = infraTypeErrors();
if (errors) {
  process.stderr.write(errors);
  process.exit(1);
}
console.log(`sst.config.ts + infra: no type errors in ${files.length} files (TypeScript ${ts.version}, SST ${sstVersion()} declarations)`);
