export { pythonRunnerSource } from "./python-runner-source";
