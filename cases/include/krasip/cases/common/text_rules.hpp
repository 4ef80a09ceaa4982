#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace krasip::cases {

// Number of Unicode code points, or nullopt if `s` is not well-formed UTF-8
// (overlongs, surrogates and values above U+10FFFF are rejected).
std::optional<std::size_t> utf8_length(std::string_view s);

// True if `s` has no C0/C1 control characters other than those a multi-line
// field may hold (tab, LF, CR when `multiline`).
bool has_only_printable(std::string_view s, bool multiline);

// True if the text has something other than white space.
bool has_visible_text(std::string_view s);

// Checks one free-text field (UTF-8, printable, not blank, at most `max`
// code points) and returns it; CaseError naming `field` otherwise.
std::string checked_text(const std::string& value, const std::string& field, std::size_t max,
                         bool multiline);

}  // namespace krasip::cases
