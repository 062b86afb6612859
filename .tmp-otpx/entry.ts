import { generateSync, createGuardrails } from 'otplib';
const relaxed = createGuardrails({ MIN_SECRET_BYTES: 1 });
const text = '12345678901234567890';
const key = new Uint8Array(20);
for (let i = 0; i < 20; i++) key[i] = text.charCodeAt(i);
(globalThis as any).otpOnce = () => print(generateSync({ secret: key, epoch: 59, digits: 8, period: 30, algorithm: 'sha1', guardrails: relaxed }));
declare function print(...a: unknown[]): void;
