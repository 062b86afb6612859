// The core vectors in Moddable XS (xsnap), with the pure hashes only: xsnap has
// no crypt module, so Moddable's native Digest is covered by the device build.
// print() is the test shim from test/helpers/xs-engine.ts.
import { mainWithPureHashes } from '../espruino/core-vectors-entry.ts';

mainWithPureHashes([]);
