// Referral of a case to another body (issue 13, item 4; docs/security.md,
// "Referral"): recorded for the reporter to see, and a printable package
// for the body that carries the identity only with a custodian's approval.
#include <algorithm>
#include <boost/json.hpp>

#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/common/case_records.hpp"
#include "krasip/cases/triage/referral.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/two_person_store.hpp"
#include "krasip/storage/user_store.hpp"
#include "triage_rules.hpp"

namespace krasip::cases {

using namespace triage_rules;
namespace json = boost::json;

void TriageService::refer(const Session& s, const std::string& number, const std::string& body,
                          const std::string& body_name, const std::string& reference) {
  require_active(s);
  const auto r = checked_referral(body, body_name, reference);
  const std::int64_t now = clock_();
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    if (row.status != "referred") {
      if (!transition_allowed(row.status, "referred")) {
        throw CaseError(ErrorCode::invalid_transition, "a case cannot go from " + row.status + " to referred",
                        "status");
      }
      storage::triage_store::set_status(db, row.id, "referred", now);
      storage::triage_store::add_event(db, row.id, {now, "status", "referred", s.user_id, std::nullopt, true});
    }
    // The body and its reference are for the reporter too (they follow the
    // case there); sealed to the readers, never to an excluded account.
    std::vector<crypto::Reader> readers;
    for (const auto& k : storage::case_store::complaint_readers(db, row.id)) {
      if (k.user_id && storage::triage_store::is_excluded(db, row.id, *k.user_id)) continue;
      readers.push_back({k.id, k.public_key});
    }
    const auto env = seal_case_record(row.uid, "event:" + crypto::to_hex(crypto::random_bytes(16)),
                                      referral_json(r), readers);
    storage::CaseEventRow e{now, "referral", std::nullopt, s.user_id, std::nullopt, true};
    e.detail_envelope_id = storage::case_store::insert_envelope(db, row.id, env, now, row.reporter_key_id);
    storage::triage_store::add_event(db, row.id, e);
    append_audit(audit_, db, row, {now, s.user_id, "case.refer", row.id, "body=" + r.body},
                 "body=" + r.body + " reference=" + r.reference +
                     (r.body_name.empty() ? "" : " body_name=" + r.body_name));
  });
}

std::optional<Referral> TriageService::referral(const Session& s, const std::string& number) {
  require_active(s);
  auto db = pool_.acquire();
  const auto row = open_case(*db, s, number);
  return latest_referral(*db, row, s.key_id, s.key);
}

ReferralPackage TriageService::referral_package(const Session& s, const std::string& number,
                                                const std::vector<std::string>& file_ids, bool with_identity) {
  require_active(s);
  const std::int64_t now = clock_();
  ReferralPackage p;
  writer_.run([&](storage::Database& db) {
    const auto row = open_case(db, s, number);
    auto referral = latest_referral(db, row, s.key_id, s.key);
    if (!referral) {
      throw CaseError(ErrorCode::invalid_transition, "record the referral (body and reference) first", "body");
    }
    p = ReferralPackage{};
    p.row = row;
    p.referral = std::move(*referral);
    p.at = now;
    if (auto a = storage::key_store::load_agency(db, row.agency_id)) p.agency = std::move(*a);
    if (const auto u = storage::user_store::find_by_id(db, s.user_id)) p.prepared_by = u->display_name;
    const auto complaint = storage::case_store::envelope_for(db, row.id, "complaint", s.key_id);
    if (!complaint) throw CaseError(ErrorCode::not_found, "no such case");
    p.complaint = complaint_from_payload(open_case_record(*complaint, row.uid, s.key));
    const auto all = read_attachments(db, row, s.key_id, s.key);
    for (const auto& id : file_ids) {
      const auto it = std::find_if(all.begin(), all.end(), [&](const AttachmentEntry& a) { return a.id == id; });
      if (it == all.end()) throw CaseError(ErrorCode::not_found, "no such file in this case", "files");
      p.files.push_back(*it);
    }
    std::string detail = "files=" + std::to_string(p.files.size());
    if (with_identity) {
      // Only under a custodian's approval of a request made for this
      // referral (two_person.cpp); used once, like an approval to see it.
      const auto request = storage::two_person_store::open_request_of(db, row.id, s.user_id);
      if (!request || request->purpose != "referral" || request->state != "approved" ||
          request->key_id != s.key_id) {
        throw CaseError(ErrorCode::forbidden,
                        "the identity goes into a referral only once a custodian approved a request for it",
                        "identity");
      }
      auto env = storage::two_person_store::identity_envelope(db, row.id);
      if (!env) throw CaseError(ErrorCode::not_found, "the reporter chose to stay anonymous", "identity");
      env->sealed_key = request->sealed_key;
      p.identity = json::parse(open_case_record(*env, row.uid, s.key)).as_object();
      storage::two_person_store::mark_viewed(db, request->id, now);
      detail += " identity=included request=" + std::to_string(request->id) +
                " approved_by=" + std::to_string(request->decided_by.value_or(0));
    } else {
      detail += " identity=withheld";
    }
    audit_.append(db, {now, s.user_id, "referral.package", row.id, detail});
  });
  return p;
}

}  // namespace krasip::cases
