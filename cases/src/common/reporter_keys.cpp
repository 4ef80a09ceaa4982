#include "krasip/cases/common/reporter_keys.hpp"

#include "krasip/crypto/envelope.hpp"

namespace krasip::cases {

ReporterKeys::ReporterKeys(const ServerSecrets &secrets,
                           crypto::ByteView case_salt,
                           crypto::TrackingCode code)
    : secrets_(&secrets), salt_(case_salt.begin(), case_salt.end()),
      code_(std::move(code)),
      wrap_key_(crypto::reporter_wrap_key(secrets.pepper, salt_, code_)) {}

const crypto::KeyPair &ReporterKeys::key_pair() const {
  if (!pair_)
    pair_ = crypto::reporter_key_pair(secrets_->pepper, salt_, code_);
  return *pair_;
}

crypto::SecureBytes ReporterKeys::open_data_key(crypto::ByteView stored) const {
  // Cases filed before key wrapping have a sealed box in the reporter's slot.
  if (stored.size() == crypto::kWrappedKeyBytes)
    return crypto::unwrap_data_key(stored, wrap_key_);
  return crypto::open_data_key(stored, key_pair());
}

crypto::SecureBytes ReporterKeys::derive_identity_key() const {
  return crypto::reporter_identity_key(secrets_->pepper, salt_, code_);
}

} // namespace krasip::cases
