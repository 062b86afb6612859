// Salts and challenges from the chip's hardware random source, through the
// project's native module (native/totp-native.c: esp_fill_random with the ADC
// noise source on ESP32, pico_rand's get_rand_32 on the Pico, getrandom on
// Linux). Never Math.random: XS's c_rand() is C rand() on the Pico and Linux,
// never seeded, so every boot would draw the same bytes.
import { Native } from 'totp-native';

export function hardwareRandom(n: number): Uint8Array {
  return new Uint8Array(Native.random(n));
}
