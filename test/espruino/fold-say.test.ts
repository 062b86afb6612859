// The Espruino build folds a tokenized say() with no values into the string
// the Espruino say (firmware/ports/espruino/say.ts) would return for it, and
// drops the say() around a refusal's message (the Espruino refuse calls it).
import { describe, expect, it } from 'vitest';
import { foldBareSay, foldRefusalSay } from '../../host/lib/build/esbuild-firmware.ts';
import { say } from '../../firmware/ports/espruino/say.ts';
import { refuse } from '../../firmware/ports/espruino/refuse.ts';
import type { Refusal } from '../../firmware/refuse.ts';

describe('foldBareSay', () => {
  it('writes a bare say(token) as what the call returns, and leaves calls with values alone', () => {
    const source = 'a(say("Q.z")); b(say( "x\\"y" ), 1); c(say("k", n)); d(saying("q"));';
    const folded = foldBareSay(source);
    expect(folded).toBe('a(' + JSON.stringify(say('Q.z')) + '); b(' + JSON.stringify(say('x"y')) + ', 1); c(say("k", n)); d(saying("q"));');
    expect(JSON.parse(folded.slice(2, folded.indexOf(')')))).toBe('\x1eQ.z\x1d');
  });
});

describe('foldRefusalSay', () => {
  it("drops the say( ) around a refusal's template, whatever its values hold, and leaves other say calls alone", () => {
    const source = `refuse(ERRORS.LOCKED, say("a1", Math.ceil((w - n) / 1000)));\nbadRequest(say("b2", 'x)"(', f(g(1), ")")));\nbadRequest(say("c3"));\nh(say("d4", 1));`;
    expect(foldRefusalSay(source)).toBe(`refuse(ERRORS.LOCKED, "a1", Math.ceil((w - n) / 1000));\nbadRequest( "b2", 'x)"(', f(g(1), ")"));\nbadRequest( "c3");\nh(say("d4", 1));`);
  });

  it('passes the template (a token, once built) and the values to say() in order, and sets the status', () => {
    // Outside the build, say is protocol/say.ts (the template filler); the
    // build swaps in the token framer (cross-build.test.ts decodes its text).
    let message = '';
    try {
      refuse(3, '% then % then %', 'a', 7);
    } catch (e) {
      message = (e as Error).message;
      expect((e as Refusal).status).toBe(3);
    }
    expect(message).toBe('a then 7 then undefined');
  });
});
