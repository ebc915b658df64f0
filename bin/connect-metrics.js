#!/usr/bin/env node
// The `connect-metrics` command. The CLI is TypeScript; tsx compiles it on the fly
// so `npx connect-metrics` works straight after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
