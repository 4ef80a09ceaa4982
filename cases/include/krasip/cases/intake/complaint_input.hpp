#pragma once
#include <boost/json/fwd.hpp>
#include <optional>
#include <string>

#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/json_shape.hpp"

namespace krasip::cases {

struct Subject {
  std::string name;
  std::string position;
  std::string unit;
};

struct Identity {
  std::string name;
  std::string national_id;
  std::string phone;
  std::string email;
  std::string address;
};

struct ComplaintInput {
  std::string category;
  Subject subject;
  std::string description;
  std::optional<std::string> incident_date;  // YYYY-MM-DD
  std::optional<std::string> location;
  std::optional<Identity> identity;  // absent = anonymous
  // The channel's id (slug); may be absent when the agency has one channel.
  std::optional<std::string> channel;
  // How it came (issue 13, item 3): "web" from the form; counter, phone,
  // letter or email when an investigator records it for a citizen.
  std::string source = "web";
  // เลขรับหนังสือ: the registry number of the paper trail, if any. Sealed
  // like the complaint, never in clear (it leads to a letter with a name).
  std::optional<std::string> registry_number;
};

// The members of a complaint body, with those of its subject and identity
// objects; and of one recorded at the counter. The route refuses any other
// (parse_json_body) before these functions read the ones they know.
const JsonShape& complaint_shape();
const JsonShape& counter_complaint_shape();

// Validates a parsed request body against the API contract and the limits.
// Throws CaseError naming the first offending field. `today_days` is the
// current Bangkok date as days since 1970-01-01 (an incident cannot be later).
ComplaintInput complaint_from_json(const boost::json::value& body, const Limits& limits,
                                   std::int64_t today_days);

// A complaint an investigator records for a citizen: the same fields as
// the web form's (accept_terms not asked: the investigator explained), plus
// `source` (counter, phone, letter, email) and `registry_number` (required
// for a letter; up to 60 characters of Thai or Latin letters, Thai or
// Arabic digits, spaces and . / - ( ) :).
ComplaintInput counter_complaint_from_json(const boost::json::value& body, const Limits& limits,
                                           std::int64_t today_days);
std::string checked_registry_number(std::string_view value, const std::string& field = "registry_number");

// The plaintext payloads that go into envelopes (and come back out).
std::string complaint_payload(const ComplaintInput& c);
std::string identity_payload(const Identity& id);
boost::json::object complaint_from_payload(std::string_view payload);

// Thai national ID: 13 digits, the last a mod-11 check digit.
bool valid_thai_national_id(std::string_view digits);

}  // namespace krasip::cases
