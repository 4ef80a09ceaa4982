#pragma once
// Shared by the cleaners: the labels of what was removed and the "not
// cleaned" answer.
#include <string>

#include "krasip/cleaner/formats.hpp"
#include "labels.hpp"

namespace krasip::cleaner {

inline Cleaned not_cleaned(std::string reason) {
  Cleaned c;
  c.not_cleaned_reason = std::move(reason);
  return c;
}

}  // namespace krasip::cleaner
