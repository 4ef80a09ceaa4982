#pragma once
#include "krasip/cases/common/agency_scope.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::test {

// The first agency of a deployment (the one `init` names), as the case
// logic's calls for it expect to be told.
inline cases::AgencyScope agency_one() {
  storage::AgencyRow a;
  a.id = 1;
  return cases::AgencyScope::of(a);
}

} // namespace krasip::test
