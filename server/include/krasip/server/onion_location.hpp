#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace krasip::server {

// A v3 onion address: 56 characters of base32 (a-z, 2-7) and ".onion".
bool valid_onion_address(std::string_view address);

// The Onion-Location header for a page asked for at `target` (path and
// query) through `host`: the same page at the onion address, or nothing
// when no address is configured or the request came through it already.
// Tor Browser offers the onion site to a visitor of the clearnet one; other
// browsers ignore the header.
std::optional<std::string> onion_location(std::string_view onion_address, std::string_view host,
                                          std::string_view target);

}  // namespace krasip::server
