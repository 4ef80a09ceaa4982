#pragma once
#include <filesystem>

#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::cases {

// Secrets the service holds outside the database. Today: the pepper that
// keys tracking-code hashes and reporter keys. A copy of the database
// without this file cannot be used to test guessed codes.
struct ServerSecrets {
  crypto::SecureBytes pepper;

  // Creates the file (mode 0600, parent 0700) with fresh random bytes;
  // refuses to overwrite an existing one.
  static ServerSecrets create(const std::filesystem::path& pepper_file);
  static ServerSecrets load(const std::filesystem::path& pepper_file);
};

}  // namespace krasip::cases
