#pragma once
#include <exception>

#include "krasip/server/http_types.hpp"

namespace krasip::server {

// The one place where errors become HTTP answers: CaseError → its 4xx,
// storage unavailability → 503, anything else → 500 without details
// (the detail goes to the log, never to the client).
Response response_for(std::exception_ptr error);

}  // namespace krasip::server
