#include "krasip/cases/common/case_error.hpp"

namespace krasip::cases {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::malformed_json: return "malformed_json";
    case ErrorCode::invalid_utf8: return "invalid_utf8";
    case ErrorCode::missing_field: return "missing_field";
    case ErrorCode::invalid_field: return "invalid_field";
    case ErrorCode::field_too_long: return "field_too_long";
    case ErrorCode::unknown_category: return "unknown_category";
    case ErrorCode::terms_not_accepted: return "terms_not_accepted";
    case ErrorCode::malformed_code: return "malformed_code";
    case ErrorCode::unknown_code: return "unknown_code";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::invalid_credentials: return "invalid_credentials";
    case ErrorCode::unauthenticated: return "unauthenticated";
    case ErrorCode::csrf_failed: return "csrf_failed";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::invalid_transition: return "invalid_transition";
    case ErrorCode::busy: return "server_busy";
    case ErrorCode::file_too_large: return "file_too_large";
    case ErrorCode::case_upload_limit: return "case_upload_limit";
    case ErrorCode::file_type_not_allowed: return "file_type_not_allowed";
    case ErrorCode::unknown_agency: return "unknown_agency";
    case ErrorCode::case_purged: return "case_purged";
    case ErrorCode::file_not_processed: return "file_not_processed";
    case ErrorCode::step_up_required: return "step_up_required";
    case ErrorCode::step_up_failed: return "step_up_failed";
    case ErrorCode::escalation_pending: return "escalation_pending";
    case ErrorCode::unknown_field: return "unknown_field";
  }
  return "error";
}

}  // namespace krasip::cases
