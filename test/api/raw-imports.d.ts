// Vite's `?raw` suffix imports a file's text (DSL fixtures in the workers tests, which have no fs).
declare module "*?raw" {
  const text: string;
  export default text;
}
