// JSON body → complaint: the parser and every validation rule must refuse
// bad input with a CaseError, never crash or accept ill-formed UTF-8.
#include <boost/json.hpp>
#include <cstdint>
#include <string_view>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/common/text_rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!krasip::cases::utf8_length(text)) return 0;  // the HTTP layer refuses these first
  boost::json::parse_options opt;
  opt.max_depth = 16;
  boost::system::error_code ec;
  const auto value = boost::json::parse(text, ec, {}, opt);
  if (ec) return 0;
  try {
    const auto c = krasip::cases::complaint_from_json(value, {}, 20000);
    // Whatever is accepted must be well-formed text within the limits.
    if (!krasip::cases::utf8_length(c.description) || c.description.empty()) __builtin_trap();
    (void)krasip::cases::complaint_payload(c);
  } catch (const krasip::cases::CaseError&) {
  }
  return 0;
}
