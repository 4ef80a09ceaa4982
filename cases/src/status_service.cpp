#include "krasip/cases/status_service.hpp"

#include <boost/json.hpp>

#include "krasip/cases/case_crypto.hpp"
#include "krasip/cases/case_error.hpp"
#include "krasip/cases/complaint_input.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/tracking_code.hpp"
#include "krasip/storage/case_store.hpp"

namespace krasip::cases {

namespace {

// Mirrors the work of a successful lookup (key derivation, one sealed-box
// open, one record decryption) so an unknown code costs the same time.
void equalise_timing(const ServerSecrets& secrets, const crypto::TrackingCode& code) {
  static const crypto::KeyPair decoy = crypto::KeyPair::generate();
  static const storage::EnvelopeRow decoy_env = seal_case_record(
      storage::Blob(16), "complaint", std::string(512, ' '), std::vector<crypto::Reader>{{1, decoy.public_key}});
  const auto salt = crypto::random_bytes(crypto::kCaseSaltBytes);
  const auto kp = crypto::reporter_key_pair(secrets.pepper, salt, code);
  const storage::ReadableEnvelope env{0, decoy_env.field, decoy_env.nonce, decoy_env.ciphertext,
                                      decoy_env.keys.front().sealed};
  try {
    (void)open_case_record(env, storage::Blob(16), kp);  // fails: wrong key, as intended
  } catch (const crypto::DecryptError&) {
  }
}

}  // namespace

StatusView StatusService::lookup(std::string_view tracking_code) {
  auto parsed = crypto::parse_tracking_code(tracking_code);
  if (!parsed.code) {
    throw CaseError(ErrorCode::malformed_code,
                    "the tracking code is mistyped: check the digits and try again",
                    "tracking_code");
  }
  const auto& code = *parsed.code;
  const auto hash = crypto::tracking_code_lookup_hash(secrets_.pepper, code);

  auto db = pool_.acquire();
  const auto row = storage::case_store::find_by_code_hash(*db, hash);
  if (!row) {
    equalise_timing(secrets_, code);
    throw CaseError(ErrorCode::unknown_code, "no case has this tracking code", "tracking_code");
  }
  const auto reporter = crypto::reporter_key_pair(secrets_.pepper, row->reporter_salt, code);

  StatusView v;
  v.case_number = row->case_number;
  v.status = row->status;
  v.category = row->category;
  v.received_at = row->received_at;
  v.identity_provided = row->has_identity;

  const auto complaint =
      storage::case_store::envelope_for(*db, row->id, "complaint", row->reporter_key_id);
  if (complaint) {
    v.submission = complaint_from_payload(open_case_record(*complaint, row->uid, reporter));
  }
  for (const auto& e : storage::case_store::events(*db, row->id, true)) {
    if (e.kind == "status" && e.status) v.timeline.push_back({e.at, *e.status});
  }
  for (const auto& m : storage::case_store::messages_for(*db, row->id, row->reporter_key_id)) {
    v.messages.push_back({m.at, m.author, open_case_record(m.envelope, row->uid, reporter)});
  }
  return v;
}

}  // namespace krasip::cases
