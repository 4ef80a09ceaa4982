#include "krasip/server/onion_location.hpp"

#include <algorithm>

namespace krasip::server {

namespace {
constexpr std::string_view kSuffix = ".onion";
constexpr std::size_t kV3Length = 56;  // base32 of key, checksum and version
}  // namespace

bool valid_onion_address(std::string_view address) {
  if (address.size() != kV3Length + kSuffix.size() || !address.ends_with(kSuffix)) return false;
  const auto label = address.substr(0, kV3Length);
  // Version 3 ends in 'd' (the version byte 3 in the last base32 group).
  return label.back() == 'd' && std::all_of(label.begin(), label.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
         });
}

std::optional<std::string> onion_location(std::string_view onion_address, std::string_view host,
                                          std::string_view target) {
  if (onion_address.empty()) return std::nullopt;
  // Through the onion service already (Host is the onion name, with or
  // without a port): nothing to offer.
  const auto name = host.substr(0, host.rfind(':') == std::string_view::npos ? host.size() : host.rfind(':'));
  if (name.ends_with(kSuffix)) return std::nullopt;
  if (target.empty() || target.front() != '/') target = "/";
  return "http://" + std::string(onion_address) + std::string(target);
}

}  // namespace krasip::server
