// Wasm files are bundled by wrangler as compiled modules.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
