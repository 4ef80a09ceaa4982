#pragma once
#include <boost/asio/ip/address.hpp>
#include <string>
#include <string_view>

namespace krasip::server {

// The key per-client limits count under: the client's IPv4 address, or the
// /64 of an IPv6 address (one home or phone gets a whole /64, so counting
// full addresses would let one client pick a fresh key per request). An
// IPv4-mapped IPv6 address counts as its IPv4 address.
//
// With `trust_proxy`, X-Real-IP (the proxy's $remote_addr) is taken only
// when the TCP peer is loopback, i.e. the proxy on the same machine; a
// client connecting from elsewhere cannot pick its own key by sending the
// header. A missing or malformed header counts as the peer itself.
//
// The key is only ever hashed by the limiters, in memory; it is neither
// logged nor stored.
std::string client_key(const boost::asio::ip::address& peer, std::string_view real_ip_header,
                       bool trust_proxy);

// Whether the server knows who the client is (issue 22): false behind the
// trusted proxy when it names no address (the onion service's server block
// sends none: every Tor visitor arrives from tor on loopback).
bool client_address_known(const boost::asio::ip::address& peer, std::string_view real_ip_header,
                          bool trust_proxy);

}  // namespace krasip::server
