// Worker-thread entry: loads the TypeScript worker through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./seed-worker.ts');
