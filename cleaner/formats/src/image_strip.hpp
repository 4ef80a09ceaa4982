#pragma once
// Metadata removal for pictures embedded in documents (JPEG, PNG): the
// picture with its EXIF/XMP/IPTC/comment segments or text chunks dropped,
// cut at its end (EOI, IEND); nullopt if it is not a well-formed picture.
// `stripped` is set when anything was dropped. C++17-clean (pdf_qpdf.cpp).
#include <optional>
#include <string>
#include <string_view>

namespace krasip::cleaner {

std::optional<std::string> strip_jpeg(std::string_view in, bool& stripped);
std::optional<std::string> strip_png(std::string_view in, bool& stripped);

}  // namespace krasip::cleaner
