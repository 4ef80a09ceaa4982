#pragma once

namespace krasip::crypto {
// Idempotent; throws if libsodium cannot initialise (no entropy source).
void ensure_sodium();
}  // namespace krasip::crypto
