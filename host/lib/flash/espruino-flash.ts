// Installs a firmware bundle on an Espruino board through its REPL: check
// that the port is an Espruino REPL (and the board the bundle was built
// for), write the bundle into Storage as .bootcde in chunks, read it back
// and compare, then load() it and wait for the token to answer HELLO.
// Files the token keeps (tt.*: accounts, clock, password) are left alone
// unless `wipe`; their contents are never read. No dependency on the
// `espruino` CLI, which ignores ptys and hangs on small uploads.
import { base64Decode, base64Encode } from '../../../protocol/base64.ts';
import { createFrameReader, encodeFrame, REPLY_MARKER, REQUEST_MARKER } from '../../../protocol/frame.ts';
import { latin1Bytes, latin1Text } from '../../../protocol/latin1.ts';
import { COMMANDS, decodeReply, encodeRequest } from '../../../protocol/messages.ts';
import type { Reply } from '../../../protocol/messages.ts';
import { TokenError } from '../errors.ts';
import type { Transport } from '../transport/transport.ts';
import { CTRL_C, EspruinoRepl, excerpt } from './espruino-repl.ts';
import { detokenise, lexEspruino, pretokenise, tokenFormFor, tokenText } from './espruino-tokens.ts';
import { runEspruinoMigration } from './espruino-migrate.ts';
import type { MigrationResult } from './espruino-migrate.ts';

/** Bytes per Storage.write line (684 base64 characters): well inside any board's input buffer. */
export const CHUNK_BYTES = 512;
export const BOOT_FILE = '.bootcde';
/** Every file Espruino runs or loads at boot (src/jsflash.c): the saved state, power-on code, boot files, reset code, and the boot code the token goes in. */
const BOOT_RUNS = ['.varimage', '.bootPowerOn', '.boot0', '.boot1', '.boot2', '.boot3', '.bootrst', BOOT_FILE];
const S = 'require("Storage")';

export interface FlashProgress {
  phase: 'write' | 'verify';
  done: number;
  total: number;
}

export interface FlashOptions {
  /** Accepted process.env.BOARD values (the profile's espruino.firmwareBoards); any if absent. */
  firmwareBoards?: string[];
  /** Erase the token's stored files (tt.*) too. */
  wipe?: boolean;
  onProgress?: (p: FlashProgress) => void;
  /** How to get the REPL back on this board, for the message when the token is running. */
  replMode?: string;
  /** Per-command timeout (default 5 s). */
  timeoutMs?: number;
  /** How long to wait for the token's HELLO after load() (default 8 s; 0 skips the check). */
  startTimeoutMs?: number;
  chunkBytes?: number;
  /** Store the bundle as text even where the board's Espruino reads tokens. */
  plainText?: boolean;
  /**
   * The storage migration script (firmware-bundle.ts migrationScript): run on
   * the board after the old bundle is erased and before the new one is
   * written, so records older firmware stored are in today's layout when it
   * starts (the bundle reads no other). Without it, they are left as they are.
   * Records it cannot read (damaged), or a migration that fails on the board,
   * make the flash throw FLASH_MIGRATE after the bundle is written and
   * started: it refuses to start over an old record, with the REPL off.
   */
  migration?: Uint8Array;
}

export interface FlashResult {
  espruino: { version: string; board: string };
  /** Bytes written to the board (and read back): the stored form. */
  bytes: number;
  /** The bundle's bytes as text (what was given). */
  textBytes: number;
  /** 'tokens': pretokenised for this Espruino (espruino-tokens.ts); 'text': as given, for the reason in `note`. */
  form: 'tokens' | 'text';
  note?: string;
  chunks: number;
  verified: true;
  wiped: boolean;
  /** tt.* files left on the board (the token's accounts, clock and password records). */
  keptFiles: number;
  /** What the storage migration did, if it ran. */
  migrated?: MigrationResult;
  /** The token answered HELLO after load(); its board id and firmware version. */
  started: { board: string; firmware: string } | null;
  seconds: number;
}

/** Listen for a token's HELLO reply: a port that runs totp-token instead of the REPL. */
async function probeToken(transport: Transport, repl: EspruinoRepl, timeoutMs: number): Promise<Reply | null> {
  let reply: Reply | null = null;
  const reader = createFrameReader(REPLY_MARKER, (body) => {
    try {
      const r = decodeReply(body);
      if (r.id === 201) reply = r;
    } catch {
      // not ours
    }
  }, () => {});
  reader.push(repl.pending());
  const end = Date.now() + timeoutMs;
  await transport.write(encodeFrame(REQUEST_MARKER, encodeRequest({ id: 201, command: COMMANDS.HELLO, fields: {} })));
  let seen = repl.pending().length;
  while (!reply && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    const text = repl.pending();
    reader.push(text.slice(seen));
    seen = text.length;
  }
  reader.push(repl.pending().slice(seen)); // what came in the last wait
  return reply;
}

/** Check the port is an Espruino REPL; returns process.env.VERSION and BOARD. */
export async function identifyEspruino(transport: Transport, repl: EspruinoRepl, opts: FlashOptions): Promise<{ version: string; board: string }> {
  const timeout = opts.timeoutMs ?? 5000;
  // Ctrl-C clears whatever was typed; then ask for the interpreter's version.
  await repl.write(CTRL_C);
  await repl.settle(150, 1000);
  const before = repl.pending();
  repl.discard();
  let answer: string | null = null;
  try {
    answer = await repl.command('print("TT"+"ID",process.env.VERSION,process.env.BOARD)', 'TTID', Math.min(timeout, 3000));
  } catch (e) {
    if (!(e instanceof TokenError) || e.code === 'FLASH_DEVICE') throw e;
  }
  const m = answer === null ? null : /^(\S+) (\S+)/.exec(answer);
  if (!m) {
    const seen = before + repl.pending();
    // The whole timeout, not less: a loaded host (or board) answered HELLO just after 2 s here.
    const token = await probeToken(transport, repl, timeout);
    if (token && token.status === 0) {
      const f = token.fields;
      throw new TokenError(
        'NOT_ESPRUINO',
        `${transport.address} runs totp-token (board ${String(f.board)}, firmware ${String(f.firmware)}), not the Espruino REPL: ` +
          `while the token runs, its USB carries only the token protocol. To reflash it, start the board in REPL mode` +
          (opts.replMode ? ` (${opts.replMode})` : '') + ', then run flash again.',
      );
    }
    const what = excerpt(seen + repl.pending());
    throw new TokenError(
      'NOT_ESPRUINO',
      `no Espruino REPL on ${transport.address}: it did not answer print(process.env.VERSION)` +
        (what ? ` and sent "${what}"` : ' and sent nothing') +
        '. Check --port, that the board runs Espruino firmware, and that no other program (a terminal, the Espruino IDE) has the port open.',
    );
  }
  const found = { version: m[1], board: m[2] };
  if (opts.firmwareBoards && opts.firmwareBoards.indexOf(found.board) < 0) {
    throw new TokenError(
      'WRONG_BOARD',
      `the Espruino on ${transport.address} is a ${found.board} (Espruino ${found.version}), but this bundle is for ${opts.firmwareBoards.join(' or ')}: pick the matching --board`,
    );
  }
  return found;
}

/**
 * What to store for an Espruino of `version`: the bundle pretokenised in the
 * form that version reads (espruino-tokens.ts tokenFormFor), or, where the
 * tokens might differ (a version not checked) or `plainText` is asked, the
 * text - a bundle given already tokenised is written back out as text then.
 */
export function storedForm(code: Uint8Array, version: string, plainText = false): { stored: Uint8Array; form: 'tokens' | 'text'; note?: string } {
  const text = latin1Text(code); // without Buffer: the web page flashes too
  const gate = plainText ? { form: null, reason: 'plain text was asked for' } : tokenFormFor(version);
  try {
    if (gate.form) return { stored: latin1Bytes(pretokenise(text, gate.form)), form: 'tokens' };
    const tokenised = lexEspruino(text).some((t) => t.raw || (text.charCodeAt(t.start) >= 128 && tokenText(t.tk) !== undefined));
    return { stored: tokenised ? latin1Bytes(detokenise(text)) : code, form: 'text', note: `stored as text: ${gate.reason}` };
  } catch (e) {
    throw new TokenError('BAD_INPUT', `the firmware bundle is not JavaScript Espruino can read: ${(e as Error).message}`);
  }
}

export async function flashEspruino(transport: Transport, bundle: Uint8Array, opts: FlashOptions = {}): Promise<FlashResult> {
  const started = Date.now();
  const timeout = opts.timeoutMs ?? 5000;
  const chunk = opts.chunkBytes ?? CHUNK_BYTES;
  if (bundle.length === 0) throw new TokenError('BAD_INPUT', 'the firmware bundle is empty');
  const repl = new EspruinoRepl(transport);
  const espruino = await identifyEspruino(transport, repl, opts);
  // The form this board's Espruino reads, decided before anything is erased.
  const { stored: code, form, note } = storedForm(bundle, espruino.version, opts.plainText);
  const total = code.length;

  // Saved state, and every file Espruino runs at boot (src/jsflash.c jsfLoadBootCodeFromFlash:
  // .bootPowerOn, .boot0 to .boot3, then .bootrst or .bootcde), would run instead of or besides the
  // token: one left by another app or a previous owner could set a timer that gives the REPL back
  // to USB once the token runs (test/attack/boot-files-on-espruino.test.ts). Drop them all, and
  // the old token, before writing. By name as well as by what list() shows: a StorageFile's chunk
  // is a file named after it plus the chunk number as a character, and list() shows only its first
  // (".boot\x01"), while boot runs its 48th (".boot0") or a ".bootrs"'s 116th (".bootrst") as any file.
  // The token's own tt.* files stay unless wiping.
  const wipe = opts.wipe ? `${S}.list(/^tt\\./).forEach(function(f){${S}.erase(f)});` : '';
  const kept = await repl.command(
    `${JSON.stringify(BOOT_RUNS)}.concat(${S}.list(/^\\.boot/)).forEach(function(f){${S}.erase(f)});${wipe}print("TT"+"PREP",${S}.list(/^tt\\./).length)`,
    'TTPREP',
    timeout * 2,
  );

  const buf = code;
  let chunks = 0;
  for (let off = 0; off < total; off += chunk) {
    const part = base64Encode(buf.subarray(off, Math.min(total, off + chunk)));
    const size = off === 0 ? ',' + total : '';
    // Four times the usual wait: a write may make Storage compact the flash first, which takes seconds.
    const ok = await repl.command(`print("TT"+"W",${S}.write("${BOOT_FILE}",atob("${part}"),${off}${size}),${off})`, 'TTW', timeout * 4);
    if (ok !== `true ${off}`) throw new TokenError('FLASH_WRITE', `Storage.write of bytes ${off}.. failed on the board (answer: ${excerpt(ok, 60)})`);
    chunks++;
    opts.onProgress?.({ phase: 'write', done: Math.min(total, off + chunk), total });
  }

  // Read back what the board stored and compare it byte for byte.
  const length = await repl.command(`print("TT"+"L",${S}.read("${BOOT_FILE}").length)`, 'TTL', timeout);
  if (Number(length) !== total) throw new TokenError('FLASH_VERIFY', `verification failed: the board holds ${length} bytes of ${BOOT_FILE}, ${total} were sent`);
  for (let off = 0; off < total; off += chunk) {
    const n = Math.min(chunk, total - off);
    const line = await repl.command(`print("TT"+"R",${off},btoa(${S}.read("${BOOT_FILE}",${off},${n})))`, 'TTR', timeout);
    const m = /^(\d+) ([A-Za-z0-9+/=]*)$/.exec(line.trim());
    const back = m && Number(m[1]) === off ? base64Decode(m[2]) : null;
    if (!back || firstDifference(back, buf.subarray(off, off + n)) !== n || back.length !== n) {
      const where = back ? firstDifference(back, buf.subarray(off, off + n)) : 0;
      throw new TokenError('FLASH_VERIFY', `verification failed: bytes at ${off + where} differ from what was written (read back ${back ? back.length : 0} of ${n}); nothing was started, flash again`);
    }
    opts.onProgress?.({ phase: 'verify', done: off + n, total });
  }

  // Older firmware's records into today's layout, on the board, after the new bundle is written and verified
  // and before it starts: the old bundle is gone (firmware 0.1 would take converted records for missing: no
  // password), and a flash killed or reset from here on leaves a bundle that either starts or refuses to start
  // over the records left (REPL off either way), never a board without one, which would boot to an open REPL
  // where any host could read every seed. The window without a bundle is the write and the read-back only.
  let migrated: MigrationResult | undefined;
  let failed: unknown = null;
  if (opts.migration && !opts.wipe) {
    try {
      migrated = await runEspruinoMigration(repl, opts.migration, chunk, timeout);
    } catch (e) {
      // Whatever failed (the script on the board, an exception, no answer), the written bundle is
      // started below before this is thrown: stopping here would leave the REPL open on USB.
      failed = e;
    }
  }

  // Start it. The token takes the console off this port, so from here on only frames come back.
  try {
    await repl.write('\x10load()\n');
  } catch (e) {
    if (!failed) throw e;
  }
  if (failed) throw failed; // every record is either as it was (the bundle refuses to start) or converted
  if (migrated && migrated.left) {
    // Written and started all the same: over the records left it refuses to
    // start ("run totp-token flash"), but it takes the console off USB first.
    // With no bundle the board would boot to an open REPL at every power-up,
    // and any host it is plugged into could read every seed from Storage.
    throw new TokenError(
      'FLASH_MIGRATE',
      `${migrated.left} record(s) older firmware stored are damaged and could not be converted; they were left as they are, and the new firmware does not start over them. ` +
        // The command, not just the option: the web page's flasher has no wipe choice.
        'To erase them (and every account, the clock and the password), start the board in REPL mode and run: totp-token flash --wipe',
    );
  }
  let token: FlashResult['started'] = null;
  const startTimeout = opts.startTimeoutMs ?? 8000;
  if (startTimeout > 0) {
    await repl.settle(200, 1500);
    const end = Date.now() + startTimeout;
    while (!token && Date.now() < end) {
      const r = await probeToken(transport, repl, 1000);
      if (r && r.status === 0) token = { board: String(r.fields.board), firmware: String(r.fields.firmware) };
    }
  }
  return {
    espruino,
    bytes: total,
    textBytes: bundle.length,
    form,
    ...(note ? { note } : {}),
    chunks,
    verified: true,
    wiped: !!opts.wipe,
    keptFiles: Number(kept) || 0,
    ...(migrated ? { migrated } : {}),
    started: token,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
