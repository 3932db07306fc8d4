export { runDemo, type DemoOptions, type DemoResult } from './run-demo';
export { EXAMPLE_DIR, prepareDemo, toolsNodeModules, DemoSetupError, type PreparedDemo } from './prepare';
