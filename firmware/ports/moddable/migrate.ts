// Upgrades keep data: firmware before the flash store (up to 0.2, commit
// aa03bcd) kept the Pico's records in Preference (./storage.ts's chunked,
// two-generation layout, domain "totp"). On the first start of this firmware
// they move into the flash store in one commit, and only once that commit is
// read back are the Preference entries deleted (the SDK zeroes a deleted
// entry in place, so the old seeds do not linger). A cut before the commit
// leaves the Preferences and a blank or old flash store: the next start moves
// them again. A cut while deleting leaves a valid flash store, which wins: the
// next start only finishes the deleting.
import Preference from 'preference';
import { DOMAIN, preferenceStorage } from './storage.ts';
import type { PreferenceLimits } from './storage.ts';
import type { FlashStorage } from './flash-storage.ts';

export function movePreferencesToFlash(store: FlashStorage, limits: PreferenceLimits): void {
  const names = Preference.keys(DOMAIN);
  if (names.length === 0) return;
  if (!store.hasImage()) {
    const old = preferenceStorage(limits);
    const all: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      // A value's header is "<key>#a" or "<key>#b"; its chunks follow from it.
      if (name.length < 3 || name.charAt(name.length - 2) !== '#') continue;
      const key = name.substring(0, name.length - 2);
      const v = old.read(key);
      if (v !== undefined) all[key] = v;
    }
    store.replaceAll(all);
  }
  for (let i = 0; i < names.length; i++) Preference.delete(DOMAIN, names[i]);
}
