#include "krasip/server/error_mapping.hpp"

#include <spdlog/spdlog.h>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/storage/errors.hpp"

namespace krasip::server {

namespace {
http::status status_for(cases::ErrorCode code) {
  using cases::ErrorCode;
  switch (code) {
    case ErrorCode::unknown_code:
    case ErrorCode::not_found:
      return http::status::not_found;
    case ErrorCode::forbidden:
      return http::status::forbidden;
    case ErrorCode::unavailable:
    case ErrorCode::busy:
      return http::status::service_unavailable;
    case ErrorCode::invalid_credentials:
    case ErrorCode::unauthenticated:
      return http::status::unauthorized;
    case ErrorCode::csrf_failed:
    // Not 401: the session is fine, and the console must not send the
    // administrator back to the login form for a mistyped code.
    case ErrorCode::step_up_required:
    case ErrorCode::step_up_failed:
      return http::status::forbidden;
    case ErrorCode::rate_limited:
      return http::status::too_many_requests;
    case ErrorCode::invalid_transition:
    case ErrorCode::escalation_pending:
      return http::status::conflict;
    case ErrorCode::file_too_large:
    case ErrorCode::case_upload_limit:
      return http::status::payload_too_large;
    case ErrorCode::file_type_not_allowed:
      return http::status::unsupported_media_type;
    case ErrorCode::unknown_agency:
      return http::status::not_found;
    case ErrorCode::case_purged:
      return http::status::gone;
    case ErrorCode::file_not_processed:
      return http::status::unprocessable_entity;
    case ErrorCode::unknown_category:
    case ErrorCode::malformed_json:
    case ErrorCode::invalid_utf8:
    case ErrorCode::missing_field:
    case ErrorCode::invalid_field:
    case ErrorCode::unknown_field:
    case ErrorCode::field_too_long:
    case ErrorCode::terms_not_accepted:
    case ErrorCode::malformed_code:
      return http::status::bad_request;
  }
  return http::status::bad_request;
}
}  // namespace

Response response_for(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const cases::CaseError& e) {
    auto res = error_response(status_for(e.code()), cases::to_string(e.code()), e.what(), e.field());
    // A full queue or too many uploads at once: soon worth another try.
    if (e.code() == cases::ErrorCode::busy) res.set(http::field::retry_after, "5");
    return res;
  } catch (const HttpError& e) {
    return error_response(e.status(), e.code(), e.what());
  } catch (const storage::StorageUnavailable& e) {
    spdlog::error("event=storage_unavailable sqlite_code={} detail=\"{}\"", e.code(), e.what());
    return error_response(http::status::service_unavailable, "storage_unavailable",
                          "The service cannot save right now; nothing was stored. Please try "
                          "again in a few minutes.");
  } catch (const std::exception& e) {
    spdlog::error("event=internal_error type=\"{}\" detail=\"{}\"", typeid(e).name(), e.what());
  } catch (...) {
    spdlog::error("event=internal_error type=unknown");
  }
  return error_response(http::status::internal_server_error, "internal_error",
                        "Something went wrong on our side; nothing was stored.");
}

}  // namespace krasip::server
