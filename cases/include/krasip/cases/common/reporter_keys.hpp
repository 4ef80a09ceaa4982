#pragma once
#include <optional>

#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/crypto/bytes.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/secure_bytes.hpp"
#include "krasip/crypto/tracking_code.hpp"

namespace krasip::cases {

// The reporter's keys for one case, derived from the tracking code while a
// request carries it. What the reporter writes (the complaint, their
// messages and files) is wrapped under the symmetric key; the key pair is
// needed only to open what investigators sealed to the reporter's public
// key, so it is derived on first use: a lookup of a case without replies
// costs no X25519 operation.
class ReporterKeys {
public:
  ReporterKeys(const ServerSecrets &secrets, crypto::ByteView case_salt,
               crypto::TrackingCode code);

  const crypto::SecureBytes &wrap_key() const { return wrap_key_; }
  const crypto::KeyPair &key_pair() const;
  // Opens the reporter's slot of an envelope, wrapped or sealed.
  crypto::SecureBytes open_data_key(crypto::ByteView stored) const;
  // The key of the reporter's slot in their identity envelope (a wrap under
  // its own derivation, see crypto::reporter_identity_key). Derived afresh
  // on each call and never kept: only filing (to make the slot), escalation
  // (to move the identity) and code replacement (to wrap the slot again
  // under the new code's key, CodeReplacement) call it; no status or
  // follow-up route does, so none of them can open the identity.
  crypto::SecureBytes derive_identity_key() const;

private:
  const ServerSecrets *secrets_;
  crypto::Bytes salt_;
  crypto::TrackingCode code_;
  crypto::SecureBytes wrap_key_;
  mutable std::optional<crypto::KeyPair> pair_;
};

} // namespace krasip::cases
