// The token app: the same on every board. It owns the accounts, the clock
// rules, the screen and the command handler; the port gives it the hardware.
import { COMMANDS, ERRORS, MAX_MESSAGE, STATUS_OK, STATUS_WAITING } from '../protocol/messages.ts';
import type { Fields } from '../protocol/tlv.ts';
import type { Request } from '../protocol/messages.ts';
import { timeStep, secondsLeft } from '../protocol/totp.ts';
import { openAccountStore } from './accounts.ts';
import { checkedStorage } from './checked-storage.ts';
import { clockUsable } from './clock-state.ts';
import { createTokenClock } from './clock.ts';
import { createAccessControl } from './access.ts';
import type { Hash } from '../protocol/hash.ts';
import { createHandler } from './commands.ts';
import type { HandlerPorts } from './commands.ts';
import { openDeviceLink } from './link.ts';
import { PRESENCE_TIMEOUT_MS, SESSION_IDLE_TICKS, SETTLE_MS } from './presence.ts';
import type { Outcome, PendingConfirm } from './presence.ts';
import { equalBytes } from '../protocol/bytes.ts';
import type { ButtonRole, Ports } from './ports.ts';
import { drawCode, drawConfirm, drawMessage } from './ui/screen.ts';
import { drawHotp, HOTP_SHOW_MS } from './ui/hotp-screen.ts';
import type { HotpShown } from './ui/hotp-screen.ts';
import { refuse } from './refuse.ts';
import type { Refusal } from './refuse.ts';

export interface TokenApp {
  /** Redraw now (ports call it on their tick; the app also redraws on changes). */
  render(): void;
  /** The USB link went away (or a new host connected): the session ends, locked, its requests dropped. */
  linkClosed(): void;
  /** What the display asks to confirm, if anything (for tests and the simulator's status line). */
  pendingAction(): string | null;
}

/** presenceTimeoutMs: how long a confirmation waits for the button (PRESENCE_TIMEOUT_MS if absent; tests shorten it). */
export function startToken(rawPorts: Ports, confirmHint: string, presenceTimeoutMs?: number): TokenApp {
  const presenceMs = presenceTimeoutMs || PRESENCE_TIMEOUT_MS;
  // The app sees the drift-corrected clock; only it talks to the raw one.
  if (!rawPorts.random) throw new Error('no random source'); // never a guessable fallback; short: the display shows it whole
  // Every record goes through the checked storage: two generations, a CRC each.
  const storage = checkedStorage(rawPorts.storage);
  const clock = createTokenClock(rawPorts.clock, storage, rawPorts.board.typicalDriftPpm || 100);
  const ports: HandlerPorts = Object.assign({}, rawPorts, { clock: clock, storage: storage });
  const store = openAccountStore(storage, ports.board.maxAccounts);
  let selected = 0;
  let pending: PendingConfirm | null = null;
  // The host session (wire-protocol.md, "Sessions"): HELLO opens one with a
  // random id; every other request must carry it. An unlock and a
  // confirmation belong to it and end with it.
  let session: Uint8Array | null = null;
  let quiet = 0; // ticks since the session's last frame
  let ready: Outcome | null = null; // a confirmation's outcome, waiting for its session to collect it
  // The shown TOTP code and what it was made for (account, name, time step).
  let cacheKey = '';
  let cacheCode = '';
  let hotpShown: HotpShown | null = null;

  function render(): void {
    const canvas = ports.canvas;
    const accounts = store.list();
    const damaged = storage.health();
    if (pending) {
      drawConfirm(canvas, pending.action, confirmHint, Math.max(0, Math.ceil((pending.deadlineMs - clock.nowMs()) / 1000)));
      return;
    }
    if (selected >= accounts.length) selected = 0;
    const a = accounts[selected];
    if (!clockUsable(clock) && !(a && a.type)) { // HOTP needs no clock
      // What to run says what is missing: no "no codes until synced" line.
      drawMessage(canvas, ['Clock not set', '', 'totp-token time sync', '', accounts.length + ' account(s)' + (damaged ? ' storage!' : '')]);
      return;
    }
    if (!a) {
      // Damaged (health 1 or 2) is all this screen says: whether anything was recovered, HELLO tells the host.
      drawMessage(canvas, [damaged ? 'Storage damaged' : 'No accounts', '', 'totp-token add']);
      return;
    }
    if (a.type) {
      const t = rawPorts.clock.nowMs();
      if (hotpShown && t >= hotpShown.untilMs) hotpShown = null;
      drawHotp(canvas, a, hotpShown, confirmHint, t, selected, accounts.length);
      return;
    }
    const nowMs = clock.nowMs();
    const seconds = Math.floor(nowMs / 1000);
    // Codes change once a period: compute once per period, not once per redraw.
    const key = selected + '|' + a.name + '|' + timeStep(seconds, a.period, 0);
    if (cacheKey !== key) {
      cacheKey = key;
      try {
        cacheCode = handler.codeFor(a, nowMs);
      } catch (e) {
        cacheCode = '------';
      }
    }
    const status = clock.status();
    drawCode(
      canvas,
      a.issuer || a.name,
      a.issuer ? a.name : '',
      cacheCode,
      secondsLeft(seconds, a.period, 0),
      a.period,
      selected,
      accounts.length,
      (damaged ? 'storage! ' : '') + (status.errorMs > 5000 ? 'clock?' : ''),
    );
  }

  function changed(): void {
    cacheKey = '';
    hotpShown = null; // a code made over USB or a changed account makes a shown HOTP code stale
    render();
  }

  const access = createAccessControl(storage, ports.hashes.SHA1 as Hash, ports.random);
  const handler = createHandler(ports, store, clock, access, changed);

  /** The answer to a thrown error: its status (a Refusal's; INTERNAL for anything else) and its message, cut to the field's limit. */
  function answerTo(id: number, e: unknown): Outcome {
    const err = e as Refusal;
    return { id: id, status: err.status || ERRORS.INTERNAL, fields: { message: String(err['message']).slice(0, MAX_MESSAGE) } }; // err['message'] quoted: see ESPRUINO_INTERNAL_PROPS
  }

  function send(o: Outcome): void {
    link.reply(o.id, o.status, o.fields);
  }

  /**
   * End the confirmation with `run`'s fields, or with the error it throws
   * (answerTo). The outcome is not sent now: whoever holds the link at the
   * moment of the press may be another host. It waits for the next frame of
   * the session that asked (the host pings while it waits), and dies with
   * that session.
   */
  function finishPending(run: () => Fields): void {
    const id = (pending as PendingConfirm).id;
    let out: Outcome;
    try {
      out = { id: id, status: STATUS_OK, fields: run() };
    } catch (e) {
      out = answerTo(id, e);
    }
    pending = null;
    ready = out;
    render();
  }

  /** The session ends: locked, its confirmation and any outcome dropped unsent. */
  function endSession(): void {
    session = null;
    pending = null;
    ready = null;
    access.lock();
    render();
  }

  function onRequest(req: Request): void {
    const command = req.command;
    try {
      if (command === COMMANDS.HELLO) {
        // A new session: a host that went away (unplugged, killed) or the one
        // before must not leave an unlock or a confirmation for this one.
        endSession();
        session = ports.random(8);
      } else if (!session || !(req.fields.session && equalBytes(req.fields.session as Uint8Array, session))) {
        refuse(ERRORS.NO_SESSION, 'not in this session: send HELLO, then its session id with each request');
      }
      quiet = 0;
      if (ready) {
        const r = ready;
        ready = null;
        send(r);
      }
      if (command === COMMANDS.PING) {
        link.reply(req.id, STATUS_OK, {});
        return;
      }
      // Not which action: that is for whoever is at the device, and the lock check has not run yet.
      if (pending) refuse(ERRORS.BUSY, 'another request is waiting for the button on the device');
      // WIPE too: it reveals nothing and needs the button, so a forgotten or damaged password never bricks the token.
      if (!access.unlocked() && command !== COMMANDS.HELLO && command !== COMMANDS.UNLOCK && command !== COMMANDS.WIPE) {
        refuse(ERRORS.LOCKED, 'this token has a USB password: unlock first');
      }
      const out = handler.handle(command, req.fields);
      if (command === COMMANDS.HELLO) out.session = session as Uint8Array;
      if (!out.then) {
        link.reply(req.id, STATUS_OK, out);
        return;
      }
      // Reply first: if the WAITING reply cannot be sent, nothing may stay armed for the button.
      const action = out.confirm as string;
      link.reply(req.id, STATUS_WAITING, { action: action.slice(0, 200), timeoutS: Math.ceil(presenceMs / 1000) });
      const p: PendingConfirm = { id: req.id, action: action, settled: false, deadlineMs: clock.nowMs() + presenceMs, run: out.then };
      pending = p;
      // A timer, not the clock: time the host may have set, or a test holds still, must not shorten it.
      ports.timers.setTimeout(() => {
        p.settled = true;
      }, SETTLE_MS);
      render();
    } catch (e) {
      send(answerTo(req.id, e));
    }
  }

  const link = openDeviceLink(ports.serial, onRequest);

  function onButton(role: ButtonRole): void {
    const confirm = role === 'confirm';
    if (pending) {
      // Too soon after the screen changed: the user may have meant what it showed a moment ago.
      if (confirm && !pending.settled) return;
      finishPending(confirm ? pending.run : () => refuse(ERRORS.PRESENCE_DENIED, 'cancelled on the device'));
      return;
    }
    const accounts = store.list();
    const a = accounts[selected];
    // A press moves on from a shown HOTP code (none is shown while a TOTP account is selected).
    hotpShown = null;
    if (confirm && a && a.type) {
      // HOTP: this press makes the next code (counter stored first); a failed store shows none.
      try {
        const shown = handler.nextHotp(a) as unknown as HotpShown; // its code and counter
        shown.untilMs = rawPorts.clock.nowMs() + HOTP_SHOW_MS;
        hotpShown = shown;
      } catch (e) {
        // not stored: no code
      }
    } else if (role === 'next' && accounts.length) {
      selected = (selected + 1) % accounts.length;
    }
    render();
  }

  ports.onButton(onButton);
  ports.timers.setInterval(() => {
    if (session && ++quiet > SESSION_IDLE_TICKS) endSession(); // the host went silent: gone, or killed
    if (pending && clock.nowMs() >= pending.deadlineMs) {
      finishPending(() => refuse(ERRORS.PRESENCE_TIMEOUT, 'nobody pressed the button within % s', Math.ceil(presenceMs / 1000)));
      return;
    }
    render();
  }, 1000);
  render();

  return {
    render: render,
    linkClosed: endSession,
    pendingAction: () => (pending ? pending.action : null),
  };
}
