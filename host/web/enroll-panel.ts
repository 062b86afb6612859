// Guided MFA enrollment in the page (AWS's "Assign MFA device" being the
// reference): host/lib/enroll's flow, the CLI's, with its events shown as a
// list - the two codes large, the submit window counted down.
import type { TokenClient } from '../lib/client.ts';
import type { Waiting } from '../lib/client.ts';
import { enrollAccount } from '../lib/enroll/enroll.ts';
import type { EnrollEvent } from '../lib/enroll/enroll.ts';
import { isAwsIssuer, readEnrollSeed } from '../lib/enroll/seed.ts';
import { nobleHashes } from '../lib/hashes/noble-hashes.ts';
import { isOtpauthUri } from '../lib/key-input.ts';
import { el } from './dom.ts';

export interface EnrollInput {
  key: string;
  name: string;
  issuer: string;
  aws: boolean;
}

/**
 * The flow's words for a line, but where they send the user to the CLI's
 * --resync (code 2 expired) the page's own way to two fresh codes: the
 * account is on the token by then, so "run the flow again" would only find
 * its name taken.
 */
export function enrollLineText(e: EnrollEvent, service: string): string {
  if (e.kind !== 'expired') return e.text;
  return `Time is up: code 2 has expired. If the ${service} page has not accepted the codes, give it two fresh consecutive codes: "Show code" on the account's row, then again once that code has expired.`;
}

/** Run the flow; `log` receives the lines, `prompt` shows the button prompt (null: hide it). Resolves when the submit window ends or `signal` aborts. */
export async function runEnroll(client: TokenClient, input: EnrollInput, log: HTMLElement, prompt: (w: Waiting | null) => void, signal: AbortSignal): Promise<void> {
  const text = input.key.trim();
  const source = isOtpauthUri(text) ? ({ kind: 'uri', uri: text } as const) : ({ kind: 'base32', key: text } as const);
  const { otp, warnings } = await readEnrollSeed(source, { account: input.name || undefined, issuer: input.issuer || (input.aws ? 'AWS' : undefined), aws: input.aws });
  const service = otp.issuer || (input.aws || isAwsIssuer(otp.issuer) ? 'AWS' : 'service');
  log.replaceChildren();
  const line = (kind: string, text: string): HTMLLIElement => {
    const li = el('li', { className: kind, text });
    log.appendChild(li);
    return li;
  };
  for (const w of warnings) line('warn', w);
  let tick: HTMLLIElement | null = null;
  const onEvent = (e: EnrollEvent): void => {
    prompt(e.kind === 'press' ? { action: e.text, timeoutS: e.timeoutS } : null);
    if (e.kind === 'press') return;
    if (e.kind !== 'tick') tick = null; // each countdown gets its own line, after what it counts down to
    if (e.kind === 'code') {
      const li = line('code', '');
      li.append(el('span', { text: `Code ${e.index}` }), el('strong', { className: 'digits', text: e.code }));
    } else if (e.kind === 'tick') {
      tick = tick ?? line('tick', '');
      tick.textContent = e.text;
    } else line(e.kind, enrollLineText(e, service));
  };
  await enrollAccount(otp, service, {
    client,
    clock: { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    onEvent,
    hashes: nobleHashes(),
    signal,
  });
}
