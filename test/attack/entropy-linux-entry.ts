// For entropy-restart.test.ts on the real Espruino interpreter (Linux build):
// prints what E.hwRand gives at start, and 16 bytes from the port's random
// source as the Linux variant of the ESP32 bundle uses it (/dev/urandom).
import { espruinoRandom } from '../../firmware/ports/espruino/token.ts';
import { fileRandom } from '../../firmware/ports/espruino/file-random.ts';

declare const E: { hwRand(): number };
declare function print(text: string): void;

const bytes = espruinoRandom(fileRandom('/dev/urandom'))(16);
let hex = '';
for (let i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
print('ENTROPY hwRand=' + E.hwRand() + ',' + E.hwRand() + ' source=' + hex);
