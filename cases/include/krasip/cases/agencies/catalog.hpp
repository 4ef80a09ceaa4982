#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "krasip/cases/common/deadlines.hpp"

namespace krasip::cases {

struct Label {
  std::string_view id;
  std::string_view th;
  std::string_view en;
};

// Complaint categories offered to reporters (ids are stored per case).
std::span<const Label> categories();
const Label* find_category(std::string_view id);

// Case statuses in their usual order, with reporter-facing labels and what
// happens next.
std::span<const Label> statuses();
const Label* find_status(std::string_view id);
// The days are the case's agency's own service standards (issue 11).
struct NextStep {
  std::string th;
  std::string en;
};
NextStep next_step(std::string_view status, const Deadlines& deadlines);

// How a complaint came (issue 13, item 3): the web form, or recorded by an
// investigator from the counter, a phone call, a letter or an e-mail.
std::span<const Label> complaint_sources();
const Label* find_source(std::string_view id);

// Bodies a case may be referred to (issue 13, item 4), with their names;
// "other" takes a name from the investigator.
std::span<const Label> referral_bodies();
const Label* find_referral_body(std::string_view id);
// What happens next at that body, for the reporter's status page.
Label referral_next_step(std::string_view body);

// Field limits in Unicode code points (bytes for the body), announced by
// GET /api/v1/intake so that clients can check before sending.
struct Limits {
  std::size_t subject_field_max = 200;
  std::size_t description_max = 10000;
  std::size_t location_max = 500;
  std::size_t identity_field_max = 200;
  std::size_t address_max = 500;
  std::size_t message_max = 5000;
  std::size_t max_body_bytes = 256 * 1024;
  // Follow-ups (issue 4): reporter messages and evidence files.
  std::size_t messages_per_case_per_day = 20;           // per author kind: 429 rate_limited
  std::uint64_t upload_max_bytes = 20 * 1024 * 1024;     // one file: 413 file_too_large
  std::uint64_t case_upload_max_bytes = 100 * 1024 * 1024;  // all files of a case: 413
  std::size_t attachments_per_case_max = 50;             // 413 case_upload_limit
  std::size_t file_name_max = 200;                       // code points; longer names are cut
};

}  // namespace krasip::cases
