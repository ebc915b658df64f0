#!/usr/bin/env node
// The `connect-metrics` command. The CLI is TypeScript; tsx compiles it on the fly
// so `npx connect-metrics` works straight after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

// The CLI runs on the developer's Node (20+); the Lambda functions run on Node 22,
// so the SDK's notice about its future Node 22 requirement is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// kinesalite and s3rver use a deprecated http API (DEP0066); that is theirs, not the user's concern.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if ('code' in w && w.code === 'DEP0066') return;
  console.warn(`${w.name}: ${w.message}`);
});

register();
await import('../cli/main.ts');
