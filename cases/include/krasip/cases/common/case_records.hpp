#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/crypto/envelope.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// The investigator side of a case's readers: every current reader of its
// complaint except the reporter (the recovery key included; excluded
// accounts hold no key to the complaint, so they are not among them).
std::vector<crypto::Reader> investigator_readers(storage::Database& db, std::int64_t case_id);

// A record of the case sealed to investigator_readers() and stored as the
// envelope `<prefix><random hex>`. Used for what names people or gives
// reasons: exclusion reasons, event details, audit details.
struct SealedRecord {
  std::int64_t envelope_id = 0;
  storage::Blob nonce;
  storage::Blob ciphertext;
};
SealedRecord seal_investigator_record(storage::Database& db, const storage::CaseRow& c,
                                      std::string_view prefix, std::string_view text,
                                      std::int64_t at);

// Opens a sealed detail for an investigator; nullopt if there is none.
std::optional<std::string> open_detail(const std::optional<storage::ReadableEnvelope>& sealed,
                                       const storage::CaseRow& c, const crypto::KeyPair& key);

// One-time step for databases older than schema 5: seals every exclusion
// reason and event detail still in plaintext to the case's current readers
// (public keys suffice) and blanks the plaintext (secure_delete overwrites
// it). Returns how many were sealed; 0 once done. Run in the writer.
std::size_t seal_plaintext_details(storage::Database& db);

}  // namespace krasip::cases
