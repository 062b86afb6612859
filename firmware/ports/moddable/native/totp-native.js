/*
 * totp-token's native module for Moddable, copied into every generated
 * project (host/lib/moddable/project.ts). The SDK has no source of random
 * bytes a token can trust: Math.random and modules/crypt/etc/rng.c both come
 * from XS's c_rand(), which is C rand() (never seeded) on the Pico and Linux.
 * And on the Pico it has no flash module (modules/files/flash has esp, esp32
 * and nrf52 only), so this one gives the same API as modules/files/flash/flash.js
 * over the Pico's "storage" partition, as modules/files/flash/nrf52/flash.c does.
 *
 * Object literal of host functions, as modules/crypt/etc/rng.js declares its own.
 */

const Native = {
	/** n random bytes, an ArrayBuffer: esp_fill_random (ESP32), get_rand_32 (RP2040), getrandom (Linux). */
	random(n) @ "xs_totp_random",
};

class Flash @ "xs_totp_flash_destructor" {
	constructor(name) @ "xs_totp_flash"
	erase(sector) @ "xs_totp_flash_erase";
	read(offset, byteLength) @ "xs_totp_flash_read";
	write(offset, byteLength, buffer) @ "xs_totp_flash_write";
	get byteLength() @ "xs_totp_flash_byteLength";
	get blockSize() @ "xs_totp_flash_blockSize";
}

Object.freeze(Native);

export { Native, Flash };
export default Native;
