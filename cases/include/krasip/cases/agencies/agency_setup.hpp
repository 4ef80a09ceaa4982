#pragma once
#include <optional>
#include <string>

#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/crypto/password_wrap.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::cases {

struct FirstCustodian {
  std::string username;
  std::string display_name;
};

struct InitResult {
  std::string recovery_key;  // printable; shown once, never stored
  std::string custodian_password;  // generated; shown once
  std::string custodian_totp_uri;  // shown once
};

// Creates the database, the pepper, the agency and its recovery key pair,
// and (optionally) a first investigator who is identity custodian and
// administrator. Refuses to touch a folder that already holds a database.
InitResult initialise_agency(const DataPaths& paths, const storage::AgencyRow& agency,
                             const std::optional<FirstCustodian>& custodian,
                             crypto::PwhashLimits limits);

// The demo agency of the seed document.
storage::AgencyRow demo_agency();

}  // namespace krasip::cases
