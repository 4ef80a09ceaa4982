#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::cases {

// RFC 6238 TOTP (30-second steps, 6 digits, HMAC-SHA1: what every phone
// authenticator app speaks), through liboath.
crypto::SecureBytes new_totp_secret();
std::string totp_uri(std::string_view issuer, std::string_view account,
                     const crypto::SecureBytes& secret);
// The time step matched (allowing one step of clock drift either way), or
// nullopt. Callers refuse a step not newer than the last one used.
std::optional<std::int64_t> verify_totp(const crypto::SecureBytes& secret, std::string_view code,
                                        std::int64_t now);
// The secret of an otpauth:// URI (what an authenticator app scans).
std::optional<crypto::SecureBytes> totp_secret_from_uri(std::string_view uri);
std::string totp_code(const crypto::SecureBytes& secret, std::int64_t now);

}  // namespace krasip::cases
