#include <doctest/doctest.h>

#include "krasip/server/client_key.hpp"

using krasip::server::client_key;
namespace ip = boost::asio::ip;

TEST_CASE("IPv6 clients are counted per /64, IPv4 per address") {
  const auto a = client_key(ip::make_address("2001:db8:1:2:aaaa::1"), "", false);
  CHECK(a == client_key(ip::make_address("2001:db8:1:2:ffff:ffff:ffff:ffff"), "", false));
  CHECK(a != client_key(ip::make_address("2001:db8:1:3::1"), "", false));
  CHECK(client_key(ip::make_address("192.0.2.1"), "", false) !=
        client_key(ip::make_address("192.0.2.2"), "", false));
}

TEST_CASE("an IPv4-mapped IPv6 address counts as the IPv4 address") {
  CHECK(client_key(ip::make_address("::ffff:192.0.2.7"), "", false) ==
        client_key(ip::make_address("192.0.2.7"), "", false));
  // Not the /64 of ::ffff:0:0/96, which would put every IPv4 client together.
  CHECK(client_key(ip::make_address("::ffff:192.0.2.7"), "", false) !=
        client_key(ip::make_address("::ffff:192.0.2.8"), "", false));
}

TEST_CASE("X-Real-IP is taken only with --trust-proxy and only from a loopback peer") {
  const auto loopback = ip::make_address("127.0.0.1");
  const auto mapped_loopback = ip::make_address("::ffff:127.0.0.1");
  const auto remote = ip::make_address("203.0.113.5");
  CHECK(client_key(loopback, "198.51.100.4", true) == "198.51.100.4");
  CHECK(client_key(mapped_loopback, "198.51.100.4", true) == "198.51.100.4");
  CHECK(client_key(ip::make_address("::1"), "2001:db8::5", true) ==
        client_key(ip::make_address("2001:db8::9"), "", false));
  // A client connecting directly cannot choose its own key.
  CHECK(client_key(remote, "198.51.100.4", true) == client_key(remote, "", false));
  // Without --trust-proxy the header is ignored, even from loopback.
  CHECK(client_key(loopback, "198.51.100.4", false) == client_key(loopback, "", false));
  // A malformed header counts as the peer.
  CHECK(client_key(loopback, "not an address", true) == client_key(loopback, "", false));
}
