#pragma once
#include <string_view>

#include "krasip/cases/server_secrets.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// A case opened with its tracking code, and the reporter key derived from it.
struct ReporterCase {
  storage::CaseRow row;
  crypto::KeyPair key;
};

// Throws CaseError malformed_code (check digit) or unknown_code. An unknown
// code does the same work as a known one (key derivation, one sealed-box
// open, one decryption) so that timing does not tell which codes exist.
ReporterCase open_reporter_case(const ServerSecrets& secrets, storage::Database& db,
                                std::string_view tracking_code);

}  // namespace krasip::cases
