// Device text: every message the firmware can send (errors, mostly) is
// written as say('template with % holes', up to three values), or, for a
// refusal, refuse(status, 'template', values) (firmware/refuse.ts). Here the holes
// are filled in place, so the simulator, XS and the host read plain text.
// The Espruino build, where every byte of string costs flash and RAM, swaps
// in firmware/ports/espruino/say.ts and replaces each template literal with a
// short token at build time (host/lib/build/esbuild-firmware.ts); the host
// turns tokens back into these same words (host/lib/device-text.ts), the way
// tokenized logging works on small devices. Templates must be quoted string
// literals written at the call, so the build can find every one.

export function say(template: string, a?: unknown, b?: unknown, c?: unknown): string {
  const parts = template.split('%');
  const values = [a, b, c];
  let out = parts[0];
  for (let i = 1; i < parts.length; i++) out += String(values[i - 1]) + parts[i];
  return out;
}
