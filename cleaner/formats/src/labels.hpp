#pragma once
// The list of what a cleaner removed: each label once, in the order found.
// C++17-clean, for pdf_qpdf.cpp (see CMakeLists.txt).
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

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

}  // namespace krasip::cleaner
