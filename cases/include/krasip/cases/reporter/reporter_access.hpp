#pragma once
#include <string_view>

#include "krasip/cases/common/reporter_keys.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// A case opened with its tracking code, and the reporter keys derived from it.
struct ReporterCase {
  storage::CaseRow row;
  ReporterKeys key;
};

// Throws CaseError malformed_code (check digit) or unknown_code, and
// CasePurged for a case deleted after its retention. An unknown
// code does the work of opening a complaint (key derivation, one key unwrap)
// so that an answer's timing tells no more than its status does.
ReporterCase open_reporter_case(const ServerSecrets& secrets, storage::Database& db,
                                std::string_view tracking_code);

}  // namespace krasip::cases
