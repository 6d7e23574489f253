import type { CodeLanguage } from "../../engine";

/** Dify's `dependencies` on a code node: packages its sandbox would install before running. */
export type CodeDependencies = ReadonlyArray<{ name: string; version?: string | null }> | null | undefined;

function named(dependencies: CodeDependencies): Array<{ name: string; version?: string | null }> {
  return (dependencies ?? []).filter((dependency) => dependency.name.trim() !== "");
}

function spec(dependency: { name: string; version?: string | null }): string {
  return dependency.version ? `${dependency.name} ${dependency.version}` : dependency.name;
}

/**
 * One warning per declared dependency: Waggle installs no packages (Python has the standard
 * library only; JavaScript has no module loader), so code that imports them will fail.
 *
 * @example
 * dependencyWarnings("python3", [{ name: "pandas", version: "2.2" }])
 * // ["The package 'pandas 2.2' is listed in this node's dependencies, but Waggle's sandbox has only Python's standard library: importing it will fail"]
 */
export function dependencyWarnings(language: CodeLanguage, dependencies: CodeDependencies): string[] {
  const sandbox = language === "python3" ? "Waggle's sandbox has only Python's standard library" : "Waggle's JavaScript sandbox cannot load packages";
  return named(dependencies).map((dependency) => `The package '${spec(dependency)}' is listed in this node's dependencies, but ${sandbox}: importing it will fail`);
}

const importFailures: Record<CodeLanguage, RegExp> = {
  python3: /^Python package '[^']+' is not available/,
  javascript: /'?require'? is not defined|\bimport\b|Cannot find module|could not load module/i,
};

/**
 * When code fails to import a package and the node declares dependencies, says that the declared
 * packages are not installed, naming them, so the author sees why without reading the code.
 */
export function explainDependencyFailure(language: CodeLanguage, error: string, dependencies: CodeDependencies): string {
  const declared = named(dependencies);
  if (!declared.length || !importFailures[language].test(error)) return error;
  const names = declared.map((dependency) => `'${dependency.name}'`).join(", ");
  const instead = language === "python3" ? "use the standard library instead" : "use built-in JavaScript instead";
  return `${error}. This node lists ${names} in its dependencies; Waggle does not install packages, so ${instead}`;
}
