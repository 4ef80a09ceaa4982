#pragma once
#include <cstdint>

#include "krasip/storage/records.hpp"

namespace krasip::cases {

// The agency a piece of case logic acts for. Made only from an agency loaded
// from the database (or, for staff, the session of an account of it), so no
// caller can name an agency by a number it was handed: a request for
// another agency's case, user or audit entry then finds nothing, the same
// as one never made (docs/security.md, "Between agencies").
struct Session;

class AgencyScope {
 public:
  static AgencyScope of(const storage::AgencyRow& agency) { return AgencyScope(agency.id); }
  std::int64_t id() const { return id_; }
  bool operator==(const AgencyScope&) const = default;

 private:
  friend struct Session;  // a session acts for its account's agency
  explicit AgencyScope(std::int64_t id) : id_(id) {}
  std::int64_t id_;
};

}  // namespace krasip::cases
