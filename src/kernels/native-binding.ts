// The hand-written wrapper around the loader that `napi build` generates in native/ (never edited).
// Loads the addon once and records why when it cannot; nothing silently substitutes a JS kernel.
// PLACEHOLDER: the foundation issue replaces the body; the exported names and types are the contract.

import type { NativeStatus } from '../report/schema/common.js';

/** The functions the addon exports (see native/src/lib.rs). */
export interface NativeBinding {
  /** Build facts: crate version, rustc version, target triple, CPU features compiled in and detected. */
  buildInfo(): Record<string, string>;
}

export type NativeLoad = { status: NativeStatus & { available: true }; binding: NativeBinding } | { status: NativeStatus & { available: false } };

/** Load the addon (once) and return it with its status. */
export function loadNative(): NativeLoad {
  return { status: { available: false, reason: 'native addon not built yet' } };
}

/** Whether the addon loaded, and if not, why: for every output's "native: ..." line. */
export function nativeStatus(): NativeStatus {
  return loadNative().status;
}
