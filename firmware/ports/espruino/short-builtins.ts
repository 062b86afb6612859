// Short local names for the Espruino built-ins the firmware calls most
// (host/lib/build/esbuild-firmware.ts defines `Math.floor` etc. as these, so
// each call site costs a one-letter name after minifying instead of
// `Math.floor`). Espruino's Math functions do not use `this`, so a bare
// reference calls the same native. Read through `M`: the define would
// otherwise rewrite these very lines to `mathFloor = mathFloor`.
const M = Math;
export const mathFloor = M.floor;
export const mathCeil = M.ceil;
export const mathRound = M.round;
export const mathMax = M.max;
export const mathMin = M.min;
