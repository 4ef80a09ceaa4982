#pragma once
#include <optional>
#include <string>

#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cli {

// The agency an operator's command acts for: `--agency SLUG`, which may be
// left out when the deployment has one agency (so one-agency deployments
// keep the commands they had). Throws UsageError naming the slugs otherwise.
storage::AgencyRow agency_option(storage::Database& db, const std::optional<std::string>& slug);

}  // namespace krasip::cli
