#pragma once
#include <string_view>

#include "krasip/crypto/bytes.hpp"
#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::crypto {

// BLAKE2b-256 keyed with `key` (16..64 bytes) over the parts in order, each
// prefixed with its length so that ("ab","c") and ("a","bc") differ.
Bytes keyed_hash(const SecureBytes& key, std::initializer_list<ByteView> parts);

// BLAKE2b-256 without a key over the bytes of the parts, concatenated as
// they are (no length prefixes): what anyone can recompute with
// `b2sum -l 256`, for hash chains the public verifies (the change log).
Bytes public_hash(std::initializer_list<ByteView> parts);

// A subkey for one purpose, derived from a master secret.
SecureBytes derive_subkey(const SecureBytes& master, std::string_view purpose);

}  // namespace krasip::crypto
