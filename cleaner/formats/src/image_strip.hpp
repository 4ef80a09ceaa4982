#pragma once
// Metadata removal for pictures, embedded in documents or uploaded on their
// own (strip_picture in formats.hpp): JPEG and PNG walked segment by segment
// or chunk by chunk, keeping only what draws the picture (an allow-list),
// cut at its end (EOI, IEND); nullopt if it is not a well-formed picture.
// `stripped` is set when anything was dropped, and `removed` (if given)
// names what. C++17-clean (pdf_qpdf.cpp).
#include <optional>
#include <string>
#include <string_view>

#include "labels.hpp"

namespace krasip::cleaner {

std::optional<std::string> strip_jpeg(std::string_view in, bool& stripped, Labels* removed = nullptr);
std::optional<std::string> strip_png(std::string_view in, bool& stripped, Labels* removed = nullptr);

}  // namespace krasip::cleaner
