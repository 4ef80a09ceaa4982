#pragma once
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/change_log_store.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// An agency's public change log (issue 20, item 5): every proposal,
// decision and applied change to who reads its channels, what they keep
// and where alerts go, by role and never by name, in a hash chain anyone
// can check. Entry n's hash is BLAKE2b-256 (no key) over entry n-1's hash
// (32 zero bytes for the first) followed by entry n's text exactly as
// published: `b2sum -l 256` recomputes it. Unlike the audit chain (keyed
// with the pepper, so only the host can verify it), this one is for the
// public; its head is published beside the audit heads.
//
// Each entry is a JSON object: {"agency", "seq", "date" (Bangkok day),
// "event", ...} with, by event: "channel" {id, name_th, name_en},
// "changes" (see describe() in channel_delta.hpp), "by" (the actor's
// public role), "approvers" (parent|agency), "deadline" and "wait" for a
// proposal; "how" (at_once|approved|after_wait) and "approved_by" when
// applied.
struct ChangeEntry {
  std::int64_t agency_id = 0;
  std::int64_t at = 0;
  std::optional<std::int64_t> channel_id;
  std::optional<std::int64_t> proposal_id;
  std::string event;  // proposed, applied, refused, vetoed, withdrawn, lapsed, failed, restored
  bool readers_changed = false;
  boost::json::object fields;
};

namespace change_log {

// Appends in the caller's transaction; returns the row as stored.
storage::ChangeLogRow append(storage::Database& db, const ChangeEntry& e);

struct Verification {
  bool intact = true;
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_broken_seq;
  std::string head_hex;  // the last entry's hash; 64 zeros when there is none
};
Verification verify(storage::Database& db, std::int64_t agency_id);

}  // namespace change_log
}  // namespace krasip::cases
