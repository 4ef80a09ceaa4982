#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// What an agency publishes about itself (issue 13, items 1 and 2): the
// times of its cases for the service-standard figures, its channels' counts
// and membership sizes, and the picture of its complaint page on its site.
namespace public_store {

// The four dates of each case of one agency's fiscal year (B.E.), purged
// tombstones included (they keep their dates).
struct CaseTimes {
  std::int64_t received_at = 0;
  std::optional<std::int64_t> acknowledged_at;
  std::optional<std::int64_t> first_reply_at;
  std::optional<std::int64_t> outcome_at;
};
std::vector<CaseTimes> case_times(Database& db, std::int64_t agency_id, int fiscal_year);

// Cases received in the year per channel of the agency, every channel
// listed (0 included), in the reporters' order.
struct ChannelCount {
  std::string slug;
  std::string name_th;
  std::string name_en;
  std::int64_t received = 0;
};
std::vector<ChannelCount> channel_counts(Database& db, std::int64_t agency_id, int fiscal_year);

// How many enabled accounts hold each role in each channel of the agency,
// and how many of them belong to another agency (the one above it).
struct MemberCount {
  std::int64_t channel_id = 0;
  std::string role;  // recipient or custodian
  std::int64_t accounts = 0;
  std::int64_t from_other_agency = 0;
};
std::vector<MemberCount> member_counts(Database& db, std::int64_t agency_id);

// The administrator's picture of the agency's page that links to Krasip
// (schema 15), kept for the ITA evidence pack. One per agency.
struct SitePicture {
  Blob image;
  std::string mime;  // image/png or image/jpeg
  std::string page_url;
  std::int64_t uploaded_at = 0;
};
void put_site_picture(Database& db, std::int64_t agency_id, const SitePicture& p,
                      std::optional<std::int64_t> uploaded_by);
std::optional<SitePicture> site_picture(Database& db, std::int64_t agency_id);

}  // namespace public_store
}  // namespace krasip::storage
