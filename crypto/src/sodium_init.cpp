#include "krasip/crypto/sodium_init.hpp"

#include <sodium.h>

#include <stdexcept>

namespace krasip::crypto {
void ensure_sodium() {
  static const int rc = sodium_init();
  if (rc < 0) throw std::runtime_error("libsodium initialisation failed");
}
}  // namespace krasip::crypto
