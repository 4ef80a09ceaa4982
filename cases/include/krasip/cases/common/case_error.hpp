#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace krasip::cases {

// Everything a caller can act on. The HTTP layer maps each to a status.
enum class ErrorCode {
  malformed_json,
  invalid_utf8,
  missing_field,
  invalid_field,
  field_too_long,
  unknown_category,
  terms_not_accepted,
  malformed_code,
  unknown_code,
  not_found,
  forbidden,
  unavailable,
  invalid_credentials,
  unauthenticated,
  csrf_failed,
  rate_limited,
  invalid_transition,
  busy,
  // Follow-ups (issue 4).
  file_too_large,          // 413: one file over Limits::upload_max_bytes
  case_upload_limit,       // 413: the case's files over case_upload_max_bytes or count
  file_type_not_allowed,   // 415: content type (libmagic) not on the allow-list
  unknown_agency,          // 404: no open agency by that slug (issue 11)
  // Retention (issue 13, item 6).
  case_purged,             // 410: the code's case was closed and its records deleted
  file_not_processed,      // 422: the sandboxed checker crashed, overran or failed on it
  // Console administration (issue 12, item 1).
  step_up_required,        // 403: a sensitive action without the password and a fresh code
  step_up_failed,          // 403: wrong password or code, or a code already used
  // Issue 20, item 7.
  escalation_pending,      // 409: a move of the case waits for its oversight channel
  // Issue 21, item 6.
  unknown_field,           // 400: a body member the route does not take (JsonShape)
};

const char* to_string(ErrorCode code);

// A refusal with a machine-readable code, the offending field's JSON path
// (may be empty) and a message that never contains submitted text.
class CaseError : public std::runtime_error {
 public:
  CaseError(ErrorCode code, std::string message, std::string field = {})
      : std::runtime_error(std::move(message)), code_(code), field_(std::move(field)) {}
  ErrorCode code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  ErrorCode code_;
  std::string field_;
};

// A tracking code whose case was purged after its retention: the code still
// finds its tombstone, which tells when (and nothing else).
class CasePurged : public CaseError {
 public:
  CasePurged(std::string case_number, std::int64_t purged_at)
      : CaseError(ErrorCode::case_purged, "this case was closed and its records deleted", "tracking_code"),
        case_number_(std::move(case_number)),
        purged_at_(purged_at) {}
  const std::string& case_number() const { return case_number_; }
  std::int64_t purged_at() const { return purged_at_; }

 private:
  std::string case_number_;
  std::int64_t purged_at_;
};

}  // namespace krasip::cases
