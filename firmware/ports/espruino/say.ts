// protocol/say.ts for the Espruino build: the build has already replaced each
// template with its token (a few base-36 characters), and this sends the
// token and the values, framed so the host can put the words back and so a
// token can sit inside another's value:
//   0x1E token (0x1F value)* 0x1D
// Values not given are left out (callers pass them in order, so only
// trailing ones are ever missing); the host shows those as "undefined", as
// say() would.

export function say(token: string, a?: unknown, b?: unknown, c?: unknown): string {
  let out = '\x1e' + token;
  for (const v of [a, b, c]) if (v !== undefined) out += '\x1f' + v;
  return out + '\x1d';
}
