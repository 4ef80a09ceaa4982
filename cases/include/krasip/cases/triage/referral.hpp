#pragma once
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/reporter/case_followups.hpp"
#include "krasip/cases/reporter/referral_record.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// Checks an investigator's input (CaseError naming the field).
Referral checked_referral(const std::string& body, const std::string& body_name, const std::string& reference);

// What GET /api/v1/cases/{n}/referral-package prints: a letter to the
// body, the complaint and the list of chosen files; the identity only
// under a custodian's approval of a request made for the referral.
struct ReferralPackage {
  storage::CaseRow row;
  storage::AgencyRow agency;
  Referral referral;
  // The registry number stays out: it leads to our paper trail, which
  // holds the name; the body quotes the case number instead.
  boost::json::object complaint;
  std::vector<AttachmentEntry> files;
  std::optional<boost::json::object> identity;
  std::string prepared_by;  // display name of the investigator
  std::int64_t at = 0;
};

// The package as a printable HTML page (Thai, dates in B.E.), every value
// escaped; styled by /css/referral.css under the site's CSP.
std::string referral_package_html(const ReferralPackage& p);

}  // namespace krasip::cases
