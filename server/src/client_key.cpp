#include "krasip/server/client_key.hpp"

#include <algorithm>

namespace krasip::server {

namespace ip = boost::asio::ip;

namespace {
ip::address unmapped(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  return a;
}

std::string key_of(const ip::address& a) {
  if (a.is_v4()) return a.to_string();
  auto bytes = a.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);  // keep the /64
  return ip::address_v6(bytes).to_string() + "/64";
}
}  // namespace

std::string client_key(const ip::address& peer, std::string_view real_ip_header,
                       bool trust_proxy) {
  const auto direct = unmapped(peer);
  if (trust_proxy && !real_ip_header.empty() && direct.is_loopback()) {
    boost::system::error_code ec;
    const auto forwarded = ip::make_address(std::string(real_ip_header), ec);
    if (!ec) return key_of(unmapped(forwarded));
  }
  return key_of(direct);
}

bool client_address_known(const ip::address& peer, std::string_view real_ip_header, bool trust_proxy) {
  if (!trust_proxy || !unmapped(peer).is_loopback()) return true;
  boost::system::error_code ec;
  (void)ip::make_address(std::string(real_ip_header), ec);
  return !real_ip_header.empty() && !ec;
}

}  // namespace krasip::server
