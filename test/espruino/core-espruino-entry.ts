// The core vectors on the Espruino interpreter, with the pure hashes and the
// interpreter's native SHA1/256/512.
import { mainWithPureHashes } from './core-vectors-entry.ts';
import { espruinoNativeHashes } from '../../firmware/ports/espruino/hashes.ts';

mainWithPureHashes([{ name: 'native', hashes: espruinoNativeHashes(['SHA1', 'SHA256', 'SHA512']) }]);
