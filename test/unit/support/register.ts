/**
 * The mocha `--require` file (.mocharc.json): installs the `vscode` stand-in before any test file loads,
 * so any module of src/views (or src/extension.ts) can be imported by a unit test; and the root hook that
 * lets a test skip only with a reason (skips.ts).
 */
import './vscode';

export { mochaHooks } from './skips';
