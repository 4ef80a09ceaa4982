#pragma once
#include <boost/json/fwd.hpp>
#include <optional>
#include <string>

#include "krasip/cases/agencies/catalog.hpp"

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
};

// Validates a parsed request body against the API contract and the limits.
// Throws CaseError naming the first offending field. `today_days` is the
// current Bangkok date as days since 1970-01-01 (an incident cannot be later).
ComplaintInput complaint_from_json(const boost::json::value& body, const Limits& limits,
                                   std::int64_t today_days);

// The plaintext payloads that go into envelopes (and come back out).
std::string complaint_payload(const ComplaintInput& c);
std::string identity_payload(const Identity& id);
boost::json::object complaint_from_payload(std::string_view payload);

// Thai national ID: 13 digits, the last a mod-11 check digit.
bool valid_thai_national_id(std::string_view digits);

}  // namespace krasip::cases
