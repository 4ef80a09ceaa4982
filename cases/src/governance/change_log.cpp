#include "krasip/cases/governance/change_log.hpp"

#include <boost/json.hpp>

#include "krasip/cases/common/thai_time.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/keyed_hash.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::cases::change_log {

namespace json = boost::json;

namespace {
storage::Blob chain(const storage::Blob& prev, const std::string& entry) {
  return crypto::public_hash({crypto::ByteView(prev.data(), prev.size()),
                              crypto::ByteView(reinterpret_cast<const std::uint8_t*>(entry.data()), entry.size())});
}
}  // namespace

storage::ChangeLogRow append(storage::Database& db, const ChangeEntry& e) {
  const auto last = storage::change_log_store::last(db, e.agency_id);
  const auto agency = storage::key_store::load_agency(db, e.agency_id);
  storage::ChangeLogRow row;
  row.agency_id = e.agency_id;
  row.seq = last ? last->seq + 1 : 1;
  row.day = bangkok_day_start(e.at);
  row.channel_id = e.channel_id;
  row.proposal_id = e.proposal_id;
  row.event = e.event;
  row.readers_changed = e.readers_changed;
  json::object o{{"agency", agency ? agency->slug : std::string()},
                 {"seq", row.seq},
                 {"date", iso_date_bangkok(e.at)},
                 {"event", e.event}};
  for (const auto& [k, v] : e.fields) o[k] = v;
  row.entry = json::serialize(o);
  row.prev_hash = last ? last->hash : storage::Blob(32, 0);
  row.hash = chain(row.prev_hash, row.entry);
  storage::change_log_store::append(db, row);
  return row;
}

Verification verify(storage::Database& db, std::int64_t agency_id) {
  Verification v;
  storage::Blob prev(32, 0);
  for (const auto& row : storage::change_log_store::all(db, agency_id)) {
    ++v.entries;
    if (v.intact && (row.prev_hash != prev || row.hash != chain(prev, row.entry) || row.seq != v.entries)) {
      v.intact = false;
      v.first_broken_seq = row.seq;
    }
    prev = row.hash;
  }
  v.head_hex = crypto::to_hex(prev);
  return v;
}

}  // namespace krasip::cases::change_log
