#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace krasip::cases {

struct Session;

// Who asks for a change to an agency's protection: a signed-in account
// (an administrator of the agency or of one above it), or the host's
// operator at the command line, who has no account and follows the same
// rules (issue 20). Roles are read afresh from the database for every
// decision, never taken from here.
struct Actor {
  std::optional<std::int64_t> user_id;  // nullopt: the host's operator
  std::int64_t agency_id = 0;           // the account's agency; 0 for the operator
  std::string username;

  static Actor host_operator() { return {}; }
  static Actor of(const Session& s);
  bool is_operator() const { return !user_id.has_value(); }
};

}  // namespace krasip::cases
