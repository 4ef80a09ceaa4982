#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "krasip/cases/common/agency_scope.hpp"
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
  // Whose chain the entry joins when it names neither a case nor an actor
  // (an operator's command); otherwise the case's agency, else the actor's.
  std::optional<AgencyScope> agency{};
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

  // An entry's id and hash as the agency published them earlier (on its
  // website, in its ITA report). Whoever holds the host holds the pepper and
  // can rebuild a consistent chain; a published head is what they cannot
  // change, since the hash at that id covers every entry before it.
  struct PublishedHead {
    std::int64_t id = 0;
    std::string hash_hex;  // 64 lowercase hex digits
  };
  enum class HeadCheck {
    matches,     // the chain up to that entry is the one that was published
    differs,     // the entry is there, intact, with another hash: rewritten
    missing,     // the chain is intact but ends before that entry: truncated
    unverified,  // the chain is broken before that entry
  };
  struct PublishedResult {
    PublishedHead head;
    HeadCheck check = HeadCheck::unverified;
  };
  struct ChainHead {
    std::int64_t id = 0;
    std::int64_t at = 0;
    std::string hash_hex;
  };

  struct Verification {
    bool intact = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> first_broken_id;
    std::string head_hash_hex;  // publish it (e.g. in the ITA report) to detect truncation
    std::int64_t head_id = 0;
    // The last intact entry of each calendar month (Bangkok time), oldest
    // first: what the agency publishes month by month.
    std::vector<ChainHead> month_ends;
    std::vector<PublishedResult> published;  // in the order asked
    bool all_published_match() const;
  };
  // One agency's chain (schema 10: each agency has its own, with its own
  // head to publish).
  Verification verify(storage::Database& db, AgencyScope agency,
                      std::span<const PublishedHead> published = {}) const;

 private:
  storage::Blob hash_of(const storage::AuditRow& row) const;
  storage::Blob genesis(std::int64_t agency_id) const;
  crypto::SecureBytes key_;
};

}  // namespace krasip::cases
