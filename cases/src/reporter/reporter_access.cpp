#include "krasip/cases/reporter/reporter_access.hpp"

#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/crypto/tracking_code.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/purge_store.hpp"

namespace krasip::cases {

namespace {

void equalise_timing(const ServerSecrets& secrets, const crypto::TrackingCode& code) {
  static const crypto::SecureBytes decoy_key = crypto::SecureBytes::random(32);
  static const crypto::Bytes decoy_wrap =
      crypto::wrap_data_key(crypto::SecureBytes::random(32), decoy_key);
  const auto salt = crypto::random_bytes(crypto::kCaseSaltBytes);
  const auto key = crypto::reporter_wrap_key(secrets.pepper, salt, code);
  try {
    (void)crypto::unwrap_data_key(decoy_wrap, key);  // fails: wrong key, as intended
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
  // A purged case's salt and keys are gone: its tombstone answers instead.
  if (const auto purged = storage::purge_store::purged_at(db, row->id)) {
    throw CasePurged(row->case_number, *purged);
  }
  ReporterKeys keys(secrets, row->reporter_salt, std::move(*parsed.code));
  return {std::move(*row), std::move(keys)};
}

}  // namespace krasip::cases
