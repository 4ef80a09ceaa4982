#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "krasip/crypto/secure_bytes.hpp"
#include "krasip/storage/audit_store.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

struct AuditEvent {
  std::int64_t at = 0;
  std::optional<std::int64_t> actor_user_id;
  std::string action;  // e.g. "case.view", "identity.reveal"
  std::optional<std::int64_t> case_id;
  std::string detail;  // in clear: never a name or a reason
  // For entries about a case: what the entry says, already sealed to the
  // case's readers (see TriageService), and stored as an envelope.
  std::optional<std::int64_t> detail_envelope_id{};
  storage::Blob detail_nonce{};
  storage::Blob detail_ciphertext{};
};

// The append-only audit chain. Each entry's hash covers the previous hash
// and its own fields, keyed with a key derived from the server pepper: an
// edit, an insertion or a removal in the middle breaks the chain, and
// nobody holding only the database can forge a consistent one.
// A sealed detail is covered as stored (envelope id, nonce, ciphertext), so
// verifying needs no reader key; entries without one hash exactly as they
// did before sealed details existed, and still verify.
class AuditLog {
 public:
  explicit AuditLog(const crypto::SecureBytes& pepper);
  // Call inside the writer's transaction, in the same job as the action.
  void append(storage::Database& db, const AuditEvent& e) const;

  struct Verification {
    bool intact = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> first_broken_id;
    std::string head_hash_hex;  // publish it (e.g. in the ITA report) to detect truncation
  };
  Verification verify(storage::Database& db) const;

 private:
  storage::Blob hash_of(const storage::AuditRow& row) const;
  crypto::SecureBytes key_;
};

}  // namespace krasip::cases
