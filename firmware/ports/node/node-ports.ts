// The Ports pieces every Node-hosted token shares (the simulator, the
// johnny-five board): its serial link (with an optional trace of what it
// sends), file storage, timers that stop on close, node:crypto hashes and RNG.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { nodeHashes } from './node-hashes.ts';
import type { Ports } from '../../ports.ts';
import { fileStorage } from './file-storage.ts';
import { migrateStorage } from '../../migrate.ts';
import type { SimLink } from './serial-links.ts';

export type NodeRuntimePorts = Pick<Ports, 'serial' | 'storage' | 'timers' | 'hashes' | 'random'> & {
  /** Stop the app's timers (on close). */
  stopTimers(): void;
};

export function nodeRuntimePorts(link: SimLink, stateDir: string, traceOut?: (text: string) => void): NodeRuntimePorts {
  const intervals: NodeJS.Timeout[] = [];
  const storage = fileStorage(join(stateDir, 'storage'));
  // Records older firmware stored are converted at every start (no REPL here to run it once, as the Espruino flasher does);
  // one it cannot read stays, and the checked storage loads it as damaged: the token starts and WIPE on the device stays possible.
  migrateStorage(storage);
  return {
    serial: {
      write: (t) => {
        traceOut?.(t);
        link.write(t);
      },
      onData: (h) => link.onData(h),
    },
    storage: storage,
    timers: {
      setInterval: (fn, ms) => {
        const h = setInterval(fn, ms);
        intervals.push(h);
        return h;
      },
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    },
    hashes: nodeHashes(),
    random: (n) => new Uint8Array(randomBytes(n)),
    stopTimers: () => {
      for (const h of intervals) clearInterval(h);
    },
  };
}
