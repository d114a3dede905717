/**
 * Preloaded (`node --import`) into a workshop's setup and cleanup scripts. A workshop folder lives
 * anywhere and installs nothing, so `import { $ } from 'zx'` would not resolve there: a resolve
 * hook retries such imports from kubelab's own install. zx's globals (`$`, `cd`, `fs`…) are set too,
 * so a script may use `$` without importing it.
 */
import { register } from 'node:module';

register(new URL('./zx-resolve.js', import.meta.url), { data: { parentURL: import.meta.url } });
await import('zx/globals');
