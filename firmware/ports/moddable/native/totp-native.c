/*
 * totp-token's native module for Moddable (see totp-native.js).
 *
 * random(n): bytes from the chip's hardware random source.
 *  - ESP32: esp_fill_random() reads the hardware RNG; it is only truly random
 *    while an entropy source runs (ESP-IDF "Random Number Generation": the RF
 *    subsystem, or the SAR ADC noise source bootloader_random_enable() starts).
 *    The token uses neither Wi-Fi nor the ADC, so it turns the noise source on
 *    around each draw (bootloader_random.h allows that from app code).
 *  - Pico (RP2040/RP2350): pico_rand's get_rand_32(), which make.pico.mk
 *    already builds: ROSC random bits, the microsecond timer, a bus performance
 *    counter and the board id, hashed into its PRNG (TRNG on the RP2350).
 *  - Linux (the SDK's simulator and x-cli-lin): getrandom(2).
 *
 * Flash("storage"): the same API as modules/files/flash/flash.js, over the
 * Pico's storage partition (modGetPartition(kPartitionStorage), the 64 KB
 * before the Preference sectors, which only littlefs would otherwise use), with
 * the bounds checks of modules/files/flash/nrf52/flash.c. modSPIWrite
 * (xs/platforms/pico/xsHost.c) programs whole 256-byte pages padded with 0xFF,
 * so a write only clears bits; modSPIErase takes whole 4 KB sectors.
 */

#include "xsmc.h"
#include "xsHost.h"
#include "mc.xs.h"

#if ESP32
	#include "esp_random.h"
	#include "bootloader_random.h"
#elif PICO_BUILD
	#include "pico/rand.h"
#elif defined(__linux__)
	#include <sys/random.h>
#else
	#error "totp-native: no hardware random source for this platform"
#endif

void xs_totp_random(xsMachine *the)
{
	int n = xsmcToInteger(xsArg(0));
	uint8_t *bytes;

	if ((n <= 0) || (n > 256))
		xsRangeError("invalid length");

	xsmcSetArrayBuffer(xsResult, NULL, n);
	bytes = xsmcToArrayBuffer(xsResult);

#if ESP32
	bootloader_random_enable();
	esp_fill_random(bytes, n);
	bootloader_random_disable();
#elif PICO_BUILD
	while (n > 0) {
		uint32_t word = get_rand_32();
		int use = (n < 4) ? n : 4;
		c_memcpy(bytes, &word, use);
		bytes += use;
		n -= use;
	}
#else
	while (n > 0) {
		ssize_t got = getrandom(bytes, n, 0);
		if (got <= 0)
			xsUnknownError("getrandom failed");
		bytes += got;
		n -= got;
	}
#endif
}

#if PICO_BUILD

typedef struct {
	uint32_t start;
	uint32_t byteLength;
} TotpFlashRecord;

void xs_totp_flash(xsMachine *the)
{
	TotpFlashRecord flash;

	if (c_strcmp(xsmcToString(xsArg(0)), "storage"))
		xsUnknownError("unknown partition");
	if (!modGetPartition(kPartitionStorage, &flash.start, &flash.byteLength) || !flash.byteLength)
		xsUnknownError("unknown partition");

	xsmcSetHostChunk(xsThis, &flash, sizeof(flash));
}

void xs_totp_flash_destructor(void *data)
{
}

void xs_totp_flash_erase(xsMachine *the)
{
	TotpFlashRecord *flash = xsmcGetHostChunk(xsThis);
	int sector = xsmcToInteger(xsArg(0));

	if ((sector < 0) || (sector >= (int)(flash->byteLength / kFlashSectorSize)))
		xsUnknownError("invalid sector");
	if (!modSPIErase(flash->start + sector * kFlashSectorSize, kFlashSectorSize))
		xsUnknownError("erase failed");
}

void xs_totp_flash_read(xsMachine *the)
{
	TotpFlashRecord *flash = xsmcGetHostChunk(xsThis);
	int offset = xsmcToInteger(xsArg(0));
	int byteLength = xsmcToInteger(xsArg(1));
	uint32_t start = flash->start, length = flash->byteLength;

	if ((offset < 0) || (offset >= (int)length))
		xsUnknownError("invalid offset");
	if ((byteLength <= 0) || ((uint32_t)(offset + byteLength) > length))
		xsUnknownError("invalid length");

	xsmcSetArrayBuffer(xsResult, NULL, byteLength);
	if (!modSPIRead(start + offset, byteLength, xsmcToArrayBuffer(xsResult)))
		xsUnknownError("read failed");
}

void xs_totp_flash_write(xsMachine *the)
{
	TotpFlashRecord *flash = xsmcGetHostChunk(xsThis);
	int offset = xsmcToInteger(xsArg(0));
	int byteLength = xsmcToInteger(xsArg(1));
	uint32_t start = flash->start, length = flash->byteLength;
	void *buffer;
	xsUnsignedValue bufferLength;

	if ((offset < 0) || (byteLength <= 0) || ((uint32_t)(offset + byteLength) > length))
		xsUnknownError("invalid");
	xsmcGetBufferReadable(xsArg(2), &buffer, &bufferLength);
	if (bufferLength < (xsUnsignedValue)byteLength)
		xsUnknownError("invalid");
	if (!modSPIWrite(start + offset, byteLength, buffer))
		xsUnknownError("write failed");
}

void xs_totp_flash_byteLength(xsMachine *the)
{
	TotpFlashRecord *flash = xsmcGetHostChunk(xsThis);
	xsmcSetInteger(xsResult, flash->byteLength);
}

void xs_totp_flash_blockSize(xsMachine *the)
{
	xsmcSetInteger(xsResult, kFlashSectorSize);
}

#else

void xs_totp_flash(xsMachine *the)
{
	xsUnknownError("no totp flash on this platform");
}
void xs_totp_flash_destructor(void *data) {}
void xs_totp_flash_erase(xsMachine *the) {}
void xs_totp_flash_read(xsMachine *the) {}
void xs_totp_flash_write(xsMachine *the) {}
void xs_totp_flash_byteLength(xsMachine *the) {}
void xs_totp_flash_blockSize(xsMachine *the) {}

#endif
