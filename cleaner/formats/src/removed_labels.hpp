#pragma once
// Shared by the cleaners: the list of what was removed (each label once, in
// the order found) and the "not cleaned" answer.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cleaner/formats.hpp"

namespace krasip::cleaner {

// What replaces a person's name in comments and tracked changes.
inline constexpr std::string_view kNeutralAuthor = "Author";
inline constexpr std::string_view kNeutralInitials = "A";

class Labels {
 public:
  void add(std::string_view label) {
    if (std::find(labels_.begin(), labels_.end(), label) == labels_.end()) labels_.emplace_back(label);
  }
  std::vector<std::string> labels() && { return std::move(labels_); }

 private:
  std::vector<std::string> labels_;
};

inline Cleaned not_cleaned(std::string reason) {
  Cleaned c;
  c.not_cleaned_reason = std::move(reason);
  return c;
}

}  // namespace krasip::cleaner
