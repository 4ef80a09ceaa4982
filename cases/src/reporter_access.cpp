#include "krasip/cases/reporter_access.hpp"

#include "krasip/cases/case_crypto.hpp"
#include "krasip/cases/case_error.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/tracking_code.hpp"
#include "krasip/storage/case_store.hpp"

namespace krasip::cases {

namespace {

void equalise_timing(const ServerSecrets& secrets, const crypto::TrackingCode& code) {
  static const crypto::KeyPair decoy = crypto::KeyPair::generate();
  static const storage::EnvelopeRow decoy_env =
      seal_case_record(storage::Blob(16), "complaint", std::string(512, ' '),
                       std::vector<crypto::Reader>{{1, decoy.public_key}});
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

ReporterCase open_reporter_case(const ServerSecrets& secrets, storage::Database& db,
                                std::string_view tracking_code) {
  auto parsed = crypto::parse_tracking_code(tracking_code);
  if (!parsed.code) {
    throw CaseError(ErrorCode::malformed_code,
                    "the tracking code is mistyped: check the digits and try again",
                    "tracking_code");
  }
  const auto& code = *parsed.code;
  const auto hash = crypto::tracking_code_lookup_hash(secrets.pepper, code);
  auto row = storage::case_store::find_by_code_hash(db, hash);
  if (!row) {
    equalise_timing(secrets, code);
    throw CaseError(ErrorCode::unknown_code, "no case has this tracking code", "tracking_code");
  }
  auto key = crypto::reporter_key_pair(secrets.pepper, row->reporter_salt, code);
  return {std::move(*row), std::move(key)};
}

}  // namespace krasip::cases
