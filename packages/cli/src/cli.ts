#!/usr/bin/env node
// The `ladon` binary. Everything happens in runLadon (main.ts).
import { runLadon } from './main.js';

process.exitCode = await runLadon(process.argv.slice(2));
