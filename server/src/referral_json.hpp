#pragma once
// A referral as the console and the reporter's status answer show it
// (issue 13, item 4): the body, its names, the reference, and what happens
// next there.
#include <boost/json.hpp>

#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/triage/referral.hpp"

namespace krasip::server {

inline boost::json::object referral_object(const cases::Referral& r) {
  const auto* body = cases::find_referral_body(r.body);
  const bool other = r.body == "other";
  const auto next = cases::referral_next_step(r.body);
  return {{"body", r.body},
          {"body_name_th", other ? r.body_name : std::string(body != nullptr ? body->th : "")},
          {"body_name_en", other ? r.body_name : std::string(body != nullptr ? body->en : "")},
          {"reference", r.reference},
          {"at", cases::iso_date_bangkok(r.at)},
          {"next_step_th", next.th},
          {"next_step_en", next.en}};
}

}  // namespace krasip::server
