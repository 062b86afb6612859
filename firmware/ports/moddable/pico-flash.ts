// The Pico's storage: the port's flash store in the SDK's storage partition,
// with the one-time move of records older firmware kept in Preference.
import { Flash } from 'totp-native';
import type { Storage } from '../../ports.ts';
import { flashStorage } from './flash-storage.ts';
import { movePreferencesToFlash } from './migrate.ts';
import type { PreferenceLimits } from './storage.ts';

export function picoFlashStorage(limits: PreferenceLimits): Storage {
  const store = flashStorage(new Flash('storage'));
  movePreferencesToFlash(store, limits);
  return store;
}
