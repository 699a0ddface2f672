// Builds the native addon with `napi build` when a Rust toolchain is present (placeholder until native/ lands).
console.error('[build:native] native/ crate not yet present; skipping');
