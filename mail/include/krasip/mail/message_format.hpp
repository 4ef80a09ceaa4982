#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace krasip::mail {

// A plausible single address (local@domain, printable ASCII, no spaces,
// brackets or line breaks, at most 254 bytes): what may go into an SMTP
// envelope and a header without injecting anything.
bool valid_address(std::string_view address);

// RFC 5322 text of a plain UTF-8 mail: the subject encoded per RFC 2047,
// the body in base64 (Thai text, any line length), CRLF line ends.
// Addresses must be valid_address(); throws std::invalid_argument otherwise.
std::string format_message(std::string_view from, std::string_view to, std::string_view subject,
                           std::string_view body, std::int64_t unix_time);

}  // namespace krasip::mail
