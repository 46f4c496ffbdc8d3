// Runs a CommonJS bundle from its text, as the web extension host runs an extension's own bundle
// (it fetches the file and calls `new Function('module', 'exports', 'require', text)`): the one way
// to load code on demand that works in both hosts, the worker having no `require` of files.

/** The bundle's exports. It may require nothing: what it needs is bundled into it. */
export function runCommonJsBundle<T>(source: string, name: string): T {
  const module = { exports: {} as T };
  const noRequire = (request: string) => {
    throw new Error(`${name}: cannot require '${request}'`);
  };
  // The sourceURL names the bundle in stack traces and the debugger. (`new Function` is meant here:
  // the bundle is ours, built beside this file.)
  new Function('module', 'exports', 'require', `${source}\n//# sourceURL=${name}`)(module, module.exports, noRequire);
  return module.exports;
}
