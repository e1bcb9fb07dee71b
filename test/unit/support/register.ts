/**
 * The mocha `--require` file (.mocharc.json): installs the `vscode` stand-in before any test file loads,
 * so any module of src/views (or src/extension.ts) can be imported by a unit test.
 */
import './vscode';
