#include "krasip/cases/reporter/referral_record.hpp"

#include <boost/json.hpp>

#include "krasip/storage/triage_store.hpp"

namespace krasip::cases {

namespace json = boost::json;

namespace {
std::string text_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}
}  // namespace

std::string referral_json(const Referral& r) {
  json::object o{{"body", r.body}, {"reference", r.reference}};
  if (!r.body_name.empty()) o["body_name"] = r.body_name;
  return json::serialize(o);
}

Referral parse_referral(std::string_view text, std::int64_t at) {
  const auto v = json::parse(text);
  const auto& o = v.as_object();
  return {text_at(o, "body"), text_at(o, "body_name"), text_at(o, "reference"), at};
}

std::optional<Referral> latest_referral(storage::Database& db, const storage::CaseRow& row, std::int64_t key_id,
                                        KeyOpener key) {
  std::optional<Referral> out;
  for (const auto& e : storage::triage_store::events(db, row.id, key_id)) {
    if (e.kind != "referral" || !e.sealed_detail) continue;
    out = parse_referral(open_case_record(*e.sealed_detail, row.uid, key), e.at);
  }
  return out;
}

}  // namespace krasip::cases
