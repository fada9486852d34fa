/**
 * Imported first by extension.ts, so esbuild places it first in the bundle: the time between this
 * line and the end of extension.ts's top level is what loading our code costs, before activate().
 */
export const bundleLoadStarted = performance.now();
