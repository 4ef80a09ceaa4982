#include "krasip/cases/reporter/code_replacement.hpp"

#include "krasip/cases/reporter/reporter_access.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/tracking_code.hpp"
#include "krasip/storage/reporter_code.hpp"

namespace krasip::cases {

ReplacedCode CodeReplacement::replace(std::string_view tracking_code) {
  ReplacedCode out;
  writer_.run([&](storage::Database& db) {
    const auto opened = open_reporter_case(secrets_, db, tracking_code);
    const auto& row = opened.row;
    const auto code = crypto::TrackingCode::generate();
    const auto salt = crypto::random_bytes(crypto::kCaseSaltBytes);
    const ReporterKeys next(secrets_, salt, code);
    std::optional<crypto::SecureBytes> old_identity;
    std::optional<crypto::SecureBytes> new_identity;
    for (const auto& slot : storage::case_store::reporter_slots(db, row.id, row.reporter_key_id)) {
      crypto::Bytes sealed;
      if (slot.field == "identity") {
        // Its own key on both sides (ReporterKeys::derive_identity_key).
        if (!old_identity) {
          old_identity = opened.key.derive_identity_key();
          new_identity = next.derive_identity_key();
        }
        sealed = crypto::wrap_data_key(crypto::unwrap_data_key(slot.sealed_key, *old_identity), *new_identity);
      } else if (slot.sealed_key.size() == crypto::kWrappedKeyBytes) {
        sealed = crypto::wrap_data_key(opened.key.open_data_key(slot.sealed_key), next.wrap_key());
      } else {
        // Sealed to the reporter's public key while the code was absent
        // (investigators' replies and files): sealed to the new one.
        sealed = crypto::seal_data_key(opened.key.open_data_key(slot.sealed_key), next.key_pair().public_key);
      }
      storage::case_store::replace_reporter_slot(db, slot.envelope_id, row.reporter_key_id, sealed);
    }
    storage::case_store::replace_reporter_code(db, row.id, crypto::tracking_code_lookup_hash(secrets_.pepper, code),
                                               salt, row.reporter_key_id, next.key_pair().public_key);
    out.case_number = row.case_number;
    out.tracking_code = code.formatted();
  });
  return out;
}

}  // namespace krasip::cases
