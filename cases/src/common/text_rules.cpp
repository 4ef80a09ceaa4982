#include "krasip/cases/common/text_rules.hpp"

#include <cstdint>

#include "krasip/cases/common/case_error.hpp"

namespace krasip::cases {

std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t count = 0;
  std::size_t i = 0;
  const auto cont = [&](std::size_t j) {
    return j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80;
  };
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      return std::nullopt;
    }
    for (std::size_t k = 1; k < len; ++k) {
      if (!cont(i + k)) return std::nullopt;
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                          (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += len;
    ++count;
  }
  return count;
}

bool has_only_printable(std::string_view s, bool multiline) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      if (multiline && (c == '\n' || c == '\r' || c == '\t')) continue;
      return false;
    }
    // C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8.
    if (c == 0xC2 && i + 1 < s.size()) {
      const auto n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0x80 && n <= 0x9F) return false;
    }
  }
  return true;
}

bool has_visible_text(std::string_view s) {
  // Blank: ASCII white space, NBSP (C2 A0), zero-width space / joiners and
  // word joiner (E2 80 8B..8D, E2 81 A0), ideographic space (E3 80 80) and
  // BOM (EF BB BF). Zero-width spaces are common in Thai text input.
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    const std::string_view rest = s.substr(i);
    if (rest.starts_with("\xC2\xA0")) {
      i += 2;
      continue;
    }
    if (rest.starts_with("\xE2\x80\x8B") || rest.starts_with("\xE2\x80\x8C") ||
        rest.starts_with("\xE2\x80\x8D") || rest.starts_with("\xE2\x81\xA0") ||
        rest.starts_with("\xE3\x80\x80") || rest.starts_with("\xEF\xBB\xBF")) {
      i += 3;
      continue;
    }
    return true;
  }
  return false;
}

std::string checked_text(const std::string& value, const std::string& field, std::size_t max,
                         bool multiline) {
  const auto len = utf8_length(value);
  if (!len) throw CaseError(ErrorCode::invalid_utf8, field + " is not valid UTF-8", field);
  if (!has_only_printable(value, multiline)) {
    throw CaseError(ErrorCode::invalid_field, field + " contains control characters", field);
  }
  if (!has_visible_text(value)) throw CaseError(ErrorCode::missing_field, field + " is required", field);
  if (*len > max) {
    throw CaseError(ErrorCode::field_too_long,
                    field + " is longer than " + std::to_string(max) + " characters", field);
  }
  return value;
}

}  // namespace krasip::cases
