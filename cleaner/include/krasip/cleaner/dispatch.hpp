#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "krasip/cleaner/cleaned.hpp"

namespace krasip::cleaner {

// Whether clean() has a cleaner for this type (libmagic's answer or its
// canonical name). The server holds the whole file only for these; any
// other type is streamed into its encrypted file as it arrives.
bool has_cleaner(std::string_view mime);

// The one place where a type is mapped to its cleaner. A type without one
// comes back unchanged, `cleaned` false, with the reason.
Cleaned clean(std::span<const std::uint8_t> bytes, std::string_view mime);

// Loads what the cleaners need from files or the environment, before the
// helper locks itself down.
void init_cleaners();

}  // namespace krasip::cleaner
