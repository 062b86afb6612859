// A fake Espruino REPL on a real pty (socat, as the simulator's link): it
// prints the banner and `>` prompts, echoes what is typed unless the line
// starts with DLE (0x10), clears the line on Ctrl-C, and evaluates each line
// in a node:vm sandbox that has only what the flasher uses - Storage with
// Espruino's rules (fake-espruino-storage.ts: a file is created whole at offset
// 0, later writes go to erased bytes only, a Uint8Array's bytes are stored), print, atob/btoa, process.env, load() - so anything
// else fails as on a device with "Uncaught ReferenceError" - plus what the
// flasher's one-shot storage migration (firmware/migrate-espruino.ts, sent
// into a variable and eval()ed) reads: `global`, E.CRC32, E.toString and
// E.toUint8Array (src/jswrap_espruino.c, in fake-espruino-e.ts, the one fake E
// the harness uses too), and getTime (src/jswrap_interactive.c), which the
// minified bundles' wrapper passes in whether or not they call it. Storage keeps
// bytes (binary strings, as the flasher's atob("...") writes them), so the
// pretokenised form the flasher stores for the `version` it reports (2v29 by
// default: tokens; see host/lib/flash/espruino-tokens.ts) is kept as sent.
// Test hooks: corrupt the bytes stored by one write, and run the stored boot
// code on load().
import vm from 'node:vm';
import { fakeEspruinoE } from './fake-espruino-e.ts';
import { fakeEspruinoStorage } from './fake-espruino-storage.ts';
import { openPtyLink } from '../../firmware/ports/node/serial-links.ts';
import type { SimLink } from '../../firmware/ports/node/serial-links.ts';

export const BANNER =
  '\r\n ____                 _ \r\n|  __|___ ___ ___ _ _|_|___ ___ \r\n|  __|_ -| . |  _| | | |   | . |\r\n|____|___|  _|_| |___|_|_|_|___|\r\n         |_| espruino.com\r\n';

export interface FakeReplOptions {
  /** Where the pty link goes (a path in a temp folder). */
  linkPath: string;
  version?: string;
  board?: string;
  /** Flip one byte of what a Storage.write at this offset stores in this file (after it "succeeds"). */
  corrupt?: { file: string; offset: number };
  /** Files already on the board (byte strings). */
  files?: Map<string, string>;
  /** Called on load(), with the files and the link: the test can boot the stored code. */
  onLoad?: (files: Map<string, string>, link: SimLink) => void;
}

export interface FakeRepl {
  address: string;
  files: Map<string, string>;
  /** Every line evaluated, in order (without DLE). */
  lines: string[];
  /** Whether load() was called (the REPL then stops answering). */
  loaded: boolean;
  close(): Promise<void>;
}

export async function startFakeEspruinoRepl(opts: FakeReplOptions): Promise<FakeRepl> {
  const link = await openPtyLink(opts.linkPath);
  const files = opts.files ?? new Map<string, string>();
  const state: FakeRepl = { address: link.address, files, lines: [], loaded: false, close: () => link.close() };
  const out = (text: string) => link.write(text);

  // src/jswrap_storage.c and src/jsflash.c: in fake-espruino-storage.ts (shared with the harness).
  const storage = fakeEspruinoStorage(files, () => sandbox, {
    afterWrite: (name, offset, length) => {
      const c = opts.corrupt;
      if (!c || c.file !== name || c.offset !== offset) return;
      const f = files.get(name)!;
      const at = offset + Math.floor(length / 2);
      files.set(name, f.slice(0, at) + String.fromCharCode(f.charCodeAt(at) ^ 0x20) + f.slice(at + 1));
    },
  });
  const sandbox = vm.createContext({
    require: (m: string) => {
      if (m === 'Storage') return storage;
      throw new Error(`Module ${m} not found`);
    },
    print: (...args: unknown[]) => out(args.map(String).join(' ') + '\r\n'),
    atob: (s: string) => Buffer.from(String(s), 'base64').toString('latin1'),
    btoa: (s: string) => Buffer.from(String(s), 'latin1').toString('base64'),
    process: { env: { VERSION: opts.version ?? '2v29', BOARD: opts.board ?? 'PICO_R1_3' } },
    // src/jswrap_interactive.c getTime: the system time in seconds, a float. The bundle and the migration
    // script take it as an argument of their wrapper (property-index.ts), so evaluating them reads it.
    getTime: () => Date.now() / 1000,
    load: () => {
      state.loaded = true;
    },
    // E.toString, toUint8Array, CRC32, mapInPlace: src/jswrap_espruino.c, in fake-espruino-e.ts (shared with the harness).
    E: fakeEspruinoE(() => sandbox),
  });
  sandbox.global = sandbox; // Espruino's `global`: the root scope

  let line = '';
  let echo = true;
  let lastWasCr = false;

  function evaluate(text: string, echoed: boolean): void {
    state.lines.push(text);
    if (echoed) out('\r\n');
    if (text.trim() !== '') {
      try {
        const result = vm.runInContext(text, sandbox, { timeout: 1000 });
        if (echoed && result !== undefined) out('=' + JSON.stringify(result) + '\r\n');
      } catch (e) {
        const err = e as Error;
        out(`Uncaught ${err.name === 'Error' ? 'Error' : err.name}: ${err.message}\r\n at line 1 col 1\r\n`);
      }
    }
    if (state.loaded) {
      out(BANNER + ' 2v29 (c) 2026 G.Williams\r\n\r\n');
      opts.onLoad?.(files, link);
      return;
    }
    out('>');
  }

  link.onData((chunk) => {
    if (state.loaded) return; // the loaded program has the link now (onLoad replaces this handler)
    for (const ch of chunk) {
      if (ch === '\x03') {
        // Ctrl-C: drop the line being typed.
        if (line !== '') out('\r\n');
        line = '';
        echo = true;
        out('>');
      } else if (ch === '\x10' && line === '') {
        echo = false;
      } else if (ch === '\r' || ch === '\n') {
        if (ch === '\n' && lastWasCr) {
          lastWasCr = false;
          continue;
        }
        const text = line;
        const echoed = echo;
        line = '';
        echo = true;
        evaluate(text, echoed);
        if (state.loaded) return;
      } else {
        line += ch;
        if (echo) out(ch);
      }
      lastWasCr = ch === '\r';
    }
  });
  out(BANNER + ` ${opts.version ?? '2v29'} (c) 2026 G.Williams\r\n\r\n>`);
  return state;
}
