#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// A case referred to another body (issue 13, item 4): the NACC, the PACC,
// the OAG, the Damrongdham Centre, or another body named by the
// investigator, with that body's reference number. Kept as a 'referral'
// event whose detail is sealed to the case's readers and to the reporter,
// who sees it on the status page; the latest one is the referral. Reading
// it is the reporter's as much as the investigators' (triage/referral.hpp
// records it).
struct Referral {
  std::string body;       // nacc, pacc, oag, damrongdham, other
  std::string body_name;  // for "other" only
  std::string reference;
  std::int64_t at = 0;
};

std::string referral_json(const Referral& r);
Referral parse_referral(std::string_view text, std::int64_t at);
// The latest referral of a case as one reader (an investigator or the
// reporter) opens it; nullopt when there is none.
std::optional<Referral> latest_referral(storage::Database& db, const storage::CaseRow& row, std::int64_t key_id,
                                        KeyOpener key);

}  // namespace krasip::cases
