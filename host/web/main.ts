// The totp-token web page: host/lib's client over a Web Serial port or over a
// MessagePort to the try-it token in a worker. One request at a time; every
// one that needs the token's button shows the same prompt and countdown as
// the CLI; errors read as the CLI's (host/lib/error-text.ts's explainError, which the CLI uses too),
// but point at the page's own fields and buttons where the CLI's name its options and commands.
// Key inputs are cleared as soon as their value is read.
import { explainError } from '../lib/error-text.ts';
import { TokenClient } from '../lib/client.ts';
import type { AccountInfo, DeviceInfo, Waiting } from '../lib/client.ts';
import type { PskcProtection } from '../lib/import/pskc.ts';
import type { KeyDerivation } from './pskc-panel.ts';
import type { ImportedAccount } from '../lib/import/source.ts';
import { DEMO_URI } from '../lib/demo-key.ts';
import { TokenError } from '../lib/errors.ts';
import { nobleHashes } from '../lib/hashes/noble-hashes.ts';
import { accountFromText, accountFromUri } from '../lib/key-input.ts';
import type { Transport } from '../lib/transport/transport.ts';
import { tokenPortFilters, webSerialTransport } from '../lib/transport/web-serial.ts';
import type { WebSerial } from '../lib/transport/web-serial.ts';
import { byId, el, show } from './dom.ts';
import { PAGE_WORDS } from './page-words.ts';
import type { TrySimulator } from './sim/simulator.ts';

let client: TokenClient | null = null;
let simulator: TrySimulator | null = null;
let busy = false;
/** The connected token has a USB password: every new session it starts is locked. */
let passwordSet = false;
/** The user pressed Cancel on the prompt during the request now running. */
let cancelled = false;

const status = byId('status');
const errorBox = byId('error');
const prompt = byId('prompt');
const promptText = byId('prompt-text');
const tokenSection = byId('token');
const connectSection = byId('connect');

function say(text: string): void {
  status.textContent = text;
}

function showError(e: unknown): void {
  errorBox.textContent = explainError(e, PAGE_WORDS).message;
  show(errorBox, true);
}

// --- the button prompt, as the CLI's pressPrompt, with a countdown -------
let promptTimer: number | undefined;
function onWaiting(w: Waiting): void {
  let left = w.timeoutS;
  const paint = () => (promptText.textContent = `Press the button on your token to confirm: ${w.action} (within ${left} s)`);
  paint();
  show(prompt, true);
  window.clearInterval(promptTimer);
  promptTimer = window.setInterval(() => {
    left = Math.max(0, left - 1);
    paint();
  }, 1000);
}
function hidePrompt(): void {
  window.clearInterval(promptTimer);
  show(prompt, false);
}
byId('prompt-cancel').addEventListener('click', () => {
  cancelled = true;
  void client?.interrupt().catch(showError);
});

/** Run one request: buttons off meanwhile, errors shown, the prompt gone after. */
async function run<T>(what: string, fn: (c: TokenClient) => Promise<T>): Promise<T | undefined> {
  if (!client) return undefined;
  if (busy) return undefined;
  busy = true;
  document.body.classList.add('busy');
  show(errorBox, false);
  say(`${what}...`);
  cancelled = false;
  try {
    const out = await fn(client);
    return out;
  } catch (e) {
    say('');
    if (sessionGone(e)) {
      // Unlike a CLI command, the page keeps one session open; once the token
      // ended it (reset with the port still open, another host's HELLO, or
      // the page silent too long) every further request would be refused.
      // Only a new connection (a new HELLO, and the password again) helps.
      showError(new TokenError('SESSION_ENDED', 'the token ended this session (it restarted, another host connected, or the page was silent too long): connect again'));
      await disconnect();
      return undefined;
    }
    if ((cancelled && passwordSet) || (e instanceof TokenError && e.code === 'LOCKED')) {
      // Cancel drops the request by a new session (HostLink.interrupt), and a
      // token with a USB password locks every new one: unlock it again.
      showError(new TokenError('LOCKED', `${cancelled ? 'cancelled; ' : ''}the token locked this session (it has a USB password): connect again and unlock`));
      await disconnect();
      return undefined;
    }
    showError(e);
    return undefined;
  } finally {
    hidePrompt();
    busy = false;
    document.body.classList.remove('busy');
  }
}

const sessionGone = (e: unknown) => e instanceof TokenError && (e.code === 'SESSION_ENDED' || e.code === 'NO_SESSION');

// --- connecting ------------------------------------------------------------
/** The link's own close handler stays (it fails the request in flight); this one also updates the page. */
function watchClose(t: Transport, onGone: (err?: Error) => void): Transport {
  let inner: (err?: Error) => void = () => {};
  t.onClose((err) => {
    inner(err);
    onGone(err);
  });
  return { ...t, address: t.address, open: () => t.open(), write: (d) => t.write(d), onData: (h) => t.onData(h), close: () => t.close(), onClose: (h) => void (inner = h) };
}

async function connect(transport: Transport, what: string): Promise<boolean> {
  show(errorBox, false);
  const t = watchClose(transport, (err) => {
    if (!client) return;
    client = null;
    document.body.classList.remove('wide');
    show(tokenSection, false);
    show(connectSection, true);
    if (err) showError(new TokenError('DISCONNECTED', `the link to ${transport.address} closed`));
    say('Disconnected.');
  });
  try {
    await t.open();
  } catch (e) {
    showError(e);
    return false;
  }
  client = new TokenClient(t, { onWaiting, hashes: nobleHashes() });
  const info = await run('Saying hello', (c) => c.hello());
  if (!info) {
    await disconnect();
    return false;
  }
  if (info.protocol !== 1) {
    showError(new TokenError('BAD_REPLY', `the token speaks protocol ${info.protocol}; this page speaks 1: update one of them`));
    await disconnect();
    return false;
  }
  show(connectSection, false);
  show(tokenSection, true);
  byId('link-name').textContent = what;
  showInfo(info);
  passwordSet = info.locked;
  show(byId('unlock-form'), info.locked);
  show(byId('unlocked'), !info.locked);
  if (info.locked) byId('password').focus();
  else await refresh();
  say(`Connected to ${transport.address}.`);
  return true;
}

async function disconnect(): Promise<void> {
  const c = client;
  client = null;
  await c?.close().catch(() => {});
  document.body.classList.remove('wide');
  show(tokenSection, false);
  show(connectSection, true);
  say('Disconnected.');
}

/** What `totp-token info` says of the token's storage (host/cli/commands/info.ts). */
const STORAGE = ['ok', 'damaged: recovered the previous copy, so the latest change may be missing', 'damaged: nothing recovered; add the accounts again, or wipe to start afresh'];

function showInfo(info: DeviceInfo): void {
  // A locked token's HELLO tells only what unlocking needs; the rest comes with UNLOCK's reply.
  if (info.locked) {
    const rows: [string, string][] = [
      ['Board', info.board],
      ['Firmware', info.firmware],
      ['USB password', 'set: unlock to see the rest'],
    ];
    byId('info').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
    return;
  }
  const clock = info.clock.set ? (info.clock.errorMs !== undefined ? `set (within ${Math.round(info.clock.errorMs)} ms)` : 'set') : 'not set: no codes until synced';
  const rows: [string, string][] = [
    ['Board', info.board],
    ['Firmware', info.firmware],
    ['Accounts', `${info.slotsTotal - info.slotsFree} of ${info.slotsTotal} (${info.hotp ? 'TOTP, HOTP' : 'TOTP only'})`],
    ['Clock', clock],
    ['Algorithms', info.algorithms.join(', ')],
    ['Storage', STORAGE[info.storageHealth] ?? 'damaged'],
  ];
  byId('info').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v, className: k === 'Storage' && info.storageHealth ? 'warn' : '' })]));
}

// --- accounts ------------------------------------------------------------
async function refresh(): Promise<void> {
  const list = await run('Listing accounts', (c) => c.list());
  if (!list) return;
  // Not HELLO again: it starts a new session, which a token with a USB password locks.
  const clock = await run('Reading the clock', (c) => c.timeGet());
  const info = client?.info;
  if (info && clock) showInfo({ ...info, clock, slotsFree: info.slotsTotal - list.length });
  renderAccounts(list);
  say(`${list.length} account(s).`);
}

const label = (a: AccountInfo) => (a.issuer ? `${a.issuer}: ${a.name}` : a.name);
/** As `totp-token list`: HOTP has no period, it shows the counter the next code uses. */
const details = (a: AccountInfo) => (a.type === 'hotp' ? `HOTP, ${a.algorithm}, ${a.digits} digits, counter ${a.counter}` : `${a.algorithm}, ${a.digits} digits, ${a.period} s`);

function renderAccounts(list: AccountInfo[]): void {
  const ul = byId('accounts');
  show(byId('no-accounts'), list.length === 0);
  ul.replaceChildren(...list.map(accountRow));
}

function accountRow(a: AccountInfo): HTMLLIElement {
  const codeOut = el('output', { className: 'code', attrs: { 'aria-live': 'polite' } });
  const codeBtn = el('button', { text: 'Show code', attrs: { type: 'button' } });
  const renameBtn = el('button', { text: 'Rename', attrs: { type: 'button' } });
  const removeBtn = el('button', { text: 'Remove', className: 'danger', attrs: { type: 'button' } });
  const li = el('li', { className: 'account' }, [
    el('div', { className: 'who' }, [el('strong', { text: a.issuer || a.name }), a.issuer ? el('span', { text: a.name }) : null, el('small', { text: details(a) })]),
    codeOut,
    el('div', { className: 'actions' }, [codeBtn, renameBtn, removeBtn]),
  ]);
  codeBtn.addEventListener('click', async () => {
    const r = await run(`Asking for the code of ${label(a)}`, (c) => c.code(a.name, onWaiting));
    if (r && r.type === 'hotp') {
      // No expiry by time: used up once entered. The token already holds the next counter.
      codeOut.replaceChildren(el('span', { className: 'digits', text: r.code }), el('small', { text: ` counter ${r.counter}` }));
      a.counter = r.counter! + 1;
      li.querySelector('.who small')!.textContent = details(a);
    } else if (r) showCode(codeOut, r.code, r.secondsLeft);
    say(r ? `Code for ${label(a)}.` : '');
  });
  renameBtn.addEventListener('click', () => li.replaceWith(renameRow(a)));
  removeBtn.addEventListener('click', async () => {
    const ok = await run(`Removing ${label(a)}`, (c) => c.remove(a.name, onWaiting).then(() => true));
    if (ok) {
      await refresh();
      say(`Removed ${label(a)}.`);
    }
  });
  return li;
}

function showCode(out: HTMLOutputElement, code: string, secondsLeft: number): void {
  let left = secondsLeft;
  const paint = () => {
    out.replaceChildren(el('span', { className: 'digits', text: code }), el('small', { text: ` ${left} s left` }));
  };
  paint();
  const t = window.setInterval(() => {
    left--;
    if (left <= 0) {
      window.clearInterval(t);
      out.replaceChildren(el('small', { text: 'expired' }));
    } else paint();
  }, 1000);
}

function renameRow(a: AccountInfo): HTMLLIElement {
  const input = el('input', { attrs: { type: 'text', value: a.name, 'aria-label': `New name for ${label(a)}`, autocomplete: 'off' } });
  const form = el('form', { className: 'rename' }, [input, el('button', { text: 'Save', attrs: { type: 'submit' } }), el('button', { text: 'Cancel', attrs: { type: 'button' } })]);
  const li = el('li', { className: 'account' }, [el('div', { className: 'who' }, [el('strong', { text: `Rename ${label(a)}` })]), form]);
  form.querySelector('button[type=button]')?.addEventListener('click', () => void refresh());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const newName = input.value;
    const r = await run(`Renaming ${label(a)}`, (c) => c.rename(a.name, newName, undefined, onWaiting));
    if (r) {
      await refresh();
      say(`Renamed to ${label(r)}.`);
    }
  });
  queueMicrotask(() => input.focus());
  return li;
}

// --- adding ----------------------------------------------------------------
const keyInput = byId<HTMLInputElement>('key');
const nameInput = byId<HTMLInputElement>('name');
const issuerInput = byId<HTMLInputElement>('issuer');
const qrInput = byId<HTMLInputElement>('qr');

async function addFrom(text: string): Promise<void> {
  const name = nameInput.value.trim();
  const issuer = issuerInput.value.trim();
  const t = text.trim().toLowerCase();
  // What the CLI says as "needs --name" (host/lib/key-input.ts), checked first there too, with the page's field.
  if (!name && !t.startsWith('otpauth://') && !t.startsWith('otpauth-migration://')) {
    return showError(new TokenError('BAD_INPUT', 'a bare base32 key needs a name: type one in the Name field (an otpauth:// URI carries its own)'));
  }
  const r = await run('Adding', async (c) => {
    const account = accountFromText(text, { name: name || undefined, issuer: issuer || undefined });
    const shown = label(account);
    const { check } = await c.add(account);
    return { shown, check };
  });
  if (r) {
    nameInput.value = '';
    issuerInput.value = '';
    await refresh();
    say(`Added ${r.shown} (key check ${r.check} matches).`);
  }
}

byId('add-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const text = keyInput.value;
  keyInput.value = ''; // cleared once read, whatever happens next
  if (!text.trim()) return showError(new TokenError('BAD_INPUT', 'paste an otpauth:// URI or a base32 key first'));
  void addFrom(text);
});

qrInput.addEventListener('change', async () => {
  const file = qrInput.files?.[0];
  qrInput.value = '';
  if (!file) return;
  try {
    const { readOtpauthFromImage } = await import('./qr-image.ts');
    await addFrom(await readOtpauthFromImage(file));
  } catch (e) {
    showError(e);
  }
});

// The camera, where the browser has one (checked without loading the scanner).
const scanButton = byId<HTMLButtonElement>('scan');
show(scanButton, !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia));
let scanStop: AbortController | null = null;
scanButton.addEventListener('click', async () => {
  show(errorBox, false);
  scanStop = new AbortController();
  show(byId('scanner'), true);
  const note = byId('scan-note');
  try {
    const { scanOtpauth } = await import('./camera-qr.ts');
    const uri = await scanOtpauth(byId<HTMLVideoElement>('camera'), scanStop.signal, (why) => (note.textContent = `${why}; still scanning`));
    show(byId('scanner'), false);
    await addFrom(uri);
  } catch (e) {
    show(byId('scanner'), false);
    if (!(e instanceof TokenError && e.code === 'INTERRUPTED')) showError(e);
  }
});
byId('scan-stop').addEventListener('click', () => scanStop?.abort());

// --- importing many (Google Authenticator export, otpauth:// lists, PSKC) --
/**
 * Read accounts (inside the request, so a refusal reads as the CLI's), then
 * check them all against the token and add them (import-panel.ts's importAll,
 * host/lib's importToToken, as `totp-token import`), each line logged.
 */
async function importInto(logId: string, read: () => Promise<{ accounts: ImportedAccount[]; notes: string[] }> | { accounts: ImportedAccount[]; notes: string[] }): Promise<boolean> {
  const log = byId(logId);
  log.replaceChildren();
  const { importAll } = await import('./import-panel.ts');
  const r = await run('Importing', async (c) => {
    const { accounts, notes } = await read();
    for (const n of notes) log.appendChild(el('li', { className: 'warn', text: n }));
    return importAll(c, accounts, (p, check) => log.appendChild(el('li', { text: `added ${p.issuer ? `${p.issuer}: ${p.name}` : p.name} (from ${p.from}; key check ${check} matches)` })));
  });
  if (!r) return false;
  await refresh();
  say(`Imported ${r.length} account(s).`);
  return true;
}

async function importFrom(text: string, source: string): Promise<void> {
  const { accountsFromText } = await import('./import-panel.ts');
  await importInto('import-log', () => accountsFromText(text, source));
}

byId('import-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const field = byId<HTMLTextAreaElement>('import-text');
  const text = field.value;
  field.value = ''; // cleared once read
  if (!text.trim()) return showError(new TokenError('BAD_INPUT', 'paste an export or a list of otpauth:// links first'));
  void importFrom(text, 'the pasted text');
});

byId<HTMLInputElement>('import-qr').addEventListener('change', async (ev) => {
  const input = ev.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  try {
    const { decodeQrImage } = await import('./qr-image.ts');
    await importFrom(await decodeQrImage(file), file.name);
  } catch (e) {
    showError(e);
  }
});

// A PSKC file: chosen, then only the field it needs is shown (its password,
// its pre-shared key file, or the private key for its certificate). The
// secret inputs are cleared as soon as they are read, whatever happens next;
// the file's own text is dropped once read, unless a wrong password or key
// failed on an encrypted file (then it stays chosen for another try).
const pskcFileInput = byId<HTMLInputElement>('pskc-file');
const pskcPassword = byId<HTMLInputElement>('pskc-password');
const pskcKey = byId<HTMLInputElement>('pskc-key');
const pskcPrivate = byId<HTMLInputElement>('pskc-private');
const pskcImport = byId<HTMLButtonElement>('pskc-import');
const pskcNeed = byId('pskc-need');
let pskcChosen: { text: string; name: string; need: PskcProtection } | null = null;

const PSKC_NEEDS: Record<string, string> = {
  none: 'Not encrypted: ready to import.',
  password: 'Protected by a password: enter it.',
  key: 'Encrypted under a pre-shared key: choose the key file.',
  'private-key': 'Encrypted to a certificate: choose your private key (PEM).',
};

function showPskcNeed(need: PskcProtection | undefined): void {
  show(byId('pskc-password-row'), need === 'password');
  show(byId('pskc-key-row'), need === 'key');
  show(byId('pskc-private-row'), need === 'private-key');
  pskcNeed.textContent = need === undefined ? '' : PSKC_NEEDS[need ?? 'none'];
  pskcImport.disabled = need === undefined;
}

function clearPskcSecrets(): void {
  pskcPassword.value = '';
  pskcKey.value = '';
  pskcPrivate.value = '';
}

/** Back to "choose a file", keyboard focus included (the Import button it was on is now disabled). */
function forgetPskcFile(): void {
  pskcChosen = null;
  pskcFileInput.value = '';
  clearPskcSecrets();
  showPskcNeed(undefined);
  pskcFileInput.focus();
}

pskcFileInput.addEventListener('change', async () => {
  const file = pskcFileInput.files?.[0];
  pskcChosen = null;
  clearPskcSecrets();
  showPskcNeed(undefined);
  byId('pskc-log').replaceChildren();
  if (!file) return;
  show(errorBox, false);
  try {
    const text = await file.text();
    const { pskcNeeds } = await import('./pskc-panel.ts');
    const need = pskcNeeds(text, file.name);
    pskcChosen = { text, name: file.name, need };
    showPskcNeed(need);
    ({ password: pskcPassword, key: pskcKey, 'private-key': pskcPrivate, none: pskcImport })[need ?? 'none'].focus();
  } catch (e) {
    forgetPskcFile();
    showError(e);
  }
});

byId('pskc-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const chosen = pskcChosen;
  const password = pskcPassword.value;
  const keyFile = pskcKey.files?.[0];
  const pemFile = pskcPrivate.files?.[0];
  clearPskcSecrets(); // cleared once read
  if (!chosen) return showError(new TokenError('BAD_INPUT', 'choose a PSKC file first'));
  if (chosen.need === 'password' && password === '') return showError(new TokenError('BAD_INPUT', `${chosen.name}: this PSKC file is protected by a password: enter it`));
  if (chosen.need === 'key' && !keyFile) return showError(new TokenError('BAD_INPUT', `${chosen.name}: this PSKC file is encrypted under a pre-shared key: choose the key file`));
  if (chosen.need === 'private-key' && !pemFile) return showError(new TokenError('BAD_INPUT', `${chosen.name}: this PSKC file is encrypted to a certificate: choose your private key (PEM)`));
  const inputs = {
    password: chosen.need === 'password' ? password : undefined,
    keyFile: chosen.need === 'key' && keyFile ? new Uint8Array(await keyFile.arrayBuffer()) : undefined,
    privateKeyPem: chosen.need === 'private-key' && pemFile ? await pemFile.text() : undefined,
  };
  let wrongKey = false;
  const { keyDerivationWords, readPskcInPage } = await import('./pskc-panel.ts');
  // A password's key derivation can take seconds (the file sets its count): say so, with the count, and keep Import off meanwhile.
  const progress = byId<HTMLProgressElement>('pskc-progress');
  const onKeyDerivation = (d: KeyDerivation | null) => {
    pskcNeed.textContent = d ? keyDerivationWords(d) : '';
    show(progress, d !== null);
    if (d) say(keyDerivationWords(d));
    else if (busy) say('Importing...');
  };
  pskcImport.disabled = true;
  await importInto('pskc-log', () =>
    readPskcInPage(chosen.text, chosen.name, inputs, onKeyDerivation).catch((e: unknown) => {
      wrongKey = e instanceof TokenError && e.code === 'PSKC_WRONG_PASSWORD';
      throw e;
    }),
  );
  show(progress, false);
  // Another try needs the file again only where it was not the password or key that failed.
  if (wrongKey && chosen.need !== null && pskcChosen === chosen) {
    showPskcNeed(chosen.need);
    ({ password: pskcPassword, key: pskcKey, 'private-key': pskcPrivate })[chosen.need].focus();
  } else if (pskcChosen === chosen) forgetPskcFile();
});

// --- enrollment (AWS and other setup pages) -------------------------------
let enrollStop: AbortController | null = null;
byId('enroll-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const keyField = byId<HTMLInputElement>('enroll-key');
  const input = { key: keyField.value, name: byId<HTMLInputElement>('enroll-name').value.trim(), issuer: byId<HTMLInputElement>('enroll-issuer').value.trim(), aws: byId<HTMLInputElement>('enroll-aws').checked };
  keyField.value = '';
  if (!input.key.trim()) return showError(new TokenError('BAD_INPUT', 'paste the key from the setup page first'));
  enrollStop = new AbortController();
  const stop = byId('enroll-stop');
  show(stop, true);
  const { runEnroll } = await import('./enroll-panel.ts');
  const done = await run('Enrolling', (c) => runEnroll(c, input, byId('enroll-log'), (w) => (w ? onWaiting(w) : hidePrompt()), enrollStop!.signal).then(() => true));
  show(stop, false);
  if (done) {
    await refresh();
    say('Enrolled.');
  }
});
byId('enroll-stop').addEventListener('click', () => enrollStop?.abort());

// --- clock, password, connection --------------------------------------------
byId('sync').addEventListener('click', async () => {
  const r = await run('Syncing the clock', (c) => c.syncTime(Date.now, onWaiting));
  if (!r) return;
  const was = r.offsetBeforeMs === undefined ? 'it was not set' : `it was ${Math.abs(r.offsetBeforeMs)} ms ${r.offsetBeforeMs >= 0 ? 'ahead' : 'behind'}`;
  await refresh();
  say(`Clock synced (round trip ${r.roundTripMs} ms; ${was}).`);
});

byId('wipe').addEventListener('click', async () => {
  const ok = await run('Wiping every account', (c) => c.wipe(onWaiting).then(() => true));
  if (ok) {
    await refresh();
    say('Every account was erased from the token.');
  }
});

byId('password-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const a = byId<HTMLInputElement>('new-password');
  const b = byId<HTMLInputElement>('new-password-2');
  const password = a.value;
  const again = b.value;
  a.value = '';
  b.value = '';
  if (!password) return showError(new TokenError('BAD_INPUT', 'empty password'));
  if (password !== again) return showError(new TokenError('BAD_INPUT', 'the two passwords differ; nothing was changed'));
  const ok = await run('Setting the USB password', (c) => c.setPassword(password, onWaiting).then(() => true));
  if (ok) {
    passwordSet = true;
    say('USB password set: from the next connection on, the token asks for it.');
  }
});

byId('clear-password').addEventListener('click', async () => {
  const ok = await run('Removing the USB password', (c) => c.clearPassword(onWaiting).then(() => true));
  if (ok) {
    passwordSet = false;
    say('USB password removed.');
  }
});

byId('unlock-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const pw = byId<HTMLInputElement>('password');
  const password = pw.value;
  pw.value = '';
  const ok = await run('Unlocking', (c) => c.unlock(password).then(() => true));
  if (!ok) {
    await disconnect(); // a wrong answer spends this session's challenge: reconnect for a new one
    return;
  }
  show(byId('unlock-form'), false);
  show(byId('unlocked'), true);
  await refresh();
});

byId('disconnect').addEventListener('click', () => void disconnect());

const serial = (navigator as Navigator & { serial?: WebSerial }).serial;
const usbButton = byId<HTMLButtonElement>('connect-usb');
if (!serial) {
  usbButton.disabled = true;
  show(byId('no-serial'), true);
}
usbButton.addEventListener('click', async () => {
  if (!serial) return;
  let port;
  try {
    port = await serial.requestPort({ filters: tokenPortFilters() });
  } catch {
    say('No port chosen.');
    return;
  }
  show(byId('sim'), false);
  tokenSection.classList.remove('with-sim');
  document.body.classList.remove('wide');
  await connect(webSerialTransport(port), 'USB token');
});

// --- flashing an Espruino board -------------------------------------------
const flashDetails = byId<HTMLDetailsElement>('flash');
flashDetails.addEventListener('toggle', async () => {
  const select = byId<HTMLSelectElement>('flash-board');
  if (!flashDetails.open || select.options.length) return;
  const { espruinoBoards } = await import('./flash-panel.ts');
  select.replaceChildren(...espruinoBoards().map((b) => el('option', { text: b.name, attrs: { value: b.id } })));
});
byId('flash-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (!serial) return showError(new TokenError('TRANSPORT', 'this browser has no Web Serial: flash with the command line (totp-token flash)'));
  const bar = byId<HTMLProgressElement>('flash-progress');
  const line = byId('flash-status');
  show(errorBox, false);
  show(bar, true);
  document.body.classList.add('busy');
  try {
    const { flashFromPage } = await import('./flash-panel.ts');
    const r = await flashFromPage(serial, byId<HTMLSelectElement>('flash-board').value, (p) => {
      bar.value = p.done / Math.max(1, p.total);
      line.textContent = `${p.phase === 'write' ? 'Writing' : 'Reading back'}: ${p.done} of ${p.total} bytes`;
    });
    line.textContent =
      `Flashed ${r.bytes} bytes to Espruino ${r.espruino.version} (${r.espruino.board}) and verified in ${r.seconds} s; ${r.keptFiles} token file(s) kept. ` +
      // As the CLI says it: pretokenised, or text and why (an Espruino whose token table may differ).
      (r.form === 'tokens' ? `Stored pretokenised (${r.textBytes} bytes as text). ` : `${r.note ?? 'Stored as text'}. `) +
      (r.started ? `The token started (firmware ${r.started.firmware}): connect it over USB.` : 'The token did not answer yet: reset the board, then connect it over USB.');
  } catch (e) {
    line.textContent = '';
    showError(e);
  } finally {
    document.body.classList.remove('busy');
  }
});

byId('connect-sim').addEventListener('click', async () => {
  const canvas = byId<HTMLCanvasElement>('screen');
  if (!simulator) {
    const { startSimulator } = await import('./sim/simulator.ts');
    simulator = startSimulator(canvas, (action, settleMs) => {
      canvas.setAttribute('aria-label', action ? `Token display asks: ${action}` : 'Token display');
      confirmSettles(action, settleMs);
    });
  }
  show(byId('sim'), true);
  tokenSection.classList.add('with-sim');
  document.body.classList.add('wide');
  const ok = await connect(simulator.connect(), 'Try-it token (in this page)');
  if (!ok || byId('sim').dataset.provisioned) return;
  // Provision it like `npm start`: the demo key, then the clock.
  byId('sim').dataset.provisioned = '1';
  const added = await run('Adding the demo key', async (c) => {
    await c.add(accountFromUri(DEMO_URI, {}));
    await c.syncTime(Date.now, onWaiting);
    return true;
  });
  if (added) await refresh();
});

// The token counts a Confirm press only once its screen has shown the request
// for its settle time (firmware/presence.ts's SETTLE_MS, which the worker reports): until then the on-screen Confirm says
// it is not ready (aria-disabled keeps it focusable for the keyboard) and sends nothing.
const confirmButton = byId<HTMLButtonElement>('press-confirm');
let shownAction: string | null = null;
let settleTimer: number | undefined;
function confirmSettles(action: string | null, settleMs: number): void {
  if (action === shownAction) return;
  shownAction = action;
  window.clearTimeout(settleTimer);
  confirmButton.setAttribute('aria-disabled', action ? 'true' : 'false');
  if (action) settleTimer = window.setTimeout(() => confirmButton.setAttribute('aria-disabled', 'false'), settleMs);
}
byId('press-next').addEventListener('click', () => simulator?.press('next'));
confirmButton.addEventListener('click', () => {
  if (confirmButton.getAttribute('aria-disabled') !== 'true') simulator?.press('confirm');
});
