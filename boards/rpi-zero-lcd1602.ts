// Raspberry Pi Zero as a USB serial gadget (g_serial, /dev/ttyGS0), running
// the token on Node with johnny-five + raspi-io: a 16x2 HD44780 character
// LCD on a PCF8574 I2C backpack and two push buttons to ground.
// See firmware/ports/johnny-five/README.md.
import type { BoardProfile } from './profile.ts';

export const rpiZeroLcd1602: BoardProfile = {
  id: 'rpi-zero-lcd1602',
  name: 'Raspberry Pi Zero + 16x2 I2C LCD (johnny-five)',
  runtime: 'node',
  // A character display: width and height count characters, not pixels.
  display: { driver: 'hd44780', width: 16, height: 2, pins: { sda: 'GPIO2', scl: 'GPIO3' }, address: 0x27 },
  // Pin names as raspi-io spells them; internal pull-ups, pressed reads low.
  buttons: [
    { role: 'next', pin: 'GPIO17', activeLow: true },
    { role: 'confirm', pin: 'GPIO27', activeLow: true },
  ],
  nativeHashes: ['SHA1', 'SHA256', 'SHA512'],
  algorithms: ['SHA1', 'SHA256', 'SHA512'],
  storage: { kind: 'file', maxAccounts: 32 },
  // The system clock runs from the SoC's crystal; without NTP Linux keeps it
  // to a few tens of ppm (an assumption, not measured here). It does not
  // survive power loss: see the port's system-clock.ts.
  clock: { source: 'system', typicalDriftPpm: 50 },
  // No firmwareEntry: this board runs a Node bundle, built by
  // firmware/ports/johnny-five/build.ts, not an Espruino/XS bundle.
  wiring: [
    'LCD backpack GND -> pin 6 (GND), VCC -> pin 2 (5V), SDA -> pin 3 (GPIO2), SCL -> pin 5 (GPIO3)',
    'Button "next": pin 11 (GPIO17) to pin 9 (GND)',
    'Button "confirm": pin 13 (GPIO27) to pin 14 (GND)',
    'USB: the Pi Zero\'s data port (marked USB, not PWR) to the computer',
  ],
};
