// The Espruino build folds a tokenized say() with no values into the string
// the Espruino say (firmware/ports/espruino/say.ts) would return for it.
import { describe, expect, it } from 'vitest';
import { foldBareSay } from '../../host/lib/build/esbuild-firmware.ts';
import { say } from '../../firmware/ports/espruino/say.ts';

describe('foldBareSay', () => {
  it('writes a bare say(token) as what the call returns, and leaves calls with values alone', () => {
    const source = 'a(say("Q.z")); b(say( "x\\"y" ), 1); c(say("k", n)); d(saying("q"));';
    const folded = foldBareSay(source);
    expect(folded).toBe('a(' + JSON.stringify(say('Q.z')) + '); b(' + JSON.stringify(say('x"y')) + ', 1); c(say("k", n)); d(saying("q"));');
    expect(JSON.parse(folded.slice(2, folded.indexOf(')')))).toBe('\x1eQ.z\x1d');
  });
});
