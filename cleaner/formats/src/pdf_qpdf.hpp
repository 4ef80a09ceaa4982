#pragma once
// The qpdf side of clean_pdf, kept free of C++20 (see pdf_qpdf.cpp).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace krasip::cleaner {

struct PdfResult {
  std::vector<std::uint8_t> bytes;
  bool cleaned = false;
  std::vector<std::string> removed;
  std::string not_cleaned_reason;
  bool over_limit = false;  // an object stream inflates past kMaxObjectStreamBytes
};

PdfResult clean_pdf_bytes(const std::uint8_t* data, std::size_t size);

}  // namespace krasip::cleaner
