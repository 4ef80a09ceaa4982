// The streaming multipart parser, fed the same input in two different chunk
// sizes: no crash, bounded memory, and the same parts either way.
#include <cstdint>
#include <string>
#include <string_view>

#include "krasip/server/multipart_parser.hpp"

namespace {
std::string run(std::string_view body, std::size_t chunk) {
  std::string trace;
  krasip::server::MultipartParser p(
      "FuzzBoundary",
      {[&](const krasip::server::PartHeaders& h) { trace += "[" + h.name + "]"; },
       [&](std::string_view d) { trace.append(d); },
       [&] { trace += "|"; }});
  krasip::server::MultipartParser::Error e{};
  for (std::size_t i = 0; i < body.size(); i += chunk) {
    e = p.feed(body.substr(i, chunk));
    if (e != krasip::server::MultipartParser::Error::none) break;
  }
  if (e == krasip::server::MultipartParser::Error::none) e = p.finish();
  return trace + "#" + krasip::server::to_string(e);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (run(body, 1) != run(body, 4096)) __builtin_trap();
  (void)krasip::server::multipart_boundary(body.substr(0, 200));
  return 0;
}
